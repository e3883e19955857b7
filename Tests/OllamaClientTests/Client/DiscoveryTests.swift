// Liveness, version, tags, a server that is not there, and OLLAMA_HOST.

import Foundation
import OllamaClient
import OllamaTestSupport
import Testing

@Suite("Discovery endpoints and server location")
struct DiscoveryTests {
    @Test("version, tags and isRunning against a running server")
    func versionTagsAndLiveness() async throws {
        try await withFakeServer(.init(version: "0.9.9-fake")) { server, client in
            #expect(try await client.version() == "0.9.9-fake")
            #expect(await client.isRunning())

            let models = try await client.tags()
            #expect(models.map(\.name) == ["fake-embed:latest", "fake-chat:latest"])
            let embedding = try #require(models.first)
            #expect(embedding.details?.embeddingLength == 8)
            #expect(embedding.details?.quantizationLevel == "F16")
            #expect(embedding.modifiedAt?.hasSuffix("Z") == true)
            #expect(embedding.capabilities == ["embedding"])

            #expect(server.requests().map(\.path) == ["/api/version", "/", "/api/tags"])
        }
    }

    @Test("connection refused is serverNotRunning, with the hints, after the retries")
    func connectionRefused() async throws {
        let port = try await FakeOllamaServer.unusedPort()
        let client = OllamaClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!, configuration: .forTests)
        defer { Task { try await client.shutdown() } }

        #expect(await client.isRunning() == false)
        let error = try #require(await ollamaError { _ = try await client.version() })
        #expect(error.code == .serverNotRunning)
        #expect(error.description.contains("No Ollama server answers at http://127.0.0.1:\(port)"))
        #expect(error.description.contains("`ollama serve`"))
        #expect(error.description.contains("OLLAMA_HOST"))
        #expect(error.description.contains("--embedder builtin"))
        #expect(!error.description.contains("\n"))
    }

    @Test(
        "OLLAMA_HOST is read as Ollama reads it",
        arguments: [
            (nil, "http://127.0.0.1:11434"),
            ("", "http://127.0.0.1:11434"),
            ("  ", "http://127.0.0.1:11434"),
            ("0.0.0.0", "http://127.0.0.1:11434"),
            ("0.0.0.0:8080", "http://127.0.0.1:8080"),
            (":9000", "http://127.0.0.1:9000"),
            ("example.com", "http://example.com:11434"),
            ("example.com:1234", "http://example.com:1234"),
            ("http://example.com:1234", "http://example.com:1234"),
            ("http://example.com", "http://example.com:80"),
            ("https://example.com", "https://example.com:443"),
            ("https://example.com/ollama/", "https://example.com:443/ollama"),
            ("\"10.0.0.5:11434\"", "http://10.0.0.5:11434"),
            ("[::1]:4000", "http://[::1]:4000"),
            ("[::]:4000", "http://127.0.0.1:4000"),
            ("localhost:99999", "http://127.0.0.1:11434"),
            ("ftp://example.com", "http://127.0.0.1:11434"),
        ] as [(String?, String)])
    func ollamaHost(value: String?, expected: String) {
        #expect(OllamaClient.baseURL(fromHostEnvironment: value).absoluteString == expected)
    }

    @Test("a path prefix in the base URL is kept in requests")
    func basePathPrefix() async throws {
        try await withFakeServer { server, _ in
            let prefixed = OllamaClient(
                baseURL: server.baseURL.appendingPathComponent("prefix"), configuration: .forTests)
            defer { Task { try await prefixed.shutdown() } }
            let error = try #require(await ollamaError { _ = try await prefixed.version() })
            #expect(error.code == .server)
            #expect(error.status == 404)
            #expect(server.requests().map(\.path) == ["/prefix/api/version"])
        }
    }
}
