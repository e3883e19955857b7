import ColumnarCore
import Foundation
import SQLPlanner
import Synchronization
import Testing
@testable import Catalog

/// Upserts, deletes by key, UPDATE-style rewrites, compaction and vacuum, checked against a plain
/// dictionary that replays the same operations (the oracle), at every version.
@Suite struct RowChangeTests {
    /// (id, name, score) rows.
    func batch(_ rows: [(Int64, String, Double)]) throws -> RecordBatch {
        let schema = Schema([Field("id", .int64, nullable: false), Field("name", .utf8), Field("score", .float64)])
        return try RecordBatch(schema: schema, columns: [
            try Column(.int64, rows.map { .int64($0.0) }),
            try Column(.utf8, rows.map { .utf8($0.1) }),
            try Column(.float64, rows.map { .float64($0.2) }),
        ])
    }

    /// Every live row at `version`, as "id|name|score", sorted.
    func contents(_ table: DeltaTable, version: Int64? = nil, cache: DeltaDataCache? = nil) throws -> [String] {
        let provider = try DeltaTableProvider(table: table, snapshot: try table.snapshot(version: version), cache: cache)
        var out: [String] = []
        for batch in try provider.scan(SQLScanRequest()) {
            for r in 0..<batch.count { out.append(batch.columns.map { $0.scalar(at: r).formatted }.joined(separator: "|")) }
        }
        return out.sorted()
    }

    func expected(_ model: [Int64: (String, Double)]) -> [String] {
        model.map { "\($0.key)|\($0.value.0)|\(Scalar.float64($0.value.1).formatted)" }.sorted()
    }

    func newTable(_ store: any ObjectStore, rows: Int) throws -> (DeltaTable, [Int64: (String, Double)]) {
        let table = try DeltaTable.create(in: store, at: "people", schema: try batch([]).schema)
        let initial = (0..<Int64(rows)).map { ($0, "name\($0)", Double($0)) }
        try table.append([try batch(initial)])
        var model: [Int64: (String, Double)] = [:]
        for row in initial { model[row.0] = (row.1, row.2) }
        return (table, model)
    }

    @Test("an upsert replaces rows by key and inserts new ones, rewriting no file")
    func upsertBasics() throws {
        let store = MemoryStore()
        let (table, model) = try newTable(store, rows: 1000)
        var oracle = model
        let base = try table.snapshot().files
        let index = PrimaryKeyIndex(columns: ["id"])
        let change = try table.upsert([try batch([(5, "five", 50), (1000, "new", 1), (7, "seven", 70)])], index: index)
        for (id, name, score) in [(Int64(5), "five", 50.0), (1000, "new", 1), (7, "seven", 70)] { oracle[id] = (name, score) }
        #expect(change.committed && change.rowsUpdated == 2 && change.rowsInserted == 1)
        #expect(try contents(table) == expected(oracle))
        let files = try table.snapshot().files
        #expect(files.count == 2)
        // The base file is still live, same path and size, now with a deletion vector of two rows.
        let kept = try #require(files.first { $0.path == base[0].path })
        #expect(kept.size == base[0].size)
        #expect(kept.deletionVector?.cardinality == 2)
        // Far fewer bytes than the table.
        #expect(change.bytesWritten < base[0].size)
        // The commit says what it was.
        let commit = String(decoding: try store.get(try ObjectKey("people/_delta_log/" + DeltaTable.commitName(change.version))), as: UTF8.self)
        #expect(commit.contains(#""operation":"MERGE""#))
        // Earlier versions are unchanged.
        #expect(try contents(table, version: change.version - 1) == expected(model))
    }

    @Test("with no index built yet, a small upsert reads only the files whose key statistics admit its keys")
    func statisticsSkipFiles() throws {
        let store = MemoryStore()
        let table = try DeltaTable.create(in: store, at: "people", schema: try batch([]).schema)
        var oracle: [Int64: (String, Double)] = [:]
        // Ten files with the key ranges 0–99, 100–199, …
        for f in Int64(0)..<10 {
            let rows = (f * 100..<(f + 1) * 100).map { ($0, "n\($0)", Double($0)) }
            try table.append([try batch(rows)])
            for row in rows { oracle[row.0] = (row.1, row.2) }
        }
        let index = PrimaryKeyIndex(columns: ["id"])
        let change = try table.upsert([try batch([(150, "changed", -1), (5000, "new", 1)])], index: index)
        oracle[150] = ("changed", -1)
        oracle[5000] = ("new", 1)
        #expect(change.rowsUpdated == 1 && change.rowsInserted == 1)
        #expect(try contents(table) == expected(oracle))
        // The index was not built: the statistics sufficed (one file of ten read).
        #expect(index.version == -1)
        let deleted = try table.delete(keys: try batch([(420, "", 0), (421, "", 0)]), index: index)
        oracle[420] = nil
        oracle[421] = nil
        #expect(deleted.rowsDeleted == 2 && index.version == -1)
        #expect(try contents(table) == expected(oracle))
        // An UPDATE whose condition pins the key reads only the files the statistics admit: the
        // file of keys 300–399 and the upsert's file (keys 150 and 5000, a range that admits 333).
        var seen = 0
        let filter = SQLScanFilter(column: 0, op: .equal, value: .int64(333))
        let updated = try table.updateRows(files: { file, snapshot in DeltaTableProvider.mayMatch(file, filters: [filter], snapshot: snapshot) }) { batch in
            seen += batch.count
            let hit = (0..<batch.count).map { batch.columns[0].scalar(at: $0) == .int64(333) }
            let rows = try self.batch(hit.contains(true) ? [(333, "updated", 3.5)] : [])
            return (hit, rows)
        }
        oracle[333] = ("updated", 3.5)
        #expect(updated.rowsUpdated == 1 && seen == 102)
        #expect(try contents(table) == expected(oracle))
        // Keys spread over most files: the index is built instead, with the same answer.
        let spread = (0..<Int64(10)).map { ($0 * 100 + 7, "spread", Double($0)) }
        try table.upsert([try batch(spread)], index: index)
        for row in spread { oracle[row.0] = (row.1, row.2) }
        #expect(index.version >= 0)
        #expect(try contents(table) == expected(oracle))
    }

