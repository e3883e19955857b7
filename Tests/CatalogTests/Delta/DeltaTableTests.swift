import ColumnarCore
import SQLPlanner
import Testing
@testable import Catalog

@Suite struct DeltaTableTests {
    func rows(_ table: DeltaTable, version: Int64? = nil, sql: String = "SELECT id, name FROM t ORDER BY id") throws -> [[String]] {
        let session = SQLSession()
        session.register("t", try DeltaTableProvider(table: table, snapshot: try table.snapshot(version: version)))
        let result = try session.execute(sql)
        return (0..<result.count).map { r in result.columns.map { $0.scalar(at: r).formatted } }
    }

    @Test("create, append twice, read every version back")
    func appendAndTimeTravel() throws {
        let store = MemoryStore()
        let table = try DeltaTable.create(in: store, at: "sales", schema: try peopleBatch([]).schema)
        #expect(try table.append([try peopleBatch([1, 2])]).version == 1)
        #expect(try table.append([try peopleBatch([3])]).version == 2)
        #expect(try rows(table).map { $0[0] } == ["1", "2", "3"])
        #expect(try rows(table, version: 1).map { $0[0] } == ["1", "2"])
        #expect(try rows(table, version: 0).isEmpty)
        #expect(try table.snapshot().rowCount == 3)
        let history = try table.history()
        #expect(history.map(\.operation) == ["CREATE TABLE", "WRITE", "WRITE"])
        #expect(history.map(\.addedRows) == [0, 2, 1])
        #expect(throws: CatalogError.self) { try table.snapshot(version: 3) }
    }

    @Test("the commit files are JSON lines a Delta reader expects")
    func commitFormat() throws {
        let store = MemoryStore()
        let table = try DeltaTable.create(in: store, at: "t", schema: try peopleBatch([]).schema)
        try table.append([try peopleBatch([5, 7])])
        let lines = String(decoding: try store.get(try ObjectKey("t/_delta_log/00000000000000000001.json")), as: UTF8.self)
            .split(separator: "\n").map { try! JSONValue.parse(String($0)) }
        let add = try #require(lines.compactMap { $0["add"] }.first)
        let path = try #require(add["path"]?.stringValue)
        #expect(!path.hasPrefix("/") && path.hasSuffix(".parquet"))
        #expect(try store.exists(try ObjectKey("t/" + path)))
        let statsText = try #require(add["stats"]?.stringValue)
        let stats = try #require(DeltaFileStatistics(jsonText: statsText))
        #expect(stats.numRecords == 2)
        #expect(stats.minValues["id"] == .number("5") && stats.maxValues["id"] == .number("7"))
        #expect(stats.nullCount["name"] == 0)
        let zero = String(decoding: try store.get(try ObjectKey("t/_delta_log/00000000000000000000.json")), as: UTF8.self)
        let proto = try #require(zero.split(separator: "\n").compactMap { try! JSONValue.parse(String($0))["protocol"] }.first)
        #expect(proto["minReaderVersion"] == .number("1") && proto["minWriterVersion"] == .number("2"))
    }

    @Test("overwrite replaces the rows; the old version stays readable")
    func overwrite() throws {
        let table = try DeltaTable.create(in: MemoryStore(), at: "t", schema: try peopleBatch([]).schema)
        try table.append([try peopleBatch([1, 2, 3])])
        let result = try table.overwrite([try peopleBatch([9])])
        #expect(result.rowsDeleted == 3 && result.rowsAdded == 1)
        #expect(try rows(table).map { $0[0] } == ["9"])
        #expect(try rows(table, version: 1).map { $0[0] } == ["1", "2", "3"])
    }

    @Test("appending new columns needs mergeSchema; old rows read them as null")
    func schemaEvolution() throws {
        let table = try DeltaTable.create(in: MemoryStore(), at: "t", schema: try peopleBatch([]).schema)
        try table.append([try peopleBatch([1])])
        let wider = try RecordBatch(schema: Schema([Field("id", .int64), Field("city", .utf8)]),
                                    columns: [try Column(.int64, [.int64(2)]), try Column(.utf8, [.utf8("Oslo")])])
        #expect(throws: CatalogError.self) { try table.append([wider]) }
        try table.append([wider], mergeSchema: true)
        #expect(try table.snapshot().schema.fields.map(\.name) == ["id", "name", "score", "city"])
        #expect(try rows(table, sql: "SELECT id, city, name FROM t ORDER BY id") == [["1", "NULL", "p1"], ["2", "Oslo", "NULL"]])
        // Column ids stay stable: the new column gets the next one.
        #expect(try table.snapshot().schema.fields.map { $0.metadata[DeltaSchema.fieldIDKey] } == ["1", "2", "3", "4"])
    }

