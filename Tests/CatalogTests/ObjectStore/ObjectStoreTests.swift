import ColumnarCore
import ParquetKit
import Synchronization
import Testing
@testable import Catalog
#if canImport(Glibc)
import Glibc
#endif

/// The contract every store meets, run against the local and the memory store.
@Suite struct ObjectStoreContractTests {
    static func stores() throws -> [(String, any ObjectStore)] {
        [("local", try LocalFileSystemStore(root: temporaryDirectory())), ("memory", MemoryStore())]
    }

    @Test("put, get, ranged and suffix gets, head, delete")
    func basics() throws {
        for (label, store) in try Self.stores() {
            let key = try ObjectKey("a/b/object.bin")
            let bytes = (0..<100).map { UInt8($0) }
            try store.put(key, bytes)
            #expect(try store.get(key) == bytes, "\(label)")
            #expect(try store.get(key, range: .bytes(offset: 10, count: 5)) == [10, 11, 12, 13, 14], "\(label)")
            #expect(try store.get(key, range: .suffix(count: 4)) == [96, 97, 98, 99], "\(label)")
            #expect(try store.get(key, range: .bytes(offset: 98, count: 10)) == [98, 99], "\(label): a range past the end is cut short")
            #expect(try store.head(key)?.size == 100, "\(label)")
            #expect(try store.head(try ObjectKey("a/missing")) == nil, "\(label)")
            try store.delete(key)
            #expect(try store.head(key) == nil, "\(label)")
            try store.delete(key)   // deleting a missing object is fine
            #expect { try store.get(key) } throws: { ($0 as? CatalogError)?.code == .notFound }
        }
    }

    @Test("put-if-absent writes once and leaves the first object unchanged")
    func putIfAbsent() throws {
        for (label, store) in try Self.stores() {
            let key = try ObjectKey("log/00000000000000000001.json")
            #expect(try store.putIfAbsent(key, [1, 2, 3]), "\(label)")
            #expect(try store.putIfAbsent(key, [9]) == false, "\(label)")
            #expect(try store.get(key) == [1, 2, 3], "\(label)")
        }
    }

    @Test("listing by prefix, paged with start-after, in byte order")
    func listing() throws {
        for (label, store) in try Self.stores() {
            for name in ["t/_delta_log/2.json", "t/_delta_log/0.json", "t/_delta_log/1.json", "t/data.parquet", "u/x"] {
                try store.put(try ObjectKey(name), [0])
            }
            #expect(try store.listAll(prefix: "t/_delta_log/").map(\.key.rawValue) == ["t/_delta_log/0.json", "t/_delta_log/1.json", "t/_delta_log/2.json"], "\(label)")
            let page = try store.list(prefix: "t/", startAfter: nil, limit: 2)
            #expect(page.objects.count == 2 && page.isTruncated, "\(label)")
            let next = try store.list(prefix: "t/", startAfter: page.objects.last!.key.rawValue, limit: 10)
            #expect(next.objects.map(\.key.rawValue) == ["t/_delta_log/2.json", "t/data.parquet"] && !next.isTruncated, "\(label)")
            #expect(try store.list(prefix: "t/_delta_log/", startAfter: "t/_delta_log/0.json", limit: 10).objects.count == 2, "\(label)")
        }
    }

    @Test("a streaming upload appears whole on finish; an aborted one leaves nothing")
    func uploads() throws {
        for (label, store) in try Self.stores() {
            let key = try ObjectKey("big.bin")
            let upload = try store.upload(key, ifAbsent: true)
            try upload.write([1, 2])
            #expect(try store.head(key) == nil, "\(label): not visible before finish")
            try upload.write([3])
            try upload.finish()
            #expect(try store.get(key) == [1, 2, 3], "\(label)")
            let second = try store.upload(key, ifAbsent: true)
            try second.write([7])
            #expect(throws: CatalogError.self) { try second.finish() }
            #expect(try store.get(key) == [1, 2, 3], "\(label)")
            let aborted = try store.upload(try ObjectKey("gone.bin"), ifAbsent: false)
            try aborted.write([1])
            aborted.abort()
            #expect(try store.head(try ObjectKey("gone.bin")) == nil, "\(label)")
            #expect(try store.listAll(prefix: "").map(\.key.rawValue) == ["big.bin"], "\(label): no temporary files listed")
        }
    }
}

@Suite struct LocalFileSystemStoreTests {
    @Test("racing put-if-absent writers: exactly one wins")
    func race() throws {
        let store = try LocalFileSystemStore(root: temporaryDirectory())
        let key = try ObjectKey("_delta_log/00000000000000000007.json")
        let wins = Atomic<Int>(0)
        DispatchApplyShim.concurrentPerform(iterations: 16) { k in
            if (try? store.putIfAbsent(key, [UInt8(k)])) == true { wins.add(1, ordering: .relaxed) }
        }
        #expect(wins.load(ordering: .relaxed) == 1)
    }

