/// One key of a multi-column sort: the column, its direction and where its nulls go.
///
/// ```swift
/// let byCityThenNewest = [SortKey(city), SortKey(startDate, descending: true, nullsFirst: false)]
/// ```
public struct SortKey: Sendable {
    /// The values to order by.
    public var column: Column
    /// Largest first when `true`.
    public var descending: Bool
    /// Nulls before every value when `true`, after every value when `false`.
    public var nullsFirst: Bool

    /// Creates a sort key. Nulls go last by default (as `ORDER BY x` in DuckDB).
    public init(_ column: Column, descending: Bool = false, nullsFirst: Bool = false) {
        self.column = column
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}

extension Kernels {
    /// The permutation that sorts rows by `keys`, first key first; stable (rows with equal keys
    /// keep their order).
    ///
    /// Numbers sort numerically with NaN after every number (before them when descending), strings
    /// by their UTF-8 bytes, booleans false before true. The work is a least-significant-digit radix
    /// sort of a 64-bit normalised key per row; ties of keys that do not fit 64 bits (long strings,
    /// wide decimals) and ties that a later key must break are refined only inside their runs.
    ///
    /// ```swift
    /// let order = try Kernels.sortIndices([SortKey(.int64(PrimitiveColumn([3, nil, 1])))])  // [2, 0, 1]
    /// ```
    /// - Throws: ``ColumnarError`` `.lengthMismatch`, or `.unsupported` for nested columns.
    /// - Complexity: O(*n*) radix passes (at most 8, fewer when key bytes are constant), plus
    ///   O(*r* log *r*) for each run *r* of tied prefixes.
    public static func sortIndices(_ keys: [SortKey]) throws -> ValueBuffer<UInt32> {
        guard let first = keys.first else { throw ColumnarError(.invalidArgument, "sort needs at least one key") }
        let count = first.column.count
        guard count <= Int(UInt32.max) else { throw ColumnarError(.invalidArgument, "sort of more than 2^32 rows") }
        let sorters = try keys.map { key -> any _SortColumn in
            try _requireSameLength(count, key.column.count, "sort")
            return try _makeSortColumn(key)
        }
        return ValueBuffer<UInt32>(unsafeUninitializedCount: count) { permutation in
            for i in 0..<count { permutation[i] = UInt32(truncatingIfNeeded: i) }
            var scratch = _SortScratch()
            _sortRange(permutation, sorters, 0, &scratch)
        }
    }

