// POST /api/chat: messages, request, streamed chunk and collected result.

/// One message of a conversation.
public struct ChatMessage: Sendable, Hashable {
    /// Who wrote a message.
    public struct Role: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral {
        /// The role as sent, lower-cased (the server lower-cases it too).
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue.lowercased() }
        public init(stringLiteral value: String) { self.init(rawValue: value) }

        public static let system = Role(rawValue: "system")
        public static let user = Role(rawValue: "user")
        public static let assistant = Role(rawValue: "assistant")
        public static let tool = Role(rawValue: "tool")
    }

    /// Who wrote it.
    public var role: Role
    /// The text.
    public var content: String
    /// Base64-encoded images, for multimodal models.
    public var images: [String]?
    /// The model's reasoning (assistant messages, thinking models).
    public var thinking: String?
    /// Tool calls the model asked for, as Ollama sends them (`{"function": {"name", "arguments"}}`).
    public var toolCalls: [JSONValue]?
    /// The tool whose result this message carries (role `tool`).
    public var toolName: String?

    public init(
        role: Role, content: String, images: [String]? = nil, thinking: String? = nil,
        toolCalls: [JSONValue]? = nil, toolName: String? = nil
    ) {
        self.role = role
        self.content = content
        self.images = images
        self.thinking = thinking
        self.toolCalls = toolCalls
        self.toolName = toolName
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    /// An assistant message.
    public static func assistant(_ content: String) -> ChatMessage {
        ChatMessage(role: .assistant, content: content)
    }
}

extension ChatMessage: Codable {
    enum CodingKeys: String, CodingKey {
        case role, content, images, thinking
        case toolCalls = "tool_calls"
        case toolName = "tool_name"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decodeIfPresent(Role.self, forKey: .role) ?? .assistant
        content = try container.decodeIfPresent(String.self, forKey: .content) ?? ""
        images = try container.decodeIfPresent([String].self, forKey: .images)
        thinking = try container.decodeIfPresent(String.self, forKey: .thinking)
        toolCalls = try container.decodeIfPresent([JSONValue].self, forKey: .toolCalls)
        toolName = try container.decodeIfPresent(String.self, forKey: .toolName)
    }
}

/// A request to `POST /api/chat`.
///
/// ```swift
/// let request = ChatRequest(model: "llama3.2", messages: [.system("Be brief."), .user("Hi")])
/// let reply = try await client.chatText(request).message.content
/// ```
public struct ChatRequest: Sendable, Hashable, Codable {
    /// Model name, e.g. `"llama3.2"` (the tag defaults to `latest`).
    public var model: String
    /// The conversation so far; an empty list only loads the model.
    public var messages: [ChatMessage]
    /// Tool definitions (`{"type": "function", "function": {...}}`).
    public var tools: [JSONValue]?
    /// Constrains the reply to JSON or a JSON Schema.
    public var format: ResponseFormat?
    /// Model parameters.
    public var options: ModelOptions?
    /// How long the model stays loaded afterwards; `nil` means the server default.
    public var keepAlive: KeepAlive?
    /// `false` asks for one object instead of a stream; `nil` means the server default (`true`).
    public var stream: Bool?
    /// Turns thinking on or off for models that can think.
    public var think: Bool?
    /// Whether the server may cut the conversation to fit the context window (server default `true`).
    public var truncate: Bool?

    public init(
        model: String, messages: [ChatMessage], format: ResponseFormat? = nil, options: ModelOptions? = nil,
        keepAlive: KeepAlive? = nil, stream: Bool? = nil, think: Bool? = nil
    ) {
        self.model = model
        self.messages = messages
        self.format = format
        self.options = options
        self.keepAlive = keepAlive
        self.stream = stream
        self.think = think
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, tools, format, options, stream, think, truncate
        case keepAlive = "keep_alive"
    }
}

/// One chunk of a `/api/chat` stream; the last has `done == true`, a ``doneReason`` and ``metrics``.
public struct ChatChunk: Sendable, Hashable {
    /// The model that answered.
    public var model: String
    /// Creation time as the server wrote it (RFC 3339); kept as text.
    public var createdAt: String?
    /// The next piece of the assistant message.
    public var message: ChatMessage
    /// True on the last chunk.
    public var done: Bool
    /// Why generation ended: `"stop"`, `"length"`, `"load"` or `"unload"` (last chunk only).
    public var doneReason: String?
    /// Timings and token counts (last chunk only; empty otherwise).
    public var metrics: GenerationMetrics

    public init(
        model: String, createdAt: String? = nil, message: ChatMessage, done: Bool, doneReason: String? = nil,
        metrics: GenerationMetrics = .init()
    ) {
        self.model = model
        self.createdAt = createdAt
        self.message = message
        self.done = done
        self.doneReason = doneReason
        self.metrics = metrics
    }
}

extension ChatChunk: Codable {
    enum CodingKeys: String, CodingKey {
        case model, message, done
        case createdAt = "created_at"
        case doneReason = "done_reason"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model) ?? ""
        createdAt = try? container.decodeIfPresent(String.self, forKey: .createdAt)
        message =
            try container.decodeIfPresent(ChatMessage.self, forKey: .message)
            ?? ChatMessage(role: .assistant, content: "")
        done = try container.decodeIfPresent(Bool.self, forKey: .done) ?? false
        doneReason = try container.decodeIfPresent(String.self, forKey: .doneReason)
        metrics = try GenerationMetrics(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
        try container.encode(message, forKey: .message)
        try container.encode(done, forKey: .done)
        try container.encodeIfPresent(doneReason, forKey: .doneReason)
        try metrics.encode(to: encoder)
    }
}

/// A whole `/api/chat` reply: the assistant message assembled from the chunks, and the final report.
public struct ChatResult: Sendable, Hashable {
    /// The model that answered.
    public var model: String
    /// The assistant's message: the chunks' content (and thinking) joined, with any tool calls.
    public var message: ChatMessage
    /// Why generation ended: `"stop"`, `"length"`, `"load"` or `"unload"`.
    public var doneReason: String?
    /// Timings and token counts.
    public var metrics: GenerationMetrics

    public init(model: String, message: ChatMessage, doneReason: String? = nil, metrics: GenerationMetrics = .init()) {
        self.model = model
        self.message = message
        self.doneReason = doneReason
        self.metrics = metrics
    }
}
