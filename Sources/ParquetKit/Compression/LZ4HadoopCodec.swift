/// `LZ4` (deprecated in Parquet): LZ4 blocks in Hadoop's framing.
///
/// Each frame is a big-endian 4-byte uncompressed length, a big-endian 4-byte compressed length
/// and one LZ4 block; a page holds one or more frames. Some writers (older parquet-cpp) stored a
/// bare LZ4 block under this codec instead, so, as parquet-mr and Arrow do, a page whose framing
/// does not parse and decode exactly is decoded again as one bare block.
///
/// Writing produces a single frame, as Arrow does.
enum LZ4HadoopCodec {
    /// The two big-endian 32-bit lengths in front of each block.
    static let frameHeaderSize = 8

    static func decompress(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) throws(ParquetError) {
        guard let framingError = decodeFrames(source, into: destination) else { return }
        do {
            try LZ4BlockDecoder.decode(source, into: destination)
        } catch {
            // When the input was well-formed frames, their error says more than the fallback's.
            throw framingError.isWellFormed ? framingError.error : error
        }
    }

    static func compress(_ source: UnsafeRawBufferPointer) throws(ParquetError) -> [UInt8] {
        try LZ4BlockEncoder.checkInputSize(source.count)
        let capacity = frameHeaderSize + LZ4BlockEncoder.maxCompressedLength(source.count)
        return try withCompressionScratch(capacity: capacity) { (scratch) throws(ParquetError) in
            let block = UnsafeMutableRawBufferPointer(rebasing: scratch[frameHeaderSize...])
            let blockSize = LZ4BlockEncoder.compressBlock(source, into: block)
            scratch.storeBytes(of: UInt32(source.count).bigEndian, toByteOffset: 0, as: UInt32.self)
            scratch.storeBytes(of: UInt32(blockSize).bigEndian, toByteOffset: 4, as: UInt32.self)
            return frameHeaderSize + blockSize
        }
    }

    /// Why `source` did not decode as Hadoop frames filling `destination`.
    private struct FramingError {
        /// Whether the frame headers chain exactly to the end of the input.
        var isWellFormed: Bool
        var error: ParquetError
    }

    /// Decodes `source` as a sequence of Hadoop frames; returns `nil` when they fill `destination`
    /// exactly, otherwise why they did not.
    private static func decodeFrames(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) -> FramingError? {
        guard let total = framedLength(of: source) else {
            return FramingError(
                isWellFormed: false,
                error: .invalidInput(.corruptCompressedData, "not Hadoop-framed LZ4 data"))
        }
        guard total == destination.count else {
            return FramingError(
                isWellFormed: true, error: sizeMismatch(declared: destination.count, actual: "\(total)"))
        }
        var ip = 0
        var op = 0
        while ip < source.count {
            let (uncompressed, compressed) = frameHeader(source, at: ip)
            ip += frameHeaderSize
            let block = UnsafeRawBufferPointer(rebasing: source[ip..<(ip + compressed)])
            let target = UnsafeMutableRawBufferPointer(rebasing: destination[op..<(op + uncompressed)])
            do {
                try LZ4BlockDecoder.decode(block, into: target)
            } catch {
                return FramingError(isWellFormed: true, error: error)
            }
            ip += compressed
            op += uncompressed
        }
        return nil
    }

    /// The total uncompressed length the frame headers declare, or `nil` unless the headers and
    /// their blocks cover the input exactly.
    private static func framedLength(of source: UnsafeRawBufferPointer) -> Int? {
        guard source.count >= frameHeaderSize else { return nil }
        var ip = 0
        var total = 0
        while source.count - ip >= frameHeaderSize {
            let (uncompressed, compressed) = frameHeader(source, at: ip)
            ip += frameHeaderSize
            guard compressed <= source.count - ip else { return nil }
            ip += compressed
            total += uncompressed
        }
        return ip == source.count ? total : nil
    }

    private static func frameHeader(
        _ source: UnsafeRawBufferPointer, at offset: Int
    ) -> (uncompressed: Int, compressed: Int) {
        let uncompressed = UInt32(bigEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        let compressed = UInt32(bigEndian: source.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        return (Int(uncompressed), Int(compressed))
    }
}