    /// The permutation that sorts one column; see ``sortIndices(_:)``.
    public static func sortIndices(_ column: Column, descending: Bool = false, nullsFirst: Bool = false) throws -> ValueBuffer<UInt32> {
        try sortIndices([SortKey(column, descending: descending, nullsFirst: nullsFirst)])
    }
}

/// Reusable buffers for the radix passes.
struct _SortScratch {
    var keys: [UInt64] = []
    var keysOut: [UInt64] = []
    var rowsOut: [UInt32] = []
}

/// What the sort needs from one key column. Each method works on a whole range, so the protocol
/// is called once per range, never once per value.
protocol _SortColumn {
    /// Moves null rows of `rows` to the front (`nullsFirst`) or back, keeping order; returns the
    /// range of `rows` that holds the non-null ones.
    func partitionNulls(_ rows: UnsafeMutableBufferPointer<UInt32>) -> Range<Int>
    /// Writes the order-preserving 64-bit key of each row (already inverted when descending).
    func fillKeys(_ rows: UnsafeBufferPointer<UInt32>, _ keys: UnsafeMutableBufferPointer<UInt64>)
    /// Whether equal 64-bit keys mean equal values.
    var exactKeys: Bool { get }
    /// Sorts rows whose 64-bit keys tied by their full values, stably; returns the boundaries
    /// of runs of fully equal values.
    func sortTies(_ rows: UnsafeMutableBufferPointer<UInt32>) -> [Range<Int>]
}

func _sortRange(_ rows: UnsafeMutableBufferPointer<UInt32>, _ sorters: [any _SortColumn], _ level: Int, _ scratch: inout _SortScratch) {
    guard rows.count > 1, level < sorters.count else { return }
    let sorter = sorters[level]
    let valid = sorter.partitionNulls(rows)
    // Nulls are equal to each other: a later key orders them.
    if valid.lowerBound > 0 {
        _sortRange(UnsafeMutableBufferPointer(rebasing: rows[0..<valid.lowerBound]), sorters, level + 1, &scratch)
    }
    if valid.upperBound < rows.count {
        _sortRange(UnsafeMutableBufferPointer(rebasing: rows[valid.upperBound...]), sorters, level + 1, &scratch)
    }
    let values = UnsafeMutableBufferPointer(rebasing: rows[valid])
    guard values.count > 1 else { return }

    scratch.keys.removeAll(keepingCapacity: true)
    scratch.keys.append(contentsOf: repeatElement(0, count: values.count))
    scratch.keys.withUnsafeMutableBufferPointer { sorter.fillKeys(UnsafeBufferPointer(values), $0) }
    _radixSort(values, &scratch)

    // Runs of equal 64-bit keys: refine by full value, then by the next key.
    let keys = scratch.keys
    var start = 0
    while start < values.count {
        var end = start + 1
        while end < values.count && keys[end] == keys[start] { end += 1 }
        if end - start > 1 {
            let run = UnsafeMutableBufferPointer(rebasing: values[start..<end])
            if sorter.exactKeys {
                _sortRange(run, sorters, level + 1, &scratch)
            } else {
                for tie in sorter.sortTies(run) where tie.count > 1 {
                    _sortRange(UnsafeMutableBufferPointer(rebasing: run[tie]), sorters, level + 1, &scratch)
                }
            }
        }
        start = end
    }
}

/// Stable LSD radix sort of `rows` by `scratch.keys` (8-bit digits; constant digits skipped).
/// On return `scratch.keys` holds the keys in sorted order.
func _radixSort(_ rows: UnsafeMutableBufferPointer<UInt32>, _ scratch: inout _SortScratch) {
    let n = rows.count
    if n < 64 {
        // Insertion sort: stable, and cheaper than eight histogram passes on tiny runs.
        scratch.keys.withUnsafeMutableBufferPointer { keys in
            for i in 1..<n {
                let (key, row) = (keys[i], rows[i])
                var j = i
                while j > 0 && keys[j - 1] > key {
                    keys[j] = keys[j - 1]
                    rows[j] = rows[j - 1]
                    j -= 1
                }
                keys[j] = key
                rows[j] = row
            }
        }
        return
    }
    var histograms = [Int](repeating: 0, count: 8 * 256)
    scratch.keys.withUnsafeBufferPointer { keys in
        histograms.withUnsafeMutableBufferPointer { h in
            for i in 0..<n {
                let k = keys[i]
                for d in 0..<8 { h[d &* 256 &+ Int((k >> UInt64(d &* 8)) & 0xFF)] &+= 1 }
            }
        }
    }
    if scratch.keysOut.count < n {
        scratch.keysOut = [UInt64](repeating: 0, count: n)
        scratch.rowsOut = [UInt32](repeating: 0, count: n)
    }
    var source = (keys: scratch.keys, rows: Array(rows))
    var target = (keys: scratch.keysOut, rows: scratch.rowsOut)
    scratch.keys = []
    scratch.keysOut = []
    for digit in 0..<8 {
        let base = digit * 256
        // A digit that is the same in every key does not reorder anything.
        if histograms[base + Int((source.keys[0] >> UInt64(digit * 8)) & 0xFF)] == n { continue }
        var offsets = [Int](repeating: 0, count: 256)
        var total = 0
        for b in 0..<256 {
            offsets[b] = total
            total += histograms[base + b]
        }
        let shift = UInt64(digit * 8)
        source.keys.withUnsafeBufferPointer { sk in
            source.rows.withUnsafeBufferPointer { sr in
                target.keys.withUnsafeMutableBufferPointer { tk in
                    target.rows.withUnsafeMutableBufferPointer { tr in
                        offsets.withUnsafeMutableBufferPointer { o in
                            for i in 0..<n {
                                let k = sk[i]
                                let b = Int((k >> shift) & 0xFF)
                                let position = o[b]
                                tk[position] = k
                                tr[position] = sr[i]
                                o[b] = position &+ 1
                            }
                        }
                    }
                }
            }
        }
        swap(&source, &target)
    }
    source.rows.withUnsafeBufferPointer { sorted in
        for i in 0..<n { rows[i] = sorted[i] }
    }
    scratch.keys = source.keys
    scratch.keys.removeLast(scratch.keys.count - n)
    scratch.keysOut = target.keys
    scratch.rowsOut = target.rows
}

// MARK: - Key columns

func _makeSortColumn(_ key: SortKey) throws -> any _SortColumn {
    struct Visitor: PrimitiveColumnVisitor {
        let key: SortKey
        func visit<T: FixedWidthValue>(_ c: PrimitiveColumn<T>) -> (any _SortColumn)? {
            (c as? any _RadixSortable)?._sortColumn(key)
        }
    }
    // Decimals are 128-bit, but usually fit in 64: then the low word is an exact radix key.
    if case .decimal128(let c, _, _) = key.column {
        let narrow = c.values.withUnsafeBufferPointer { values -> [Int64]? in
            var out: [Int64] = []
            out.reserveCapacity(values.count)
            for v in values {
                guard let n = Int64(exactly: v) else { return nil }
                out.append(n)
            }
            return out
        }
        if let narrow {
            let column = PrimitiveColumn<Int64>(values: ValueBuffer(narrow), validity: c.validity)
            return _PrimitiveSortColumn(column: column, descending: key.descending, nullsFirst: key.nullsFirst)
        }
    }
    // Intervals order by their length with a month of 30 days: a 128-bit key.
    if case .interval(let c) = key.column {
        let lengths = PrimitiveColumn<Int128>(values: c.values.withUnsafeBufferPointer { values in
            ValueBuffer(unsafeUninitializedCount: values.count) { out in
                for i in 0..<values.count { out[i] = values[i].totalMicroseconds }
            }
        }, validity: c.validity)
        return try _makeSortColumn(SortKey(.decimal128(lengths, precision: 38, scale: 0), descending: key.descending, nullsFirst: key.nullsFirst))
    }
    if let sorter = try key.column.visitPrimitive(Visitor(key: key)) ?? nil { return sorter }
    switch key.column {
    case .boolean(let c):
        let ints = PrimitiveColumn<UInt8>(
            values: ValueBuffer(unsafeUninitializedCount: c.count) { out in
                for i in 0..<c.count { out[i] = c.values._bit(i) ? 1 : 0 }
            },
            validity: c.validity
        )
        return _PrimitiveSortColumn(column: ints, descending: key.descending, nullsFirst: key.nullsFirst)
    case .utf8(let c), .binary(let c):
        return _BinarySortColumn(column: c, descending: key.descending, nullsFirst: key.nullsFirst)
    case .dictionary(let d):
        // Rank the distinct values once; rows then sort by rank, exactly.
        let order = try Kernels.sortIndices(.utf8(d.dictionary))
        var rank = [UInt32](repeating: 0, count: d.dictionary.count)
        var current: UInt32 = 0
        for (position, entry) in order.enumerated() {
            if position > 0 {
                let previous = Int(order[position - 1])
                if d.dictionary.bytes(at: previous) != d.dictionary.bytes(at: Int(entry)) { current += 1 }
            }
            rank[Int(entry)] = current
        }
        let ranks = PrimitiveColumn<UInt32>(
            values: d.indices.values.withUnsafeBufferPointer { keys in
                ValueBuffer(unsafeUninitializedCount: keys.count) { out in
                    for i in 0..<keys.count {
                        let k = Int(keys[i])
                        out[i] = k >= 0 && k < rank.count ? rank[k] : 0
                    }
                }
            },
            validity: d.indices.validity
        )
        return _PrimitiveSortColumn(column: ranks, descending: key.descending, nullsFirst: key.nullsFirst)
    default:
        throw ColumnarError(.unsupported, "sorting by \(key.column.dataType) is not supported")
    }
}

/// Values with an order-preserving unsigned 64-bit image.
protocol _RadixSortable {
    func _sortColumn(_ key: SortKey) -> any _SortColumn
}

extension PrimitiveColumn: _RadixSortable where Value: _RadixKey {
    func _sortColumn(_ key: SortKey) -> any _SortColumn {
        _PrimitiveSortColumn(column: self, descending: key.descending, nullsFirst: key.nullsFirst)
    }
}

@usableFromInline protocol _RadixKey: FixedWidthValue {
    /// Unsigned image whose order is the SQL order of the values (NaN last, -0.0 == 0.0).
    var _radixKey: UInt64 { get }
    /// Whether the image is injective on distinct SQL values.
    static var _radixExact: Bool { get }
}
extension _RadixKey { @inlinable static var _radixExact: Bool { true } }
extension Int8: _RadixKey { @inlinable var _radixKey: UInt64 { UInt64(bitPattern: Int64(self)) ^ (1 << 63) } }
extension Int16: _RadixKey { @inlinable var _radixKey: UInt64 { UInt64(bitPattern: Int64(self)) ^ (1 << 63) } }
extension Int32: _RadixKey { @inlinable var _radixKey: UInt64 { UInt64(bitPattern: Int64(self)) ^ (1 << 63) } }
extension Int64: _RadixKey { @inlinable var _radixKey: UInt64 { UInt64(bitPattern: self) ^ (1 << 63) } }
extension UInt8: _RadixKey { @inlinable var _radixKey: UInt64 { UInt64(self) } }
extension UInt16: _RadixKey { @inlinable var _radixKey: UInt64 { UInt64(self) } }
extension UInt32: _RadixKey { @inlinable var _radixKey: UInt64 { UInt64(self) } }
extension UInt64: _RadixKey { @inlinable var _radixKey: UInt64 { self } }
extension Int128: _RadixKey {
    @inlinable var _radixKey: UInt64 { UInt64(truncatingIfNeeded: self >> 64) ^ (1 << 63) }
    @inlinable static var _radixExact: Bool { false }
}
extension Double: _RadixKey {
    @inlinable var _radixKey: UInt64 {
        if isNaN { return .max }
        let bits = (self + 0.0).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }
}
extension Float: _RadixKey {
    @inlinable var _radixKey: UInt64 { Double(self)._radixKey }
}

struct _PrimitiveSortColumn<T: _RadixKey>: _SortColumn {
    let column: PrimitiveColumn<T>
    let descending: Bool
    let nullsFirst: Bool

