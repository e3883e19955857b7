// Every call into a C compression library (zlib, zstd, snappy) happens in this file, the way
// apple/swift-system keeps every system call in `Syscalls.swift`. The codec files use the C
// modules for types and constants only. Resources (a z_stream, a ZSTD_DCtx) live in
// non-copyable owners that free them in `deinit`.

internal import CSnappy
internal import CZlib
internal import CZstd

// MARK: - zlib

/// A zlib stream, inflating or deflating, released when the owner goes away.
///
/// The `z_stream` lives on the heap because zlib keeps a pointer back to it and rejects a stream
/// that has moved; a Swift local's address is not stable across calls.
struct ZlibStream: ~Copyable {
    private enum Direction {
        case inflate
        case deflate
    }

    /// The stream; codecs set `next_in`, `avail_in`, `next_out` and `avail_out` through it.
    let pointer: UnsafeMutablePointer<z_stream>
    private let direction: Direction

    /// Starts an inflating stream.
    ///
    /// - Parameter windowBits: zlib's `windowBits`; `15 + 32` detects a gzip or zlib header.
    init(inflatingWindowBits windowBits: Int32) throws(ParquetError) {
        let pointer = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        pointer.initialize(to: z_stream())
        let status = lakehouse_inflateInit2(pointer, windowBits)
        guard status == Z_OK else {
            pointer.deinitialize(count: 1)
            pointer.deallocate()
            throw ZlibStream.initializationError("inflateInit2", status)
        }
        self.pointer = pointer
        self.direction = .inflate
    }

    /// Starts a deflating stream.
    ///
    /// - Parameters:
    ///   - level: The compression level, 0 to 9, or `Z_DEFAULT_COMPRESSION`.
    ///   - windowBits: zlib's `windowBits`; `15 + 16` writes a gzip (RFC 1952) member.
    init(deflatingLevel level: Int32, windowBits: Int32) throws(ParquetError) {
        let pointer = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        pointer.initialize(to: z_stream())
        let status = lakehouse_deflateInit2(
            pointer, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY)
        guard status == Z_OK else {
            pointer.deinitialize(count: 1)
            pointer.deallocate()
            throw ZlibStream.initializationError("deflateInit2", status)
        }
        self.pointer = pointer
        self.direction = .deflate
    }

    deinit {
        switch direction {
        case .inflate: _ = inflateEnd(pointer)
        case .deflate: _ = deflateEnd(pointer)
        }
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }

    /// Runs `inflate` once and returns its status.
    func inflate(flush: Int32) -> Int32 {
        CZlib.inflate(pointer, flush)
    }

    /// Prepares the stream for another gzip member, keeping its allocations.
    func inflateReset() -> Int32 {
        CZlib.inflateReset(pointer)
    }

    /// Runs `deflate` once and returns its status.
    func deflate(flush: Int32) -> Int32 {
        CZlib.deflate(pointer, flush)
    }

    /// An upper bound on the deflated size of `sourceLength` bytes, headers included.
    func deflateBound(sourceLength: Int) -> Int {
        Int(CZlib.deflateBound(pointer, UInt(sourceLength)))
    }

    /// zlib's description of the last error, if it left one.
    var lastMessage: String? {
        pointer.pointee.msg.map { String(cString: $0) }
    }

    private static func initializationError(_ function: String, _ status: Int32) -> ParquetError {
        let text = zError(status).map { String(cString: $0) } ?? "status \(status)"
        return .internalError("zlib \(function) failed: \(text)")
    }
}

// MARK: - zstd

/// A zstd decompression context (also a streaming decoder), freed when the owner goes away.
struct ZstdDecompressionContext: ~Copyable {
    private let context: OpaquePointer

    init() throws(ParquetError) {
        guard let context = ZSTD_createDCtx() else {
            throw ParquetError.internalError("ZSTD_createDCtx returned NULL")
        }
        self.context = context
    }

