/// A set of 64-bit row indexes: the deleted rows of one data file, as a Delta deletion vector
/// holds them.
///
/// The set is a Roaring bitmap: row indexes are grouped by their high 48 bits, and each group
/// keeps its low 16 bits in a container that is a sorted array (up to 4096 rows), a bitmap of
/// 65536 bits, or, when read from a file that used them, a list of runs. It serializes to
/// Delta's portable `RoaringBitmapArray` format with ``serialized()`` and reads it back with
/// ``init(serialized:)``.
///
/// Row indexes count from 0 and must be below 2⁶³ (``maxRowIndex``): Delta requires the high
/// 32 bits of every row index to have a clear top bit.
///
/// ```swift
/// var deleted: RowIndexBitmap = [0, 3, 4]
/// deleted.insert(9)
/// deleted.contains(3)                      // true
/// Array(deleted)                           // [0, 3, 4, 9]
/// deleted.keptRowIndexes(rowCount: 6)      // [1, 2, 5]
/// ```
///
/// Equality and hashing compare the sets of row indexes, not how they are stored.
public struct RowIndexBitmap: Sendable, Hashable, Sequence, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The largest row index a Delta deletion vector can hold, 2⁶³ − 1.
    public static let maxRowIndex = UInt64(Int64.max)

    /// The high 48 bits of the row indexes of each container, ascending.
    var keys: [UInt64]
    /// The containers, parallel to `keys`; none is empty.
    var containers: [RoaringContainer]

    init(keys: [UInt64], containers: [RoaringContainer]) {
        self.keys = keys
        self.containers = containers
    }

    /// An empty set.
    public init() {
        self.init(keys: [], containers: [])
    }

    /// The set of the given row indexes, in any order, duplicates allowed.
    ///
    /// - Parameter rowIndexes: Row indexes at most ``maxRowIndex``; a larger one is a programming
    ///   error and stops the program.
    /// - Complexity: O(*n* log *n*) for the sort.
    public init(_ rowIndexes: some Sequence<UInt64>) {
        self.init()
        var sorted = Array(rowIndexes)
        sorted.sort()
        guard let largest = sorted.last else { return }
        precondition(largest <= Self.maxRowIndex, "row index \(largest) is above RowIndexBitmap.maxRowIndex")
        var start = 0
        while start < sorted.count {
            let key = sorted[start] >> 16
            var lows = [UInt16]()
            var index = start
            while index < sorted.count && sorted[index] >> 16 == key {
                let low = UInt16(truncatingIfNeeded: sorted[index])
                if lows.last != low { lows.append(low) }
                index += 1
            }
            keys.append(key)
            containers.append(.canonical(sortedValues: lows))
            start = index
        }
    }

    /// The set of the given row indexes.
    public init(arrayLiteral rowIndexes: UInt64...) {
        self.init(rowIndexes)
    }

    /// The number of row indexes (the descriptor's `cardinality`).
    ///
    /// - Complexity: O(*c*) for *c* containers.
    public var count: Int {
        containers.reduce(0) { $0 + $1.cardinality }
    }

    /// Whether the set is empty.
    public var isEmpty: Bool { keys.isEmpty }

    /// The largest row index, or `nil` for an empty set. A deletion vector is only valid for a
    /// file of more rows than this.
    public var largestRowIndex: UInt64? {
        guard let key = keys.last, let container = containers.last else { return nil }
        return key << 16 | UInt64(container.last)
    }

    /// The position of `key` in `keys`, or where it would go.
    private func position(of key: UInt64) -> (index: Int, found: Bool) {
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return (low, low < keys.count && keys[low] == key)
    }

    /// Whether `rowIndex` is in the set.
    ///
    /// - Complexity: O(log *n*).
    public func contains(_ rowIndex: UInt64) -> Bool {
        let (index, found) = position(of: rowIndex >> 16)
        return found && containers[index].contains(UInt16(truncatingIfNeeded: rowIndex))
    }

    /// Adds `rowIndex` to the set.
    ///
    /// - Parameter rowIndex: A row index at most ``maxRowIndex``; a larger one is a programming
    ///   error and stops the program.
    /// - Returns: `true` if the row index was not in the set yet.
    /// - Complexity: O(log *n*) to find the container, plus up to O(4096) to insert into an array.
    @discardableResult
    public mutating func insert(_ rowIndex: UInt64) -> Bool {
        precondition(rowIndex <= Self.maxRowIndex, "row index \(rowIndex) is above RowIndexBitmap.maxRowIndex")
        let low = UInt16(truncatingIfNeeded: rowIndex)
        let (index, found) = position(of: rowIndex >> 16)
        if found { return containers[index].insert(low) }
        keys.insert(rowIndex >> 16, at: index)
        containers.insert(.array([low]), at: index)
        return true
    }

    /// The row indexes that are in either set.
    ///
    /// - Complexity: O(*c* + *d*) container operations for sets of *c* and *d* containers.
    public func union(_ other: RowIndexBitmap) -> RowIndexBitmap {
        var result = RowIndexBitmap()
        result.keys.reserveCapacity(keys.count + other.keys.count)
        result.containers.reserveCapacity(keys.count + other.keys.count)
        var i = 0, j = 0
        while i < keys.count || j < other.keys.count {
            if j == other.keys.count || (i < keys.count && keys[i] < other.keys[j]) {
                result.keys.append(keys[i])
                result.containers.append(containers[i])
                i += 1
            } else if i == keys.count || other.keys[j] < keys[i] {
                result.keys.append(other.keys[j])
                result.containers.append(other.containers[j])
                j += 1
            } else {
                result.keys.append(keys[i])
                result.containers.append(containers[i].union(other.containers[j]))
                i += 1
                j += 1
            }
        }
        return result
    }

    /// Adds the row indexes of `other` to this set.
    public mutating func formUnion(_ other: RowIndexBitmap) {
        self = union(other)
    }

    public static func == (lhs: RowIndexBitmap, rhs: RowIndexBitmap) -> Bool {
        guard lhs.keys == rhs.keys else { return false }
        return zip(lhs.containers, rhs.containers).allSatisfy { $0.hasSameValues(as: $1) }
    }

    /// Hashes the keys and each container's cardinality and largest value: equal sets agree on
    /// them whatever their containers' forms.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        for container in containers {
            hasher.combine(container.cardinality)
            hasher.combine(container.last)
        }
    }

    /// `RowIndexBitmap(count: 3, [0, 3, 4])`, listing at most 16 row indexes.
    public var description: String {
        let shown = prefix(16).map(String.init)
        let more = count > 16 ? ", …" : ""
        return "RowIndexBitmap(count: \(count), [\(shown.joined(separator: ", "))\(more)])"
    }
}

extension RowIndexBitmap {
    /// The row indexes of a ``RowIndexBitmap`` in ascending order.
    public struct Iterator: IteratorProtocol {
        private let keys: [UInt64]
        private let containers: [RoaringContainer]
        private var index = 0
        private var current: RoaringContainerIterator?

        init(_ bitmap: RowIndexBitmap) {
            keys = bitmap.keys
            containers = bitmap.containers
            current = containers.first.map(RoaringContainerIterator.init)
        }

        /// The next row index, or `nil` at the end.
        public mutating func next() -> UInt64? {
            while current != nil {
                if let low = current!.next() { return keys[index] << 16 | UInt64(low) }
                index += 1
                current = index < containers.count ? RoaringContainerIterator(containers[index]) : nil
            }
            return nil
        }
    }

    /// An iterator over the row indexes in ascending order.
    public func makeIterator() -> Iterator { Iterator(self) }

    /// The number of row indexes.
    public var underestimatedCount: Int { count }
}