    @Test("txn makes a retried append a no-op")
    func idempotentAppend() throws {
        let table = try DeltaTable.create(in: MemoryStore(), at: "t", schema: try peopleBatch([]).schema)
        #expect(try table.append([try peopleBatch([1])], transaction: ("loader", 1)).committed)
        #expect(try table.append([try peopleBatch([1])], transaction: ("loader", 1)).committed == false)
        #expect(try table.append([try peopleBatch([2])], transaction: ("loader", 2)).committed)
        #expect(try table.snapshot().rowCount == 2)
        #expect(try table.snapshot().transactions["loader"] == 2)
    }

    @Test("a lost race for a version retries an append at the next one; an overwrite conflicts")
    func conflicts() throws {
        let store = MemoryStore()
        let a = try DeltaTable.create(in: store, at: "t", schema: try peopleBatch([]).schema)
        let read = try a.snapshot()
        // Another writer takes version 1 after `read`.
        try DeltaTable(store: store, root: "t").append([try peopleBatch([1])])
        let actions: [DeltaAction] = [.add(DeltaAddFile(path: "x.parquet", size: 1, modificationTime: 0))]
        #expect(try a.commit(actions, readVersion: read.version, blindAppend: true) == 2)
        #expect {
            try a.commit(actions, readVersion: read.version, blindAppend: false)
        } throws: { ($0 as? CatalogError)?.code == .commitConflict }
    }

    @Test("checkpoints are written every N commits and reading from them gives the same rows")
    func checkpoints() throws {
        let store = MemoryStore()
        let table = try DeltaTable.create(in: store, at: "t", schema: try peopleBatch([]).schema, checkpointInterval: 3)
        for k in 1...7 { try table.append([try peopleBatch([Int64(k)])]) }
        #expect(try store.exists(try ObjectKey("t/_delta_log/00000000000000000003.checkpoint.parquet")))
        #expect(try store.exists(try ObjectKey("t/_delta_log/00000000000000000006.checkpoint.parquet")))
        let pointer = try JSONValue.parse(String(decoding: try store.get(try ObjectKey("t/_delta_log/_last_checkpoint")), as: UTF8.self))
        #expect(pointer["version"] == .number("6"))
        // Remove the commits the checkpoint covers: the snapshot must come from the checkpoint.
        for v in 0...5 { try store.delete(try ObjectKey("t/_delta_log/" + DeltaTable.commitName(Int64(v)))) }
        #expect(try rows(table).map { $0[0] } == ["1", "2", "3", "4", "5", "6", "7"])
        #expect(try table.snapshot().schema.fields.map(\.name) == ["id", "name", "score"])
    }

    @Test("statistics let scans skip files")
    func fileSkipping() throws {
        let table = try DeltaTable.create(in: MemoryStore(), at: "t", schema: try peopleBatch([]).schema)
        try table.append([try peopleBatch([1, 2])])
        try table.append([try peopleBatch([10, 11])])
        let provider = try DeltaTableProvider(table: table)
        let request = SQLScanRequest(filters: [SQLScanFilter(column: 0, op: .greaterOrEqual, value: .int64(10))])
        #expect(provider.candidateFiles(request).count == 1)
        #expect(provider.candidateFiles(SQLScanRequest()).count == 2)
        #expect(try rows(table, sql: "SELECT id FROM t WHERE id >= 10 ORDER BY id") == [["10"], ["11"]])
    }

    @Test("a corrupt commit names the version and line")
    func corruptCommit() throws {
        let store = MemoryStore()
        let table = try DeltaTable.create(in: store, at: "t", schema: try peopleBatch([]).schema)
        try store.put(try ObjectKey("t/_delta_log/00000000000000000001.json"), Array("{\"commitInfo\":{}}\n{\"add\": {\"path\": 3}}\n".utf8))
        #expect {
            try table.snapshot()
        } throws: { error in
            guard let e = error as? CatalogError else { return false }
            return e.code == .corruptLog && e.context.version == 1 && e.context.line == 2
        }
    }

    @Test("columns Delta cannot hold are refused with the column's name")
    func unsupportedType() throws {
        #expect {
            try DeltaTable.create(in: MemoryStore(), at: "t", schema: Schema([Field("d", .interval)]))
        } throws: { ($0 as? CatalogError)?.code == .unsupportedFeature && "\($0)".contains("column d") }
    }
}
