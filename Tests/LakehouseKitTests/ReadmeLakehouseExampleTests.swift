import Foundation
import LakehouseKit
import Testing

/// The README's lakehouse example, verbatim between the markers: this test compiles it, runs it
/// on a CSV file it writes, and checks that the README still shows exactly this code.
struct CityCalls: Decodable {
    let city: String
    let calls: Int
    let minutes: Double
}

func readmeLakehouseExample(folder: String, csvPath: String) async throws -> ([CityCalls], Int, DatasetDescription) {
    // README-LAKEHOUSE-BEGIN
    let lake = try Lakehouse.open(at: folder)          // or "s3://bucket/prefix"
    let ingested = try lake.ingest(csvPath, into: "calls")
    print(ingested.rows, ingested.schema)              // types inferred: no schema written

    let result = try lake.sql("""
        SELECT city, count(*) AS calls, sum(minutes) AS minutes
        FROM calls GROUP BY city ORDER BY city
        """)
    var rows = 0
    for try await batch in result { rows += batch.count }   // batches that know result.schema
    let byCity = try result.decode(CityCalls.self)          // struct CityCalls: Decodable

    let names = try lake.tables().map(\.name)               // ["calls"]
    let calls = try lake.describe("calls")                   // schema, version, rows, files, bytes
    // README-LAKEHOUSE-END
    _ = names
    return (byCity, rows, calls)
}

@Suite struct ReadmeLakehouseExampleTests {
    @Test("the README's lakehouse example ingests, queries and decodes")
    func exampleRuns() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("readme-lake-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let csv = folder + "-calls.csv"
        defer { try? FileManager.default.removeItem(atPath: csv) }
        try "caller;city;minutes;called_at\r\n\"Lee, Ann\";Denver;12.5;2026-03-02 09:15\r\nBo;Chicago;3.25;2026-03-02 10:00\r\nCy;Denver;;2026-03-03 16:45\r\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let (byCity, rows, calls) = try await readmeLakehouseExample(folder: folder + "/lake", csvPath: csv)
        #expect(rows == 2)
        #expect(byCity.map(\.city) == ["Chicago", "Denver"])
        #expect(byCity.map(\.calls) == [1, 2])
        #expect(byCity.map(\.minutes) == [3.25, 12.5])
        #expect(calls.version == 0)
        #expect(calls.rows == 3)
        #expect(calls.schema.fields.map(\.name) == ["caller", "city", "minutes", "called_at"])
        #expect(calls.schema.fields.map(\.dataType) == [.utf8, .utf8, .float64, .timestamp(.microsecond, timeZone: nil)])   // 12.5 and 3.25: two scales, so DOUBLE
    }

    @Test("the README shows the lakehouse example exactly as compiled here")
    func readmeMatchesCompiledExample() throws {
        let testFile = try String(contentsOfFile: #filePath, encoding: .utf8)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(testFile.range(of: "// README-LAKEHOUSE-BEGIN\n"))
        let end = try #require(testFile.range(of: "    // README-LAKEHOUSE-END"))
        let snippet = testFile[begin.upperBound..<end.lowerBound]
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }
            .joined(separator: "\n")
        #expect(readme.contains(snippet), "README.md must contain the example verbatim:\n\(snippet)")
    }
}
