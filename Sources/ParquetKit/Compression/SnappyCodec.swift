/// `SNAPPY`: Google's Snappy in its raw format, through snappy's C API.
///
/// A snappy stream starts with its uncompressed length as a varint, so a declared size can be
/// checked against the stream before any buffer is allocated.
enum SnappyCodec {
    /// Snappy's largest expansion: a 3-byte copy element yields at most 64 bytes.
    static let maximumRatio = 22

    static func checkDeclaredSize(
        of source: UnsafeRawBufferPointer, uncompressedSize: Int
    ) throws(ParquetError) {
        // A stream that records a hostile length consistently with the page header still cannot
        // expand beyond the ratio, so the allocation stays proportional to the input.
        try checkExpansion(of: source, to: uncompressedSize, maximumRatio: maximumRatio)
        guard let recorded = LibSnappy.uncompressedLength(source) else {
            throw .invalidInput(
                .corruptCompressedData, "the snappy stream does not start with a valid length")
        }
        guard recorded == uncompressedSize else {
            throw sizeMismatch(declared: uncompressedSize, actual: "\(recorded)")
        }
    }

    /// Decodes a snappy stream whose recorded length must equal `destination.count`.
    static func decompress(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) throws(ParquetError) {
        // snappy_uncompress checks the recorded length against the buffer too, but a mismatch
        // deserves its own error code rather than "corrupt".
        try checkDeclaredSize(of: source, uncompressedSize: destination.count)
        guard LibSnappy.uncompress(source, into: destination) else {
            throw .invalidInput(.corruptCompressedData, "invalid snappy stream")
        }
    }

    static func compress(_ source: UnsafeRawBufferPointer) throws(ParquetError) -> [UInt8] {
        let bound = LibSnappy.maxCompressedLength(source.count)
        return try withCompressionScratch(capacity: bound) { (scratch) throws(ParquetError) in
            guard let count = LibSnappy.compress(source, into: scratch) else {
                throw .internalError("snappy_compress rejected a buffer of snappy_max_compressed_length bytes")
            }
            return count
        }
    }
}
