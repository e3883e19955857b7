import VectorIndex

/// Seeded random vectors for the unit tests (xorshift, so every run sees the same data).
struct TestRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    /// Uniform in [-1, 1).
    mutating func unit() -> Float { Float(Double(next() >> 11) / 4_503_599_627_370_496.0 - 1) }

    mutating func vectors(_ count: Int, dimension: Int) -> [[Float]] {
        (0..<count).map { _ in (0..<dimension).map { _ in unit() } }
    }

    /// Vectors around `centres` random centres, so neighbourhoods have structure as real
    /// embeddings do.
    mutating func clustered(_ count: Int, dimension: Int, centres: Int) -> [[Float]] {
        let middles = vectors(centres, dimension: dimension)
        return (0..<count).map { i in middles[i % centres].map { $0 + 0.35 * unit() } }
    }
}

/// The reference answer: every distance in float64, sorted (ties by id).
func bruteForce(_ data: [[Float]], _ query: [Float], k: Int, metric: VectorMetric, allowed: ((Int) -> Bool)? = nil) -> [Int] {
    func norm(_ v: [Float]) -> Double { v.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
    let qn = norm(query)
    var scored: [(Double, Int)] = []
    for (id, row) in data.enumerated() where allowed?(id) ?? true {
        var d: Double
        switch metric {
        case .l2: d = zip(row, query).reduce(0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }
        case .innerProduct: d = 1 - zip(row, query).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        case .cosine: d = 1 - zip(row, query).reduce(0) { $0 + Double($1.0) * Double($1.1) } / (norm(row) * qn)
        }
        scored.append((d, id))
    }
    scored.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
    return scored.prefix(k).map(\.1)
}

func recall(_ found: [Neighbor], _ truth: [Int]) -> Double {
    Double(Set(found.map(\.id)).intersection(truth).count) / Double(truth.count)
}