    var exactKeys: Bool { T._radixExact }

    func partitionNulls(_ rows: UnsafeMutableBufferPointer<UInt32>) -> Range<Int> {
        _partitionNulls(rows, column.validity, nullsFirst: nullsFirst)
    }

    func fillKeys(_ rows: UnsafeBufferPointer<UInt32>, _ keys: UnsafeMutableBufferPointer<UInt64>) {
        let flip: UInt64 = descending ? ~0 : 0
        column.values.withUnsafeBufferPointer { v in
            for i in 0..<rows.count { keys[i] = v[Int(rows[i])]._radixKey ^ flip }
        }
    }

    func sortTies(_ rows: UnsafeMutableBufferPointer<UInt32>) -> [Range<Int>] {
        column.values.withUnsafeBufferPointer { v in
            _sortByComparison(rows, descending: descending) { a, b in
                T.sqlLess(v[Int(a)], v[Int(b)]) ? -1 : (T.sqlLess(v[Int(b)], v[Int(a)]) ? 1 : 0)
            }
        }
    }
}

struct _BinarySortColumn: _SortColumn {
    let column: BinaryColumn
    let descending: Bool
    let nullsFirst: Bool

    var exactKeys: Bool { false }

    func partitionNulls(_ rows: UnsafeMutableBufferPointer<UInt32>) -> Range<Int> {
        _partitionNulls(rows, column.validity, nullsFirst: nullsFirst)
    }

