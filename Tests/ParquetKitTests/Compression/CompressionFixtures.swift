import ParquetKit
import Testing

/// SplitMix64 (Steele, Lea and Flood): a tiny, seedable generator, so every "random" input in
/// these tests is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A named input for round-trip tests.
struct Sample: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]

    var testDescription: String { "\(name) (\(bytes.count) bytes)" }
}

enum Fixtures {
    /// Every codec ParquetKit implements.
    static let supportedCodecs = CompressionCodec.allCases.filter(\.isSupported)

    /// Uniformly random bytes: incompressible.
    static func random(count: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A short pattern repeated to `count` bytes: compresses extremely well.
    static func repeatedPattern(count: Int) -> [UInt8] {
        let pattern = Array("parquet page 0123456789 ".utf8)
        return (0..<count).map { pattern[$0 % pattern.count] }
    }

    /// Words drawn at random from a small vocabulary: many short matches at varied offsets,
    /// like a dictionary-less string column.
    static func words(count: Int, seed: UInt64) -> [UInt8] {
        let vocabulary = ["lakehouse", "row", "group", "column", "chunk", "page", "a", "zstd",
                          "snappy", "dictionary", "\n", " ", "0", "42", "null", "𝄞"]
            .map { Array($0.utf8) }
        var generator = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 16)
        while bytes.count < count {
            bytes += vocabulary.randomElement(using: &generator)!
        }
        return Array(bytes.prefix(count))
    }

    /// Random runs of random bytes, random repeats of earlier data and long single-byte runs:
    /// exercises long literal and match lengths and overlapping matches.
    static func mixed(count: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        while bytes.count < count {
            let length = Int.random(in: 1...600, using: &generator)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0:
                bytes += (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            case 1 where !bytes.isEmpty:
                let start = Int.random(in: 0..<bytes.count, using: &generator)
                for index in 0..<length { bytes.append(bytes[start + index]) }
            default:
                bytes += repeatElement(UInt8.random(in: .min ... .max, using: &generator), count: length)
            }
        }
        return Array(bytes.prefix(count))
    }

    static let roundTripSamples: [Sample] = [
        Sample(name: "empty", bytes: []),
        Sample(name: "one byte", bytes: [0x2A]),
        Sample(name: "tiny", bytes: Array("hello, parquet".utf8)),
        Sample(name: "13 zero bytes", bytes: [UInt8](repeating: 0, count: 13)),
        Sample(name: "1 MB repeated pattern", bytes: repeatedPattern(count: 1 << 20)),
        Sample(name: "256 KB random", bytes: random(count: 256 << 10, seed: 1)),
        Sample(name: "200 KB words", bytes: words(count: 200_000, seed: 2)),
        Sample(name: "300 KB mixed", bytes: mixed(count: 300_000, seed: 3)),
    ]
}
