#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The persisted form, little-endian, 4-byte aligned sections:
//
//   "LKHNSW\0\u{1}"  magic (8 bytes)
//   u32 format version (1), u32 dimension, u32 metric (0 cosine, 1 ip, 2 l2), u32 m,
//   u32 efConstruction, u32 fingerprint byte count, u64 seed, u64 node count, u64 deleted count,
//   i32 entry point, i32 max level, u64 generator state
//   fingerprint (UTF-8), zero-padded to 4 bytes
//   vectors        count × dimension f32
//   levels         count × i8, padded to 4
//   deleted        count × u8, padded to 4
//   level 0 links  count × (2m + 1) i32
//   upper links    for each node of level L > 0, in id order: L × (m + 1) i32
//   u64 checksum of every byte before it
//
// The file is read in one pass and copied into the index's buffers; the vectors are already
// normalised, so loading does no arithmetic beyond the checksum.
extension HNSWIndex {
    static let magic: [UInt8] = Array("LKHNSW".utf8) + [0, 1]

    /// The index as bytes (see the format above); ``init(serialized:)`` reads them back.
    public func serialized() -> [UInt8] {
        rw.withReadLock {
            var out = ByteWriter()
            out.bytes.reserveCapacity(64 + nodeCount * (dimension * 4 + (maxM0 + 1) * 4 + 2))
            out.bytes += HNSWIndex.magic
            let fingerprintBytes = Array(fingerprint.utf8)
            out.u32(1)
            out.u32(UInt32(dimension))
            out.u32(metric == .cosine ? 0 : metric == .innerProduct ? 1 : 2)
            out.u32(UInt32(configuration.m))
            out.u32(UInt32(configuration.efConstruction))
            out.u32(UInt32(fingerprintBytes.count))
            out.u64(configuration.seed)
            out.u64(UInt64(nodeCount))
            out.u64(UInt64(deletedCount))
            out.u32(UInt32(bitPattern: entryPoint))
            out.u32(UInt32(bitPattern: Int32(maxLevel)))
            out.u64(random.state)
            out.bytes += fingerprintBytes
            out.pad()
            out.raw(UnsafeRawPointer(vectors), count: nodeCount * dimension * 4)
            out.raw(UnsafeRawPointer(levels), count: nodeCount)
            out.pad()
            out.raw(UnsafeRawPointer(deleted), count: nodeCount)
            out.pad()
            out.raw(UnsafeRawPointer(links0), count: nodeCount * (maxM0 + 1) * 4)
            for node in 0..<nodeCount where levels[node] > 0 {
                out.raw(UnsafeRawPointer(upper[node]!), count: Int(levels[node]) * (maxM + 1) * 4)
            }
            out.u64(checksum(out.bytes[...]))
            return out.bytes
        }
    }

