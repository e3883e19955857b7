internal import CZlib

/// `GZIP`: deflate in gzip (RFC 1952) members, through zlib.
///
/// Writers produce one gzip member. Readers accept a gzip or zlib header and several concatenated
/// members, which some writers emit; the page is the concatenation of their contents.
enum GzipCodec {
    /// A 32 KiB window (15) plus 16: write a gzip header and trailer.
    static let deflateWindowBits: Int32 = 15 + 16
    /// A 32 KiB window (15) plus 32: detect a gzip or a zlib header.
    static let inflateWindowBits: Int32 = 15 + 32
    /// Deflate's largest expansion: a 258-byte match coded in two bits.
    static let maximumRatio = 1032

    static func checkDeclaredSize(
        of source: UnsafeRawBufferPointer, uncompressedSize: Int
    ) throws(ParquetError) {
        try checkExpansion(of: source, to: uncompressedSize, maximumRatio: maximumRatio)
    }

    static func decompress(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) throws(ParquetError) {
        guard destination.isEmpty else {
            return try inflateMembers(source, into: destination)
        }
        // inflate refuses a NULL output pointer even when there is no room to write.
        var placeholder: UInt8 = 0
        try withUnsafeMutableBytes(of: &placeholder) { (byte) throws(ParquetError) in
            try inflateMembers(source, into: UnsafeMutableRawBufferPointer(rebasing: byte[..<0]))
        }
    }

    /// Inflates one or more gzip (or zlib) members into `destination`, which they must fill exactly.
    private static func inflateMembers(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) throws(ParquetError) {
        let stream = try ZlibStream(inflatingWindowBits: inflateWindowBits)
        var windows = ZlibWindows(input: source, output: destination)
        while true {
            windows.refill(stream.pointer)
            let status = stream.inflate(flush: Z_NO_FLUSH)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                guard windows.hasInputLeft(stream.pointer) else {
                    let written = windows.outputWritten(stream.pointer)
                    guard written == destination.count else {
                        throw sizeMismatch(declared: destination.count, actual: "\(written)")
                    }
                    return
                }
                // Another member follows.
                guard stream.inflateReset() == Z_OK else {
                    throw .internalError("zlib inflateReset failed between gzip members")
                }
            case Z_BUF_ERROR where windows.hasInputLeft(stream.pointer):
                throw sizeMismatch(
                    declared: destination.count, actual: "more than \(destination.count)")
            case Z_BUF_ERROR:
                throw .invalidInput(.truncatedInput, "the gzip stream ends before its last member does")
            case Z_DATA_ERROR, Z_NEED_DICT:
                let detail = stream.lastMessage ?? "zlib status \(status)"
                throw .invalidInput(.corruptCompressedData, "invalid gzip data: \(detail)")
            default:
                throw .internalError("zlib inflate returned status \(status)")
            }
        }
    }

    static func compress(_ source: UnsafeRawBufferPointer, level: Int?) throws(ParquetError) -> [UInt8] {
        var zlibLevel = Z_DEFAULT_COMPRESSION
        if let level {
            guard (0...9).contains(level) else {
                throw .invalidInput(.invalidArgument, "gzip level \(level) is outside 0...9")
            }
            zlibLevel = Int32(level)
        }
        let stream = try ZlibStream(deflatingLevel: zlibLevel, windowBits: deflateWindowBits)
        let bound = stream.deflateBound(sourceLength: source.count)
        return try withCompressionScratch(capacity: bound) { (scratch) throws(ParquetError) in
            var windows = ZlibWindows(input: source, output: scratch)
            while true {
                windows.refill(stream.pointer)
                let flush = windows.allInputHandedOver ? Z_FINISH : Z_NO_FLUSH
                switch stream.deflate(flush: flush) {
                case Z_STREAM_END: return windows.outputWritten(stream.pointer)
                case Z_OK: continue
                case let status: throw .internalError("zlib deflate returned status \(status)")
                }
            }
        }
    }
}

/// Hands buffers of any size to a zlib stream, whose counters are 32-bit, a window at a time.
struct ZlibWindows {
    private let input: UnsafeRawBufferPointer
    private let output: UnsafeMutableRawBufferPointer
    private var inputHandedOver = 0
    private var outputHandedOver = 0

    init(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) {
        self.input = input
        self.output = output
    }

    /// Whether zlib has been given every input byte (it may not have consumed them all).
    var allInputHandedOver: Bool { inputHandedOver == input.count }

    /// Gives zlib the next window of input or output once it has used up the current one.
    mutating func refill(_ stream: UnsafeMutablePointer<z_stream>) {
        if stream.pointee.avail_in == 0, let base = input.baseAddress, inputHandedOver < input.count {
            let count = min(input.count - inputHandedOver, Int(UInt32.max))
            stream.pointee.next_in = UnsafeMutableRawPointer(mutating: base + inputHandedOver)
                .assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = UInt32(count)
            inputHandedOver += count
        }
        // The first pass also sets next_out for an empty output: zlib rejects a NULL one.
        let outputUsedUp = stream.pointee.avail_out == 0 && outputHandedOver < output.count
        if let base = output.baseAddress, outputUsedUp || stream.pointee.next_out == nil {
            let count = min(output.count - outputHandedOver, Int(UInt32.max))
            stream.pointee.next_out = (base + outputHandedOver).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = UInt32(count)
            outputHandedOver += count
        }
    }

    /// Whether input remains that zlib has not consumed.
    func hasInputLeft(_ stream: UnsafeMutablePointer<z_stream>) -> Bool {
        stream.pointee.avail_in > 0 || inputHandedOver < input.count
    }

    /// How many output bytes zlib has written.
    func outputWritten(_ stream: UnsafeMutablePointer<z_stream>) -> Int {
        outputHandedOver - Int(stream.pointee.avail_out)
    }
}
