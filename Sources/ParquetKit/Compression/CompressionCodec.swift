/// A page compression codec, numbered as in Parquet's Thrift `CompressionCodec` enum.
///
/// A Parquet page header records both the compressed and the exact uncompressed size of a page;
/// decompression must produce exactly that many bytes or throw
/// ``ParquetError/Code-swift.struct/uncompressedSizeMismatch``. Sizes declared by a file are
/// untrusted: the allocating ``decompress(_:uncompressedSize:maxUncompressedSize:)-(RawSpan,_,_)``
/// refuses sizes above a limit and sizes the compressed bytes cannot possibly expand to, before it
/// allocates anything.
///
/// ```swift
/// let compressed = try CompressionCodec.zstd.compress(page)
/// let restored = try CompressionCodec.zstd.decompress(compressed, uncompressedSize: page.count)
/// ```
///
/// ``lzo`` and ``brotli`` are recognised but not implemented; every operation on them throws
/// ``ParquetError/Code-swift.struct/unsupportedCodec``.
public enum CompressionCodec: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// No compression; pages are stored as they are.
    case uncompressed = 0
    /// Google's Snappy, in its raw (unframed) format.
    case snappy = 1
    /// Deflate in gzip (RFC 1952) members; readers also accept zlib (RFC 1950) streams.
    case gzip = 2
    /// LZO; not supported.
    case lzo = 3
    /// Brotli; not supported.
    case brotli = 4
    /// Deprecated: LZ4 blocks in Hadoop's framing, with a fallback to a bare LZ4 block on reading.
    case lz4 = 5
    /// Zstandard frames.
    case zstd = 6
    /// A bare LZ4 block, without framing.
    case lz4Raw = 7

    /// The default bound on an uncompressed size declared by a file: 1 GiB.
    public static let defaultMaxUncompressedSize = 1 << 30

    /// The codec's name as the Parquet specification spells it, for example `LZ4_RAW`.
    public var description: String {
        switch self {
        case .uncompressed: return "UNCOMPRESSED"
        case .snappy: return "SNAPPY"
        case .gzip: return "GZIP"
        case .lzo: return "LZO"
        case .brotli: return "BROTLI"
        case .lz4: return "LZ4"
        case .zstd: return "ZSTD"
        case .lz4Raw: return "LZ4_RAW"
        }
    }

    /// Whether ParquetKit can compress and decompress with this codec.
    public var isSupported: Bool {
        switch self {
        case .lzo, .brotli: return false
        default: return true
        }
    }

    // MARK: Decompression

    /// Decompresses a page into a buffer whose size is the page's declared uncompressed size.
    ///
    /// The whole of `output` is overwritten; use this form to reuse one buffer across pages.
    ///
    /// - Parameters:
    ///   - input: The compressed page.
    ///   - output: The destination; its byte count is the exact expected uncompressed size.
    /// - Throws: ``ParquetError`` with code `uncompressedSizeMismatch` if the data decodes to another
    ///   size, `corruptCompressedData` or `truncatedInput` for invalid data, `unsupportedCodec` for
    ///   ``lzo`` and ``brotli``. The contents of `output` are unspecified after a throw.
    public func decompress(_ input: RawSpan, into output: inout MutableRawSpan) throws(ParquetError) {
        try input.withUnsafeBytes { (source) throws(ParquetError) in
            try output.withUnsafeMutableBytes { (destination) throws(ParquetError) in
                try checkDeclaredSize(of: source, uncompressedSize: destination.count)
                try decode(source, into: destination)
            }
        }
    }

    /// Decompresses a page to a new array of exactly `uncompressedSize` bytes.
    ///
    /// `uncompressedSize` comes from the page header and is not trusted: it is checked against
    /// `maxUncompressedSize` and, where the format allows, against the size the compressed bytes
    /// can expand to (for Snappy, the size recorded in the stream) before anything is allocated.
    ///
    /// - Parameters:
    ///   - input: The compressed page.
    ///   - uncompressedSize: The exact uncompressed size declared for the page.
    ///   - maxUncompressedSize: The largest size this call may allocate.
    /// - Returns: The uncompressed page.
    /// - Throws: ``ParquetError`` with code `sizeLimitExceeded` if `uncompressedSize` is above
    ///   `maxUncompressedSize`, `invalidArgument` if it is negative, and the errors of
    ///   ``decompress(_:into:)``.
    public func decompress(
        _ input: RawSpan,
        uncompressedSize: Int,
        maxUncompressedSize: Int = CompressionCodec.defaultMaxUncompressedSize
    ) throws(ParquetError) -> [UInt8] {
        try input.withUnsafeBytes { (source) throws(ParquetError) in
            try decompress(source, uncompressedSize: uncompressedSize, limit: maxUncompressedSize)
        }
    }

    /// Decompresses a page held in an array to a new array of exactly `uncompressedSize` bytes.
    ///
    /// - Parameters:
    ///   - input: The compressed page.
    ///   - uncompressedSize: The exact uncompressed size declared for the page.
    ///   - maxUncompressedSize: The largest size this call may allocate.
    /// - Returns: The uncompressed page.
    /// - Throws: The errors of ``decompress(_:uncompressedSize:maxUncompressedSize:)-(RawSpan,_,_)``.
    public func decompress(
        _ input: [UInt8],
        uncompressedSize: Int,
        maxUncompressedSize: Int = CompressionCodec.defaultMaxUncompressedSize
    ) throws(ParquetError) -> [UInt8] {
        try decompress(
            input.span.bytes, uncompressedSize: uncompressedSize,
            maxUncompressedSize: maxUncompressedSize)
    }

    // MARK: Compression

    /// Compresses a page.
    ///
    /// - Parameters:
    ///   - input: The uncompressed page.
    ///   - level: A codec-specific level, or `nil` for the codec's default: 0 to 9 for ``gzip``
    ///     (default 6), `ZSTD_minCLevel()` to `ZSTD_maxCLevel()` for ``zstd`` (default 3). Codecs
    ///     without levels ignore it.
    /// - Returns: The compressed page; ``lz4`` writes a single Hadoop frame.
    /// - Throws: ``ParquetError`` with code `invalidArgument` for a level out of range and
    ///   `unsupportedCodec` for ``lzo`` and ``brotli``.
    public func compress(_ input: RawSpan, level: Int? = nil) throws(ParquetError) -> [UInt8] {
        try input.withUnsafeBytes { (source) throws(ParquetError) in
            try encode(source, level: level)
        }
    }

    /// Compresses a page held in an array.
    ///
    /// - Parameters:
    ///   - input: The uncompressed page.
    ///   - level: A codec-specific level, or `nil` for the codec's default; see
    ///     ``compress(_:level:)-(RawSpan,_)``.
    /// - Returns: The compressed page.
    /// - Throws: The errors of ``compress(_:level:)-(RawSpan,_)``.
    public func compress(_ input: [UInt8], level: Int? = nil) throws(ParquetError) -> [UInt8] {
        try compress(input.span.bytes, level: level)
    }
}

