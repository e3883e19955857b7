import Catalog
import ColumnarCore
import Foundation
import LakehouseKit
import Testing

/// Live updates through the facade and SQL: upserts from files, UPDATE and DELETE on catalog
/// tables, compaction, the hot cache, and the vectors following the rows.
@Suite("Live updates")
struct LiveUpdateTests {
    func write(_ text: String, _ folder: String, _ name: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func column(_ lake: Lakehouse, _ sql: String) throws -> [String] {
        let batch = try lake.sql(sql).batch
        return (0..<batch.count).map { batch.columns[0].scalar(at: $0).formatted }
    }

    @Test("upsert a file by primary key: the next query shows the change; UPDATE and DELETE are one commit each")
    func upsertFileAndSQL() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lake = try Lakehouse.open(at: folder + "/lake")
        let base = try write("id,name,phone\n1,Ana,555-0101\n2,Ben,555-0102\n3,Chen,555-0103\n", folder, "base.csv")
        try lake.ingest(base, into: "people")
        // No key declared: the upsert says what to do.
        let change = try write("id,name,phone\n2,Ben,555-9999\n4,Dana,555-0104\n", folder, "change.csv")
        await #expect(throws: LakehouseError.self) { try await lake.upsert(file: change, into: "people") }
        let result = try await lake.upsert(file: change, into: "people", key: ["id"])
        #expect(result.change.rowsUpdated == 1 && result.change.rowsInserted == 1)
        #expect(try column(lake, "SELECT phone FROM people WHERE id = 2") == ["555-9999"])
        #expect(try column(lake, "SELECT count(*) FROM people") == ["4"])
        #expect(try lake.catalog.dataset("people")?.primaryKey == ["id"])
        // The key is declared now: later upserts need no --key.
        let again = try write("id,name,phone\n1,Ana,555-1111\n", folder, "again.csv")
        try await lake.upsert(file: again, into: "people")
        #expect(try column(lake, "SELECT phone FROM people ORDER BY id") == ["555-1111", "555-9999", "555-0103", "555-0104"])
        // SQL UPDATE and DELETE on the catalog table.
        let before = try lake.describe("people").version
        #expect(try column(lake, "UPDATE people SET phone = 'none' WHERE id >= 3") == ["2"])
        #expect(try lake.describe("people").version == before + 1)
        #expect(try column(lake, "SELECT phone FROM people ORDER BY id") == ["555-1111", "555-9999", "none", "none"])
        #expect(try column(lake, "DELETE FROM people WHERE name = 'Ben'") == ["1"])
        #expect(try column(lake, "SELECT name FROM people ORDER BY id") == ["Ana", "Chen", "Dana"])
        // Time travel still reads the first version.
        #expect(try column(lake, "SELECT phone FROM people AS OF VERSION 1 ORDER BY id") == ["555-0101", "555-0102", "555-0103"])
        // Compaction keeps the rows, in fewer files.
        let files = try lake.describe("people").files
        let compacted = try lake.compact("people")
        #expect(compacted.committed && compacted.filesBefore == files && compacted.filesAfter == 1)
        #expect(try column(lake, "SELECT name || ':' || phone FROM people ORDER BY id") == ["Ana:555-1111", "Chen:none", "Dana:none"])
        // A bad upsert file names the file and changes nothing.
        let version = try lake.describe("people").version
        let bad = try write("id,name,phone\n,Nobody,1\n", folder, "bad.csv")
        await #expect(throws: (any Error).self) { try await lake.upsert(file: bad, into: "people") }
        #expect(try lake.describe("people").version == version)
    }

    @Test("the hot cache serves repeated queries and is never stale; dropping it changes no result")
    func hotCache() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lake = try Lakehouse.open(at: folder + "/lake")
        var text = "id,city\n"
        for k in 0..<500 { text += "\(k),\(["Chicago", "Denver", "Austin"][k % 3])\n" }
        try lake.ingest(try write(text, folder, "cities.csv"), into: "cities")
        try lake.pin("cities")
        #expect(try column(lake, "SELECT count(*) FROM cities WHERE city = 'Denver'") == ["167"])
        let schema = Schema([Field("id", .int64), Field("city", .utf8)])
        for k in 0..<5 {
            let rows = try RecordBatch(schema: schema, columns: [try Column(.int64, [.int64(Int64(k * 3))]), try Column(.utf8, [.utf8("Denver")])])
            try await lake.upsert([rows], into: "cities", key: ["id"])
            // Each Chicago row (k*3) turned Denver is seen at once.
            #expect(try column(lake, "SELECT count(*) FROM cities WHERE city = 'Denver'") == ["\(168 + k)"])
        }
        #expect(lake.cache.statistics.hits > 0)
        lake.cache.removeAll()
        #expect(try column(lake, "SELECT count(*) FROM cities WHERE city = 'Denver'") == ["172"])
    }

    @Test("search follows upserts and deletes: new text is found, deleted rows are gone")
    func vectorsFollow() async throws {
        let fixture = try await CandidateLake()
        defer { fixture.remove() }
        let lake = fixture.lake
        // Candidate 1 now writes about lighthouses; candidate 3 (a Kubernetes person) leaves.
        let row = try lake.sql("""
            SELECT 1 AS id, 'Ana Ruiz' AS name, 'Chicago' AS city, 4 AS years, 'Keeper' AS title,
                   'Restores old lighthouses and their lenses along the Lake Michigan shore.' AS bio
            """).batch
        let result = try await lake.upsert([row], into: "candidates", key: ["id"])
        #expect(result.embedding?.embeddedRows == 1)
        let found = try await lake.search("lighthouse restoration", in: "candidates", k: 1)
        #expect(ids(found) == [1])
        let keys = try RecordBatch(schema: Schema([Field("id", .int64)]), columns: [try Column(.int64, [.int64(3)])])
        try await lake.delete(from: "candidates", keys: keys)
        let kube = try await lake.search("who could handle our Kubernetes migration", in: "candidates", k: 5)
        #expect(!ids(kube).contains(3))
        #expect(Set(ids(kube).prefix(2)) == [8, 15])
    }
}
