// Stable hashing for the built-in embedder: FNV-1a over bytes, finished with a SplitMix64 mix.
// Swift's Hasher is seeded per process, so it must never be used for anything that is stored.

/// 64-bit FNV-1a, fed byte by byte, so no bytes are copied to hash a slice of a larger buffer.
struct FNV1a: Sendable {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    private(set) var value: UInt64

    init(seed: UInt64 = FNV1a.offsetBasis) {
        value = seed
    }

    @inline(__always)
    mutating func combine(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* Self.prime
    }

    mutating func combine(_ bytes: UnsafeBufferPointer<UInt8>) {
        for byte in bytes { combine(byte) }
    }

    /// The FNV-1a hash of `bytes`.
    static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hasher = FNV1a()
        for byte in bytes { hasher.combine(byte) }
        return hasher.value
    }
}

/// SplitMix64's finaliser: spreads FNV's weak low bits over the whole word before bucketing.
@inline(__always)
func mix64(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9e37_79b9_7f4a_7c15
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
}
