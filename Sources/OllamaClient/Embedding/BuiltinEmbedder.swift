// The offline embedder: hashed lexical features (words, word pairs, character trigrams) in a fixed-size,
// unit-length vector. No model, no network, identical output on every run and platform.

import Foundation

/// A deterministic, offline embedder for lexical similarity.
///
/// Each text becomes a sparse set of hashed features, folded into ``identity``'s `dimension` buckets with a
/// sign (the "hashing trick"), then scaled to unit length:
///
/// - the text is lower-cased and split into words (``LexicalTokenizer``: `c++`, `c#` and `.net` survive);
/// - every word (weight 1; very common English words 0.15), every pair of neighbouring words (0.6;
///   0.1 when one is a common word), and every character trigram of each word with `<` and `>` marking
///   its ends (together as much as the word, though each alone weighs far less, so `kubernets` still
///   lands near `kubernetes`);
/// - repeated features count `1 + ln(tf)` times, not `tf` times.
///
/// Hashes are 64-bit FNV-1a over the UTF-8 bytes, never Swift's per-process `Hasher`, so vectors can be
/// stored and compared across runs. A text with no word at all (`""`, `"?!"`) gives the **all-zero
/// vector**: it matches nothing, and a cosine with it is 0.
///
/// ```swift
/// let embedder = BuiltinEmbedder()
/// let vectors = try await embedder.embed(["kubernetes migration engineer", "pastry chef"])
/// ```
///
/// - Complexity: O(n log n) in the length of the text (the features are sorted to count them).
public struct BuiltinEmbedder: Embedder {
    /// `builtin-hash-v1` with the chosen dimension. The id changes whenever the vectors would.
    public let identity: EmbedderIdentity

    /// - Parameter dimension: Buckets per vector; 256–1024 work well. Must be at least 1.
    public init(dimension: Int = 384) {
        precondition(dimension >= 1, "BuiltinEmbedder needs a dimension of at least 1, not \(dimension)")
        identity = EmbedderIdentity(id: "builtin-hash-v1", dimension: dimension)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        texts.map(vector(for:))
    }

    /// The vector of one text, synchronously.
    public func vector(for text: String) -> [Float] {
        var features = FeatureList()
        var lowered = text.lowercased()
        lowered.withUTF8 { bytes in features.extract(from: bytes) }
        return features.fold(into: identity.dimension)
    }
}

/// Weights of the feature kinds, and the hashing seeds that keep kinds apart.
private enum FeatureKind {
    static let wordWeight: Float = 1.0
    static let stopWordWeight: Float = 0.15
    static let pairWeight: Float = 0.6
    static let stopPairWeight: Float = 0.1
    /// Shared by all the trigrams of one word (each gets `charWeightPerWord / sqrt(trigrams)`).
    static let charWeightPerWord: Float = 1.0

    static let wordSeed = FNV1a.offsetBasis ^ 0x77  // "w"
    static let charSeed = FNV1a.offsetBasis ^ 0x63  // "c"
    static let pairSalt: UInt64 = 0x6261_6967_7261_6d73
}

/// The features of one text, as (hash, weight) pairs, before they are counted and bucketed.
private struct FeatureList {
    private var hashes: [UInt64] = []
    private var weights: [Float] = []

    private mutating func add(_ hash: UInt64, _ weight: Float) {
        hashes.append(hash)
        weights.append(weight)
    }

    mutating func extract(from bytes: UnsafeBufferPointer<UInt8>) {
        let words = LexicalTokenizer.words(in: bytes)
        hashes.reserveCapacity(words.count * 8)
        weights.reserveCapacity(words.count * 8)
        var previous: (hash: UInt64, isStop: Bool)?
        for word in words {
            let plain = FNV1a.hash(UnsafeBufferPointer(rebasing: bytes[word]))
            let isStop = StopWords.contains(hash: plain)
            var seeded = FNV1a(seed: FeatureKind.wordSeed)
            seeded.combine(UnsafeBufferPointer(rebasing: bytes[word]))
            add(seeded.value, isStop ? FeatureKind.stopWordWeight : FeatureKind.wordWeight)

            if let previous {
                let pair = mix64(previous.hash ^ FeatureKind.pairSalt) ^ plain
                add(pair, previous.isStop || isStop ? FeatureKind.stopPairWeight : FeatureKind.pairWeight)
            }
            previous = (plain, isStop)

            if !isStop { addTrigrams(of: UnsafeBufferPointer(rebasing: bytes[word])) }
        }
    }

    /// Character trigrams of `<word>`; none for numbers, whose pieces mean nothing.
    private mutating func addTrigrams(of word: UnsafeBufferPointer<UInt8>) {
        guard !word.allSatisfy(LexicalTokenizer.isDigit) else { return }
        let marked = word.count + 2  // '<' + word + '>'
        let trigrams = max(marked - 2, 1)
        let weight = FeatureKind.charWeightPerWord / Float(trigrams).squareRoot()
        @inline(__always) func byte(_ index: Int) -> UInt8 {
            index == 0 ? UInt8(ascii: "<") : index == marked - 1 ? UInt8(ascii: ">") : word[index - 1]
        }
        for start in 0..<trigrams {
            var hasher = FNV1a(seed: FeatureKind.charSeed)
            for offset in 0..<3 where start + offset < marked { hasher.combine(byte(start + offset)) }
            add(hasher.value, weight)
        }
    }

    /// Counts equal features (`1 + ln tf` times their mean weight), adds them into signed buckets and
    /// scales the result to unit length. The order of additions is fixed by sorting, so the floats are
    /// identical everywhere.
    func fold(into dimension: Int) -> [Float] {
        var vector = [Float](repeating: 0, count: dimension)
        guard !hashes.isEmpty else { return vector }
        let order = hashes.indices.sorted { hashes[$0] < hashes[$1] }
        var position = 0
        while position < order.count {
            let hash = hashes[order[position]]
            var sum: Float = 0
            var count = 0
            while position < order.count && hashes[order[position]] == hash {
                sum += weights[order[position]]
                count += 1
                position += 1
            }
            let value = sum / Float(count) * sublinear(count)
            let spread = mix64(hash)
            let bucket = Int(spread % UInt64(dimension))
            vector[bucket] += (spread >> 63) == 0 ? value : -value
        }
        normalizeToUnitLength(&vector)
        return vector
    }

    /// `1 + ln(tf)`, from a table for the usual small counts so no libm rounding can differ by platform.
    private func sublinear(_ count: Int) -> Float {
        let table: [Float] = [
            1, 1.6931472, 2.0986123, 2.3862944, 2.6094379, 2.7917595, 2.9459101, 3.0794415,
            3.1972246, 3.3025851, 3.3978953, 3.4849066, 3.5649494, 3.6390573, 3.7080502, 3.7725887,
        ]
        return count <= table.count ? table[count - 1] : 1 + Float(log(Double(count)))
    }
}