// MARK: - Dispatch

extension CompressionCodec {
    private func decompress(
        _ source: UnsafeRawBufferPointer, uncompressedSize: Int, limit: Int
    ) throws(ParquetError) -> [UInt8] {
        try requireSupported()
        guard uncompressedSize >= 0 else {
            throw .invalidInput(.invalidArgument, "negative uncompressed size \(uncompressedSize)")
        }
        guard uncompressedSize <= limit else {
            throw .invalidInput(
                .sizeLimitExceeded,
                "declared uncompressed size \(uncompressedSize) exceeds the limit of \(limit) bytes")
        }
        try checkDeclaredSize(of: source, uncompressedSize: uncompressedSize)
        return try [UInt8](unsafeUninitializedCapacity: uncompressedSize) {
            (buffer, count) throws(ParquetError) in
            try decode(source, into: UnsafeMutableRawBufferPointer(buffer))
            count = uncompressedSize
        }
    }

    /// Rejects a declared size that the compressed bytes cannot decode to, without decoding.
    private func checkDeclaredSize(
        of source: UnsafeRawBufferPointer, uncompressedSize: Int
    ) throws(ParquetError) {
        try requireSupported()
        if source.isEmpty && uncompressedSize == 0 { return }
        switch self {
        case .uncompressed:
            try UncompressedCodec.checkDeclaredSize(of: source, uncompressedSize: uncompressedSize)
        case .snappy:
            try SnappyCodec.checkDeclaredSize(of: source, uncompressedSize: uncompressedSize)
        case .gzip:
            try GzipCodec.checkDeclaredSize(of: source, uncompressedSize: uncompressedSize)
        case .zstd:
            try ZstdCodec.checkDeclaredSize(of: source, uncompressedSize: uncompressedSize)
        case .lz4, .lz4Raw:
            try LZ4BlockDecoder.checkDeclaredSize(of: source, uncompressedSize: uncompressedSize)
        case .lzo, .brotli:
            break
        }
    }

