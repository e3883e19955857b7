// POST /api/embed: request and response.

/// A request to `POST /api/embed`: a batch of texts, each embedded independently.
public struct EmbedRequest: Sendable, Hashable, Codable {
    /// An embedding model, e.g. `"nomic-embed-text"`.
    public var model: String
    /// The texts, in order; the response has one vector per text.
    public var input: [String]
    /// Whether the server may cut over-long inputs (server default `true`); `false` makes it answer 400.
    public var truncate: Bool?
    /// Cut each vector to this many values and re-normalise (models that support it).
    public var dimensions: Int?
    /// How long the model stays loaded afterwards; `nil` means the server default.
    public var keepAlive: KeepAlive?
    /// Model parameters, e.g. `numCtx`.
    public var options: ModelOptions?

    public init(
        model: String, input: [String], truncate: Bool? = nil, dimensions: Int? = nil, keepAlive: KeepAlive? = nil,
        options: ModelOptions? = nil
    ) {
        self.model = model
        self.input = input
        self.truncate = truncate
        self.dimensions = dimensions
        self.keepAlive = keepAlive
        self.options = options
    }

    enum CodingKeys: String, CodingKey {
        case model, input, truncate, dimensions, options
        case keepAlive = "keep_alive"
    }
}

/// The reply of `POST /api/embed`: one unit-length vector per input, in order.
public struct EmbedResponse: Sendable, Hashable, Codable {
    /// The model that answered.
    public var model: String
    /// One vector per input, in order.
    public var embeddings: [[Float]]
    /// Wall time in nanoseconds.
    public var totalDuration: Int64?
    /// Model load time in nanoseconds.
    public var loadDuration: Int64?
    /// Tokens over all inputs.
    public var promptEvalCount: Int?

    public init(
        model: String, embeddings: [[Float]], totalDuration: Int64? = nil, loadDuration: Int64? = nil,
        promptEvalCount: Int? = nil
    ) {
        self.model = model
        self.embeddings = embeddings
        self.totalDuration = totalDuration
        self.loadDuration = loadDuration
        self.promptEvalCount = promptEvalCount
    }

    enum CodingKeys: String, CodingKey {
        case model, embeddings
        case totalDuration = "total_duration"
        case loadDuration = "load_duration"
        case promptEvalCount = "prompt_eval_count"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model) ?? ""
        embeddings = try container.decodeIfPresent([[Float]].self, forKey: .embeddings) ?? []
        totalDuration = try container.decodeIfPresent(Int64.self, forKey: .totalDuration)
        loadDuration = try container.decodeIfPresent(Int64.self, forKey: .loadDuration)
        promptEvalCount = try container.decodeIfPresent(Int.self, forKey: .promptEvalCount)
    }
}
