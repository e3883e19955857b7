#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a ``ParquetFileWriter`` puts its bytes: appended in order, then either finished (the
/// file becomes visible) or aborted (nothing remains).
public protocol ParquetSink: AnyObject {
    /// A name for error messages.
    var name: String { get }
    /// Appends bytes.
    func write(_ bytes: [UInt8]) throws(ParquetError)
    /// Makes everything written durable and visible under the final name.
    func finish() throws(ParquetError)
    /// Discards everything written; never throws.
    func abort()
}

/// A local file written atomically: bytes go to a temporary file beside the destination, which
/// is flushed to disk (`fsync`) and renamed over the destination only by ``finish()``. A crash
/// or an error before that leaves the destination untouched and no partial file under its name.
public final class LocalFileSink: ParquetSink {
    /// The destination path.
    public let name: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var done = false

    /// Creates the temporary file next to `path`.
    ///
    /// - Throws: ``ParquetError`` `.invalidArgument` when the directory is not writable.
    public init(path: String) throws(ParquetError) {
        name = path
        var random = SystemRandomNumberGenerator()
        temporaryPath = path + ".tmp-" + String(random.next() as UInt64, radix: 36)
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ParquetError(code: .invalidArgument, message: "cannot create \(temporaryPath): \(String(cString: strerror(errno)))",
                               context: .init(filePath: path))
        }
    }

    deinit { abort() }

    public func write(_ bytes: [UInt8]) throws(ParquetError) {
        var done = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            while done < raw.count {
                let n = _systemWrite(descriptor, raw.baseAddress! + done, raw.count - done)
                if n > 0 { done += n; continue }
                if n < 0 && errno == EINTR { continue }
                failure = n == 0 ? EIO : errno
                return
            }
        }
        if failure != 0 {
            throw ParquetError(code: .invalidArgument, message: "write failed: \(String(cString: strerror(failure)))", context: .init(filePath: name))
        }
    }

    public func finish() throws(ParquetError) {
        guard !done else { return }
        guard fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            abort()
            throw ParquetError(code: .invalidArgument, message: "fsync failed: \(reason)", context: .init(filePath: name))
        }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            done = true
            throw ParquetError(code: .invalidArgument, message: "close failed: \(reason)", context: .init(filePath: name))
        }
        guard rename(temporaryPath, name) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            done = true
            throw ParquetError(code: .invalidArgument, message: "rename failed: \(reason)", context: .init(filePath: name))
        }
        done = true
        // Make the rename itself durable.
        let directory = name.contains("/") ? String(name[..<name.lastIndex(of: "/")!]) : "."
        let directoryDescriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    public func abort() {
        guard !done else { return }
        done = true
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
    }
}

/// Bytes kept in memory (tests, object-store uploads).
public final class MemorySink: ParquetSink {
    /// A name for error messages.
    public let name: String
    /// Everything written so far.
    public private(set) var bytes: [UInt8] = []
    /// Whether ``finish()`` was called.
    public private(set) var isFinished = false

    /// An empty sink.
    public init(name: String = "<memory>") { self.name = name }

    public func write(_ bytes: [UInt8]) throws(ParquetError) { self.bytes += bytes }
    public func finish() throws(ParquetError) { isFinished = true }
    public func abort() { bytes = [] }
}

/// `write(2)`, named apart from the sink's own `write`.
private func _systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(descriptor, bytes, count)
    #else
    return Darwin.write(descriptor, bytes, count)
    #endif
}