    /// Decodes `source` so that it fills `destination` exactly.
    private func decode(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) throws(ParquetError) {
        // Some writers store an empty page as zero bytes whatever the codec.
        if source.isEmpty && destination.isEmpty { return }
        switch self {
        case .uncompressed: UncompressedCodec.decompress(source, into: destination)
        case .snappy: try SnappyCodec.decompress(source, into: destination)
        case .gzip: try GzipCodec.decompress(source, into: destination)
        case .zstd: try ZstdCodec.decompress(source, into: destination)
        case .lz4: try LZ4HadoopCodec.decompress(source, into: destination)
        case .lz4Raw: try LZ4BlockDecoder.decode(source, into: destination)
        case .lzo, .brotli: try requireSupported()
        }
    }

    private func encode(_ source: UnsafeRawBufferPointer, level: Int?) throws(ParquetError) -> [UInt8] {
        try requireSupported()
        switch self {
        case .uncompressed: return Array(source)
        case .snappy: return try SnappyCodec.compress(source)
        case .gzip: return try GzipCodec.compress(source, level: level)
        case .zstd: return try ZstdCodec.compress(source, level: level)
        case .lz4: return try LZ4HadoopCodec.compress(source)
        case .lz4Raw: return try LZ4BlockEncoder.compress(source)
        case .lzo, .brotli: return []
        }
    }

    private func requireSupported() throws(ParquetError) {
        guard isSupported else {
            throw ParquetError(
                code: .unsupportedCodec,
                message: "compression codec \(self) is not supported by ParquetKit")
        }
    }
}

// MARK: - Shared helpers

/// Runs `body` on a scratch buffer of `capacity` bytes and returns the `count` bytes it wrote,
/// in an array of exactly that size.
func withCompressionScratch(
    capacity: Int,
    _ body: (UnsafeMutableRawBufferPointer) throws(ParquetError) -> Int
) throws(ParquetError) -> [UInt8] {
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: max(capacity, 1), alignment: 8)
    defer { scratch.deallocate() }
    let count = try body(UnsafeMutableRawBufferPointer(rebasing: scratch[..<capacity]))
    guard count >= 0 && count <= capacity else {
        throw .internalError("a compressor reported \(count) bytes written into \(capacity)")
    }
    return Array(UnsafeRawBufferPointer(rebasing: scratch[..<count]))
}

/// Throws unless `uncompressedSize` is reachable from `source` within the codec's largest
/// expansion ratio, so a hostile declared size cannot make the caller allocate without bound.
func checkExpansion(
    of source: UnsafeRawBufferPointer, to uncompressedSize: Int, maximumRatio: Int,
    fileID: String = #fileID, line: Int = #line
) throws(ParquetError) {
    let (bound, overflow) = source.count.multipliedReportingOverflow(by: maximumRatio)
    guard overflow || uncompressedSize <= bound else {
        throw sizeMismatch(declared: uncompressedSize, actual: "at most \(bound)", fileID: fileID, line: line)
    }
}

/// The error for data that decodes to a size other than the declared one.
func sizeMismatch(
    declared: Int, actual: String, fileID: String = #fileID, line: Int = #line
) -> ParquetError {
    .invalidInput(
        .uncompressedSizeMismatch,
        "data decompresses to \(actual) bytes but \(declared) were declared",
        fileID: fileID, line: line)
}
