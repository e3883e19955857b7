import ColumnarCore

/// Exact search over vectors stored in fewer bits: int8 (4× smaller, a scale per vector) or
/// float16 (2× smaller). Scores are approximate; a caller that needs exact ones re-ranks the top
/// candidates against the float32 vectors (``rerank(_:query:vectors:metric:)``).
///
/// ```swift
/// let small = try QuantizedIndex(vectors: vectors, encoding: .int8)
/// let candidates = try small.search(query, k: 40)
/// ```
public struct QuantizedIndex: Sendable {
    public enum Encoding: String, Sendable, Hashable {
        /// Symmetric per-vector int8: `v ≈ scale · q`, `q` in −127…127.
        case int8
        /// IEEE half precision.
        case float16
    }

    public let encoding: Encoding
    public let metric: VectorMetric
    public let dimension: Int
    public let count: Int
    private let int8Values: [Int8]
    private let scales: [Float]
    private let halfValues: [Float16]

    /// Quantises `vectors` (normalised first for ``VectorMetric/cosine``). Only the dot-product
    /// metrics are supported.
    ///
    /// - Throws: ``VectorIndexError`` `.invalidArgument` for ``VectorMetric/l2``.
    public init(vectors: Vectors, encoding: Encoding, metric: VectorMetric = .cosine) throws(VectorIndexError) {
        guard metric != .l2 else { throw VectorIndexError(.invalidArgument, "quantised search supports cosine and inner product, not l2") }
        let source = ExactIndex(vectors: vectors, metric: metric).vectors
        self.encoding = encoding
        self.metric = metric
        dimension = source.dimension
        count = source.count
        let dimension = self.dimension, count = self.count
        let values = [Float](source.values)
        switch encoding {
        case .int8:
            var codes = [Int8](repeating: 0, count: values.count)
            var scales = [Float](repeating: 0, count: count)
            for row in 0..<count {
                let base = row * dimension
                var largest: Float = 0
                for i in 0..<dimension { largest = max(largest, abs(values[base + i])) }
                let scale = largest > 0 ? largest / 127 : 1
                scales[row] = scale
                for i in 0..<dimension { codes[base + i] = Int8(clamping: Int((values[base + i] / scale).rounded())) }
            }
            int8Values = codes
            self.scales = scales
            halfValues = []
        case .float16:
            halfValues = values.map { Float16($0) }
            int8Values = []
            scales = []
        }
    }

    /// The `k` vectors with the largest approximate dot product with `query`, closest first.
    public func search(_ query: [Float], k: Int) throws(VectorIndexError) -> [Neighbor] {
        let prepared = try prepareQuery(query, dimension: dimension, metric: metric)
        guard k > 0 else { throw VectorIndexError(.invalidArgument, "k must be at least 1, not \(k)") }
        var top = TopK(k: k)
        let dimension = self.dimension
        switch encoding {
        case .int8:
            var largest: Float = 0
            for v in prepared { largest = max(largest, abs(v)) }
            let queryScale = largest > 0 ? largest / 127 : 1
            let codes = prepared.map { Int8(clamping: Int(($0 / queryScale).rounded())) }
            int8Values.withUnsafeBufferPointer { base in
                codes.withUnsafeBufferPointer { q in
                    for row in 0..<count {
                        let dot = DistanceKernels.dot(base.baseAddress! + row &* dimension, q.baseAddress!, count: dimension)
                        let d = 1 - Float(dot) * scales[row] * queryScale
                        if d <= top.threshold { top.insert(d, Int32(truncatingIfNeeded: row)) }
                    }
                }
            }
        case .float16:
            halfValues.withUnsafeBufferPointer { base in
                prepared.withUnsafeBufferPointer { q in
                    for row in 0..<count {
                        let d = 1 - DistanceKernels.dot(base.baseAddress! + row &* dimension, q.baseAddress!, count: dimension)
                        if d <= top.threshold { top.insert(d, Int32(truncatingIfNeeded: row)) }
                    }
                }
            }
        }
        return top.sorted()
    }

    /// Recomputes the candidates' distances on the float32 vectors and orders them by it.
    public static func rerank(_ candidates: [Neighbor], query: [Float], vectors: ExactIndex, metric: VectorMetric) throws(VectorIndexError) -> [Neighbor] {
        let prepared = try prepareQuery(query, dimension: vectors.dimension, metric: metric)
        let dimension = vectors.dimension
        return vectors.vectors.values.withUnsafeBufferPointer { base in
            prepared.withUnsafeBufferPointer { q in
                candidates.map { candidate in
                    Neighbor(id: candidate.id, distance: metric.distance(base.baseAddress! + candidate.id * dimension, q.baseAddress!, count: dimension))
                }
            }
        }.sorted { $0.distance < $1.distance || ($0.distance == $1.distance && $0.id < $1.id) }
    }
}
