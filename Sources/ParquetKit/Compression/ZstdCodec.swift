internal import CZstd

/// `ZSTD`: Zstandard frames, through libzstd.
///
/// A page that is one frame recording its content size is decoded in one call. Anything else
/// (several frames, frames without a recorded size, skippable frames) goes through the streaming
/// decoder, which writes straight into the page buffer.
enum ZstdCodec {
    static func checkDeclaredSize(
        of source: UnsafeRawBufferPointer, uncompressedSize: Int
    ) throws(ParquetError) {
        guard let recorded = singleFrameContentSize(source) else { return }
        guard recorded == uncompressedSize else {
            throw sizeMismatch(declared: uncompressedSize, actual: "\(recorded)")
        }
    }

    static func decompress(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) throws(ParquetError) {
        let context = try ZstdDecompressionContext()
        guard singleFrameContentSize(source) == destination.count else {
            return try decompressStream(source, into: destination, context: context)
        }
        let written = context.decompressFrame(source, into: destination)
        try check(written)
        guard written == destination.count else {
            throw sizeMismatch(declared: destination.count, actual: "\(written)")
        }
    }

    static func compress(_ source: UnsafeRawBufferPointer, level: Int?) throws(ParquetError) -> [UInt8] {
        let chosen = level ?? LibZstd.defaultLevel
        let levels = LibZstd.minimumLevel...LibZstd.maximumLevel
        guard levels.contains(chosen) else {
            throw .invalidInput(.invalidArgument, "zstd level \(chosen) is outside \(levels)")
        }
        let bound = LibZstd.compressBound(source.count)
        return try withCompressionScratch(capacity: bound) { (scratch) throws(ParquetError) in
            let written = LibZstd.compress(source, into: scratch, level: chosen)
            guard !LibZstd.isError(written) else {
                throw .internalError("ZSTD_compress failed: \(LibZstd.errorName(written))")
            }
            return written
        }
    }

    private static func decompressStream(
        _ source: UnsafeRawBufferPointer,
        into destination: UnsafeMutableRawBufferPointer,
        context: borrowing ZstdDecompressionContext
    ) throws(ParquetError) {
        var input = ZSTD_inBuffer(src: source.baseAddress, size: source.count, pos: 0)
        var output = ZSTD_outBuffer(dst: destination.baseAddress, size: destination.count, pos: 0)
        while true {
            let before = (input.pos, output.pos)
            let hint = context.decompressStream(output: &output, input: &input)
            try check(hint)
            if hint == 0 && input.pos == input.size {
                break  // The last frame is complete.
            }
            if before == (input.pos, output.pos) {
                if output.pos == output.size {
                    throw sizeMismatch(
                        declared: destination.count, actual: "more than \(destination.count)")
                }
                throw .invalidInput(.truncatedInput, "the zstd data ends inside a frame")
            }
        }
        guard output.pos == output.size else {
            throw sizeMismatch(declared: destination.count, actual: "\(output.pos)")
        }
    }

    /// The content size of `source` if it is exactly one frame whose header records it.
    private static func singleFrameContentSize(_ source: UnsafeRawBufferPointer) -> Int? {
        let frameSize = LibZstd.frameCompressedSize(source)
        guard !LibZstd.isError(frameSize), frameSize == source.count else { return nil }
        let size = LibZstd.frameContentSize(source)
        guard size != LibZstd.contentSizeUnknown, size != LibZstd.contentSizeError,
            size <= UInt64(Int.max)
        else { return nil }
        return Int(size)
    }

    private static func check(_ result: Int) throws(ParquetError) {
        guard LibZstd.isError(result) else { return }
        throw .invalidInput(
            .corruptCompressedData, "invalid zstd data: \(LibZstd.errorName(result))")
    }
}