    @Test("symbolic links out of the root are refused; links inside it are followed")
    func symlinks() throws {
        let root = temporaryDirectory()
        let outside = temporaryDirectory()
        let store = try LocalFileSystemStore(root: root)
        try LocalFileSystemStore(root: outside).put(try ObjectKey("secret.txt"), Array("s3cr3t".utf8))
        #expect(symlink(outside, root + "/escape") == 0)
        #expect(symlink(outside + "/secret.txt", root + "/file-link") == 0)
        for key in ["escape/secret.txt", "file-link", "escape/new.txt"] {
            #expect { try store.get(try ObjectKey(key)) } throws: { ($0 as? CatalogError)?.code == .invalidKey }
        }
        #expect { try store.put(try ObjectKey("escape/new.txt"), [1]) } throws: { ($0 as? CatalogError)?.code == .invalidKey }
        #expect(access(outside + "/new.txt", F_OK) != 0, "nothing was written outside the root")
        // A link that stays inside the root is fine.
        try store.put(try ObjectKey("real/x.txt"), [5])
        #expect(symlink(root + "/real", root + "/alias") == 0)
        #expect(try store.get(try ObjectKey("alias/x.txt")) == [5])
    }

    @Test("keys with '..', absolute paths and NUL bytes never reach the file system", arguments: ["../x", "/etc/passwd", "a/../../x", "a\u{0}b"])
    func hostileKeys(_ raw: String) throws {
        #expect { try ObjectKey(raw) } throws: { ($0 as? CatalogError)?.code == .invalidKey }
    }

    @Test("a crash leaves only a temporary file, which listings ignore")
    func temporaryFiles() throws {
        let root = temporaryDirectory()
        let store = try LocalFileSystemStore(root: root)
        try store.put(try ObjectKey("d/real.json"), [1])
        let fd = open(root + "/d/" + LocalUpload.temporaryPrefix + "crashed", O_CREAT | O_WRONLY, 0o644)
        close(fd)
        #expect(try store.listAll(prefix: "").map(\.key.rawValue) == ["d/real.json"])
    }
}

/// `concurrentPerform` without importing Dispatch into the module under test.
enum DispatchApplyShim {
    static func concurrentPerform(iterations: Int, _ body: @Sendable @escaping (Int) -> Void) {
        var threads: [pthread_t] = []
        final class Box: @unchecked Sendable {   // handed to exactly one thread
            let body: () -> Void
            init(_ body: @escaping () -> Void) { self.body = body }
        }
        for k in 0..<iterations {
            let box = Unmanaged.passRetained(Box { body(k) })
            var thread = pthread_t()
            pthread_create(&thread, nil, { raw in
                let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                box.body()
                return nil
            }, box.toOpaque())
            threads.append(thread)
        }
        for thread in threads { pthread_join(thread, nil) }
    }
}

/// A store that records the requests it gets.
final class RecordingStore: ObjectStore {
    let base = MemoryStore()
    let requests = Mutex<[String]>([])
    var location: String { base.location }
    func get(_ key: ObjectKey) throws(CatalogError) -> [UInt8] { requests.withLock { $0.append("get \(key)") }; return try base.get(key) }
    func get(_ key: ObjectKey, range: ObjectRange) throws(CatalogError) -> [UInt8] {
        requests.withLock { $0.append("range \(key) \(range)") }
        return try base.get(key, range: range)
    }
    func head(_ key: ObjectKey) throws(CatalogError) -> ObjectMetadata? { try base.head(key) }
    func put(_ key: ObjectKey, _ bytes: [UInt8]) throws(CatalogError) { try base.put(key, bytes) }
    func putIfAbsent(_ key: ObjectKey, _ bytes: [UInt8]) throws(CatalogError) -> Bool { try base.putIfAbsent(key, bytes) }
    func list(prefix: String, startAfter: String?, limit: Int) throws(CatalogError) -> ObjectListPage { try base.list(prefix: prefix, startAfter: startAfter, limit: limit) }
    func delete(_ key: ObjectKey) throws(CatalogError) { try base.delete(key) }
    func upload(_ key: ObjectKey, ifAbsent: Bool) throws(CatalogError) -> any ObjectUpload { try base.upload(key, ifAbsent: ifAbsent) }
}

@Suite struct ObjectStoreParquetTests {
    @Test("Parquet objects are read through ranged gets, footer first, never downloaded whole")
    func rangedReads() throws {
        let store = RecordingStore()
        let key = try ObjectKey("t/data.parquet")
        let sink = try ObjectStoreSink(store: store, key: key)
        let batch = try peopleBatch(Array(0..<2000))
        let writer = try ParquetFileWriter(sink: sink, schema: batch.schema)
        try writer.write(batch)
        _ = try writer.close()
        let reader = try ParquetFileReader(source: try ObjectStoreByteSource(store: store, key: key))
        let read = try reader.readRowGroups(columns: ["name"])
        #expect(read.reduce(0) { $0 + $1.count } == 2000)
        let requests = store.requests.withLock { $0 }
        #expect(requests.first?.hasPrefix("range t/data.parquet suffix") == true, "\(requests)")
        #expect(!requests.contains { $0.hasPrefix("get ") }, "\(requests)")
    }
}
