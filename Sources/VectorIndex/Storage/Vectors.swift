import ColumnarCore

/// A row-major matrix of float32 vectors of one dimension, in one contiguous buffer: what the
/// indexes are built from. Made from a ColumnarCore `FixedSizeListColumn` (a Parquet
/// `fixed_size_list<float>` column) without copying.
///
/// ```swift
/// let vectors = try Vectors(dimension: 3, values: [1, 0, 0,  0, 1, 0])
/// vectors.count        // 2
/// vectors[1]           // [0, 1, 0]
/// ```
public struct Vectors: Sendable {
    /// Values per vector.
    public let dimension: Int
    /// `count × dimension` values, row after row.
    public let values: ValueBuffer<Float>

    /// The vectors in `values`, `dimension` values each.
    ///
    /// - Throws: ``VectorIndexError`` `.dimensionMismatch` when the values do not split into
    ///   whole vectors; `.invalidArgument` for a dimension below 1 or a NaN or infinite value.
    public init(dimension: Int, values: ValueBuffer<Float>) throws(VectorIndexError) {
        guard dimension > 0 else { throw VectorIndexError(.invalidArgument, "the dimension must be at least 1, not \(dimension)") }
        guard values.count % dimension == 0 else {
            throw VectorIndexError(.dimensionMismatch, "\(values.count) values do not split into \(dimension)-d vectors")
        }
        let bad = values.withUnsafeBufferPointer { buffer in buffer.firstIndex { !$0.isFinite } }
        if let bad {
            throw VectorIndexError(.invalidArgument, "vector \(bad / dimension) holds a NaN or infinite value at position \(bad % dimension)")
        }
        self.dimension = dimension
        self.values = values
    }

    public init(dimension: Int, values: [Float]) throws(VectorIndexError) {
        try self.init(dimension: dimension, values: ValueBuffer(values))
    }

    /// The rows, which must all have the same length (at least 1).
    public init(_ rows: [[Float]]) throws(VectorIndexError) {
        guard let first = rows.first else { throw VectorIndexError(.invalidArgument, "no vectors") }
        for (i, row) in rows.enumerated() where row.count != first.count {
            throw VectorIndexError(.dimensionMismatch, "vector \(i) has \(row.count) values, vector 0 has \(first.count)")
        }
        try self.init(dimension: first.count, values: ValueBuffer(rows.joined()))
    }

    /// The vectors of a `fixed_size_list<float>` column (no copy).
    ///
    /// - Throws: ``VectorIndexError`` `.invalidArgument` when a row is null.
    public init(column: FixedSizeListColumn) throws(VectorIndexError) {
        if column.nullCount > 0, let row = (0..<column.count).first(where: column.isNull) {
            throw VectorIndexError(.invalidArgument, "row \(row) has no vector (null)")
        }
        try self.init(dimension: column.size, values: column.values)
    }

    /// The vectors of a `fixed_size_list<float>` column, or of a `list<float>` column whose
    /// lists all have the same length (how a Parquet file without Arrow metadata stores them).
    ///
    /// - Throws: ``VectorIndexError`` `.invalidArgument` for another column type, a null row or
    ///   element; `.dimensionMismatch` when the lists differ in length.
    public init(column: Column) throws(VectorIndexError) {
        switch column {
        case .fixedSizeList(let fixed):
            try self.init(column: fixed)
        case .list(let list):
            guard case .float32(let child) = list.child else {
                throw VectorIndexError(.invalidArgument, "a list of \(list.element.dataType) is not a float vector column")
            }
            if list.nullCount > 0, let row = (0..<list.count).first(where: list.isNull) {
                throw VectorIndexError(.invalidArgument, "row \(row) has no vector (null)")
            }
            guard list.count > 0 else { throw VectorIndexError(.invalidArgument, "no vectors") }
            let offsets = list.offsets
            let dimension = Int(offsets[1] - offsets[0])
            for row in 0..<list.count where Int(offsets[row + 1] - offsets[row]) != dimension {
                throw VectorIndexError(.dimensionMismatch, "vector \(row) has \(offsets[row + 1] - offsets[row]) values, vector 0 has \(dimension)")
            }
            let start = Int(offsets[0]), end = Int(offsets[list.count])
            if child.nullCount > 0, let bad = (start..<end).first(where: child.isNull) {
                throw VectorIndexError(.invalidArgument, "vector \((bad - start) / max(dimension, 1)) has a null element")
            }
            try self.init(dimension: dimension, values: child.values.slice(start..<end))
        default:
            throw VectorIndexError(.invalidArgument, "a \(column.dataType) column is not a float vector column")
        }
    }

    /// The number of vectors.
    public var count: Int { values.count / dimension }

    /// Vector `index` as an array.
    public subscript(index: Int) -> [Float] {
        Array(values[(index * dimension)..<((index + 1) * dimension)])
    }
}

/// The rows a filtered search may return: a bitmap over row ids `0..<count`.
///
/// ```swift
/// let chicago = VectorFilter(count: 20_000) { meta.city[$0] == "Chicago" }
/// let hits = try index.search(query, k: 10, filter: chicago)
/// ```
public struct VectorFilter: Sendable {
    /// The number of rows the filter covers.
    public let count: Int
    /// The number of rows passing.
    public let passingCount: Int
    @usableFromInline let words: [UInt64]

    /// The rows of `0..<count` for which `isIncluded` holds.
    public init(count: Int, where isIncluded: (Int) throws -> Bool) rethrows {
        var words = [UInt64](repeating: 0, count: (count + 63) >> 6)
        var passing = 0
        for row in 0..<count where try isIncluded(row) {
            words[row >> 6] |= 1 << UInt64(row & 63)
            passing += 1
        }
        self.count = count
        self.passingCount = passing
        self.words = words
    }

    /// Exactly `rows` (ids outside `0..<count` are ignored).
    public init(count: Int, allowing rows: some Sequence<Int>) {
        var words = [UInt64](repeating: 0, count: (count + 63) >> 6)
        for row in rows where row >= 0 && row < count {
            words[row >> 6] |= 1 << UInt64(row & 63)
        }
        self.count = count
        self.passingCount = words.reduce(0) { $0 + $1.nonzeroBitCount }
        self.words = words
    }

    /// The fraction of rows passing.
    public var selectivity: Double { count == 0 ? 0 : Double(passingCount) / Double(count) }

    /// Whether row `row` passes (rows beyond ``count`` do not).
    @inlinable
    public func contains(_ row: Int) -> Bool {
        guard row >= 0, row < count else { return false }
        return words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    /// The passing rows, in order.
    public var rows: [Int] {
        var result: [Int] = []
        result.reserveCapacity(passingCount)
        for (w, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                result.append(w << 6 | bits.trailingZeroBitCount)
                bits &= bits &- 1
            }
        }
        return result
    }
}
