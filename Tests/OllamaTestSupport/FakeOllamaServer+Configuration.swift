// What a FakeOllamaServer knows (models, scripted replies), the faults it can inject, and what it records.

import NIOHTTP1

extension FakeOllamaServer {
    /// How the fake turns a text into a vector.
    public enum EmbeddingFunction: Sendable {
        /// A hash of the text spread over the model's dimension and scaled to unit length: equal texts give
        /// equal vectors, different texts unrelated ones.
        case hashed
        /// Vectors from a closure, e.g. `BuiltinEmbedder().vector(for:)`, for tests that need meaningful
        /// neighbours. They are scaled to unit length and cut by `dimensions` like hashed ones.
        case custom(@Sendable (String) -> [Float])
    }

    /// A canned reply: used when the prompt (or the last user message) contains `whenContains`.
    public struct ScriptedReply: Sendable, Hashable {
        public var whenContains: String
        public var reply: String

        public init(whenContains: String, reply: String) {
            self.whenContains = whenContains
            self.reply = reply
        }
    }

    /// The fake's models and behaviour.
    public struct Configuration: Sendable {
        /// Reported by `GET /api/version`.
        public var version: String
        /// Embedding models and their vector length. Names without a tag mean `:latest`.
        public var embeddingModels: [String: Int]
        /// Models that generate and chat.
        public var chatModels: [String]
        public var embedding: EmbeddingFunction
        /// Longest input (in characters) an embedding model takes; longer ones are cut, or rejected with
        /// 400 when the request says `truncate: false`. `nil` for no limit.
        public var maxInputLength: Int?
        /// Canned replies, tried in order; otherwise the fake answers `You said: <prompt>`.
        public var replies: [ScriptedReply]
        /// The reply used when a request sets `format` and no scripted reply matches.
        public var jsonReply: String
        /// Content chunks per streamed reply (before the final `done` line).
        public var chunkCount: Int

        public init(
            version: String = "0.0.0-fake",
            embeddingModels: [String: Int] = ["fake-embed": 8],
            chatModels: [String] = ["fake-chat"],
            embedding: EmbeddingFunction = .hashed,
            maxInputLength: Int? = nil,
            replies: [ScriptedReply] = [],
            jsonReply: String = #"{"answer":42}"#,
            chunkCount: Int = 3
        ) {
            self.version = version
            self.embeddingModels = embeddingModels
            self.chatModels = chatModels
            self.embedding = embedding
            self.maxInputLength = maxInputLength
            self.replies = replies
            self.jsonReply = jsonReply
            self.chunkCount = chunkCount
        }
    }

    /// A failure the fake injects into the next model requests (`POST /api/embed`, `/api/embeddings`,
    /// `/api/generate`, `/api/chat`). Chunk counts refer to the content chunks of a streamed reply.
    public enum Fault: Sendable, Hashable {
        /// Wait before sending anything (a model that loads slowly).
        case delayFirstByte(Duration)
        /// Wait before each chunk after the first.
        case delayBetweenChunks(Duration)
        /// After this many chunks, send `{"error": message}` and end the stream (HTTP status stays 200).
        case errorLine(afterChunks: Int, message: String = "an error was encountered while running the model")
        /// Answer 503 `server busy, please try again.  maximum pending requests exceeded`.
        case busy
        /// Answer 500 `llm server loading model`.
        case loadingModel
        /// After this many chunks, close the connection without ending the body.
        case closeConnection(afterChunks: Int)
        /// After this many chunks, end the body properly but without a `done` line.
        case endWithoutDone(afterChunks: Int)
        /// After this many chunks, send a line that is not JSON (for non-streamed replies: the whole body).
        case malformedLine(afterChunks: Int)
    }

    /// A request as the fake received it.
    public struct RecordedRequest: Sendable, Hashable {
        public var method: String
        /// The path without the query.
        public var path: String
        /// Header names lower-cased; repeated headers joined with `, `.
        public var headers: [String: String]
        /// The body parsed as JSON, `nil` if empty or not JSON.
        public var body: FakeJSON?
        /// The raw body text.
        public var rawBody: String
    }

    /// A connection the client closed.
    public struct RecordedDisconnect: Sendable, Hashable {
        /// The request being answered when it closed, or `nil` if the connection was idle.
        public var path: String?
        /// Whether a reply was still being sent (or about to be, after a delay).
        public var duringResponse: Bool { path != nil }
    }
}