    func fillKeys(_ rows: UnsafeBufferPointer<UInt32>, _ keys: UnsafeMutableBufferPointer<UInt64>) {
        fillKeys(rows, keys, depth: 0)
    }

    /// The eight bytes from `depth` on, big-endian and zero-padded: they order like the bytes do.
    func fillKeys(_ rows: UnsafeBufferPointer<UInt32>, _ keys: UnsafeMutableBufferPointer<UInt64>, depth: Int) {
        let flip: UInt64 = descending ? ~0 : 0
        column._withBuffers { offsets, bytes in
            for i in 0..<rows.count {
                let row = Int(rows[i])
                let start = Int(offsets[row])
                let remaining = Int(offsets[row + 1]) - start - depth
                guard remaining > 0 else {
                    keys[i] = flip
                    continue
                }
                let word = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: start + depth, as: UInt64.self))
                let mask: UInt64 = remaining >= 8 ? ~0 : ~(UInt64.max >> UInt64(remaining * 8))
                keys[i] = (word & mask) ^ flip
            }
        }
    }

    /// Rows tied on their first eight bytes: refine by radix on the next eight, and so on, until
    /// the strings end; then the shorter string sorts first.
    func sortTies(_ rows: UnsafeMutableBufferPointer<UInt32>) -> [Range<Int>] {
        refine(rows, depth: 8)
    }

    /// `rows` agree on their first `depth` bytes (zero-padded). Returns runs of equal strings.
    private func refine(_ rows: UnsafeMutableBufferPointer<UInt32>, depth: Int) -> [Range<Int>] {
        let longest = column._withBuffers { offsets, _ in
            rows.reduce(0) { Swift.max($0, Int(offsets[Int($1) + 1] - offsets[Int($1)])) }
        }
        if longest <= depth {
            // Every string ended inside the compared bytes: equal bytes, so length decides.
            return column._withBuffers { offsets, _ in
                _sortByComparison(rows, descending: descending) { a, b in
                    Int(offsets[Int(a) + 1] - offsets[Int(a)]) - Int(offsets[Int(b) + 1] - offsets[Int(b)])
                }
            }
        }
        var scratch = _SortScratch()
        scratch.keys = [UInt64](repeating: 0, count: rows.count)
        scratch.keys.withUnsafeMutableBufferPointer { fillKeys(UnsafeBufferPointer(rows), $0, depth: depth) }
        _radixSort(rows, &scratch)
        let keys = scratch.keys
        var runs: [Range<Int>] = []
        var start = 0
        while start < rows.count {
            var end = start + 1
            while end < rows.count && keys[end] == keys[start] { end += 1 }
            if end - start == 1 {
                runs.append(start..<end)
            } else {
                let tied = UnsafeMutableBufferPointer(rebasing: rows[start..<end])
                for run in refine(tied, depth: depth + 8) { runs.append((run.lowerBound + start)..<(run.upperBound + start)) }
            }
            start = end
        }
        return runs
    }
}