    /// An index read back from ``serialized()`` bytes.
    ///
    /// - Throws: ``VectorIndexError`` `.corruptIndex` naming the byte offset and what is wrong
    ///   (magic, version, a count out of range, a link to no node, the checksum).
    public convenience init(serialized bytes: [UInt8]) throws(VectorIndexError) {
        var input = ByteReader(bytes: bytes)
        guard bytes.count >= 16, Array(bytes[0..<8]) == HNSWIndex.magic else {
            throw VectorIndexError(.corruptIndex, "not a LakehouseKit HNSW index (bad magic at offset 0)")
        }
        guard bytes.count >= 8 + 64 + 8 else { throw VectorIndexError(.corruptIndex, "truncated header (\(bytes.count) bytes)") }
        let stored = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self) }
        guard UInt64(littleEndian: stored) == checksum(bytes[..<(bytes.count - 8)]) else {
            throw VectorIndexError(.corruptIndex, "checksum mismatch (the file is damaged or truncated)")
        }
        input.offset = 8
        let version = try input.u32()
        guard version == 1 else { throw VectorIndexError(.corruptIndex, "format version \(version) is not supported (expected 1)") }
        let dimension = Int(try input.u32())
        let metricCode = try input.u32()
        let m = Int(try input.u32())
        let efConstruction = Int(try input.u32())
        let fingerprintCount = Int(try input.u32())
        let seed = try input.u64()
        let count = try input.u64()
        let deletedCount = try input.u64()
        let entry = Int32(bitPattern: try input.u32())
        let topLevel = Int(Int32(bitPattern: try input.u32()))
        let state = try input.u64()
        guard metricCode <= 2 else { throw VectorIndexError(.corruptIndex, "unknown metric code \(metricCode) at offset 16") }
        guard count <= UInt64(bytes.count), deletedCount <= count, (1...1 << 20).contains(dimension) else {
            throw VectorIndexError(.corruptIndex, "header counts out of range (dimension \(dimension), \(count) nodes, \(deletedCount) deleted)")
        }
        let fingerprintBytes = try input.take(fingerprintCount)
        let metric: VectorMetric = metricCode == 0 ? .cosine : metricCode == 1 ? .innerProduct : .l2
        try self.init(dimension: dimension, metric: metric, configuration: HNSWConfiguration(m: m, efConstruction: efConstruction, seed: seed),
                      capacity: Int(count), fingerprint: String(decoding: fingerprintBytes, as: UTF8.self))
        let n = Int(count)
        input.align()
        try input.copy(into: UnsafeMutableRawPointer(vectors), count: n * dimension * 4)
        try input.copy(into: UnsafeMutableRawPointer(levels), count: n)
        input.align()
        try input.copy(into: UnsafeMutableRawPointer(deleted), count: n)
        input.align()
        try input.copy(into: UnsafeMutableRawPointer(links0), count: n * (maxM0 + 1) * 4)
        for node in 0..<n { upper[node] = nil }
        nodeCount = n
        for node in 0..<n {
            let level = Int(levels[node])
            guard level >= 0, level <= max(topLevel, 0) else {
                throw VectorIndexError(.corruptIndex, "node \(node) has level \(level), above the top level \(topLevel)")
            }
            if level > 0 {
                let list = UnsafeMutablePointer<Int32>.allocate(capacity: level * (maxM + 1))
                upper[node] = list
                try input.copy(into: UnsafeMutableRawPointer(list), count: level * (maxM + 1) * 4)
            }
        }
        // Every link must name a node: a damaged list must not send a search out of bounds.
        for node in 0..<n {
            for level in 0...Int(levels[node]) {
                let list = links(Int32(node), level: level)
                let limit = level == 0 ? maxM0 : maxM
                guard list[0] >= 0, Int(list[0]) <= limit else {
                    throw VectorIndexError(.corruptIndex, "node \(node) level \(level) has \(list[0]) links (at most \(limit))")
                }
                for i in 0..<Int(list[0]) where list[1 + i] < 0 || Int(list[1 + i]) >= n || Int(levels[Int(list[1 + i])]) < level {
                    throw VectorIndexError(.corruptIndex, "node \(node) level \(level) links to \(list[1 + i]), which is not a node of that level")
                }
            }
        }
        guard (n == 0 && entry == -1) || (entry >= 0 && Int(entry) < n && Int(levels[Int(entry)]) == topLevel) else {
            throw VectorIndexError(.corruptIndex, "entry point \(entry) is not a node of the top level \(topLevel)")
        }
        self.deletedCount = Int(deletedCount)
        entryPoint = entry
        maxLevel = topLevel
        random = SplitMix64(state: state)
    }

    /// Writes the index to `path` atomically (a temporary file renamed over it).
    public func save(toFile path: String) throws(VectorIndexError) {
        let bytes = serialized()
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw VectorIndexError(.io, "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw VectorIndexError(.io, "cannot write \(temporary): \(reason)")
            }
            written += n
        }
        guard fsync(fd) == 0, close(fd) == 0, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw VectorIndexError(.io, "cannot save \(path): \(reason)")
        }
    }

    /// Reads an index saved by ``save(toFile:)``.
    public static func load(fromFile path: String) throws(VectorIndexError) -> HNSWIndex {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw VectorIndexError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw VectorIndexError(.io, "cannot stat \(path)") }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, size - done) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw VectorIndexError(.io, "cannot read \(path) at byte \(done)") }
            done += n
        }
        do {
            return try HNSWIndex(serialized: bytes)
        } catch {
            throw VectorIndexError(error.code, "\(path): \(error.message)")
        }
    }
}

/// A 64-bit checksum of the bytes (multiply-xorshift over 8-byte words).
func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    bytes.withUnsafeBytes { raw in
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(raw.count)
        let words = raw.count / 8
        var i = 0
        while i < words {
            h = (h ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i &+= 1
        }
        for j in (words * 8)..<raw.count {
            h = (h ^ UInt64(raw[j])) &* 0x9E37_79B9_7F4A_7C15
        }
        return h ^ (h >> 32)
    }
}

struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func raw(_ pointer: UnsafeRawPointer, count: Int) { bytes += UnsafeRawBufferPointer(start: pointer, count: count) }
    mutating func pad() { while bytes.count % 4 != 0 { bytes.append(0) } }
}

struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func take(_ count: Int) throws(VectorIndexError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - 8 - offset else {
            throw VectorIndexError(.corruptIndex, "truncated at offset \(offset): \(count) more bytes expected")
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func u32() throws(VectorIndexError) -> UInt32 {
        let slice = try take(4)
        return slice.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
    }

    mutating func u64() throws(VectorIndexError) -> UInt64 {
        let slice = try take(8)
        return slice.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    mutating func align() { offset = (offset + 3) & ~3 }

    mutating func copy(into target: UnsafeMutableRawPointer, count: Int) throws(VectorIndexError) {
        let slice = try take(count)
        slice.withUnsafeBytes { if count > 0 { target.copyMemory(from: $0.baseAddress!, byteCount: count) } }
    }
}
