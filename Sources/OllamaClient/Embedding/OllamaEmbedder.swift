// An Embedder backed by an Ollama embedding model through /api/embed.

/// An ``Embedder`` that asks an Ollama server's embedding model.
///
/// The vector length of a model is only known once it has answered, so either pass `dimension`, or
/// create the embedder with ``connect(client:model:)``, which embeds a probe text once to learn it:
///
/// ```swift
/// let embedder = try await OllamaEmbedder.connect(client: client, model: "nomic-embed-text")
/// embedder.identity   // ollama:nomic-embed-text:latest (768-d)
/// ```
///
/// Texts are sent in batches of `batchSize` with `truncate: false` by default, so an over-long text is
/// an error (``OllamaError/Code/badRequest``) rather than silently cut. Vectors are checked to have the
/// identity's dimension and re-normalised to unit length.
public struct OllamaEmbedder: Embedder {
    /// The client that sends the requests.
    public let client: OllamaClient
    /// The model, with its tag (`:latest` when none was given).
    public let model: String
    /// Texts per `/api/embed` request.
    public let batchSize: Int
    /// Whether the server may cut over-long texts.
    public let truncate: Bool
    private let dimension: Int?

    /// - Parameters:
    ///   - model: An embedding model installed on the server; a missing tag means `:latest`.
    ///   - dimension: The vector length if known. It is also sent as `dimensions`, so a smaller value
    ///     than the model's asks the server to shorten the vectors (models that support it). `nil`:
    ///     ``identity`` has dimension 0 until you use ``resolveIdentity()`` or ``connect(client:model:)``.
    ///   - batchSize: Texts per request (16–64 is the usual advice).
    ///   - truncate: Let the server cut texts longer than the model's context instead of failing.
    public init(
        client: OllamaClient, model: String = "nomic-embed-text", dimension: Int? = nil, batchSize: Int = 32,
        truncate: Bool = false
    ) {
        self.client = client
        self.model = Self.normalizedModelName(model)
        self.dimension = dimension
        self.batchSize = batchSize
        self.truncate = truncate
    }

    /// `ollama:<model:tag>` with the dimension given or learnt (0 if neither).
    public var identity: EmbedderIdentity {
        EmbedderIdentity(id: "ollama:\(model)", dimension: dimension ?? 0)
    }

    /// The identity with the model's real dimension: ``identity`` if the dimension is known, otherwise
    /// learnt by embedding one probe text.
    public func resolveIdentity() async throws -> EmbedderIdentity {
        if let dimension { return EmbedderIdentity(id: identity.id, dimension: dimension) }
        let probe = try await client.embed(model: model, texts: ["dimension probe"], batchSize: 1, truncate: true)
        return EmbedderIdentity(id: identity.id, dimension: probe.first?.count ?? 0)
    }

    /// An embedder whose dimension has been learnt from the server (one probe request). Fails early,
    /// with the `ollama serve` / `ollama pull` hints, when the server or the model is missing.
    public static func connect(client: OllamaClient, model: String = "nomic-embed-text") async throws -> OllamaEmbedder {
        let unresolved = OllamaEmbedder(client: client, model: model)
        let resolved = try await unresolved.resolveIdentity()
        return OllamaEmbedder(client: client, model: model, dimension: resolved.dimension)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        var vectors = try await client.embed(
            model: model, texts: texts, batchSize: batchSize, truncate: truncate, dimensions: dimension)
        if let dimension, let wrong = vectors.first(where: { $0.count != dimension }) {
            throw OllamaError(
                code: .malformedResponse,
                message: "Model '\(model)' returned vectors of \(wrong.count) values, but this embedder was set up "
                    + "for \(dimension). Create it with OllamaEmbedder.connect to learn the model's dimension.",
                baseURL: client.baseURLText, endpoint: "/api/embed", model: model)
        }
        for index in vectors.indices { normalizeToUnitLength(&vectors[index]) }
        return vectors
    }

    /// `name` with `:latest` added when its last path component has no tag.
    public static func normalizedModelName(_ name: String) -> String {
        let lastComponent = name.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(name)
        return lastComponent.contains(":") ? name : name + ":latest"
    }
}
