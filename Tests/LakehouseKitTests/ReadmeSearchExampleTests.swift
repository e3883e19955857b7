import Foundation
import LakehouseKit
import OllamaClient
import OllamaTestSupport
import Testing

/// The README's search example, verbatim between the markers: compiled and run here against a
/// fake Ollama server (for `ask`), and checked to be still in the README exactly.
func readmeSearchExample(lake: Lakehouse, candidatesCSV: String) async throws -> (SearchResults, QueryResult, Answer) {
    // README-SEARCH-BEGIN
    try await lake.ingest(candidatesCSV, into: "candidates", embed: ["bio"])
    let found = try await lake.search("who could run our Kubernetes migration", in: "candidates",
                                      where: "city = 'Chicago' AND years >= 5", k: 10)
    for hit in found.hits { print(hit.score, hit.row["name"]!, hit.chunk) }
    let joined = try lake.sql("""
        SELECT c.name, v.score FROM vector_search('candidates', 'Java developer', 5) v
        JOIN candidates c ON c.id = v.doc_id ORDER BY v.score DESC
        """)
    let answer = try await lake.ask("Which Chicago candidates know Kubernetes?")   // needs `ollama serve`
    print(answer.text, answer.citations.map(\.tag), answer.sql ?? "")
    // README-SEARCH-END
    return (found, joined, answer)
}

@Suite struct ReadmeSearchExampleTests {
    @Test("the README's search example embeds, searches, joins and asks")
    func exampleRuns() async throws {
        var configuration = FakeOllamaServer.Configuration()
        configuration.chatModels = ["qwen2.5"]
        configuration.jsonReply = #"{"sql":"SELECT name FROM candidates WHERE city = 'Chicago' AND bio ILIKE '%kubernetes%'"}"#
        configuration.replies = [.init(whenContains: "Rows (most relevant", reply: "Hana Sato runs Kubernetes clusters [candidates#8].")]
        let server = try await FakeOllamaServer.start(configuration: configuration)
        var clientConfiguration = OllamaClient.Configuration()
        clientConfiguration.firstByteTimeout = .seconds(300)
        let client = OllamaClient(baseURL: server.baseURL, configuration: clientConfiguration)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("readme-search-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lake = try Lakehouse.open(at: folder, ollama: client)
        let csv = ParquetCatCommandTests.root.appendingPathComponent("TestData/semantic/candidates.csv").path
        let (found, joined, answer) = try await readmeSearchExample(lake: lake, candidatesCSV: csv)
        // Chicago with 5+ years: Dana Holt (4), Elif Kaya (5), Hana Sato (8), Sam Cole (19); Hana runs Kubernetes.
        #expect(Set(found.hits.map(\.id)) == [.int64(4), .int64(5), .int64(8), .int64(19)])
        #expect(found.hits.first?.id == .int64(8))
        #expect(joined.count == 5)
        // The two Java developers (Elif Kaya, Kofi Mensah) rank first.
        #expect(Set([0, 1].map { joined.batch.columns[0].scalar(at: $0) }) == [.utf8("Elif Kaya"), .utf8("Kofi Mensah")])
        #expect(answer.citations.map(\.tag) == ["[candidates#8]"])
        #expect(answer.sqlResult?.count == 1)             // only Hana Sato's bio in Chicago mentions Kubernetes
        try await client.shutdown()
        try await server.stop()
    }

    @Test("the README shows the search example exactly as compiled here")
    func readmeMatchesCompiledExample() throws {
        let testFile = try String(contentsOfFile: #filePath, encoding: .utf8)
        let readme = try String(contentsOf: ParquetCatCommandTests.root.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(testFile.range(of: "// README-SEARCH-BEGIN\n"))
        let end = try #require(testFile.range(of: "    // README-SEARCH-END"))
        let snippet = testFile[begin.upperBound..<end.lowerBound]
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }
            .joined(separator: "\n")
        #expect(readme.contains(snippet), "README.md must contain the example verbatim:\n\(snippet)")
    }
}
