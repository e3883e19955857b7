/// The generator's source of randomness: SplitMix64 (Steele, Lea and Flood, 2014), whose output
/// is fixed by its 64-bit state alone, so a seed gives the same stream on every machine.
///
/// Everything drawn from it is integer arithmetic; no floating point touches the output.
struct StaffingRandom {
    private var state: UInt64

    /// A stream for one table: the seed and the table's salt are mixed, so tables draw from
    /// independent streams and adding draws to one table leaves the others unchanged.
    init(seed: UInt64, salt: UInt64) {
        state = seed
        state = next() ^ salt
        _ = next()
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (Lemire's multiply-high reduction; the tiny bias is irrelevant here
    /// and, unlike rejection, keeps one draw per call).
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A number in `range`.
    mutating func within(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `perMille` / 1000.
    mutating func chance(perMille: Int) -> Bool {
        below(1000) < perMille
    }

    /// A uniformly chosen element.
    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// A random permutation of `0..<count` (Fisher–Yates).
    mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                order.swapAt(i, below(i + 1))
            }
        }
        return order
    }
}

/// Draws indexes with fixed integer weights: cumulative sums and a binary search.
struct WeightedChoice {
    private let cumulative: [Int]

    init(weights: [Int]) {
        var running = 0
        cumulative = weights.map { weight in
            running += max(weight, 0)
            return running
        }
        precondition(running > 0, "at least one positive weight")
    }

    /// Zipf-like weights `1_000_000 / rank` for `count` items, so the first ranks dominate.
    static func zipf(count: Int) -> WeightedChoice {
        WeightedChoice(weights: (1...max(count, 1)).map { 1_000_000 / $0 })
    }

    /// An index whose chance is proportional to its weight.
    func draw(_ random: inout StaffingRandom) -> Int {
        let target = random.below(cumulative[cumulative.count - 1])
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
