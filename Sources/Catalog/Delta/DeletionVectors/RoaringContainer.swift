/// One run of consecutive values in a run container: `start ... start + lengthMinusOne`.
struct RoaringRun: Hashable, Sendable {
    var start: UInt16
    var lengthMinusOne: UInt16
    /// The run's last value.
    var last: UInt16 { start &+ lengthMinusOne }
}

/// The low 16 bits of the row indexes of a ``RowIndexBitmap`` that share their high 48 bits: one
/// Roaring container.
///
/// Containers built here are canonical: an array of at most 4096 values, or a bitmap above that.
/// Run containers only come from deserialization and stay runs (a range of a million deleted rows
/// takes a few bytes, not 8 KiB per 65536 rows) until they are changed, when they become canonical
/// again. Two containers may therefore hold the same values in different forms; compare them with
/// ``hasSameValues(as:)``, never with their representation.
enum RoaringContainer: Sendable {
    /// Sorted distinct values; 1 to 4096 of them.
    case array([UInt16])
    /// 1024 words; value `v` is bit `v % 64` of word `v / 64`. More than 4096 values.
    case bitmap(words: [UInt64], cardinality: Int)
    /// Sorted runs separated by at least one missing value; any number of values.
    case runs([RoaringRun])

    /// The most values an array container holds.
    static let arrayLimit = 4096
    /// The words of a bitmap container.
    static let wordCount = 1024

    /// The canonical container of sorted distinct values (at least one).
    static func canonical(sortedValues values: [UInt16]) -> RoaringContainer {
        if values.count <= arrayLimit { return .array(values) }
        var words = [UInt64](repeating: 0, count: wordCount)
        for value in values { words[Int(value >> 6)] |= 1 << UInt64(value & 63) }
        return .bitmap(words: words, cardinality: values.count)
    }

