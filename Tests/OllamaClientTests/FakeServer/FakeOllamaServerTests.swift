// The fake server's own contract, for the parts the client never exercises: HEAD, the legacy
// embeddings route and the 400 texts (checked with plain URLSession requests).

import Foundation
import OllamaTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Fake Ollama server")
struct FakeOllamaServerTests {
    private func send(
        _ server: FakeOllamaServer, _ method: String, _ path: String, body: String? = nil
    ) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: server.baseURL.appendingPathComponent(path))
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("HEAD and GET / say Ollama is running")
    func liveness() async throws {
        let server = try await FakeOllamaServer.start()
        defer { Task { try await server.stop() } }
        #expect(try await send(server, "GET", "/") == (200, "Ollama is running"))
        #expect(try await send(server, "HEAD", "/").status == 200)
    }

    @Test(
        "bad requests get Ollama's status and text",
        arguments: [
            ("/api/embed", "", 400, "missing request body"),
            ("/api/embed", "{}", 400, "model is required"),
            ("/api/embed", #"{"model":"fake-embed","input":[1]}"#, 400, "invalid input type"),
            ("/api/embed", #"{"model":"gone"}"#, 404, "model 'gone' not found"),
            ("/api/embeddings", #"{"model":"gone","prompt":"x"}"#, 404, #"model "gone" not found, try pulling it first"#),
            ("/api/generate", #"{"model":"fake-embed","prompt":"x"}"#, 400, #""fake-embed" does not support generate"#),
        ])
    func errors(path: String, body: String, status: Int, message: String) async throws {
        let server = try await FakeOllamaServer.start()
        defer { Task { try await server.stop() } }
        let (code, text) = try await send(server, "POST", path, body: body)
        #expect(code == status)
        #expect(FakeJSON.parse(Array(text.utf8))?["error"]?.string == message)
    }

    @Test("the legacy route returns one vector that is not unit length; an empty input gives no vectors")
    func legacyAndEmpty() async throws {
        let server = try await FakeOllamaServer.start()
        defer { Task { try await server.stop() } }
        let legacy = try await send(server, "POST", "/api/embeddings", body: #"{"model":"fake-embed","prompt":"hi"}"#)
        let values = FakeJSON.parse(Array(legacy.body.utf8))?["embedding"]?.array ?? []
        let vector = values.compactMap(\.number)
        #expect(vector.count == 8)
        #expect(abs(vector.reduce(0) { $0 + $1 * $1 }.squareRoot() - 1) > 0.5)

        let empty = try await send(server, "POST", "/api/embed", body: #"{"model":"fake-embed","input":""}"#)
        #expect(FakeJSON.parse(Array(empty.body.utf8))?["embeddings"] == [])
        #expect(server.requests().map(\.path) == ["/api/embeddings", "/api/embed"])
    }
}
