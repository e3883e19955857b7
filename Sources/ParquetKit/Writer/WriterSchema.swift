import ColumnarCore

/// How one ColumnarCore field is laid out in a Parquet schema: the flattened schema elements and,
/// for every leaf, its physical representation.
struct WriterSchema {
    /// The schema elements, root first, depth first (as the footer stores them).
    var elements: [SchemaElement]
    /// The leaves in column-chunk order.
    var leaves: [WriterLeaf]

    /// The Parquet schema of `schema`.
    ///
    /// - Throws: ``ParquetError`` `.unsupportedFeature` for a type Parquet cannot store
    ///   (decimals above precision 76).
    init(_ schema: Schema) throws(ParquetError) {
        elements = [SchemaElement(type: nil, typeLength: nil, repetition: nil, name: "schema", numChildren: Int32(schema.fields.count),
                                  convertedType: nil, scale: nil, precision: nil, fieldID: nil, logicalType: nil)]
        leaves = []
        for field in schema.fields { try add(field, path: [], repetition: field.isNullable ? .optional : .required) }
    }

    private mutating func add(_ field: Field, path: [String], repetition: Repetition) throws(ParquetError) {
        let fieldID = field.metadata["field_id"].flatMap { Int32($0) }
        func group(_ children: Int, logical: LogicalType? = nil, converted: ConvertedType? = nil) -> SchemaElement {
            SchemaElement(type: nil, typeLength: nil, repetition: repetition, name: field.name, numChildren: Int32(children),
                          convertedType: converted, scale: nil, precision: nil, fieldID: fieldID, logicalType: logical)
        }
        let here = path + [field.name]
        switch field.dataType {
        case .struct(let children):
            guard !children.isEmpty else {
                throw ParquetError(code: .unsupportedFeature, message: "Parquet cannot store the empty struct \(here.joined(separator: "."))")
            }
            elements.append(group(children.count))
            for child in children { try add(child, path: here, repetition: child.isNullable ? .optional : .required) }
        case .list(let element):
            let isMap = element.metadata[NestedAssembler.mapMarker] == "true"
            if isMap, case .struct(let pair) = element.dataType, pair.count == 2 {
                // MAP: <rep> group name (MAP) { repeated group key_value { required key; value } }
                elements.append(group(1, logical: .map, converted: ConvertedType(rawValue: 1)))
                elements.append(SchemaElement(type: nil, typeLength: nil, repetition: .repeated, name: "key_value", numChildren: 2,
                                              convertedType: nil, scale: nil, precision: nil, fieldID: nil, logicalType: nil))
                try add(Field(pair[0].name, pair[0].dataType, nullable: false, metadata: pair[0].metadata), path: here + ["key_value"], repetition: .required)
                try add(pair[1], path: here + ["key_value"], repetition: pair[1].isNullable ? .optional : .required)
            } else {
                // LIST: <rep> group name (LIST) { repeated group list { <rep> element } }
                elements.append(group(1, logical: .list, converted: ConvertedType(rawValue: 3)))
                elements.append(SchemaElement(type: nil, typeLength: nil, repetition: .repeated, name: "list", numChildren: 1,
                                              convertedType: nil, scale: nil, precision: nil, fieldID: nil, logicalType: nil))
                let renamed = Field("element", element.dataType, nullable: element.isNullable, metadata: element.metadata)
                try add(renamed, path: here + ["list"], repetition: element.isNullable ? .optional : .required)
            }
        case .fixedSizeList(let element, _):
            // Stored as a LIST of its elements (Parquet has no fixed-size list).
            try add(Field(field.name, .list(element), nullable: field.isNullable, metadata: field.metadata), path: path, repetition: repetition)
        default:
            var leaf = try WriterLeaf(field.dataType, path: here)
            if field.metadata[SchemaElement.logicalTypeKey] == "UUID", field.dataType == .binary {
                leaf.physicalType = .fixedLenByteArray
                leaf.typeLength = 16
                leaf.logicalType = .uuid
            }
            elements.append(SchemaElement(
                type: leaf.physicalType, typeLength: leaf.typeLength, repetition: repetition, name: field.name, numChildren: nil,
                convertedType: leaf.convertedType, scale: leaf.decimalScale, precision: leaf.decimalPrecision, fieldID: fieldID,
                logicalType: leaf.logicalType))
            var placed = leaf
            placed.maxDefinitionLevel = definitionLevel(ofNewLeafAt: elements.count - 1)
            placed.maxRepetitionLevel = repetitionLevel(ofNewLeafAt: elements.count - 1)
            leaves.append(placed)
        }
    }

    /// Levels of the leaf just appended: optional and repeated nodes on its path count.
    private func definitionLevel(ofNewLeafAt index: Int) -> Int {
        pathIndices(to: index).reduce(0) { $0 + (elements[$1].repetition == .required ? 0 : 1) }
    }

    private func repetitionLevel(ofNewLeafAt index: Int) -> Int {
        pathIndices(to: index).reduce(0) { $0 + (elements[$1].repetition == .repeated ? 1 : 0) }
    }

