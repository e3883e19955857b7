// The Embedder protocol: text in, unit-length vectors out, with an identity that says which vectors.

/// Which embedder made a vector: vectors from different identities must never be compared.
///
/// An index stores the identity next to its vectors and refuses queries embedded by another one.
public struct EmbedderIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A stable name, e.g. `"builtin-hash-v1"` or `"ollama:nomic-embed-text:latest"`.
    public var id: String
    /// Values per vector; 0 while an ``OllamaEmbedder`` has not learnt it yet.
    public var dimension: Int

    public init(id: String, dimension: Int) {
        self.id = id
        self.dimension = dimension
    }

    /// `id (dimension-d)`, e.g. `builtin-hash-v1 (384-d)`.
    public var description: String { "\(id) (\(dimension)-d)" }
}

/// Turns texts into vectors for similarity search.
///
/// ```swift
/// let embedder: any Embedder = BuiltinEmbedder()
/// let vectors = try await embedder.embed(["kubernetes migration", "pastry chef"])
/// ```
public protocol Embedder: Sendable {
    /// The name and dimension of the vectors this embedder makes.
    var identity: EmbedderIdentity { get }

    /// One unit-length float32 vector per text, in order, each of `identity.dimension` values.
    ///
    /// An embedder may return an all-zero vector for a text with nothing to embed (see
    /// ``BuiltinEmbedder``).
    func embed(_ texts: [String]) async throws -> [[Float]]
}

/// Scales `vector` to unit length in place; leaves an all-zero vector as it is.
@inlinable
func normalizeToUnitLength(_ vector: inout [Float]) {
    var sumOfSquares: Float = 0
    for value in vector { sumOfSquares += value * value }
    guard sumOfSquares > 0 else { return }
    let scale = 1 / sumOfSquares.squareRoot()
    for index in vector.indices { vector[index] *= scale }
}
