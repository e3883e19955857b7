import Foundation
import OllamaClient
import OllamaTestSupport
import Testing

/// The `lakehouse` tool's semantic commands, run as a user would: ingest with --embed, search
/// (plain and hybrid), embed again, vector_search in SQL, and ask against a fake Ollama server.
@Suite struct SemanticCLITests {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = try ParquetCatCommandTests.tool()
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The `id` of every JSON line.
    func ids(_ jsonl: String) -> [Int] {
        jsonl.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? Int
        }
    }

    @Test("ingest --embed, search, search --where, embed again and vector_search in SQL")
    func builtinEmbedder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("semantic-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let csv = ParquetCatCommandTests.root.appendingPathComponent("TestData/semantic/candidates.csv").path
        let ingested = try run(["ingest", csv, "--table", "candidates", "--embed", "bio", "--root", root])
        #expect(ingested.status == 0, "\(ingested.stderr)")
        #expect(ingested.stdout.contains("20 rows embedded"))

        let found = try run(["search", "who could handle our Kubernetes migration", "--table", "candidates", "-k", "3", "--format", "jsonl", "--root", root])
        #expect(found.status == 0, "\(found.stderr)")
        #expect(Set(ids(found.stdout)) == [3, 8, 15])

        let hybrid = try run(["search", "Java developer", "--table", "candidates", "--where", "city = 'Chicago'", "-k", "2", "--format", "jsonl", "--root", root])
        #expect(ids(hybrid.stdout).first == 5)
        #expect(hybrid.stdout.split(separator: "\n").allSatisfy { $0.contains(#""city":"Chicago""#) })

        let again = try run(["embed", "candidates", "--root", root])
        #expect(again.stdout.contains("0 rows embedded") && again.stdout.contains("20 unchanged"))

        let sql = try run(["sql", "SELECT doc_id AS id FROM vector_search('candidates', 'Kubernetes migration', 3)", "--format", "jsonl", "--root", root])
        #expect(Set(ids(sql.stdout)) == [3, 8, 15], "\(sql.stderr)")

        let bad = try run(["search", "x", "--table", "nope", "--root", root])
        #expect(bad.status != 0 && bad.stderr.contains("nope"))
        let notEmbedded = try run(["search", "x", "--table", "candidates__embeddings", "--root", root])
        #expect(notEmbedded.status != 0 && notEmbedded.stderr.contains("lakehouse embed"))
    }

    @Test("--embedder ollama and ask, against a fake Ollama server")
    func ollama() async throws {
        var configuration = FakeOllamaServer.Configuration()
        configuration.embeddingModels = ["nomic-embed-text": 384]
        configuration.chatModels = ["qwen2.5"]
        configuration.embedding = .custom { BuiltinEmbedder().vector(for: $0) }
        configuration.jsonReply = #"{"sql":"SELECT count(*) AS n FROM candidates WHERE city = 'Chicago'"}"#
        configuration.replies = [.init(whenContains: "Rows (most relevant", reply: "Chen Wei led a Kubernetes migration [candidates#3].")]
        let server = try await FakeOllamaServer.start(configuration: configuration)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("semantic-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let url = server.baseURL.absoluteString
        let csv = ParquetCatCommandTests.root.appendingPathComponent("TestData/semantic/candidates.csv").path
        let ingested = try run(["ingest", csv, "--table", "candidates", "--embed", "bio", "--embedder", "ollama", "--ollama-url", url, "--root", root])
        #expect(ingested.status == 0, "\(ingested.stderr)")
        #expect(try run(["search", "Kubernetes migration", "--table", "candidates", "--embedder", "ollama", "--ollama-url", url,
                         "-k", "3", "--format", "jsonl", "--root", root]).stdout.split(separator: "\n").count == 3)
        // The built-in embedder is refused on vectors made by Ollama.
        let mixed = try run(["search", "Kubernetes", "--table", "candidates", "--root", root])
        #expect(mixed.status != 0 && mixed.stderr.contains("ollama:nomic-embed-text"))

        let answer = try run(["ask", "Who could lead our Kubernetes migration?", "--embedder", "ollama", "--ollama-url", url, "--root", root])
        #expect(answer.status == 0, "\(answer.stderr)")
        #expect(answer.stdout.contains("Chen Wei led a Kubernetes migration [candidates#3]."))
        #expect(answer.stdout.contains("Sources:") && answer.stdout.contains("[candidates#3]"))
        #expect(answer.stdout.contains("WHERE city = 'Chicago'") && answer.stdout.contains("6"))   // six candidates in Chicago
        let chats = server.requests(to: "/api/chat")
        #expect(chats.count == 2 && chats.allSatisfy { $0.body?["model"]?.string == "qwen2.5" })
        try await server.stop()

        let down = try run(["ask", "anything", "--ollama-url", url, "--root", root])
        #expect(down.status != 0 && down.stderr.contains("ollama serve"))
    }
}
