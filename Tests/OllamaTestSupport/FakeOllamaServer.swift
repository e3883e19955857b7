// A fake Ollama server on loopback for tests: the real wire format (research/ollama-api.md §14), scripted
// replies, injected faults, and a record of every request and disconnect.

import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An HTTP/1.1 server on `127.0.0.1` that answers like Ollama.
///
/// ```swift
/// let server = try await FakeOllamaServer.start()
/// defer { Task { try await server.stop() } }
/// server.injectFault(.busy, forNext: 2)
/// let client = OllamaClient(baseURL: server.baseURL)
/// _ = try await client.embed(model: "fake-embed", texts: ["a"])   // retried twice
/// #expect(server.requests().count == 3)
/// ```
///
/// Models: `fake-embed` (8 values) and `fake-chat` unless configured otherwise. Endpoints: `GET`/`HEAD /`,
/// `GET /api/version`, `GET /api/tags`, `POST /api/embed`, `/api/embeddings`, `/api/generate`, `/api/chat`.
public final class FakeOllamaServer: Sendable {
    /// The server's address, e.g. `http://127.0.0.1:54321`.
    public let baseURL: URL
    /// The port it listens on.
    public let port: Int
    public let configuration: Configuration

    private let channel: any Channel
    let state: State

    private init(channel: any Channel, port: Int, configuration: Configuration, state: State) {
        self.channel = channel
        self.port = port
        self.configuration = configuration
        self.state = state
        self.baseURL = URL(string: "http://127.0.0.1:\(port)")!
    }

    /// Starts a server on an ephemeral port of `127.0.0.1`.
    public static func start(configuration: Configuration = .init()) async throws -> FakeOllamaServer {
        let state = State()
        let routes = FakeOllamaRoutes(configuration: configuration)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                state.opened(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(FakeOllamaHandler(routes: routes, state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw FakeServerError(message: "the fake Ollama server did not report its port")
        }
        return FakeOllamaServer(channel: channel, port: port, configuration: configuration, state: state)
    }

    /// A loopback port on which nothing listens (bound, read and closed again), for "connection
    /// refused" tests.
    public static func unusedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = channel.localAddress?.port
        try await channel.close()
        guard let port else { throw FakeServerError(message: "no port reported") }
        return port
    }

    /// Stops listening and closes every open connection.
    public func stop() async throws {
        try? await channel.close()
        for connection in state.openConnections() {
            try? await connection.close()
        }
    }

    /// Every request received so far, in arrival order.
    public func requests() -> [RecordedRequest] {
        state.mutex.withLock { $0.requests }
    }

    /// The requests received for `path`, in arrival order.
    public func requests(to path: String) -> [RecordedRequest] {
        requests().filter { $0.path == path }
    }

    /// Every connection the client closed, in order.
    public func disconnects() -> [RecordedDisconnect] {
        state.mutex.withLock { $0.disconnects }
    }

    /// Makes the next `count` model requests fail with `fault`. Faults queued together combine
    /// (e.g. a delay between chunks and a close after three).
    public func injectFault(_ fault: Fault, forNext count: Int = 1) {
        guard count > 0 else { return }
        state.mutex.withLock { $0.faults.append((fault, count)) }
    }

    /// Forgets the recorded requests and disconnects and any faults still queued.
    public func reset() {
        state.mutex.withLock { inner in
            inner.requests.removeAll()
            inner.disconnects.removeAll()
            inner.faults.removeAll()
        }
    }

    /// Waits until a client closed a connection in the middle of a reply; `false` if none did within
    /// `timeout`.
    public func waitForDisconnectDuringResponse(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if disconnects().contains(where: \.duringResponse) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return disconnects().contains(where: \.duringResponse)
    }
}

extension FakeOllamaServer {
    /// The shared, locked state: records, queued faults, open connections.
    final class State: Sendable {
        struct Inner {
            var requests: [RecordedRequest] = []
            var disconnects: [RecordedDisconnect] = []
            var faults: [(fault: Fault, remaining: Int)] = []
            var connections: [ObjectIdentifier: any Channel] = [:]
        }

        let mutex = Mutex(Inner())

        func opened(_ channel: any Channel) {
            mutex.withLock { $0.connections[ObjectIdentifier(channel)] = channel }
        }

        func closed(_ channel: any Channel, during path: String?) {
            mutex.withLock { inner in
                inner.connections[ObjectIdentifier(channel)] = nil
                inner.disconnects.append(RecordedDisconnect(path: path))
            }
        }

        func openConnections() -> [any Channel] {
            mutex.withLock { Array($0.connections.values) }
        }

        /// Records `request` and takes the faults that apply to it.
        func received(_ request: RecordedRequest, takesFaults: Bool) -> [Fault] {
            mutex.withLock { inner in
                inner.requests.append(request)
                guard takesFaults else { return [] }
                var taken: [Fault] = []
                for index in inner.faults.indices where inner.faults[index].remaining > 0 {
                    taken.append(inner.faults[index].fault)
                    inner.faults[index].remaining -= 1
                }
                inner.faults.removeAll { $0.remaining == 0 }
                return taken
            }
        }
    }
}

/// The fake server could not start.
public struct FakeServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