    /// The canonical container of the set bits of `words` (at least one).
    static func canonical(words: [UInt64], cardinality: Int) -> RoaringContainer {
        if cardinality > arrayLimit { return .bitmap(words: words, cardinality: cardinality) }
        var values = [UInt16]()
        values.reserveCapacity(cardinality)
        for (index, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                values.append(UInt16(index << 6 | bits.trailingZeroBitCount))
                bits &= bits &- 1
            }
        }
        return .array(values)
    }

    /// The number of values.
    var cardinality: Int {
        switch self {
        case .array(let values): values.count
        case .bitmap(_, let cardinality): cardinality
        case .runs(let runs): runs.reduce(0) { $0 + Int($1.lengthMinusOne) + 1 }
        }
    }

    /// The largest value.
    var last: UInt16 {
        switch self {
        case .array(let values): values[values.count - 1]
        case .bitmap(let words, _):
            words.indices.last { words[$0] != 0 }.map { UInt16($0 << 6 | (63 - words[$0].leadingZeroBitCount)) } ?? 0
        case .runs(let runs): runs[runs.count - 1].last
        }
    }

    /// The values as 1024 bitmap words.
    var words: [UInt64] {
        switch self {
        case .bitmap(let words, _): return words
        case .array(let values):
            var words = [UInt64](repeating: 0, count: Self.wordCount)
            for value in values { words[Int(value >> 6)] |= 1 << UInt64(value & 63) }
            return words
        case .runs(let runs):
            var words = [UInt64](repeating: 0, count: Self.wordCount)
            for run in runs { Self.setBits(&words, from: Int(run.start), through: Int(run.last)) }
            return words
        }
    }

    /// Sets the bits `first ... last` of `words`, a word at a time.
    static func setBits(_ words: inout [UInt64], from first: Int, through last: Int) {
        var word = first >> 6
        let lastWord = last >> 6
        while word <= lastWord {
            var mask = UInt64.max
            if word == first >> 6 { mask &= UInt64.max << UInt64(first & 63) }
            if word == lastWord { mask &= UInt64.max >> UInt64(63 - (last & 63)) }
            words[word] |= mask
            word += 1
        }
    }

    /// Whether `value` is in the container.
    func contains(_ value: UInt16) -> Bool {
        switch self {
        case .array(let values):
            let index = Self.lowerBound(of: value, in: values)
            return index < values.count && values[index] == value
        case .bitmap(let words, _):
            return words[Int(value >> 6)] >> UInt64(value & 63) & 1 == 1
        case .runs(let runs):
            // The last run starting at or before `value`.
            var low = 0, high = runs.count
            while low < high {
                let middle = (low + high) / 2
                if runs[middle].start <= value { low = middle + 1 } else { high = middle }
            }
            return low > 0 && value <= runs[low - 1].last
        }
    }

    /// Adds `value`; returns whether it was new. A run container becomes canonical first.
    mutating func insert(_ value: UInt16) -> Bool {
        switch self {
        case .array(var values):
            let index = Self.lowerBound(of: value, in: values)
            if index < values.count && values[index] == value { return false }
            self = .array([])  // releases the payload so that `values` is uniquely referenced
            values.insert(value, at: index)
            self = Self.canonical(sortedValues: values)
            return true
        case .bitmap(var words, let cardinality):
            let bit: UInt64 = 1 << UInt64(value & 63)
            if words[Int(value >> 6)] & bit != 0 { return false }
            self = .array([])
            words[Int(value >> 6)] |= bit
            self = .bitmap(words: words, cardinality: cardinality + 1)
            return true
        case .runs:
            if contains(value) { return false }
            var words = self.words
            words[Int(value >> 6)] |= 1 << UInt64(value & 63)
            self = Self.canonical(words: words, cardinality: cardinality + 1)
            return true
        }
    }

    /// The union of two containers, in canonical form.
    func union(_ other: RoaringContainer) -> RoaringContainer {
        if case .array(let left) = self, case .array(let right) = other {
            var merged = [UInt16]()
            merged.reserveCapacity(left.count + right.count)
            var i = 0, j = 0
            while i < left.count && j < right.count {
                if left[i] < right[j] { merged.append(left[i]); i += 1 }
                else if right[j] < left[i] { merged.append(right[j]); j += 1 }
                else { merged.append(left[i]); i += 1; j += 1 }
            }
            merged.append(contentsOf: left[i...])
            merged.append(contentsOf: right[j...])
            return Self.canonical(sortedValues: merged)
        }
        var words = self.words
        let otherWords = other.words
        var cardinality = 0
        for index in 0..<Self.wordCount {
            words[index] |= otherWords[index]
            cardinality += words[index].nonzeroBitCount
        }
        return Self.canonical(words: words, cardinality: cardinality)
    }

    /// Whether both containers hold the same values, whatever their forms.
    func hasSameValues(as other: RoaringContainer) -> Bool {
        switch (self, other) {
        case (.array(let left), .array(let right)): return left == right
        case (.bitmap(let left, _), .bitmap(let right, _)): return left == right
        case (.runs(let left), .runs(let right)): return left == right
        default: return cardinality == other.cardinality && words == other.words
        }
    }

    /// Marks the container's values `base + v` below `limit` as `true` in `mask`.
    func mark(in mask: inout [Bool], base: Int, limit: Int) {
        switch self {
        case .array(let values):
            for value in values {
                let row = base + Int(value)
                if row >= limit { break }
                mask[row] = true
            }
        case .bitmap(let words, _):
            for (index, word) in words.enumerated() where word != 0 {
                var bits = word
                while bits != 0 {
                    let row = base + (index << 6) + bits.trailingZeroBitCount
                    if row >= limit { return }
                    mask[row] = true
                    bits &= bits &- 1
                }
            }
        case .runs(let runs):
            for run in runs {
                let first = base + Int(run.start)
                if first >= limit { break }
                for row in first ... min(base + Int(run.last), limit - 1) { mask[row] = true }
            }
        }
    }

    /// The first index of `values` whose value is not below `value`.
    static func lowerBound(of value: UInt16, in values: [UInt16]) -> Int {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// The values of one container in ascending order.
struct RoaringContainerIterator {
    private let container: RoaringContainer
    /// The array index, bitmap word or run.
    private var index = 0
    /// The bits of the current bitmap word not yet returned, or the next value of the current run.
    private var state: UInt64 = 0

    init(_ container: RoaringContainer) {
        self.container = container
        if case .bitmap(let words, _) = container { state = words[0] }
        if case .runs(let runs) = container { state = UInt64(runs[0].start) }
    }

    mutating func next() -> UInt16? {
        switch container {
        case .array(let values):
            guard index < values.count else { return nil }
            defer { index += 1 }
            return values[index]
        case .bitmap(let words, _):
            while state == 0 {
                index += 1
                guard index < words.count else { return nil }
                state = words[index]
            }
            let value = UInt16(index << 6 | state.trailingZeroBitCount)
            state &= state &- 1
            return value
        case .runs(let runs):
            guard index < runs.count else { return nil }
            let value = UInt16(state)
            if value == runs[index].last {
                index += 1
                if index < runs.count { state = UInt64(runs[index].start) }
            } else {
                state += 1
            }
            return value
        }
    }
}
