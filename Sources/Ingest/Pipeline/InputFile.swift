#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import Dispatch

/// A file read window by window with `pread`, so its size never bounds memory.
final class InputFile {
    let path: String
    let size: Int
    private let descriptor: Int32

    init(path: String) throws(IngestError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw IngestError(.io, "cannot open the file: \(String(cString: strerror(errno)))", file: path)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw IngestError(.io, "cannot read the file's size: \(message)", file: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw IngestError(.io, "not a regular file", file: path)
        }
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// Appends up to `count` bytes read at `offset` to `buffer`; returns how many.
    func read(at offset: Int, count: Int, appendingTo buffer: inout [UInt8]) throws(IngestError) -> Int {
        let wanted = max(0, min(count, size - offset))
        guard wanted > 0 else { return 0 }
        let old = buffer.count
        var failure: Int32 = 0
        var done = 0
        buffer.append(contentsOf: repeatElement(0, count: wanted))
        buffer.withUnsafeMutableBytes { raw in
            while done < wanted {
                let n = pread(descriptor, raw.baseAddress! + old + done, wanted - done, off_t(offset + done))
                if n < 0 { if errno == EINTR { continue }; failure = errno; return }
                if n == 0 { return }
                done += n
            }
        }
        if failure != 0 {
            buffer.removeLast(wanted)
            throw IngestError(.io, "cannot read the file: \(String(cString: strerror(failure)))", file: path, byteOffset: offset)
        }
        buffer.removeLast(wanted - done)
        return done
    }
}

/// Runs `body(0..<count)` on the available cores and returns the results in order.
func _parallelMap<T: Sendable>(_ count: Int, parallel: Bool = true, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 1, parallel else { return (0..<count).map(body) }
    let slots = Mutex<[T?]>(Array(repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: count) { k in
        let value = body(k)
        slots.withLock { $0[k] = value }
    }
    return slots.withLock { $0.map { $0! } }
}

/// UTF-8 validation with an ASCII fast path: the offset of the first invalid byte, or nil.
func _firstInvalidUTF8(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
    var k = 0
    while k < n {
        // Eight ASCII bytes at a time.
        if k + 8 <= n {
            let word = UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 == 0 { k += 8; continue }
        }
        let b = p[k]
        if b < 0x80 { k += 1; continue }
        let length: Int
        var minimum: UInt32
        var scalar: UInt32
        if b & 0xE0 == 0xC0 { length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F) }
        else if b & 0xF0 == 0xE0 { length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F) }
        else if b & 0xF8 == 0xF0 { length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07) }
        else { return k }
        guard k + length <= n else { return k }
        for j in 1..<length {
            let c = p[k + j]
            guard c & 0xC0 == 0x80 else { return k }
            scalar = scalar << 6 | UInt32(c & 0x3F)
        }
        guard scalar >= minimum, scalar <= 0x10FFFF, !(scalar >= 0xD800 && scalar <= 0xDFFF) else { return k }
        minimum = 0
        k += length
    }
    return nil
}

/// The bytes with every invalid UTF-8 sequence replaced by U+FFFD.
func _repairingUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 64)
    var k = 0
    let p = bytes.baseAddress!
    while k < bytes.count {
        guard let bad = _firstInvalidUTF8(p + k, bytes.count - k) else {
            out.append(contentsOf: UnsafeBufferPointer(start: p + k, count: bytes.count - k))
            break
        }
        out.append(contentsOf: UnsafeBufferPointer(start: p + k, count: bad))
        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
        k += bad + 1
        while k < bytes.count && p[k] & 0xC0 == 0x80 { k += 1 }
    }
    return out
}
