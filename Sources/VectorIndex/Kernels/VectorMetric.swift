/// How closeness is measured. Every search returns neighbours by increasing ``Neighbor/distance``;
/// ``Neighbor/score`` turns it back into a similarity.
public enum VectorMetric: String, Sendable, Hashable, Codable, CaseIterable {
    /// Cosine similarity: vectors (and queries) are normalised to unit length on the way in, and
    /// the distance is `1 − cos`.
    case cosine
    /// Inner product, for vectors that are already normalised (MiniLM, nomic-embed-text) or whose
    /// length carries meaning: the distance is `1 − a·b`.
    case innerProduct = "ip"
    /// Euclidean: the distance is the squared L2 distance.
    case l2

    /// The distance between two vectors of `count` values as this metric defines it (the
    /// vectors as stored: for ``cosine`` already normalised).
    @inline(__always)
    func distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        switch self {
        case .cosine, .innerProduct: return 1 - DistanceKernels.dot(a, b, count: count)
        case .l2: return DistanceKernels.squaredL2(a, b, count: count)
        }
    }

    /// The similarity a distance stands for: `cos` or `a·b` for ``cosine`` and ``innerProduct``,
    /// and the negated squared distance for ``l2`` (so a larger score is always closer).
    @inlinable
    public func score(distance: Float) -> Float {
        switch self {
        case .cosine, .innerProduct: return 1 - distance
        case .l2: return -distance
        }
    }
}

/// One search result: a vector's id (its row: the position it was added at) and its distance
/// to the query under the index's metric.
public struct Neighbor: Sendable, Hashable, CustomStringConvertible {
    public var id: Int
    /// Lower is closer; see ``VectorMetric``.
    public var distance: Float

    public init(id: Int, distance: Float) {
        self.id = id
        self.distance = distance
    }

    public var description: String { "\(id) (\(distance))" }
}
