// GET /api/tags: the models installed on the server.

/// A model installed on the server, as `GET /api/tags` lists it.
public struct OllamaModelInfo: Sendable, Hashable, Codable {
    /// Details of a model's file.
    public struct Details: Sendable, Hashable, Codable {
        /// The model this one was made from, if any.
        public var parentModel: String?
        /// File format, e.g. `"gguf"`.
        public var format: String?
        /// Architecture family, e.g. `"llama"`.
        public var family: String?
        /// All families the model belongs to.
        public var families: [String]?
        /// e.g. `"3.2B"`.
        public var parameterSize: String?
        /// e.g. `"Q4_K_M"`.
        public var quantizationLevel: String?
        /// The model's context window in tokens, when reported.
        public var contextLength: Int?
        /// The vector length of an embedding model, when reported.
        public var embeddingLength: Int?

        enum CodingKeys: String, CodingKey {
            case format, family, families
            case parentModel = "parent_model"
            case parameterSize = "parameter_size"
            case quantizationLevel = "quantization_level"
            case contextLength = "context_length"
            case embeddingLength = "embedding_length"
        }
    }

    /// Full name with tag, e.g. `"llama3.2:latest"`.
    public var name: String
    /// The model's name as the server reports it (usually equal to ``name``).
    public var model: String?
    /// Modification time as the server wrote it (RFC 3339); kept as text.
    public var modifiedAt: String?
    /// Size on disk in bytes.
    public var size: Int64?
    /// SHA-256 of the model's manifest.
    public var digest: String?
    /// Format, family, size and quantisation.
    public var details: Details?
    /// e.g. `["completion", "tools", "embedding"]`, when the server reports them.
    public var capabilities: [String]?

    public init(name: String, model: String? = nil, size: Int64? = nil, details: Details? = nil) {
        self.name = name
        self.model = model
        self.size = size
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case name, model, size, digest, details, capabilities
        case modifiedAt = "modified_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? model ?? ""
        modifiedAt = try? container.decodeIfPresent(String.self, forKey: .modifiedAt)
        size = try container.decodeIfPresent(Int64.self, forKey: .size)
        digest = try container.decodeIfPresent(String.self, forKey: .digest)
        details = try? container.decodeIfPresent(Details.self, forKey: .details)
        capabilities = try container.decodeIfPresent([String].self, forKey: .capabilities)
    }
}

/// `GET /api/tags` and `GET /api/version` bodies.
struct TagsBody: Decodable {
    var models: [OllamaModelInfo]?
}

struct VersionBody: Decodable {
    var version: String
}
