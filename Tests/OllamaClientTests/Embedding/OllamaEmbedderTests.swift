// The Ollama-backed embedder against the fake server.

import Foundation
import OllamaClient
import OllamaTestSupport
import Testing

@Suite("Ollama embedder")
struct OllamaEmbedderTests {
    @Test("connect learns the dimension; the identity names the model with its tag")
    func connect() async throws {
        try await withFakeServer(.init(embeddingModels: ["nomic-embed-text": 12])) { server, client in
            let unresolved = OllamaEmbedder(client: client)
            #expect(unresolved.identity == EmbedderIdentity(id: "ollama:nomic-embed-text:latest", dimension: 0))

            let embedder = try await OllamaEmbedder.connect(client: client, model: "nomic-embed-text")
            #expect(embedder.identity == EmbedderIdentity(id: "ollama:nomic-embed-text:latest", dimension: 12))
            #expect(server.requests().count == 1)

            let vectors = try await embedder.embed(["one", "two", "three"])
            #expect(vectors.map(\.count) == [12, 12, 12])
            #expect(vectors.allSatisfy { abs(length($0) - 1) < 1e-5 })
            let body = try #require(server.requests().last?.body)
            #expect(body["model"] == "nomic-embed-text:latest")
            #expect(body["dimensions"] == 12)
            #expect(body["truncate"] == false)
        }
    }

    @Test("batches follow batchSize; a given dimension is sent as dimensions")
    func batchesAndDimension() async throws {
        try await withFakeServer { server, client in
            let embedder = OllamaEmbedder(client: client, model: "fake-embed", dimension: 4, batchSize: 2)
            #expect(try await embedder.resolveIdentity().dimension == 4)
            let vectors = try await embedder.embed(["a", "b", "c", "d", "e"])
            #expect(vectors.map(\.count) == [4, 4, 4, 4, 4])
            #expect(server.requests(to: "/api/embed").map { $0.body?["input"]?.array?.count } == [2, 2, 1])
        }
    }

    @Test("a dimension the model cannot give is malformedResponse, not silently wrong vectors")
    func wrongDimension() async throws {
        try await withFakeServer { _, client in
            let embedder = OllamaEmbedder(client: client, model: "fake-embed", dimension: 16)
            let error = try #require(await ollamaError { _ = try await embedder.embed(["a"]) })
            #expect(error.code == .malformedResponse)
        }
    }

    @Test("a missing model fails connect with the pull hint")
    func missingModel() async throws {
        try await withFakeServer { _, client in
            let error = try #require(await ollamaError { _ = try await OllamaEmbedder.connect(client: client) })
            #expect(error.code == .modelNotFound)
            #expect(error.description.contains("ollama pull nomic-embed-text:latest"))
        }
    }

    @Test("the fake can embed with the built-in embedder, so neighbours are meaningful end to end")
    func meaningfulNeighbours() async throws {
        let builtin = BuiltinEmbedder(dimension: 64)
        let configuration = FakeOllamaServer.Configuration(
            embeddingModels: ["semantic": 64], embedding: .custom { builtin.vector(for: $0) })
        try await withFakeServer(configuration) { _, client in
            let embedder = try await OllamaEmbedder.connect(client: client, model: "semantic")
            let vectors = try await embedder.embed([
                "kubernetes migration engineer", "migrated services to Kubernetes", "pastry chef bakery",
            ])
            #expect(cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2]))
        }
    }

    @Test("model names get :latest unless they carry a tag")
    func modelNames() {
        #expect(OllamaEmbedder.normalizedModelName("nomic-embed-text") == "nomic-embed-text:latest")
        #expect(OllamaEmbedder.normalizedModelName("all-minilm:l6-v2") == "all-minilm:l6-v2")
        #expect(OllamaEmbedder.normalizedModelName("registry.local:5000/team/embed") == "registry.local:5000/team/embed:latest")
    }
}
