// POST /api/generate: request, streamed chunk and collected result.

/// A request to `POST /api/generate`: one prompt, no conversation history.
///
/// ```swift
/// var request = GenerateRequest(model: "llama3.2", prompt: "Why is the sky blue?")
/// request.options = ModelOptions(temperature: 0)
/// let result = try await client.generateText(request)
/// ```
public struct GenerateRequest: Sendable, Hashable, Codable {
    /// Model name, e.g. `"llama3.2"` (the tag defaults to `latest`).
    public var model: String
    /// The prompt; an empty prompt only loads the model.
    public var prompt: String
    /// Text after the insertion point, for fill-in-the-middle models.
    public var suffix: String?
    /// Overrides the Modelfile's system prompt.
    public var system: String?
    /// Overrides the Modelfile's prompt template.
    public var template: String?
    /// Base64-encoded images, for multimodal models.
    public var images: [String]?
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
    /// Sends the prompt without templating.
    public var raw: Bool?
    /// Whether the server may cut the prompt to fit the context window (server default `true`).
    public var truncate: Bool?

    public init(
        model: String, prompt: String, system: String? = nil, format: ResponseFormat? = nil,
        options: ModelOptions? = nil, keepAlive: KeepAlive? = nil, stream: Bool? = nil, think: Bool? = nil
    ) {
        self.model = model
        self.prompt = prompt
        self.system = system
        self.format = format
        self.options = options
        self.keepAlive = keepAlive
        self.stream = stream
        self.think = think
    }

    enum CodingKeys: String, CodingKey {
        case model, prompt, suffix, system, template, images, format, options, stream, think, raw, truncate
        case keepAlive = "keep_alive"
    }
}

/// One chunk of a `/api/generate` stream.
///
/// Chunks before the last carry a piece of ``response``; the last has `done == true`, usually an empty
/// ``response``, a ``doneReason`` and the ``metrics``.
public struct GenerateChunk: Sendable, Hashable {
    /// The model that answered.
    public var model: String
    /// Creation time as the server wrote it (RFC 3339); kept as text.
    public var createdAt: String?
    /// The next piece of generated text.
    public var response: String
    /// The next piece of the model's reasoning, when thinking is on.
    public var thinking: String?
    /// True on the last chunk.
    public var done: Bool
    /// Why generation ended: `"stop"`, `"length"`, `"load"` or `"unload"` (last chunk only).
    public var doneReason: String?
    /// Deprecated conversation state, returned on the last chunk.
    public var context: [Int]?
    /// Timings and token counts (last chunk only; empty otherwise).
    public var metrics: GenerationMetrics

    public init(
        model: String, createdAt: String? = nil, response: String, thinking: String? = nil, done: Bool,
        doneReason: String? = nil, context: [Int]? = nil, metrics: GenerationMetrics = .init()
    ) {
        self.model = model
        self.createdAt = createdAt
        self.response = response
        self.thinking = thinking
        self.done = done
        self.doneReason = doneReason
        self.context = context
        self.metrics = metrics
    }
}

extension GenerateChunk: Codable {
    enum CodingKeys: String, CodingKey {
        case model, response, thinking, done, context
        case createdAt = "created_at"
        case doneReason = "done_reason"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model) ?? ""
        createdAt = try? container.decodeIfPresent(String.self, forKey: .createdAt)
        response = try container.decodeIfPresent(String.self, forKey: .response) ?? ""
        thinking = try container.decodeIfPresent(String.self, forKey: .thinking)
        done = try container.decodeIfPresent(Bool.self, forKey: .done) ?? false
        doneReason = try container.decodeIfPresent(String.self, forKey: .doneReason)
        context = try container.decodeIfPresent([Int].self, forKey: .context)
        metrics = try GenerationMetrics(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
        try container.encode(response, forKey: .response)
        try container.encodeIfPresent(thinking, forKey: .thinking)
        try container.encode(done, forKey: .done)
        try container.encodeIfPresent(doneReason, forKey: .doneReason)
        try container.encodeIfPresent(context, forKey: .context)
        try metrics.encode(to: encoder)
    }
}

/// A whole `/api/generate` reply: the chunks' text joined, and what the last chunk reported.
public struct GenerateResult: Sendable, Hashable {
    /// The model that answered.
    public var model: String
    /// The generated text.
    public var text: String
    /// The model's reasoning, when thinking was on.
    public var thinking: String?
    /// Why generation ended: `"stop"`, `"length"`, `"load"` or `"unload"`.
    public var doneReason: String?
    /// Conversation state for a follow-up request (deprecated by Ollama).
    public var context: [Int]?
    /// Timings and token counts.
    public var metrics: GenerationMetrics

    public init(
        model: String, text: String, thinking: String? = nil, doneReason: String? = nil, context: [Int]? = nil,
        metrics: GenerationMetrics = .init()
    ) {
        self.model = model
        self.text = text
        self.thinking = thinking
        self.doneReason = doneReason
        self.context = context
        self.metrics = metrics
    }
}
