import ColumnarCore

/// Maps ColumnarCore schemas to Delta's schema strings (Spark's JSON schema) and back.
///
/// | ColumnarCore | Delta |
/// |---|---|
/// | boolean, int8/16/32/64 | boolean, byte, short, integer, long |
/// | uint8/16/32 | short, integer, long (widened on write) |
/// | float32, float64, decimal128(p,s) | float, double, decimal(p,s) |
/// | utf8, binary, date32 | string, binary, date |
/// | timestamp with a time zone / without | timestamp (UTC) / timestamp_ntz, in microseconds |
/// | list, struct, map (list of key/value structs) | array, struct, map |
///
/// UINT64, TIME, INTERVAL and 256-bit decimals have no Delta type and are refused with
/// `.unsupportedFeature` naming the column.
public enum DeltaSchema {
    /// The key in a Delta field's metadata holding our stable column id (written to Parquet as the
    /// field id).
    public static let fieldIDKey = "lakehouse.fieldId"

    /// The schema string of `schema`. A field's stable id (``fieldIDKey`` in its metadata, assigned
    /// by the table when the column is added) is kept in the Delta field's metadata.
    public static func schemaString(_ schema: Schema) throws(CatalogError) -> String {
        var fields: [JSONValue] = []
        for field in schema.fields { fields.append(try encode(field)) }
        return JSONValue.object([("type", .string("struct")), ("fields", .array(fields))]).text
    }

    static func encode(_ field: Field) throws(CatalogError) -> JSONValue {
        var metadata: [(String, JSONValue)] = []
        if let id = field.metadata[fieldIDKey], let n = Int64(id) { metadata.append((fieldIDKey, .int(n))) }
        return .object([("name", .string(field.name)), ("type", try encode(field.dataType, column: field.name)),
                        ("nullable", .bool(field.isNullable)), ("metadata", .object(metadata))])
    }

    static func encode(_ type: DataType, column: String) throws(CatalogError) -> JSONValue {
        func refuse(_ what: String) -> CatalogError {
            CatalogError(.unsupportedFeature, "column \(column): Delta Lake has no \(what) type; cast the column first")
        }
        switch type {
        case .boolean: return .string("boolean")
        case .int8: return .string("byte")
        case .int16, .uint8: return .string("short")
        case .int32, .uint16: return .string("integer")
        case .int64, .uint32: return .string("long")
        case .float32: return .string("float")
        case .float64: return .string("double")
        case .decimal128(let p, let s): return .string("decimal(\(p),\(s))")
        case .decimal256(let p, let s):
            guard p <= 38 else { throw refuse("DECIMAL(\(p),\(s)) (at most 38 digits)") }
            return .string("decimal(\(p),\(s))")
        case .utf8: return .string("string")
        case .binary: return .string("binary")
        case .date32: return .string("date")
        case .timestamp(_, let zone): return .string(zone == nil ? "timestamp_ntz" : "timestamp")
        case .uint64: throw refuse("UBIGINT")
        case .time64: throw refuse("TIME")
        case .interval: throw refuse("INTERVAL")
        case .wideTimestamp: throw refuse("nanosecond-range TIMESTAMP")
        case .list(let element), .fixedSizeList(let element, _):
            if element.metadata[mapMarker] == "true", case .struct(let pair) = element.dataType, pair.count == 2 {
                return .object([("type", .string("map")), ("keyType", try encode(pair[0].dataType, column: column)),
                                ("valueType", try encode(pair[1].dataType, column: column)), ("valueContainsNull", .bool(pair[1].isNullable))])
            }
            return .object([("type", .string("array")), ("elementType", try encode(element.dataType, column: column)),
                            ("containsNull", .bool(element.isNullable))])
        case .struct(let fields):
            var out: [JSONValue] = []
            for field in fields { out.append(try encode(field)) }
            return .object([("type", .string("struct")), ("fields", .array(out))])
        }
    }

    static let mapMarker = "parquet.map"

