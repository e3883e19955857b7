// Failures the fake server injects: errors inside streams, cut streams, bad lines, busy and loading
// servers (retried), slow servers (timeouts) and cancellation.

import Foundation
import OllamaClient
import OllamaTestSupport
import Synchronization
import Testing

@Suite("Faults, retries, timeouts and cancellation")
struct FaultTests {
    static let fiveChunks = FakeOllamaServer.Configuration(chunkCount: 5)
    static let prompt = GenerateRequest(model: "fake-chat", prompt: "abcdefghij")
    /// How long the server stalls where a 300 ms timeout must fire. Far longer than the timeout, so
    /// the test holds while the machine is busy (other tests share two cores); it ends as soon as
    /// the client gives up, so it costs nothing when the timeout works.
    static let longPause = Duration.seconds(30)

    /// The chunks received before the stream threw, and the error.
    private func collect(_ stream: AsyncThrowingStream<GenerateChunk, any Error>) async -> ([GenerateChunk], (any Error)?) {
        var chunks: [GenerateChunk] = []
        do {
            for try await chunk in stream { chunks.append(chunk) }
            return (chunks, nil)
        } catch {
            return (chunks, error)
        }
    }

    @Test("an error line inside a 200 stream is a server error after the chunks before it")
    func midStreamError() async throws {
        try await withFakeServer(Self.fiveChunks) { server, client in
            server.injectFault(.errorLine(afterChunks: 2))
            let (chunks, thrown) = await collect(client.generate(Self.prompt))
            #expect(chunks.map(\.response) == ["You ", "said"])
            let error = try #require(thrown as? OllamaError)
            #expect(error.code == .server)
            #expect(error.status == 200)
            #expect(error.serverMessage == "an error was encountered while running the model")
            #expect(server.requests().count == 1)  // bytes had arrived: never retried
        }
    }

    @Test("a body that ends without the done line is truncatedStream")
    func endWithoutDone() async throws {
        try await withFakeServer(Self.fiveChunks) { server, client in
            server.injectFault(.endWithoutDone(afterChunks: 3))
            let (chunks, thrown) = await collect(client.generate(Self.prompt))
            #expect(chunks.count == 3)
            #expect((thrown as? OllamaError)?.code == .truncatedStream)
        }
    }

    @Test("a connection dropped in the middle of a stream is truncatedStream")
    func droppedConnection() async throws {
        try await withFakeServer(Self.fiveChunks) { server, client in
            server.injectFault(.closeConnection(afterChunks: 1))
            let (chunks, thrown) = await collect(client.generate(Self.prompt))
            #expect(chunks.count <= 1)
            let error = try #require(thrown as? OllamaError)
            #expect(error.code == .truncatedStream)
            #expect(server.requests().count == 1)
        }
    }

