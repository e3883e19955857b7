/// How ``ParquetFileWriter`` lays out a file.
///
/// ```swift
/// var options = ParquetWriterOptions()
/// options.codec = .zstd
/// options.compressionLevel = 3
/// options.rowGroupRows = 100_000
/// ```
public struct ParquetWriterOptions: Sendable {
    /// The codec of every column without its own in ``columnCodecs``; SNAPPY by default.
    public var codec: CompressionCodec = .snappy
    /// The codec's level (GZIP 0–9, ZSTD levels), or nil for the codec's default.
    public var compressionLevel: Int?
    /// Codecs of particular columns, by dotted leaf path (`address.city`, `tags.list.element`).
    public var columnCodecs: [String: CompressionCodec] = [:]
    /// 1 (the default, what every reader understands) or 2.
    public var pageVersion = 1
    /// Whether columns start dictionary-encoded (they fall back to PLAIN when the dictionary
    /// would exceed ``dictionaryPageSizeLimit``); true by default.
    public var dictionary = true
    /// Columns, by dotted leaf path, written without a dictionary whatever ``dictionary`` says.
    public var plainColumns: Set<String> = []
    /// Value encodings of particular columns, by dotted leaf path, instead of dictionary/PLAIN:
    /// `.deltaBinaryPacked` for INT32/INT64 columns, `.deltaLengthByteArray` or `.deltaByteArray`
    /// for BYTE_ARRAY columns, `.byteStreamSplit` for FLOAT, DOUBLE, INT32, INT64 and
    /// FIXED_LEN_BYTE_ARRAY columns, or `.plain`. A mismatch throws `.invalidArgument`.
    public var columnEncodings: [String: Encoding] = [:]
    /// The largest dictionary page, in bytes of PLAIN values; 1 MiB by default.
    public var dictionaryPageSizeLimit = 1 << 20
    /// The target size of a data page before compression; 1 MiB by default.
    public var dataPageSize = 1 << 20
    /// The most level entries (rows, for flat columns) in one data page; 20,000 by default, so
    /// the page index can skip at a fine grain.
    public var maxRowsPerPage = 20_000
    /// The most rows in a row group; 1,048,576 by default (pyarrow's).
    public var rowGroupRows = 1 << 20
    /// The most in-memory bytes buffered for one row group before it is written; 128 MiB by default.
    public var rowGroupBytes = 128 << 20
    /// Whether min/max/null-count statistics and the page index (column and offset indexes) are
    /// written; true by default.
    public var statistics = true
    /// Whether every page header carries the CRC-32 of the page's bytes (readers such as
    /// pyarrow can verify it); false by default, as in pyarrow.
    public var pageChecksums = false
    /// Whether a row group's column chunks are encoded in parallel across cores; true by default.
    public var parallel = true
    /// The writer recorded in the footer.
    public var createdBy = ParquetWriterOptions.defaultCreatedBy

    /// `created_by` of files ParquetKit writes.
    public static let defaultCreatedBy = "LakehouseKit version 0.1.0 (ParquetKit)"

    /// The default options.
    public init() {}

    func codec(for path: [String]) -> CompressionCodec {
        columnCodecs[path.joined(separator: ".")] ?? codec
    }

    func compressionLevel(for path: [String]) -> Int? {
        columnCodecs[path.joined(separator: ".")] == nil || columnCodecs[path.joined(separator: ".")] == codec ? compressionLevel : nil
    }

    func dictionaryEnabled(for path: [String]) -> Bool {
        let name = path.joined(separator: ".")
        return dictionary && !plainColumns.contains(name) && columnEncodings[name] == nil
    }
}
