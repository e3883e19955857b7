/// A Parquet physical (storage) type. Unknown values from newer writers are kept, not rejected.
public struct PhysicalType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The Thrift enum value.
    public let rawValue: Int32
    /// Wraps a Thrift enum value.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// One bit per value.
    public static let boolean = PhysicalType(rawValue: 0)
    /// 32-bit little-endian integers.
    public static let int32 = PhysicalType(rawValue: 1)
    /// 64-bit little-endian integers.
    public static let int64 = PhysicalType(rawValue: 2)
    /// Legacy 12-byte timestamps (nanoseconds of day, then Julian day).
    public static let int96 = PhysicalType(rawValue: 3)
    /// IEEE single precision.
    public static let float = PhysicalType(rawValue: 4)
    /// IEEE double precision.
    public static let double = PhysicalType(rawValue: 5)
    /// Length-prefixed byte strings.
    public static let byteArray = PhysicalType(rawValue: 6)
    /// Byte strings of a length fixed by the schema.
    public static let fixedLenByteArray = PhysicalType(rawValue: 7)

    /// The specification's spelling, e.g. `FIXED_LEN_BYTE_ARRAY`.
    public var description: String {
        let names = ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"]
        return names.indices.contains(Int(rawValue)) ? names[Int(rawValue)] : "TYPE(\(rawValue))"
    }
}

/// A Parquet value or level encoding.
public struct Encoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The Thrift enum value.
    public let rawValue: Int32
    /// Wraps a Thrift enum value.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Values back to back.
    public static let plain = Encoding(rawValue: 0)
    /// Legacy name of dictionary encoding (dictionary page PLAIN, indices RLE).
    public static let plainDictionary = Encoding(rawValue: 2)
    /// The RLE / bit-packing hybrid.
    public static let rle = Encoding(rawValue: 3)
    /// Legacy bit packing for levels.
    public static let bitPacked = Encoding(rawValue: 4)
    /// Delta encoding of integers in bit-packed miniblocks.
    public static let deltaBinaryPacked = Encoding(rawValue: 5)
    /// Delta-encoded lengths, then the bytes.
    public static let deltaLengthByteArray = Encoding(rawValue: 6)
    /// Prefix lengths and suffixes (incremental encoding).
    public static let deltaByteArray = Encoding(rawValue: 7)
    /// Dictionary indices in the RLE hybrid.
    public static let rleDictionary = Encoding(rawValue: 8)
    /// Each byte of a fixed-width value in its own stream.
    public static let byteStreamSplit = Encoding(rawValue: 9)

    /// The specification's spelling, e.g. `RLE_DICTIONARY`.
    public var description: String {
        let names = [0: "PLAIN", 1: "GROUP_VAR_INT", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED", 5: "DELTA_BINARY_PACKED",
                     6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY", 8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT"]
        return names[Int(rawValue)] ?? "ENCODING(\(rawValue))"
    }
}

/// Whether a schema node is required, optional or repeated.
public struct Repetition: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The Thrift enum value.
    public let rawValue: Int32
    /// Wraps a Thrift enum value.
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// Exactly one value per parent.
    public static let required = Repetition(rawValue: 0)
    /// Zero or one value per parent.
    public static let optional = Repetition(rawValue: 1)
    /// Zero or more values per parent.
    public static let repeated = Repetition(rawValue: 2)

    /// `REQUIRED`, `OPTIONAL` or `REPEATED`.
    public var description: String {
        ["REQUIRED", "OPTIONAL", "REPEATED"].indices.contains(Int(rawValue))
            ? ["REQUIRED", "OPTIONAL", "REPEATED"][Int(rawValue)] : "REPETITION(\(rawValue))"
    }
}

/// The legacy type annotation, superseded by ``LogicalType`` but still written for compatibility.
public struct ConvertedType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The Thrift enum value.
    public let rawValue: Int32
    /// Wraps a Thrift enum value.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    static let names = ["UTF8", "MAP", "MAP_KEY_VALUE", "LIST", "ENUM", "DECIMAL", "DATE", "TIME_MILLIS", "TIME_MICROS",
                        "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8", "UINT_16", "UINT_32", "UINT_64",
                        "INT_8", "INT_16", "INT_32", "INT_64", "JSON", "BSON", "INTERVAL"]

    /// The specification's spelling, e.g. `TIMESTAMP_MICROS`.
    public var description: String {
        ConvertedType.names.indices.contains(Int(rawValue)) ? ConvertedType.names[Int(rawValue)] : "CONVERTED(\(rawValue))"
    }
}

/// The kind of a page in a column chunk.
public struct PageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The Thrift enum value.
    public let rawValue: Int32
    /// Wraps a Thrift enum value.
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// A version 1 data page.
    public static let dataPage = PageType(rawValue: 0)
    /// An index page (never written in practice; skipped).
    public static let indexPage = PageType(rawValue: 1)
    /// The dictionary of a dictionary-encoded chunk.
    public static let dictionaryPage = PageType(rawValue: 2)
    /// A version 2 data page (levels uncompressed, ahead of the values).
    public static let dataPageV2 = PageType(rawValue: 3)

    /// `DATA_PAGE`, `INDEX_PAGE`, `DICTIONARY_PAGE` or `DATA_PAGE_V2`.
    public var description: String {
        let names = ["DATA_PAGE", "INDEX_PAGE", "DICTIONARY_PAGE", "DATA_PAGE_V2"]
        return names.indices.contains(Int(rawValue)) ? names[Int(rawValue)] : "PAGE(\(rawValue))"
    }
}