    @Test("a line that is not JSON is malformedResponse, quoting the line")
    func malformedLine() async throws {
        try await withFakeServer(Self.fiveChunks) { server, client in
            server.injectFault(.malformedLine(afterChunks: 1))
            let (chunks, thrown) = await collect(client.generate(Self.prompt))
            #expect(chunks.count == 1)
            let error = try #require(thrown as? OllamaError)
            #expect(error.code == .malformedResponse)
            #expect(error.excerpt?.contains(#""model": "oops""#) == true)
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("a malformed embed reply is malformedResponse")
    func malformedEmbedReply() async throws {
        try await withFakeServer { server, client in
            server.injectFault(.malformedLine(afterChunks: 0))
            let error = try #require(await ollamaError { _ = try await client.embed(model: "fake-embed", texts: ["a"]) })
            #expect(error.code == .malformedResponse)
        }
    }

    @Test("503 twice, then success: retried, three requests")
    func busyThenSuccess() async throws {
        try await withFakeServer { server, client in
            server.injectFault(.busy, forNext: 2)
            let vectors = try await client.embed(model: "fake-embed", texts: ["a", "b"])
            #expect(vectors.count == 2)
            #expect(server.requests(to: "/api/embed").count == 3)
        }
    }

    @Test("503 five times: busy after maxAttempts requests")
    func busyForever() async throws {
        try await withFakeServer { server, client in
            server.injectFault(.busy, forNext: 5)
            let error = try #require(await ollamaError { _ = try await client.embed(model: "fake-embed", texts: ["a"]) })
            #expect(error.code == .busy)
            #expect(error.status == 503)
            #expect(error.serverMessage?.hasPrefix("server busy") == true)
            #expect(server.requests(to: "/api/embed").count == 3)
        }
    }

    @Test("500 'llm server loading model' is retried, for a stream too")
    func loadingModel() async throws {
        try await withFakeServer(Self.fiveChunks) { server, client in
            server.injectFault(.loadingModel, forNext: 1)
            let result = try await client.generateText(Self.prompt)
            #expect(result.text == "You said: abcdefghij")
            #expect(server.requests(to: "/api/generate").count == 2)
        }
    }

    @Test("any other 500 is a server error and is not retried")
    func otherServerError() async throws {
        try await withFakeServer { server, client in
            server.injectFault(.errorLine(afterChunks: 0, message: "out of memory"))
            let error = try #require(await ollamaError { _ = try await client.embed(model: "fake-embed", texts: ["a"]) })
            #expect(error.code == .server)
            #expect(error.status == 500)
            #expect(error.serverMessage == "out of memory")
            #expect(server.requests().count == 1)
        }
    }

    @Test("no answer within firstByteTimeout is timeout(firstByte), and the connection is closed")
    func firstByteTimeout() async throws {
        var configuration = OllamaClient.Configuration.forTests
        configuration.firstByteTimeout = .milliseconds(300)
        try await withFakeServer(client: configuration) { server, client in
            server.injectFault(.delayFirstByte(Self.longPause))
            let error = try #require(await ollamaError { _ = try await client.generateText(Self.prompt) })
            #expect(error.code == .timeout)
            #expect(error.timeoutPhase == .firstByte)
            #expect(server.requests().count == 1)  // timeouts are not retried
            #expect(await server.waitForDisconnectDuringResponse(within: .seconds(30)))
        }
    }

    @Test("a pause between chunks longer than idleTimeout is timeout(idle)")
    func idleTimeout() async throws {
        var configuration = OllamaClient.Configuration.forTests
        configuration.idleTimeout = .milliseconds(300)
        try await withFakeServer(Self.fiveChunks, client: configuration) { server, client in
            server.injectFault(.delayBetweenChunks(Self.longPause))
            let (chunks, thrown) = await collect(client.generate(Self.prompt))
            #expect(chunks.count == 1)
            let error = try #require(thrown as? OllamaError)
            #expect(error.code == .timeout)
            #expect(error.timeoutPhase == .idle)
        }
    }

    @Test("slow but steady chunks within idleTimeout are fine")
    func steadyChunks() async throws {
        var configuration = OllamaClient.Configuration.forTests
        configuration.idleTimeout = .seconds(20)
        try await withFakeServer(Self.fiveChunks, client: configuration) { server, client in
            server.injectFault(.delayBetweenChunks(.milliseconds(50)))
            let result = try await client.generateText(Self.prompt)
            #expect(result.text == "You said: abcdefghij")
        }
    }

    @Test("totalTimeout bounds the whole call")
    func totalTimeout() async throws {
        var configuration = OllamaClient.Configuration.forTests
        configuration.totalTimeout = .milliseconds(300)
        try await withFakeServer(Self.fiveChunks, client: configuration) { server, client in
            server.injectFault(.delayBetweenChunks(.milliseconds(150)))
            let error = try #require(await ollamaError { _ = try await client.generateText(Self.prompt) })
            #expect(error.timeoutPhase == .total)
        }
    }

    @Test("cancelling the consuming task closes the connection")
    func cancellation() async throws {
        try await withFakeServer(.init(chunkCount: 300)) { server, client in
            server.injectFault(.delayBetweenChunks(.milliseconds(100)))
            let (firstChunk, signal) = AsyncStream.makeStream(of: Void.self)
            let consumer = Task {
                var count = 0
                for try await _ in client.generate(GenerateRequest(model: "fake-chat", prompt: String(repeating: "x", count: 600))) {
                    count += 1
                    signal.yield()
                }
                return count
            }
            var waiter = firstChunk.makeAsyncIterator()
            _ = await waiter.next()
            consumer.cancel()
            #expect(await server.waitForDisconnectDuringResponse(within: .seconds(30)))
            let received = try await consumer.value
            #expect(received < 300)
        }
    }

    @Test("leaving the loop early closes the connection")
    func droppingTheStream() async throws {
        try await withFakeServer(.init(chunkCount: 300)) { server, client in
            server.injectFault(.delayBetweenChunks(.milliseconds(100)))
            for try await _ in client.generate(GenerateRequest(model: "fake-chat", prompt: String(repeating: "y", count: 600))) {
                break
            }
            #expect(await server.waitForDisconnectDuringResponse(within: .seconds(30)))
        }
    }

    @Test("a cancelled embed call throws cancelled")
    func cancelledEmbed() async throws {
        try await withFakeServer { server, client in
            server.injectFault(.delayFirstByte(Self.longPause))
            let task = Task { try await client.embed(model: "fake-embed", texts: ["a"]) }
            while server.requests().isEmpty { try await Task.sleep(for: .milliseconds(5)) }
            task.cancel()
            let error = try #require(await ollamaError { _ = try await task.value })
            #expect(error.code == .cancelled)
            #expect(await server.waitForDisconnectDuringResponse(within: .seconds(30)))
        }
    }
}