/// Stable partition of `rows` into nulls and values; returns where the values are.
func _partitionNulls(_ rows: UnsafeMutableBufferPointer<UInt32>, _ validity: Bitmap?, nullsFirst: Bool) -> Range<Int> {
    guard let validity else { return 0..<rows.count }
    var nulls: [UInt32] = []
    var values: [UInt32] = []
    values.reserveCapacity(rows.count)
    for row in rows {
        if validity._bit(Int(row)) { values.append(row) } else { nulls.append(row) }
    }
    guard !nulls.isEmpty else { return 0..<rows.count }
    let ordered = nullsFirst ? nulls + values : values + nulls
    for i in 0..<rows.count { rows[i] = ordered[i] }
    return nullsFirst ? nulls.count..<rows.count : 0..<values.count
}

/// Sorts `rows` by a three-way comparison (row position breaks ties, so the result is stable)
/// and returns the runs of rows that compare equal.
@inline(__always)
func _sortByComparison(_ rows: UnsafeMutableBufferPointer<UInt32>, descending: Bool, _ compare: (UInt32, UInt32) -> Int) -> [Range<Int>] {
    var rows = rows
    rows.sort { a, b in
        let order = descending ? -compare(a, b) : compare(a, b)
        return order != 0 ? order < 0 : a < b
    }
    var runs: [Range<Int>] = []
    var start = 0
    for i in 1...rows.count where i == rows.count || compare(rows[i - 1], rows[i]) != 0 {
        runs.append(start..<i)
        start = i
    }
    return runs
}
extension Int256: _RadixKey {
    /// The top 64 bits, sign flipped; ties are refined by comparing the full values.
    @inlinable var _radixKey: UInt64 { UInt64(truncatingIfNeeded: high >> 64) ^ (1 << 63) }
    @inlinable static var _radixExact: Bool { false }
}
