// The one error type of the module, in the shape of NIOFS's FileSystemError: a code, a one-line
// message, the coordinates (server, endpoint, model, status), an optional cause and the source location.

/// An error from the Ollama client or server.
///
/// Switch on ``code`` to react; show ``description`` (one line) to people. The message already says
/// what to do for the two errors a user meets first:
///
/// ```swift
/// do {
///     _ = try await client.embed(model: "nomic-embed-text", texts: ["hello"])
/// } catch let error as OllamaError where error.code == .modelNotFound {
///     print(error)   // Model 'nomic-embed-text' is not available … Run `ollama pull nomic-embed-text`.
/// }
/// ```
public struct OllamaError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a value to switch on. New codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case serverNotRunning, modelNotFound, badRequest, busy, server, truncatedStream,
                malformedResponse, timeout, cancelled, invalidConfiguration
        }

        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        public var description: String { wrapped.rawValue }

        /// Nothing answers at the base URL (connection refused or the host cannot be reached).
        public static let serverNotRunning = Code(.serverNotRunning)
        /// The server does not have the model (HTTP 404). ``OllamaError/model`` names it.
        public static let modelNotFound = Code(.modelNotFound)
        /// The server rejected the request (HTTP 400), e.g. an input longer than the context.
        public static let badRequest = Code(.badRequest)
        /// The server's queue is full (HTTP 503); retried before it is thrown.
        public static let busy = Code(.busy)
        /// Any other server failure: a non-2xx status, or an `{"error": …}` line inside a 200 stream.
        public static let server = Code(.server)
        /// The stream ended (or the connection dropped) before the `done: true` line.
        public static let truncatedStream = Code(.truncatedStream)
        /// A response body or NDJSON line that is not the JSON expected; ``OllamaError/excerpt`` holds it.
        public static let malformedResponse = Code(.malformedResponse)
        /// A timeout expired; ``OllamaError/timeoutPhase`` says which.
        public static let timeout = Code(.timeout)
        /// The calling task was cancelled; the HTTP request was cancelled with it.
        public static let cancelled = Code(.cancelled)
        /// The client was set up or called with values that cannot work (a bad URL, a batch size of 0…).
        public static let invalidConfiguration = Code(.invalidConfiguration)
    }

    /// Which of the client's timeouts expired.
    public enum TimeoutPhase: String, Sendable, Hashable {
        /// Opening the TCP connection.
        case connect
        /// Waiting for the response to start (includes model loading and, without streaming, generation).
        case firstByte
        /// Waiting for the next chunk of a response that has started.
        case idle
        /// The whole call, retries included.
        case total
    }

    /// What went wrong.
    public var code: Code
    /// One line for people, without the code.
    public var message: String
    /// The server's base URL.
    public var baseURL: String?
    /// The endpoint called, e.g. `"/api/embed"`.
    public var endpoint: String?
    /// The model the request named.
    public var model: String?
    /// The HTTP status, when the server answered with one (200 for an error line inside a stream).
    public var status: Int?
    /// The error text the server sent, if any.
    public var serverMessage: String?
    /// For ``Code/timeout``: which timeout expired.
    public var timeoutPhase: TimeoutPhase?
    /// For ``Code/malformedResponse``: the start of the offending line or body.
    public var excerpt: String?
    /// The lower-level error that caused this one.
    public var underlying: (any Error)?
    /// Where in the client the error was raised.
    public var location: SourceLocation

    /// The source location at which an error was created.
    public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
        public var function: String
        public var file: String
        public var line: Int

        public init(function: String, file: String, line: Int) {
            self.function = function
            self.file = file
            self.line = line
        }

        public var description: String { "\(file):\(line)" }
    }

    /// Whether the request may be sent again: nothing of a reply was consumed (internal policy).
    var isRetryable = false

    public init(
        code: Code, message: String, baseURL: String? = nil, endpoint: String? = nil, model: String? = nil,
        status: Int? = nil, serverMessage: String? = nil, timeoutPhase: TimeoutPhase? = nil,
        excerpt: String? = nil, underlying: (any Error)? = nil,
        function: String = #function, file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.baseURL = baseURL
        self.endpoint = endpoint
        self.model = model
        self.status = status
        self.serverMessage = serverMessage
        self.timeoutPhase = timeoutPhase
        self.excerpt = excerpt
        self.underlying = underlying
        self.location = SourceLocation(function: function, file: file, line: line)
    }

    /// `code: message`, on one line.
    public var description: String {
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return "\(code): \(oneLine)"
    }
}

// MARK: - Constructors with the house wording

extension OllamaError {
    static func serverNotRunning(
        baseURL: String, endpoint: String?, underlying: (any Error)?,
        file: String = #fileID, line: Int = #line
    ) -> OllamaError {
        var error = OllamaError(
            code: .serverNotRunning,
            message: "No Ollama server answers at \(baseURL). Start it with `ollama serve` (or set OLLAMA_HOST), "
                + "or use the built-in embedder (--embedder builtin).",
            baseURL: baseURL, endpoint: endpoint, underlying: underlying, file: file, line: line)
        error.isRetryable = true
        return error
    }

    static func modelNotFound(
        model: String, baseURL: String, endpoint: String?, serverMessage: String?,
        file: String = #fileID, line: Int = #line
    ) -> OllamaError {
        OllamaError(
            code: .modelNotFound,
            message: "Model '\(model)' is not available on the Ollama server at \(baseURL). Run `ollama pull \(model)`.",
            baseURL: baseURL, endpoint: endpoint, model: model, status: 404, serverMessage: serverMessage,
            file: file, line: line)
    }

    static func timeout(
        _ phase: TimeoutPhase, after limit: Duration, baseURL: String, endpoint: String?, model: String?,
        file: String = #fileID, line: Int = #line
    ) -> OllamaError {
        let what: String
        switch phase {
        case .connect: what = "connecting to the Ollama server"
        case .firstByte: what = "waiting for the server to start answering (the model may still be loading)"
        case .idle: what = "waiting for the next chunk of the reply"
        case .total: what = "the whole request"
        }
        return OllamaError(
            code: .timeout,
            message: "Timed out after \(limit) \(what) at \(baseURL)\(endpoint ?? "").",
            baseURL: baseURL, endpoint: endpoint, model: model, timeoutPhase: phase, file: file, line: line)
    }

    static func cancelled(baseURL: String, endpoint: String?, file: String = #fileID, line: Int = #line)
        -> OllamaError
    {
        OllamaError(
            code: .cancelled, message: "The request to \(baseURL)\(endpoint ?? "") was cancelled.",
            baseURL: baseURL, endpoint: endpoint, file: file, line: line)
    }

    static func invalidConfiguration(_ message: String, file: String = #fileID, line: Int = #line) -> OllamaError {
        OllamaError(code: .invalidConfiguration, message: message, file: file, line: line)
    }

    /// Keeps at most `limit` characters of `text` on one line, for error messages.
    static func excerpt(of text: String, limit: Int = 200) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: "⏎")
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
    }
}
