// Deterministic vectors for the fake server's embedding models.

enum FakeEmbeddings {
    /// A hash of `text` (FNV-1a) drives a SplitMix64 sequence of `dimension` values in [-1, 1), scaled to
    /// unit length. Equal texts give equal vectors on every run.
    static func hashed(_ text: String, dimension: Int) -> [Float] {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        var vector: [Float] = []
        vector.reserveCapacity(dimension)
        for _ in 0..<dimension {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            z ^= z >> 31
            vector.append(Float(z >> 40) / Float(1 << 23) - 1)
        }
        return normalized(vector)
    }

    /// `vector` scaled to unit length (an all-zero vector stays as it is).
    static func normalized(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}
