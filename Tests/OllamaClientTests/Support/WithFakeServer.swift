// Runs a test body against a fresh fake Ollama server and a client pointed at it, and cleans both up.

import Foundation
import OllamaClient
import OllamaTestSupport
import Testing

extension OllamaClient.Configuration {
    /// Quick retries so that retry tests stay fast. The first-byte and idle limits are generous: in
    /// the full suite, CPU-bound tests can hold both cooperative threads for many seconds, and a
    /// test that is not about timeouts must not see one then.
    static var forTests: OllamaClient.Configuration {
        var configuration = OllamaClient.Configuration()
        configuration.retryBaseDelay = .milliseconds(10)
        configuration.firstByteTimeout = .seconds(300)
        configuration.idleTimeout = .seconds(300)
        return configuration
    }
}

/// Starts a fake server with `server`, a client with `client`, runs `body`, then shuts both down.
func withFakeServer<T: Sendable>(
    _ server: FakeOllamaServer.Configuration = .init(),
    client clientConfiguration: OllamaClient.Configuration = .forTests,
    _ body: (FakeOllamaServer, OllamaClient) async throws -> T
) async throws -> T {
    let server = try await FakeOllamaServer.start(configuration: server)
    let client = OllamaClient(baseURL: server.baseURL, configuration: clientConfiguration)
    do {
        let result = try await body(server, client)
        try await client.shutdown()
        try await server.stop()
        return result
    } catch {
        try? await client.shutdown()
        try? await server.stop()
        throw error
    }
}

/// The `OllamaError` thrown by `body`, or a recorded test failure if it throws something else or nothing.
func ollamaError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> OllamaError? {
    do {
        try await body()
        Issue.record("expected an OllamaError, but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as OllamaError {
        return error
    } catch {
        Issue.record("expected an OllamaError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Cosine similarity of two vectors of equal length.
func cosine(_ a: [Float], _ b: [Float]) -> Float {
    var dot: Float = 0
    var normA: Float = 0
    var normB: Float = 0
    for index in a.indices {
        dot += a[index] * b[index]
        normA += a[index] * a[index]
        normB += b[index] * b[index]
    }
    guard normA > 0, normB > 0 else { return 0 }
    return dot / (normA.squareRoot() * normB.squareRoot())
}

/// The Euclidean length of a vector.
func length(_ vector: [Float]) -> Float {
    vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
}