    /// The storage type of a column: what is written to Parquet for a Delta type (unsigned
    /// integers widened, timestamps in microseconds, time zones normalised to UTC).
    static func storageType(_ type: DataType) -> DataType {
        switch type {
        case .uint8: return .int16
        case .uint16: return .int32
        case .uint32: return .int64
        case .timestamp(_, let zone): return .timestamp(.microsecond, timeZone: zone == nil ? nil : "UTC")
        case .decimal256(let p, let s) where p <= 38: return .decimal128(precision: p, scale: s)
        case .list(let element): return .list(Field(element.name, storageType(element.dataType), nullable: element.isNullable, metadata: element.metadata))
        case .struct(let fields): return .struct(fields.map { Field($0.name, storageType($0.dataType), nullable: $0.isNullable, metadata: $0.metadata) })
        default: return type
        }
    }

    /// The ColumnarCore schema of a schema string.
    ///
    /// - Throws: ``CatalogError`` `.corruptLog` when the text is not a struct schema,
    ///   `.unsupportedFeature` for a type this version cannot read.
    public static func schema(from text: String) throws(CatalogError) -> Schema {
        let json = try JSONValue.parse(text)
        guard json["type"]?.stringValue == "struct", let fields = json["fields"]?.arrayValue else {
            throw CatalogError(.corruptLog, "the schema string is not a struct type")
        }
        var out: [Field] = []
        for field in fields { out.append(try decodeField(field)) }
        return Schema(out)
    }

    static func decodeField(_ json: JSONValue) throws(CatalogError) -> Field {
        guard let name = json["name"]?.stringValue, let type = json["type"] else { throw CatalogError(.corruptLog, "a schema field has no name or type") }
        var metadata: [String: String] = [:]
        if let id = json["metadata"]?[fieldIDKey]?.int64Value { metadata[fieldIDKey] = String(id) }
        if let mode = json["metadata"]?["delta.columnMapping.physicalName"]?.stringValue, mode != name {
            throw CatalogError(.unsupportedFeature, "column \(name) uses Delta column mapping, which this version does not read")
        }
        return Field(name, try decodeType(type, column: name), nullable: json["nullable"]?.boolValue ?? true, metadata: metadata)
    }

    static func decodeType(_ json: JSONValue, column: String) throws(CatalogError) -> DataType {
        if let name = json.stringValue {
            switch name {
            case "boolean": return .boolean
            case "byte": return .int8
            case "short": return .int16
            case "integer": return .int32
            case "long": return .int64
            case "float": return .float32
            case "double": return .float64
            case "string": return .utf8
            case "binary": return .binary
            case "date": return .date32
            case "timestamp": return .timestamp(.microsecond, timeZone: "UTC")
            case "timestamp_ntz": return .timestamp(.microsecond, timeZone: nil)
            default:
                if name.hasPrefix("decimal(") && name.hasSuffix(")") {
                    let parts = name.dropFirst(8).dropLast().split(separator: ",").map { Int($0.trimmingSuffix { $0 == " " }.drop { $0 == " " }) }
                    if parts.count == 2, let p = parts[0], let s = parts[1], p >= 1, p <= 38, s >= 0, s <= p {
                        return .decimal128(precision: p, scale: s)
                    }
                }
                throw CatalogError(.unsupportedFeature, "column \(column) has Delta type \(name), which this version does not read")
            }
        }
        switch json["type"]?.stringValue {
        case "array":
            guard let element = json["elementType"] else { throw CatalogError(.corruptLog, "column \(column): an array type without elementType") }
            return .list(Field("element", try decodeType(element, column: column), nullable: json["containsNull"]?.boolValue ?? true))
        case "map":
            guard let key = json["keyType"], let value = json["valueType"] else { throw CatalogError(.corruptLog, "column \(column): a map type without key or value type") }
            let pair = DataType.struct([Field("key", try decodeType(key, column: column), nullable: false),
                                        Field("value", try decodeType(value, column: column), nullable: json["valueContainsNull"]?.boolValue ?? true)])
            return .list(Field("key_value", pair, nullable: false, metadata: [mapMarker: "true"]))
        case "struct":
            guard let fields = json["fields"]?.arrayValue else { throw CatalogError(.corruptLog, "column \(column): a struct type without fields") }
            var out: [Field] = []
            for field in fields { out.append(try decodeField(field)) }
            return .struct(out)
        default:
            throw CatalogError(.unsupportedFeature, "column \(column) has a Delta type this version does not read: \(json.text)")
        }
    }
}
