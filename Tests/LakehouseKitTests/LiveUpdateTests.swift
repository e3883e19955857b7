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
        // One of the base file's three rows is now deleted (over the 25% threshold): compacted.
        #expect(result.compaction?.committed == true && result.compaction?.deletedRowsDropped == 1)
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
        #expect(try column(lake, "SELECT phone FROM people AS OF VERSION 0 ORDER BY id") == ["555-0101", "555-0102", "555-0103"])
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

    @Test("MERGE INTO a catalog table: one commit, one new file, no file rewritten; the README's live example")
    func mergeAndReadme() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Automatic compaction off: this four-row table would cross the deleted-rows threshold.
        let lake = try Lakehouse.open(at: folder + "/lake", live: LiveOptions(autoCompact: false))
        try lake.ingest(try write("id,name,phone,city\n1,Ana,555-0101,Chicago\n2,Ben,555-0102,Denver\n3,Chen,555-0103,Austin\n4,Dee,555-0104,Boston\n", folder, "people.csv"),
                        into: "people")
        try lake.sql("CREATE TABLE moves AS SELECT * FROM (VALUES (2, 'Ben', 'Miami', false), (3, 'Chen', 'Austin', true), (7, 'Gus', 'Reno', false)) v(id, name, city, gone)")
        let changes = try write("id,name,phone,city\n4,Dee,555-4444,Boston\n5,Eve,555-0105,Tulsa\n", folder, "changes.csv")
        let before = try lake.describe("people")
        try await readmeLiveExample(lake: lake, changesCSV: changes)
        #expect(try column(lake, "SELECT id || ':' || name || ':' || phone || ':' || city FROM people ORDER BY id")
            == ["1:Ana:555-0100:Chicago", "2:Ben:555-0102:Miami", "4:Dee:555-4444:Boston", "5:Eve:555-0105:Tulsa", "NULL"])
        // Gus's row has no phone: MERGE inserted NULL there.
        #expect(try column(lake, "SELECT coalesce(phone, '-') FROM people WHERE id = 7") == ["-"])
        // The upsert, the UPDATE and the MERGE were one commit each (then the compaction).
        let history = try lake.catalog.table("people").history().map(\.operation)
        #expect(Array(history.suffix(4)) == ["MERGE", "UPDATE", "MERGE", "OPTIMIZE"])
        let after = try lake.describe("people")
        #expect(after.version == before.version + 4)
        #expect(after.files == 1)
        // Before the compaction, the MERGE's version held the base file plus one new file per change.
        #expect(try column(lake, "SELECT count(*) FROM people AS OF VERSION \(before.version + 3)") == ["5"])
    }

    @Test("the README shows the live example exactly as compiled here")
    func readmeMatchesLiveExample() throws {
        let testFile = try String(contentsOfFile: #filePath, encoding: .utf8)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(testFile.range(of: "// README-LIVE-BEGIN\n"))
        let end = try #require(testFile.range(of: "    // README-LIVE-END", range: begin.upperBound..<testFile.endIndex))
        let snippet = testFile[begin.upperBound..<end.lowerBound]
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }
            .joined(separator: "\n")
        #expect(readme.contains(snippet), "README.md must contain the example verbatim:\n\(snippet)")
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
        #expect(try column(lake, "SELECT chunk_text FROM candidates__embeddings WHERE doc_id = 1").joined().contains("lighthouses"))
        #expect(try column(lake, "SELECT title FROM candidates WHERE id = 1") == ["Keeper"])
        let found = try await lake.search("old lighthouses and their lenses", in: "candidates", k: 1)
        #expect(ids(found) == [1])
        let keys = try RecordBatch(schema: Schema([Field("id", .int64)]), columns: [try Column(.int64, [.int64(3)])])
        try await lake.delete(from: "candidates", keys: keys)
        let kube = try await lake.search("who could handle our Kubernetes migration", in: "candidates", k: 5)
        #expect(!ids(kube).contains(3))
        #expect(Set(ids(kube).prefix(2)) == [8, 15])
    }
}

/// The README's live-updates example, verbatim between the markers.
func readmeLiveExample(lake: Lakehouse, changesCSV: String) async throws {
    // README-LIVE-BEGIN
    // Rows replace those with the same primary key: one small new file, and the old versions
    // marked deleted with deletion vectors (no file is rewritten). The next query sees it.
    try await lake.upsert(file: changesCSV, into: "people", key: ["id"])
    try lake.sql("UPDATE people SET phone = '555-0100' WHERE id = 1")
    try lake.sql("""
        MERGE INTO people AS p USING moves AS m ON p.id = m.id
        WHEN MATCHED AND m.gone THEN DELETE
        WHEN MATCHED THEN UPDATE SET city = m.city
        WHEN NOT MATCHED THEN INSERT (id, name, city) VALUES (m.id, m.name, m.city)
        """)
    try lake.pin("people")                        // kept decoded in memory: the hot cache
    try lake.compact("people")                    // small files merged, deleted rows dropped
    try lake.vacuum("people", retentionHours: 168)
    // README-LIVE-END
}
