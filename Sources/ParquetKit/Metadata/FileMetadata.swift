/// The footer of a Parquet file: its schema, row groups and column chunks, as written by the
/// producer. Counts and offsets here come from the file and are not trusted by the reader.
public struct FileMetadata: Equatable, Sendable {
    /// The format version the writer claims (1 or 2).
    public var version: Int32
    /// The schema tree flattened depth-first; element 0 is the root.
    public var schema: [SchemaElement]
    /// The row count the footer claims.
    public var numRows: Int64
    /// The row groups in file order.
    public var rowGroups: [RowGroupMetadata]
    /// File-level key-value metadata (e.g. `ARROW:schema`), in stored order.
    public var keyValueMetadata: [KeyValue]
    /// The writer, e.g. `parquet-cpp-arrow version 26.0.1`.
    public var createdBy: String?
    /// The sort order of each leaf's statistics, when written.
    public var columnOrders: [ColumnOrder]?
    /// Whether the footer declares encrypted columns (plaintext-footer encryption).
    public var hasEncryptionAlgorithm: Bool
}

/// A key and optional value of Parquet key-value metadata.
public struct KeyValue: Hashable, Sendable {
    /// The key.
    public var key: String
    /// The value, if any.
    public var value: String?
}

/// The order a leaf column's statistics follow.
public enum ColumnOrder: Hashable, Sendable {
    /// The order of the logical (or physical) type.
    case typeDefined
    /// IEEE 754 total order for floats.
    case ieee754TotalOrder
    /// Chronological order of INT96 timestamps.
    case int96Timestamp
    /// A union member this reader does not know.
    case unknown(id: Int)
}

/// One node of the schema tree.
public struct SchemaElement: Hashable, Sendable {
    /// The physical type (leaves only).
    public var type: PhysicalType?
    /// The byte length of FIXED_LEN_BYTE_ARRAY values.
    public var typeLength: Int32?
    /// Required, optional or repeated (absent on the root).
    public var repetition: Repetition?
    /// The field name.
    public var name: String
    /// The number of children (groups only).
    public var numChildren: Int32?
    /// The legacy annotation.
    public var convertedType: ConvertedType?
    /// Legacy decimal scale.
    public var scale: Int32?
    /// Legacy decimal precision.
    public var precision: Int32?
    /// The field id, when the writer's schema has ids (Iceberg, Delta column mapping).
    public var fieldID: Int32?
    /// The logical type annotation.
    public var logicalType: LogicalType?

    /// Whether this node is a group (has children) rather than a leaf.
    public var isGroup: Bool { numChildren != nil && type == nil || (numChildren ?? 0) > 0 }
}

/// One row group: a horizontal slice of the file with one chunk per leaf column.
public struct RowGroupMetadata: Equatable, Sendable {
    /// One chunk per leaf column, in schema order.
    public var columns: [ColumnChunkMetadata]
    /// The uncompressed size the writer reports.
    public var totalByteSize: Int64
    /// The row count the writer reports.
    public var numRows: Int64
    /// Where the row group's first page starts, when written.
    public var fileOffset: Int64?
    /// The compressed size the writer reports, when written.
    public var totalCompressedSize: Int64?
    /// The row group's ordinal, when written.
    public var ordinal: Int16?
}

/// One column chunk: the pages of one leaf column within one row group.
public struct ColumnChunkMetadata: Equatable, Sendable {
    /// An external file holding the data (summary files only); unsupported when set.
    public var filePath: String?
    /// The physical type of the values.
    public var type: PhysicalType
    /// Every encoding used by the chunk's pages (levels included).
    public var encodings: [Encoding]
    /// The leaf's path from the root, e.g. `["address", "city"]`.
    public var pathInSchema: [String]
    /// The compression of every page in the chunk; `nil` when the file names a codec this
    /// reader does not know (see ``codecRawValue``): reading the chunk then fails, the rest of
    /// the file stays readable.
    public var codec: CompressionCodec? { CompressionCodec(rawValue: codecRawValue) }
    /// The codec's Thrift enum value as written.
    public var codecRawValue: Int32
    /// The number of values (levels) the writer reports.
    public var numValues: Int64
    /// Uncompressed size of all pages, headers included.
    public var totalUncompressedSize: Int64
    /// Compressed size of all pages, headers included.
    public var totalCompressedSize: Int64
    /// Chunk-level key-value metadata.
    public var keyValueMetadata: [KeyValue]
    /// File offset of the first data page.
    public var dataPageOffset: Int64
    /// File offset of the index page, if any.
    public var indexPageOffset: Int64?
    /// File offset of the dictionary page, if any (some writers write 0 for none).
    public var dictionaryPageOffset: Int64?
    /// Chunk statistics, when written.
    public var statistics: ColumnStatistics?
    /// File offset and length of the offset index (page locations), when written.
    public var offsetIndexOffset: Int64?
    /// Length of the offset index.
    public var offsetIndexLength: Int32?
    /// File offset of the column index (page min/max), when written.
    public var columnIndexOffset: Int64?
    /// Length of the column index.
    public var columnIndexLength: Int32?
    /// Whether the chunk is encrypted (its metadata may be unreadable without a key).
    public var isEncrypted: Bool