    /// The element indices from the root's child down to `index`, found by walking the
    /// depth-first list with child counts.
    private func pathIndices(to target: Int) -> [Int] {
        var stack: [(index: Int, remaining: Int)] = []
        var path: [Int] = []
        var position = 1
        while position <= target {
            while let last = stack.last, last.remaining == 0 {
                stack.removeLast()
                path.removeLast()
            }
            if !stack.isEmpty { stack[stack.count - 1].remaining -= 1 }
            let children = Int(elements[position].numChildren ?? 0)
            stack.append((position, children))
            path.append(position)
            if position == target { return path }
            if children == 0 {
                stack.removeLast()
                path.removeLast()
            }
            position += 1
        }
        return path
    }
}

/// A leaf column as the writer stores it.
struct WriterLeaf {
    /// The ColumnarCore type of the values.
    var dataType: DataType
    var path: [String]
    var physicalType: PhysicalType
    var typeLength: Int32?
    var logicalType: LogicalType?
    var convertedType: ConvertedType?
    var decimalScale: Int32?
    var decimalPrecision: Int32?
    var maxDefinitionLevel = 0
    var maxRepetitionLevel = 0

    /// Bytes a decimal of `precision` digits needs as a big-endian two's-complement integer.
    static func decimalBytes(_ precision: Int) -> Int {
        var bytes = 1
        var limit = Int256(Int64(128))  // 2^(8·bytes − 1)
        var largest = Int256(Int64(9))
        for _ in 1..<precision { largest = _times10plus9(largest) }
        while bytes < 32 && largest >= limit {
            bytes += 1
            limit = _shiftLeft8(limit)
        }
        return bytes
    }

    init(_ type: DataType, path: [String]) throws(ParquetError) {
        dataType = type
        self.path = path
        func converted(_ name: String) -> ConvertedType? {
            ConvertedType.names.firstIndex(of: name).map { ConvertedType(rawValue: Int32($0)) }
        }
        switch type {
        case .boolean: physicalType = .boolean
        case .int8, .int16, .int32, .uint8, .uint16, .uint32:
            physicalType = .int32
            let (bits, signed): (Int, Bool) = switch type {
            case .int8: (8, true)
            case .int16: (16, true)
            case .int32: (32, true)
            case .uint8: (8, false)
            case .uint16: (16, false)
            default: (32, false)
            }
            logicalType = .integer(bitWidth: bits, isSigned: signed)
            convertedType = converted((signed ? "INT_" : "UINT_") + String(bits))
        case .int64: physicalType = .int64
        case .uint64:
            physicalType = .int64
            logicalType = .integer(bitWidth: 64, isSigned: false)
            convertedType = converted("UINT_64")
        case .float32: physicalType = .float
        case .float64: physicalType = .double
        case .decimal128(let p, let s), .decimal256(let p, let s):
            guard (1...76).contains(p), (0...p).contains(s) else {
                throw ParquetError(code: .unsupportedFeature, message: "DECIMAL(\(p),\(s)) cannot be stored")
            }
            if case .decimal128 = type, p <= 9 {
                physicalType = .int32
            } else if case .decimal128 = type, p <= 18 {
                physicalType = .int64
            } else {
                physicalType = .fixedLenByteArray
                typeLength = Int32(WriterLeaf.decimalBytes(p))
            }
            logicalType = .decimal(precision: p, scale: s)
            convertedType = converted("DECIMAL")
            decimalScale = Int32(s)
            decimalPrecision = Int32(p)
        case .utf8:
            physicalType = .byteArray
            logicalType = .string
            convertedType = converted("UTF8")
        case .binary: physicalType = .byteArray
        case .date32:
            physicalType = .int32
            logicalType = .date
            convertedType = converted("DATE")
        case .time64(let unit):
            // Seconds are stored as milliseconds (Parquet has no TIME(SECONDS)).
            let stored: TimeUnit = unit == .second ? .millisecond : unit
            physicalType = stored == .millisecond ? .int32 : .int64
            logicalType = .time(isAdjustedToUTC: true, unit: stored)
            convertedType = stored == .millisecond ? converted("TIME_MILLIS") : stored == .microsecond ? converted("TIME_MICROS") : nil
        case .timestamp(let unit, let zone):
            let stored: TimeUnit = unit == .second ? .millisecond : unit
            physicalType = .int64
            logicalType = .timestamp(isAdjustedToUTC: zone != nil, unit: stored)
            if zone != nil {
                convertedType = stored == .millisecond ? converted("TIMESTAMP_MILLIS") : stored == .microsecond ? converted("TIMESTAMP_MICROS") : nil
            }
        case .wideTimestamp:
            // The legacy INT96 layout is the one that holds every wide value exactly.
            physicalType = .int96
        default:
            throw ParquetError(code: .unsupportedFeature, message: "no Parquet leaf layout for \(type)")
        }
    }
}

/// `value × 10 + 9` on non-negative 256-bit values (for decimal sizing).
func _times10plus9(_ value: Int256) -> Int256 {
    Int256(String(value.description) + "9") ?? value
}

/// `value × 256` on non-negative 256-bit values (for decimal sizing).
func _shiftLeft8(_ value: Int256) -> Int256 {
    let high = value.high << 8 | Int128(truncatingIfNeeded: value.low >> 120)
    return Int256(high: high, low: value.low << 8)
}
