import ColumnarCore
import SQLPlanner
import Testing
@testable import Catalog

@Suite struct DatasetCatalogTests {
    func query(_ catalog: DatasetCatalog, _ sql: String) throws -> [[String]] {
        let session = SQLSession()
        session.catalog = CatalogSQLTables(catalog)
        let result = try session.execute(sql)
        return (0..<result.count).map { r in result.columns.map { $0.scalar(at: r).formatted } }
    }

    @Test("dataset names with path tricks are refused", arguments: ["", "../x", "a/b", "/abs", "a\u{0}b", "..", "1abc", "a b", "a.b", String(repeating: "x", count: 129)])
    func badNames(_ name: String) throws {
        let catalog = DatasetCatalog(store: MemoryStore())
        #expect { try catalog.createDataset(name, rows: [try peopleBatch([1])]) } throws: { ($0 as? CatalogError)?.code == .invalidName }
        #expect(try catalog.datasets().isEmpty)
    }

    @Test("SQL on catalog tables: CTAS, INSERT, DELETE, CREATE OR REPLACE, AS OF, DROP — one commit each")
    func sqlStatements() throws {
        let store = MemoryStore()
        let catalog = DatasetCatalog(store: store)
        _ = try query(catalog, "CREATE TABLE people AS SELECT range AS id, 'p' || range AS name FROM range(4)")
        _ = try query(catalog, "INSERT INTO people VALUES (10, 'ten')")
        _ = try query(catalog, "INSERT INTO people (name, id) VALUES ('eleven', 11)")
        #expect(try query(catalog, "SELECT count(*) FROM people") == [["6"]])
        #expect(try query(catalog, "DELETE FROM people WHERE id % 2 = 1") == [["3"]])
        #expect(try query(catalog, "SELECT id FROM people ORDER BY id") == [["0"], ["2"], ["10"]])
        #expect(try query(catalog, "SELECT count(*) FROM people AS OF VERSION 2") == [["5"]])
        #expect(try query(catalog, "SELECT count(*) FROM people AS OF VERSION 1 p WHERE p.id < 2") == [["2"]])
        _ = try query(catalog, "CREATE OR REPLACE TABLE people AS SELECT 'x' AS tag")
        #expect(try query(catalog, "SELECT * FROM people") == [["x"]])
        #expect(try query(catalog, "SELECT count(*) FROM people AS OF VERSION 4") == [["3"]])
        let history = try catalog.table("people").history()
        #expect(history.map(\.operation) == ["CREATE TABLE", "WRITE", "WRITE", "WRITE", "DELETE", "WRITE"])
        _ = try query(catalog, "DROP TABLE people")
        #expect(try catalog.datasets().isEmpty)
        #expect(throws: SQLError.self) { try query(catalog, "SELECT * FROM people") }
        #expect(throws: SQLError.self) { try query(catalog, "SELECT * FROM nothing AS OF VERSION 1") }
        #expect(try catalog.history().map(\.operation) == ["CREATE", "REPLACE", "DROP"])
    }

    @Test("AS OF TIMESTAMP picks the newest version at or before the time")
    func timestampTravel() throws {
        let catalog = DatasetCatalog(store: MemoryStore())
        _ = try query(catalog, "CREATE TABLE t AS SELECT 1 AS x")
        let versions = try catalog.table("t").history()
        let first = versions.last!.timestamp
        _ = try query(catalog, "INSERT INTO t VALUES (2)")
        let text = _timestampText(millis: first, utc: false).replacingOccurrences("T", " ")
        #expect(try query(catalog, "SELECT count(*) FROM t AS OF TIMESTAMP '\(text)'") == [["1"]])
        #expect(throws: SQLError.self) { try query(catalog, "SELECT * FROM t AS OF TIMESTAMP '2001-01-01 00:00:00'") }
    }

    @Test("rebuild: a new catalog over the same objects (another machine) sees identical tables and history")
    func rebuild() throws {
        let root = temporaryDirectory()
        do {
            let catalog = DatasetCatalog(store: try LocalFileSystemStore(root: root), checkpointInterval: 3)
            try catalog.createDataset("people", rows: [try peopleBatch([1, 2, 3])], description: "staff", primaryKey: ["id"])
            for k in 4...8 { try catalog.table("people").append([try peopleBatch([Int64(k)])]) }
            try catalog.table("people").delete { batch in
                guard case .int64(let ids) = batch.columns[0] else { return [] }
                return (0..<batch.count).map { ids.values[$0] == 2 }
            }
            try catalog.createDataset("other", rows: [try peopleBatch([9])])
        }
        let first = DatasetCatalog(store: try LocalFileSystemStore(root: root))
        // Copy every object into a fresh store: nothing else carries over.
        let copy = MemoryStore()
        for object in try first.store.listAll(prefix: "") { try copy.put(object.key, try first.store.get(object.key)) }
        let second = DatasetCatalog(store: copy)
        #expect(try second.datasets() == first.datasets())
        #expect(try second.history().map(\.operation) == first.history().map(\.operation))
        for info in try first.datasets() {
            let a = try first.table(info.name), b = try second.table(info.name)
            #expect(try b.history() == a.history())
            for version in 0...(try a.latestVersion()!) {
                #expect(try query(second, "SELECT * FROM \(info.name) AS OF VERSION \(version) ORDER BY id")
                        == query(first, "SELECT * FROM \(info.name) AS OF VERSION \(version) ORDER BY id"))
            }
        }
        #expect(try query(second, "SELECT id FROM people ORDER BY id").map { $0[0] } == ["1", "3", "4", "5", "6", "7", "8"])
        #expect(try second.dataset("people")?.primaryKey == ["id"])
        #expect(try second.dataset("PEOPLE")?.description == "staff")
    }
}

extension String {
    func replacingOccurrences(_ target: Character, _ replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
