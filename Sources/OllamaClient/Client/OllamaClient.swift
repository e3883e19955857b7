// The client object: one AsyncHTTPClient, a base URL and a configuration; the small endpoints.

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A client for the native Ollama HTTP API (`/api/*`).
///
/// It wraps one AsyncHTTPClient `HTTPClient`, which it creates (and then owns) or which you inject.
/// All methods can be called concurrently. Streams (``generate(_:)``, ``chat(_:)``) cancel their HTTP
/// request, which makes the server stop generating, when the consuming task is cancelled or the stream
/// is dropped.
///
/// ```swift
/// let client = OllamaClient()                       // OLLAMA_HOST or http://127.0.0.1:11434
/// defer { Task { try await client.shutdown() } }
/// for try await chunk in client.generate(GenerateRequest(model: "llama3.2", prompt: "Hi")) {
///     print(chunk.response, terminator: "")
/// }
/// ```
///
/// Call ``shutdown()`` when done. If you do not, a client that owns its `HTTPClient` shuts it down in the
/// background when it is deallocated; an injected `HTTPClient` is never shut down by this type.
public final class OllamaClient: Sendable {
    /// Where the server is, e.g. `http://127.0.0.1:11434`.
    public let baseURL: URL
    /// Timeouts and retries.
    public let configuration: Configuration

    let httpClient: HTTPClient
    private let ownsHTTPClient: Bool
    private let isShutDown = Mutex(false)
    /// `baseURL` without a trailing slash, for building endpoint URLs and messages.
    let baseURLText: String

    /// A client with its own `HTTPClient` (connect timeout from `configuration`).
    ///
    /// - Parameters:
    ///   - baseURL: The server; defaults to ``defaultBaseURL`` (`OLLAMA_HOST`).
    ///   - configuration: Timeouts and retries.
    public init(baseURL: URL = OllamaClient.defaultBaseURL, configuration: Configuration = .init()) {
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.timeout = HTTPClient.Configuration.Timeout(
            connect: TimeAmount(configuration.connectTimeout), read: nil)
        // Fail at once when nothing listens, instead of retrying the connection until the connect timeout:
        // this client has its own retry policy.
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        httpConfiguration.redirectConfiguration = .disallow
        self.httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration)
        self.ownsHTTPClient = true
        self.baseURL = baseURL
        self.configuration = configuration
        self.baseURLText = Self.trimmedBaseURL(baseURL)
    }

    /// A client that sends its requests through `httpClient`, which the caller keeps and shuts down.
    ///
    /// The connect timeout is then the one configured on `httpClient`.
    public init(baseURL: URL = OllamaClient.defaultBaseURL, configuration: Configuration = .init(), httpClient: HTTPClient) {
        self.httpClient = httpClient
        self.ownsHTTPClient = false
        self.baseURL = baseURL
        self.configuration = configuration
        self.baseURLText = Self.trimmedBaseURL(baseURL)
    }

    deinit {
        guard ownsHTTPClient, !isShutDown.withLock({ $0 }) else { return }
        // A blocking syncShutdown would trap if the last reference died on an event loop; shut down
        // asynchronously instead. The task keeps the HTTPClient alive until it is shut down.
        let client = httpClient
        Task { try? await client.shutdown() }
    }

    /// Shuts down the owned `HTTPClient`, waiting for its connections to close. Idempotent; does nothing
    /// for an injected `HTTPClient`.
    public func shutdown() async throws {
        let first = isShutDown.withLock { state in
            defer { state = true }
            return !state
        }
        guard first, ownsHTTPClient else { return }
        try await httpClient.shutdown()
    }

    private static func trimmedBaseURL(_ url: URL) -> String {
        var text = url.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}

// MARK: - Discovery

extension OllamaClient {
    /// The server's version (`GET /api/version`), e.g. `"0.5.1"`.
    public func version() async throws -> String {
        let body = try await send(Call(method: .GET, endpoint: "/api/version"))
        return try decode(VersionBody.self, from: body, endpoint: "/api/version").version
    }

    /// The models installed on the server (`GET /api/tags`).
    public func tags() async throws -> [OllamaModelInfo] {
        let body = try await send(Call(method: .GET, endpoint: "/api/tags"))
        return try decode(TagsBody.self, from: body, endpoint: "/api/tags").models ?? []
    }

    /// Whether an Ollama server answers `GET /` at ``baseURL``. Never throws and never retries; waits
    /// at most the connect timeout for the answer to start.
    public func isRunning() async -> Bool {
        var call = Call(method: .GET, endpoint: "/")
        call.retryable = false
        call.firstByteTimeout = configuration.connectTimeout
        do {
            _ = try await send(call)
            return true
        } catch {
            return false
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if nanoseconds.overflow {
            self = .nanoseconds(seconds < 0 ? .min : .max)
        } else {
            self = .nanoseconds(nanoseconds.partialValue + attoseconds / 1_000_000_000)
        }
    }
}
