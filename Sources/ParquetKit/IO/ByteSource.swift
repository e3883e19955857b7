#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random-access bytes a Parquet file is read from: a local file, memory, or (later) an object
/// store's ranged gets. Readers fetch the footer first and then only the ranges they need.
public protocol ParquetByteSource: Sendable {
    /// A name for error messages (a path or URL).
    var name: String { get }
    /// The total size in bytes.
    func size() throws(ParquetError) -> Int
    /// Exactly `count` bytes starting at `offset`.
    ///
    /// - Throws: ``ParquetError`` `.truncatedInput` when the range runs past the end.
    func read(offset: Int, count: Int) throws(ParquetError) -> [UInt8]
    /// Fills `buffer` with the bytes starting at `offset` (the buffer's size is the count).
    ///
    /// The default implementation copies the result of ``read(offset:count:)``; sources that
    /// can write into caller memory directly (positioned reads) override it.
    func read(offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(ParquetError)
}

extension ParquetByteSource {
    public func read(offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        let bytes = try read(offset: offset, count: buffer.count)
        guard bytes.count == buffer.count else {
            throw ParquetError(code: .truncatedInput, message: "asked for \(buffer.count) bytes, got \(bytes.count)",
                               context: .init(filePath: name, byteOffset: offset))
        }
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
    }
}

/// Parquet bytes held in memory.
public struct MemoryByteSource: ParquetByteSource {
    /// The bytes.
    public let bytes: [UInt8]
    /// A name for error messages.
    public let name: String

    /// Wraps bytes already in memory.
    public init(_ bytes: [UInt8], name: String = "<memory>") {
        self.bytes = bytes
        self.name = name
    }

    /// The number of bytes.
    public func size() -> Int { bytes.count }

    /// A copy of the requested range.
    public func read(offset: Int, count: Int) throws(ParquetError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw ParquetError(code: .truncatedInput, message: "range \(offset)+\(count) is past the end of \(bytes.count) bytes",
                               context: .init(filePath: name, byteOffset: offset))
        }
        return Array(bytes[offset..<(offset + count)])
    }
}

/// A local file read with positioned reads (`pread`), so concurrent readers share one descriptor.
public final class LocalFileByteSource: ParquetByteSource {
    /// The path.
    public let name: String
    private let descriptor: Int32
    private let length: Int

    /// Opens `path` for reading.
    ///
    /// - Throws: ``ParquetError`` `.invalidArgument` when the file cannot be opened.
    public init(path: String) throws(ParquetError) {
        self.name = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ParquetError(code: .invalidArgument, message: "cannot open: \(String(cString: strerror(errno)))", context: .init(filePath: path))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw ParquetError(code: .invalidArgument, message: "cannot stat: \(String(cString: strerror(errno)))", context: .init(filePath: path))
        }
        self.descriptor = fd
        self.length = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// The file size when opened.
    public func size() -> Int { length }

    /// Reads a range with `pread`, retrying short reads.
    public func read(offset: Int, count: Int) throws(ParquetError) -> [UInt8] {
        guard count >= 0 else {
            throw ParquetError(code: .invalidArgument, message: "negative read size \(count)", context: .init(filePath: name, byteOffset: offset))
        }
        return try [UInt8](unsafeUninitializedCapacity: count) { (raw, initialized) throws(ParquetError) in
            try read(offset: offset, into: UnsafeMutableRawBufferPointer(raw))
            initialized = count
        }
    }

    /// Reads a range straight into `buffer` with `pread`, retrying short reads.
    public func read(offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        let count = buffer.count
        guard offset >= 0, offset <= length, count <= length - offset else {
            throw ParquetError(code: .truncatedInput, message: "range \(offset)+\(count) is past the end of \(length) bytes",
                               context: .init(filePath: name, byteOffset: offset))
        }
        var done = 0
        while done < count {
            let n = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
            if n > 0 { done += n; continue }
            if n < 0 && errno == EINTR { continue }
            let reason = n == 0 ? "file shrank while reading" : String(cString: strerror(errno))
            throw ParquetError(code: .truncatedInput, message: "read failed: \(reason)", context: .init(filePath: name, byteOffset: offset + done))
        }
    }
}
