import Synchronization

/// An ``ObjectStore`` in memory, for tests and scratch lakehouses. Thread-safe; every call sees
/// a consistent state. Object times come from a logical clock (milliseconds since 1970 at creation,
/// then one more per write) so that tests are deterministic in order.
public final class MemoryStore: ObjectStore {
    private struct Entry {
        var bytes: [UInt8]
        var modified: Int64
        var generation: Int
    }
    private let state = Mutex<(objects: [ObjectKey: Entry], clock: Int64, generation: Int)>(([:], 0, 0))

    public let location: String

    /// An empty store; `name` appears in messages.
    public init(name: String = "memory") {
        self.location = "memory://\(name)"
        let now = _currentMilliseconds()
        state.withLock { $0.clock = now }
    }

    private func missing(_ key: ObjectKey) -> CatalogError {
        CatalogError(code: .notFound, message: "no such object", context: .init(store: location, key: key.rawValue))
    }

    public func get(_ key: ObjectKey) throws(CatalogError) -> [UInt8] {
        guard let bytes = state.withLock({ $0.objects[key]?.bytes }) else { throw missing(key) }
        return bytes
    }

    public func get(_ key: ObjectKey, range: ObjectRange) throws(CatalogError) -> [UInt8] {
        let bytes = try get(key)
        guard let slice = _clamp(range, size: bytes.count) else {
            throw CatalogError(code: .invalidArgument, message: "invalid range \(range)", context: .init(store: location, key: key.rawValue))
        }
        return Array(bytes[slice])
    }

    public func head(_ key: ObjectKey) throws(CatalogError) -> ObjectMetadata? {
        state.withLock { s in
            s.objects[key].map { ObjectMetadata(key: key, size: $0.bytes.count, lastModifiedMilliseconds: $0.modified, etag: "\"\($0.generation)\"") }
        }
    }

    public func put(_ key: ObjectKey, _ bytes: [UInt8]) throws(CatalogError) {
        state.withLock { s in
            s.clock += 1
            s.generation += 1
            s.objects[key] = Entry(bytes: bytes, modified: s.clock, generation: s.generation)
        }
    }

    public func putIfAbsent(_ key: ObjectKey, _ bytes: [UInt8]) throws(CatalogError) -> Bool {
        state.withLock { s in
            guard s.objects[key] == nil else { return false }
            s.clock += 1
            s.generation += 1
            s.objects[key] = Entry(bytes: bytes, modified: s.clock, generation: s.generation)
            return true
        }
    }

    public func list(prefix: String, startAfter: String?, limit: Int) throws(CatalogError) -> ObjectListPage {
        state.withLock { s in
            let keys = s.objects.keys.filter { key in
                key.rawValue.hasPrefix(prefix) && (startAfter.map { key.rawValue.utf8.lexicographicallyPrecedes($0.utf8) == false && key.rawValue != $0 } ?? true)
            }.sorted()
            let page = keys.prefix(max(1, limit))
            return ObjectListPage(
                objects: page.map { ObjectMetadata(key: $0, size: s.objects[$0]!.bytes.count, lastModifiedMilliseconds: s.objects[$0]!.modified) },
                isTruncated: keys.count > page.count)
        }
    }

    public func delete(_ key: ObjectKey) throws(CatalogError) {
        _ = state.withLock { $0.objects.removeValue(forKey: key) }
    }

    public func upload(_ key: ObjectKey, ifAbsent: Bool) throws(CatalogError) -> any ObjectUpload {
        BufferedObjectUpload { [self] (bytes: [UInt8]) throws(CatalogError) in
            if ifAbsent {
                guard try putIfAbsent(key, bytes) else {
                    throw CatalogError(code: .alreadyExists, message: "an object exists at the key", context: .init(store: location, key: key.rawValue))
                }
            } else {
                try put(key, bytes)
            }
        }
    }
}

/// The byte positions a range selects in an object of `size` bytes (cut at the end), or nil
/// for a negative offset or count.
func _clamp(_ range: ObjectRange, size: Int) -> Range<Int>? {
    switch range {
    case .bytes(let offset, let count):
        guard offset >= 0, count >= 0 else { return nil }
        let start = min(offset, size)
        return start..<(start + min(count, size - start))
    case .suffix(let count):
        guard count >= 0 else { return nil }
        return max(0, size - count)..<size
    }
}
