import ColumnarCore

extension LeafColumn {
    /// The ColumnarCore type this leaf reads into: the logical type when present, else the
    /// legacy converted type, else the physical type.
    ///
    /// - Throws: ``ParquetError`` `.unsupportedFeature` for annotations this reader cannot
    ///   represent yet.
    public func columnarType() throws(ParquetError) -> DataType {
        let e = element
        let physical = e.type ?? .int32
        func unsupported(_ what: String) -> ParquetError {
            ParquetError(code: .unsupportedFeature, message: "\(what) on \(physical) is not supported", context: .init(columnPath: path))
        }
        // 128-bit decimals up to precision 38, 256-bit ones up to 76 (as Arrow does).
        func decimal(_ p: Int, _ s: Int) throws(ParquetError) -> DataType {
            guard (1...76).contains(p), (0...p).contains(s) else { throw unsupported("DECIMAL(\(p),\(s))") }
            return p <= 38 ? .decimal128(precision: p, scale: s) : .decimal256(precision: p, scale: s)
        }
        if let logical = e.logicalType {
            switch (logical, physical) {
            case (.string, .byteArray), (.enum, .byteArray), (.json, .byteArray): return .utf8
            case (.bson, .byteArray), (.geometry, .byteArray), (.geography, .byteArray): return .binary
            case (.uuid, .fixedLenByteArray): return .binary
            case (.float16, .fixedLenByteArray): return .float32
            case (.decimal(let p, let s), .int32), (.decimal(let p, let s), .int64),
                 (.decimal(let p, let s), .fixedLenByteArray), (.decimal(let p, let s), .byteArray):
                return try decimal(p, s)
            case (.date, .int32): return .date32
            case (.time(_, .millisecond), .int32): return .time64(.millisecond)
            case (.time(_, let unit), .int64) where unit != .millisecond: return .time64(unit)
            case (.timestamp(let utc, let unit), .int64): return .timestamp(unit, timeZone: utc ? "UTC" : nil)
            case (.integer(let bits, let signed), .int32), (.integer(let bits, let signed), .int64):
                switch (bits, signed) {
                case (8, true): return .int8
                case (16, true): return .int16
                case (32, true): return .int32
                case (64, true): return .int64
                case (8, false): return .uint8
                case (16, false): return .uint16
                case (32, false): return .uint32
                case (64, false): return .uint64
                default: throw unsupported("INTEGER(\(bits))")
                }
            case (.unknown, _): break
            case (.other, _), (.variant, _): break
            default: throw unsupported("logical type \(logical)")
            }
        } else if let converted = e.convertedType {
            let name = converted.description
            switch (name, physical) {
            case ("UTF8", .byteArray), ("ENUM", .byteArray), ("JSON", .byteArray): return .utf8
            case ("BSON", .byteArray): return .binary
            case ("DECIMAL", _):
                return try decimal(Int(e.precision ?? 0), Int(e.scale ?? 0))
            case ("DATE", .int32): return .date32
            case ("TIME_MILLIS", .int32): return .time64(.millisecond)
            case ("TIME_MICROS", .int64): return .time64(.microsecond)
            case ("TIMESTAMP_MILLIS", .int64): return .timestamp(.millisecond, timeZone: "UTC")
            case ("TIMESTAMP_MICROS", .int64): return .timestamp(.microsecond, timeZone: "UTC")
            case ("INT_8", .int32): return .int8
            case ("INT_16", .int32): return .int16
            case ("INT_32", .int32): return .int32
            case ("INT_64", .int64): return .int64
            case ("UINT_8", .int32): return .uint8
            case ("UINT_16", .int32): return .uint16
            case ("UINT_32", .int32): return .uint32
            case ("UINT_64", .int64): return .uint64
            case ("INTERVAL", .fixedLenByteArray): return .binary
            default: break
            }
        }
        switch physical {
        case .boolean: return .boolean
        case .int32: return .int32
        case .int64: return .int64
        case .int96:
            switch int96 {
            case .timestamp(let unit): return .timestamp(unit, timeZone: nil)
            case .wide: return .wideTimestamp(timeZone: nil)
            }
        case .float: return .float32
        case .double: return .float64
        case .byteArray, .fixedLenByteArray: return .binary
        default: throw unsupported("physical type")
        }
    }
}

extension SchemaElement {
    /// Field metadata that keeps a Parquet annotation ColumnarCore has no type for, so a writer
    /// can restore it: `parquet.logical_type` = `UUID` on 16-byte binary.
    var annotationMetadata: [String: String] {
        logicalType == .uuid ? [SchemaElement.logicalTypeKey: "UUID"] : [:]
    }

    /// The field-metadata key of ``annotationMetadata``.
    static let logicalTypeKey = "parquet.logical_type"
}