    @Test("within one upsert the last row of a key wins; a null key is refused and nothing changes")
    func duplicatesAndNulls() throws {
        let store = MemoryStore()
        let (table, model) = try newTable(store, rows: 10)
        var oracle = model
        let index = PrimaryKeyIndex(columns: ["id"])
        try table.upsert([try batch([(3, "a", 1), (3, "b", 2)]), try batch([(3, "c", 3), (11, "x", 4)])], index: index)
        oracle[3] = ("c", 3)
        oracle[11] = ("x", 4)
        #expect(try contents(table) == expected(oracle))
        let version = try table.snapshot().version
        let schema = Schema([Field("id", .int64), Field("name", .utf8), Field("score", .float64)])
        let withNull = try RecordBatch(schema: schema, columns: [try Column(.int64, [.int64(1), .null]), try Column(.utf8, [.utf8("a"), .utf8("b")]),
                                                                  try Column(.float64, [.float64(1), .float64(2)])])
        #expect(throws: CatalogError.self) { try table.upsert([withNull], index: index) }
        #expect(try table.snapshot().version == version)
    }

    @Test("200 random upserts and deletes match the oracle at every version; a rebuilt index agrees")
    func randomOperations() throws {
        let store = MemoryStore()
        let (table, model) = try newTable(store, rows: 300)
        var oracle = model
        var history: [(Int64, [String])] = [(try table.snapshot().version, expected(model))]
        let index = PrimaryKeyIndex(columns: ["id"])
        var generator = SplitMix64(seed: 42)
        for step in 0..<200 {
            if generator.next() % 4 == 0 {
                let keys = (0..<1 + Int(generator.next() % 5)).map { _ in Int64(generator.next() % 400) }
                let keyBatch = try RecordBatch(schema: Schema([Field("id", .int64)]), columns: [try Column(.int64, keys.map { .int64($0) })])
                let change = try table.delete(keys: keyBatch, index: index)
                let present = Set(keys.filter { oracle[$0] != nil })
                #expect(change.rowsDeleted == Int64(present.count))
                for key in keys { oracle[key] = nil }
            } else {
                let rows = (0..<1 + Int(generator.next() % 8)).map { _ -> (Int64, String, Double) in
                    let id = Int64(generator.next() % 400)
                    return (id, "s\(step)-\(id)", Double(generator.next() % 1000))
                }
                try table.upsert([try batch(rows)], index: index)
                for row in rows { oracle[row.0] = (row.1, row.2) }
            }
            history.append((try table.snapshot().version, expected(oracle)))
        }
        // Every version reads back what the oracle held then (time travel over the DVs).
        for (version, rows) in history.shuffled(using: &generator).prefix(40) {
            #expect(try contents(table, version: version) == rows, "version \(version)")
        }
        #expect(try contents(table) == expected(oracle))
        // An index built from scratch holds the same keys as the one kept up to date.
        let fresh = PrimaryKeyIndex(columns: ["id"])
        try fresh.refresh(table, snapshot: try table.snapshot())
        #expect(fresh.count == oracle.count && index.count == oracle.count)
        for key in oracle.keys { #expect(fresh.contains([.int64(key)]) && index.contains([.int64(key)])) }
    }

    @Test("updateRows rewrites the matching rows into a new file and marks the old ones")
    func updateRows() throws {
        let store = MemoryStore()
        let (table, model) = try newTable(store, rows: 100)
        var oracle = model
        let change = try table.updateRows { batch in
            guard case .int64(let ids) = batch.columns[0] else { throw CatalogError(.invalidArgument, "ids") }
            let changed = (0..<batch.count).map { ids.values[$0] % 10 == 0 }
            let picked = (0..<batch.count).filter { changed[$0] }.map { r -> (Int64, String, Double) in (ids.values[r], "ten", -1) }
            return (changed, try self.batch(picked))
        }
        for id in oracle.keys where id % 10 == 0 { oracle[id] = ("ten", -1) }
        #expect(change.rowsUpdated == 10)
        #expect(try contents(table) == expected(oracle))
    }

    @Test("compaction merges files and drops deleted rows, dataChange false; old versions still read; vacuum removes only unneeded files")
    func compactionAndVacuum() throws {
        let store = MemoryStore()
        let (table, model) = try newTable(store, rows: 500)
        var oracle = model
        let index = PrimaryKeyIndex(columns: ["id"])
        for k in 0..<20 {
            let id = Int64(k * 7)
            try table.upsert([try batch([(id, "u\(k)", Double(k))])], index: index)
            oracle[id] = ("u\(k)", Double(k))
        }
        let before = try table.snapshot()
        #expect(before.files.count == 21)
        #expect(table.needsCompaction(before, policy: DeltaCompactionPolicy(maxSmallFiles: 10)))
        #expect(!table.needsCompaction(before, policy: DeltaCompactionPolicy(maxSmallFiles: 100, maxDeletedFraction: 0.5)))
        let result = try table.compact()
        #expect(result.committed && result.filesBefore == 21 && result.filesAfter == 1)
        #expect(result.rowsRewritten == 500 && result.deletedRowsDropped == 20)
        let after = try table.snapshot()
        #expect(after.files.count == 1 && after.files[0].deletionVector == nil)
        #expect(try contents(table) == expected(oracle))
        #expect(try contents(table, version: before.version) == expected(oracle))
        let commit = String(decoding: try store.get(try ObjectKey("people/_delta_log/" + DeltaTable.commitName(result.version))), as: UTF8.self)
        #expect(commit.contains(#""operation":"OPTIMIZE""#) && !commit.contains(#""dataChange":true"#))
        // The index follows compaction (the files it knew are gone).
        try table.upsert([try batch([(0, "after", 1)])], index: index)
        oracle[0] = ("after", 1)
        #expect(try contents(table) == expected(oracle))
        // Vacuum with a week's retention keeps everything; with none, only the live files stay.
        #expect(try table.vacuum().isEmpty)
        let doomed = try table.vacuum(retentionMilliseconds: 0, now: Int64(Date().timeIntervalSince1970 * 1000) + 1000)
        #expect(doomed.filter { $0.hasSuffix(".parquet") }.count == 21)
        #expect(try contents(table) == expected(oracle))
        #expect(throws: (any Error).self) { _ = try contents(table, version: before.version) }
        // Nothing the newest version needs was deleted, and nothing else is left.
        let left = try store.listAll(prefix: "people/").map(\.key.rawValue).filter { !$0.contains("_delta_log/") }
        let live = try table.snapshot().files
        #expect(left.filter { $0.hasSuffix(".parquet") }.sorted() == live.map { "people/" + $0.path }.sorted())
    }

    @Test("a reader during upserts and compaction always sees a whole snapshot")
    func concurrentReader() throws {
        let store = MemoryStore()
        let (table, _) = try newTable(store, rows: 200)
        let done = Atomic<Bool>(false)
        let problems = Mutex<[String]>([])
        let reads = Atomic<Int>(0)
        let reader = Thread {
            while !done.load(ordering: .acquiring) {
                do {
                    let rows = try self.contents(table)
                    // Upserts only replace existing keys with the same total: 200 rows, ids 0..<200.
                    let ids = Set(rows.map { $0.split(separator: "|")[0] })
                    if rows.count != 200 || ids.count != 200 {
                        problems.withLock { $0.append("saw \(rows.count) rows, \(ids.count) ids") }
                    }
                    reads.add(1, ordering: .relaxed)
                } catch {
                    problems.withLock { $0.append("\(error)") }
                }
            }
        }
        reader.start()
        let index = PrimaryKeyIndex(columns: ["id"])
        for k in 0..<60 {
            try table.upsert([try batch([(Int64(k % 200), "v\(k)", Double(k)), (Int64((k * 13) % 200), "w\(k)", 1)])], index: index)
            if k % 20 == 19 { try table.compact() }
        }
        while reads.load(ordering: .relaxed) < 5 { usleep(1000) }
        done.store(true, ordering: .releasing)
        while !reader.isFinished { usleep(1000) }
        #expect(problems.withLock { $0 }.isEmpty, "\(problems.withLock { $0.prefix(3) })")
    }

    @Test("cached reads apply each snapshot's deletion vectors: never stale, and dropping the cache changes nothing")
    func cachedReads() throws {
        let store = MemoryStore()
        let (table, model) = try newTable(store, rows: 300)
        var oracle = model
        let cache = DeltaDataCache(memoryLimit: 64 << 20, scansBeforeCaching: 1)
        let index = PrimaryKeyIndex(columns: ["id"])
        #expect(try contents(table, cache: cache) == expected(oracle))
        for k in 0..<10 {
            try table.upsert([try batch([(Int64(k), "c\(k)", 0)])], index: index)
            oracle[Int64(k)] = ("c\(k)", 0)
            #expect(try contents(table, cache: cache) == expected(oracle))
        }
        #expect(cache.statistics.hits >= 10)
        cache.removeAll()
        #expect(try contents(table, cache: cache) == expected(oracle))
    }
}