    /// Where the chunk's first page starts: the smaller of the dictionary and data page offsets
    /// that can be real (an offset inside the leading `PAR1` is a writer's placeholder, as some
    /// write 0 for "none" in either field).
    public var startOffset: Int64 {
        let candidates = [dictionaryPageOffset, dataPageOffset].compactMap { $0 }.filter { $0 >= 4 }
        return candidates.min() ?? dataPageOffset
    }
}

/// Statistics of a column chunk or page, with raw (PLAIN-encoded, unprefixed) min and max bytes.
public struct ColumnStatistics: Hashable, Sendable {
    /// Legacy maximum (signed order), if written.
    public var legacyMax: [UInt8]?
    /// Legacy minimum (signed order), if written.
    public var legacyMin: [UInt8]?
    /// The number of nulls, if written (absence is not zero).
    public var nullCount: Int64?
    /// The number of distinct values, if written.
    public var distinctCount: Int64?
    /// Upper bound in the column order, if written.
    public var maxValue: [UInt8]?
    /// Lower bound in the column order, if written.
    public var minValue: [UInt8]?
    /// Whether `maxValue` is an actual value.
    public var isMaxValueExact: Bool?
    /// Whether `minValue` is an actual value.
    public var isMinValueExact: Bool?
    /// The number of NaNs, if written.
    public var nanCount: Int64?

    /// The best available minimum: `minValue`, else the legacy field.
    public var min: [UInt8]? { minValue ?? legacyMin }
    /// The best available maximum: `maxValue`, else the legacy field.
    public var max: [UInt8]? { maxValue ?? legacyMax }
}

/// The header that precedes every page.
public struct PageHeader: Equatable, Sendable {
    /// Which kind of page follows.
    public var type: PageType
    /// Bytes after decompression (header excluded).
    public var uncompressedPageSize: Int32
    /// Bytes on disk (header excluded).
    public var compressedPageSize: Int32
    /// CRC-32 of the page bytes on disk, when written.
    public var crc: Int32?
    /// Set for data pages v1.
    public var dataPage: DataPageHeader?
    /// Set for dictionary pages.
    public var dictionaryPage: DictionaryPageHeader?
    /// Set for data pages v2.
    public var dataPageV2: DataPageHeaderV2?
}

/// The header of a version 1 data page.
public struct DataPageHeader: Equatable, Sendable {
    /// Values including nulls (levels).
    public var numValues: Int32
    /// The value encoding.
    public var encoding: Encoding
    /// The definition level encoding (RLE or BIT_PACKED).
    public var definitionLevelEncoding: Encoding
    /// The repetition level encoding.
    public var repetitionLevelEncoding: Encoding
    /// Page statistics, when written.
    public var statistics: ColumnStatistics?
}

/// The header of a dictionary page.
public struct DictionaryPageHeader: Equatable, Sendable {
    /// The number of entries.
    public var numValues: Int32
    /// The entries' encoding (PLAIN or PLAIN_DICTIONARY).
    public var encoding: Encoding
    /// Whether the entries are sorted, when written.
    public var isSorted: Bool?
}

/// The header of a version 2 data page.
public struct DataPageHeaderV2: Equatable, Sendable {
    /// Values including nulls.
    public var numValues: Int32
    /// Null values.
    public var numNulls: Int32
    /// Rows (pages start at row boundaries).
    public var numRows: Int32
    /// The value encoding.
    public var encoding: Encoding
    /// Bytes of RLE definition levels at the start of the page (never compressed).
    public var definitionLevelsByteLength: Int32
    /// Bytes of RLE repetition levels at the start of the page (never compressed).
    public var repetitionLevelsByteLength: Int32
    /// Whether the values section is compressed (default true).
    public var isCompressed: Bool
    /// Page statistics, when written.
    public var statistics: ColumnStatistics?
}
