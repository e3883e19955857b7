// /api/embed: batching, order, request fields, validation and errors.

import Foundation
import OllamaClient
import OllamaTestSupport
import Testing

@Suite("Embeddings through /api/embed")
struct EmbedTests {
    @Test("texts are sent in ceil(n / batchSize) requests and come back in order")
    func batching() async throws {
        try await withFakeServer { server, client in
            let texts = (0..<10).map { "text number \($0)" }
            let vectors = try await client.embed(model: "fake-embed", texts: texts, batchSize: 4)

            let batches = server.requests(to: "/api/embed").map { $0.body?["input"]?.array?.compactMap(\.string) }
            #expect(batches == [Array(texts[0..<4]), Array(texts[4..<8]), Array(texts[8..<10])])

            #expect(vectors.count == 10)
            for (text, vector) in zip(texts, vectors) {
                let single = try await client.embed(model: "fake-embed", texts: [text])
                #expect(single == [vector])
                #expect(vector.count == 8)
                #expect(abs(length(vector) - 1) < 1e-5)
            }
        }
    }

    @Test("no texts, no request")
    func emptyInput() async throws {
        try await withFakeServer { server, client in
            let vectors = try await client.embed(model: "fake-embed", texts: [])
            #expect(vectors.isEmpty)
            #expect(server.requests().isEmpty)
        }
    }

    @Test("dimensions, truncate and keep_alive are sent as Ollama expects")
    func requestFields() async throws {
        try await withFakeServer { server, client in
            let vectors = try await client.embed(
                model: "fake-embed", texts: ["a", "b"], dimensions: 4, keepAlive: .forever)
            #expect(vectors.map(\.count) == [4, 4])
            #expect(vectors.allSatisfy { abs(length($0) - 1) < 1e-5 })

            let body = try #require(server.requests(to: "/api/embed").first?.body)
            #expect(body["model"] == "fake-embed")
            #expect(body["dimensions"] == 4)
            #expect(body["truncate"] == false)
            #expect(body["keep_alive"] == -1)
            #expect(server.requests().first?.headers["content-type"] == "application/json")
        }
    }

    @Test("options and a duration keep_alive in a single EmbedRequest")
    func singleRequestWithOptions() async throws {
        try await withFakeServer { server, client in
            let request = EmbedRequest(
                model: "fake-embed:latest", input: ["hello world"], keepAlive: .durationString("10m"),
                options: ModelOptions(numCtx: 2048, additional: ["num_thread": 2]))
            let response = try await client.embed(request)
            #expect(response.embeddings.count == 1)
            #expect(response.totalDuration == 14_143_917)
            #expect(response.promptEvalCount == 2)

            let body = try #require(server.requests().first?.body)
            #expect(body["keep_alive"] == "10m")
            #expect(body["options"] == ["num_ctx": 2048, "num_thread": 2])
            #expect(body["truncate"] == nil)
            #expect(body["dimensions"] == nil)
        }
    }

    @Test("an unknown model is modelNotFound, with the pull command")
    func unknownModel() async throws {
        try await withFakeServer { server, client in
            let error = try #require(await ollamaError { _ = try await client.embed(model: "nomic-embed-text", texts: ["x"]) })
            #expect(error.code == .modelNotFound)
            #expect(error.status == 404)
            #expect(error.model == "nomic-embed-text")
            #expect(error.serverMessage == "model 'nomic-embed-text' not found")
            #expect(error.description.contains("Model 'nomic-embed-text' is not available on the Ollama server at \(server.baseURL.absoluteString)"))
            #expect(error.description.contains("Run `ollama pull nomic-embed-text`."))
            #expect(server.requests().count == 1)  // a 404 is not retried
        }
    }

    @Test("an input over the context length with truncate false is badRequest")
    func overlongInput() async throws {
        try await withFakeServer(.init(maxInputLength: 10)) { server, client in
            let error = try #require(await ollamaError {
                _ = try await client.embed(model: "fake-embed", texts: ["short", "this text is far too long"])
            })
            #expect(error.code == .badRequest)
            #expect(error.status == 400)
            #expect(error.serverMessage == "the input length exceeds the context length")

            // With truncate the server cuts the text instead.
            let cut = try await client.embed(model: "fake-embed", texts: ["this text is far too long"], truncate: true)
            let prefix = try await client.embed(model: "fake-embed", texts: ["this text "])
            #expect(cut == prefix)
        }
    }

    @Test("a batch size below 1 is invalidConfiguration")
    func invalidBatchSize() async throws {
        try await withFakeServer { _, client in
            let error = try #require(await ollamaError { _ = try await client.embed(model: "fake-embed", texts: ["a"], batchSize: 0) })
            #expect(error.code == .invalidConfiguration)
        }
    }
}