    deinit {
        _ = ZSTD_freeDCtx(context)
    }

    /// Decodes one complete frame in a single call; returns the decoded size or a zstd error code.
    func decompressFrame(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> Int {
        ZSTD_decompressDCtx(context, output.baseAddress, output.count, input.baseAddress, input.count)
    }

    /// Runs the streaming decoder once; returns 0 at the end of a frame, a zstd error code, or a
    /// hint that more input or output is needed.
    func decompressStream(
        output: inout ZSTD_outBuffer, input: inout ZSTD_inBuffer
    ) -> Int {
        ZSTD_decompressStream(context, &output, &input)
    }
}

/// zstd's stateless functions.
enum LibZstd {
    /// `ZSTD_getFrameContentSize`'s answer when the frame header omits the size.
    static let contentSizeUnknown = UInt64.max
    /// `ZSTD_getFrameContentSize`'s answer when the input does not start with a valid frame.
    static let contentSizeError = UInt64.max - 1

    static func isError(_ code: Int) -> Bool {
        ZSTD_isError(code) != 0
    }

    static func errorName(_ code: Int) -> String {
        String(cString: ZSTD_getErrorName(code))
    }

    static var minimumLevel: Int { Int(ZSTD_minCLevel()) }
    static var maximumLevel: Int { Int(ZSTD_maxCLevel()) }
    static var defaultLevel: Int { Int(ZSTD_defaultCLevel()) }

    static func compressBound(_ sourceLength: Int) -> Int {
        ZSTD_compressBound(sourceLength)
    }

    /// Compresses `input` into one frame; returns the frame's size or a zstd error code.
    static func compress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, level: Int
    ) -> Int {
        ZSTD_compress(
            output.baseAddress, output.count, input.baseAddress, input.count, Int32(level))
    }

    /// The compressed size of the frame at the start of `input`, or a zstd error code.
    static func frameCompressedSize(_ input: UnsafeRawBufferPointer) -> Int {
        ZSTD_findFrameCompressedSize(input.baseAddress, input.count)
    }

    /// The decompressed size recorded in the header of the frame at the start of `input`.
    static func frameContentSize(_ input: UnsafeRawBufferPointer) -> UInt64 {
        ZSTD_getFrameContentSize(input.baseAddress, input.count)
    }
}

// MARK: - snappy

/// snappy's C API (`snappy-c.h`).
enum LibSnappy {
    static func maxCompressedLength(_ sourceLength: Int) -> Int {
        snappy_max_compressed_length(sourceLength)
    }

    /// The uncompressed length recorded at the start of a snappy stream, or `nil` if it is unreadable.
    static func uncompressedLength(_ input: UnsafeRawBufferPointer) -> Int? {
        var length = 0
        let status = snappy_uncompressed_length(
            input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count, &length)
        return status == SNAPPY_OK ? length : nil
    }

    /// Decodes a snappy stream that must fill `output` exactly; returns whether it succeeded.
    static func uncompress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> Bool {
        var length = output.count
        let status = snappy_uncompress(
            input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
            output.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
        return status == SNAPPY_OK && length == output.count
    }

    /// Compresses `input`; returns the compressed size, or `nil` if `output` is too small.
    static func compress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> Int? {
        var length = output.count
        let status = snappy_compress(
            input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
            output.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
        return status == SNAPPY_OK ? length : nil
    }
}

// MARK: - CRC-32

/// zlib's CRC-32 (the checksum Parquet page headers carry).
enum LibCRC32 {
    /// The CRC-32 of `bytes`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        var crc = CZlib.crc32(0, nil, 0)
        var offset = 0
        while offset < bytes.count {
            // zlib takes a 32-bit length.
            let length = Swift.min(bytes.count - offset, 1 << 30)
            crc = CZlib.crc32(crc, base.advanced(by: offset).assumingMemoryBound(to: UInt8.self), UInt32(length))
            offset += length
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
