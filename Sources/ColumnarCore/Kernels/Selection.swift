/// Row positions chosen by a filter, in ascending order: the output of predicates and the input
/// of ``Kernels/take(_:_:)``. Operators pass selections instead of copying columns.
///
/// ```swift
/// let mask = BooleanColumn([true, nil, false, true])
/// let selection = SelectionVector(mask)   // [0, 3]
/// ```
public struct SelectionVector: Sendable, Equatable {
    /// The selected row positions.
    public let indices: ValueBuffer<UInt32>

    /// Wraps positions (the caller keeps them ascending if it relies on order).
    public init(indices: ValueBuffer<UInt32>) { self.indices = indices }

    /// Creates a selection from an array of positions.
    public init(_ indices: [UInt32]) { self.indices = ValueBuffer(indices) }

    /// The rows of `mask` that are true; null counts as not selected (SQL `WHERE`).
    ///
    /// - Complexity: O(*n*), with whole 64-row words of zeros skipped at once.
    public init(_ mask: BooleanColumn) {
        let bits = mask.trueBits
        let selected = bits.setCount
        indices = bits.withUnsafeWords { words in
            ValueBuffer<UInt32>(unsafeUninitializedCount: selected) { out in
                var n = 0
                for w in 0..<words.count {
                    var word = words[w]
                    if w == words.count - 1, bits.count & 63 != 0 { word &= (1 << UInt64(bits.count & 63)) &- 1 }
                    let base = UInt32(truncatingIfNeeded: w << 6)
                    while word != 0 {
                        out[n] = base | UInt32(truncatingIfNeeded: word.trailingZeroBitCount)
                        n &+= 1
                        word &= word &- 1
                    }
                }
            }
        }
    }

    /// The number of selected rows.
    public var count: Int { indices.count }
}

extension Kernels {
    /// The rows of `column` where `mask` is true (null counts as false), in order.
    ///
    /// ```swift
    /// try Kernels.filter(.int64(PrimitiveColumn([1, 2, 3])), BooleanColumn([true, false, nil]))  // [1]
    /// ```
    /// - Throws: ``ColumnarError`` `.lengthMismatch`.
    /// - Complexity: O(*n*); primitive columns copy runs of 64 selected rows at once.
    public static func filter(_ column: Column, _ mask: BooleanColumn) throws -> Column {
        try _requireSameLength(column.count, mask.count, "filter")
        let bits = mask.trueBits
        struct Visitor: PrimitiveColumnVisitor {
            let bits: Bitmap
            let original: Column
            func visit<T: FixedWidthValue>(_ c: PrimitiveColumn<T>) -> Column? { original.withPrimitive(_filterPrimitive(c, bits)) }
        }
        if let result = try column.visitPrimitive(Visitor(bits: bits, original: column)) ?? nil {
            return result
        }
        // Positions from a mask of the same length are in bounds by construction.
        return _take(column, SelectionVector(mask).indices)
    }

    /// The rows of `column` at the positions in `selection`, in that order (repeats allowed).
    ///
    /// - Throws: ``ColumnarError`` `.indexOutOfBounds` naming the first position past the end.
    /// - Complexity: O(*k*) in the number of positions (plus the bytes copied for strings).
    public static func take(_ column: Column, _ selection: SelectionVector) throws -> Column {
        let limit = column.count
        let bad = selection.indices.withUnsafeBufferPointer { idx -> Int? in
            var maximum: UInt32 = 0
            for i in 0..<idx.count { maximum = Swift.max(maximum, idx[i]) }
            guard !idx.isEmpty, Int(maximum) >= limit else { return nil }
            return idx.firstIndex { Int($0) >= limit }
        }
        if let bad {
            throw ColumnarError(.indexOutOfBounds, "position \(selection.indices[bad]) is past the \(limit) rows", row: bad)
        }
        return _take(column, selection.indices)
    }

    /// A dictionary column expanded to plain text; any other column unchanged.
    public static func decodeDictionary(_ column: Column) -> Column {
        guard case .dictionary(let d) = column else { return column }
        // Null rows may hold any index: give them position 0 of a dictionary with an extra empty
        // entry appended, so no position is ever out of range.
        let entries = d.dictionary.count
        let positions = d.indices.values.withUnsafeBufferPointer { keys in
            ValueBuffer<UInt32>(unsafeUninitializedCount: keys.count) { out in
                for i in 0..<keys.count {
                    let key = keys[i]
                    let usable = key >= 0 && Int(key) < entries && !d.indices.isNull(i)
                    out[i] = usable ? UInt32(truncatingIfNeeded: key) : UInt32(entries)
                }
            }
        }
        let padded = BinaryColumn(
            unchecked: ValueBuffer(Array(d.dictionary.offsets) + [d.dictionary.offsets[entries]]),
            bytes: d.dictionary.bytes,
            validity: nil
        )
        let taken = _takeBinary(padded, positions)
        return .utf8(BinaryColumn(unchecked: taken.offsets, bytes: taken.bytes, validity: d.indices.validity))
    }
}

/// Validity of the rows at `positions`.
@inlinable
func _takeValidity(_ validity: Bitmap?, _ positions: UnsafeBufferPointer<UInt32>) -> Bitmap? {
    guard let validity else { return nil }
    return _packBits(count: positions.count) { validity._bit(Int(positions[$0])) }
}

/// Rows of a primitive column at trusted positions.
@inlinable
func _takePrimitive<T: FixedWidthValue>(_ c: PrimitiveColumn<T>, _ positions: ValueBuffer<UInt32>) -> PrimitiveColumn<T> {
    positions.withUnsafeBufferPointer { idx in
        let values = c.values.withUnsafeBufferPointer { source in
            ValueBuffer<T>(unsafeUninitializedCount: idx.count) { out in
                for i in 0..<idx.count { out[i] = source[Int(idx[i])] }
            }
        }
        return PrimitiveColumn(values: values, validity: _takeValidity(c.validity, idx))
    }
}

/// Rows of a primitive column where `bits` is set. Per 64-row word: all set → one block copy;
/// dense → a branch-free loop that stores every row and advances by the bit; sparse → a loop over
/// the set bits only.
@inlinable
func _filterPrimitive<T: FixedWidthValue>(_ c: PrimitiveColumn<T>, _ bits: Bitmap) -> PrimitiveColumn<T> {
    let selected = bits.setCount
    let count = c.count
    return bits.withUnsafeWords { words in
        let values = c.values.withUnsafeBufferPointer { source in
            ValueBuffer<T>(unsafeUninitializedCount: selected) { out in
                let src = source.baseAddress!
                let dst = out.baseAddress!
                var n = 0
                let fullWords = count >> 6
                for w in 0..<words.count {
                    var word = words[w]
                    let base = w << 6
                    if w == fullWords { word &= (1 << UInt64(count & 63)) &- 1 }
                    if word == ~0 {
                        (dst + n).initialize(from: src + base, count: 64)
                        n &+= 64
                    } else if word.nonzeroBitCount >= 16 && n + 64 <= selected {
                        // Dense and far from the end: write each row, keep it if its bit is set.
                        for j in 0..<64 {
                            dst[n] = src[base &+ j]
                            n &+= Int((word >> UInt64(j)) & 1)
                        }
                    } else {
                        while word != 0 {
                            dst[n] = src[base | word.trailingZeroBitCount]
                            n &+= 1
                            word &= word &- 1
                        }
                    }
                }
            }
        }
        guard let validity = c.validity else { return PrimitiveColumn(values: values) }
        let kept = _filterBits(validity, bits, selected: selected)
        return PrimitiveColumn(values: values, validity: kept)
    }
}

/// The bits of `source` at the rows where `mask` is set.
@usableFromInline
func _filterBits(_ source: Bitmap, _ mask: Bitmap, selected: Int) -> Bitmap {
    var builder = BitmapBuilder(capacity: selected)
    mask.withUnsafeWords { words in
        for w in 0..<words.count {
            var word = words[w]
            if w == words.count - 1, mask.count & 63 != 0 { word &= (1 << UInt64(mask.count & 63)) &- 1 }
            while word != 0 {
                builder.append(source._bit((w << 6) | word.trailingZeroBitCount))
                word &= word &- 1
            }
        }
    }
    return builder.finish()
}

/// Rows of a binary column at trusted positions: one pass for the sizes, one to copy.
func _takeBinary(_ c: BinaryColumn, _ positions: ValueBuffer<UInt32>) -> BinaryColumn {
    positions.withUnsafeBufferPointer { idx in
        c._withBuffers { offsets, bytes in
            var total = 0
            for i in 0..<idx.count {
                let row = Int(idx[i])
                total &+= Int(offsets[row + 1]) &- Int(offsets[row])
            }
            precondition(total <= Int(Int32.max), "a binary column batch exceeds 2 GiB; take fewer rows at once")
            var newOffsets = ValueBuffer<Int32>()
            let data = ValueBuffer<UInt8>(unsafeUninitializedCount: total) { out in
                newOffsets = ValueBuffer<Int32>(unsafeUninitializedCount: idx.count + 1) { o in
                    var position = 0
                    o[0] = 0
                    for i in 0..<idx.count {
                        let row = Int(idx[i])
                        let start = Int(offsets[row])
                        let length = Int(offsets[row + 1]) &- start
                        _copyShortBytes(UnsafeMutableRawPointer(out.baseAddress! + position), bytes + start, length)
                        position &+= length
                        o[i + 1] = Int32(truncatingIfNeeded: position)
                    }
                }
            }
            return BinaryColumn(unchecked: newOffsets, bytes: data, validity: _takeValidity(c.validity, idx))
        }
    }
}

/// Copies `count` bytes; strings of up to 16 bytes move as two unaligned words. Source and
/// destination buffers are padded by 16 bytes, and later rows overwrite the spill.
@inlinable @inline(__always)
func _copyShortBytes(_ destination: UnsafeMutableRawPointer, _ source: UnsafeRawPointer, _ count: Int) {
    if count <= 16 {
        destination.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
        (destination + 8).storeBytes(of: source.loadUnaligned(fromByteOffset: 8, as: UInt64.self), as: UInt64.self)
    } else {
        _copyBytes(destination, source, count)
    }
}

/// Rows of any column at trusted (bounds-checked) positions.
func _take(_ column: Column, _ positions: ValueBuffer<UInt32>) -> Column {
    struct Visitor: PrimitiveColumnVisitor {
        let positions: ValueBuffer<UInt32>
        let original: Column
        func visit<T: FixedWidthValue>(_ c: PrimitiveColumn<T>) -> Column? { original.withPrimitive(_takePrimitive(c, positions)) }
    }
    if let result = (try? column.visitPrimitive(Visitor(positions: positions, original: column))) ?? nil {
        return result
    }
    return positions.withUnsafeBufferPointer { idx -> Column in
        switch column {
        case .boolean(let c):
            let values = _packBits(count: idx.count) { c.values._bit(Int(idx[$0])) }
            return .boolean(BooleanColumn(values: values, validity: _takeValidity(c.validity, idx)))
        case .utf8(let c): return .utf8(_takeBinary(c, positions))
        case .binary(let c): return .binary(_takeBinary(c, positions))
        case .dictionary(let c):
            return .dictionary(DictionaryColumn(unchecked: _takePrimitive(c.indices, positions), dictionary: c.dictionary))
        case .fixedSizeList(let c):
            let size = c.size
            let values = c.values.withUnsafeBufferPointer { source in
                ValueBuffer<Float>(unsafeUninitializedCount: idx.count * size) { out in
                    for i in 0..<idx.count {
                        let from = source.baseAddress! + Int(idx[i]) * size
                        (out.baseAddress! + i * size).initialize(from: from, count: size)
                    }
                }
            }
            return .fixedSizeList(FixedSizeListColumn(size: size, values: values, validity: _takeValidity(c.validity, idx), element: c.element))
        case .list(let c):
            var childPositions: [UInt32] = []
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(idx.count + 1)
            for i in 0..<idx.count {
                let row = Int(idx[i])
                let range = Int(c.offsets[row])..<Int(c.offsets[row + 1])
                for p in range { childPositions.append(UInt32(p)) }
                offsets.append(Int32(childPositions.count))
            }
            let child = _take(c.child, ValueBuffer(childPositions))
            return .list(ListColumn(element: c.element, offsets: ValueBuffer(offsets), child: child, validity: _takeValidity(c.validity, idx)))
        case .struct(let c):
            return .struct(StructColumn(
                uncheckedFields: c.fields,
                children: c.children.map { _take($0, positions) },
                validity: _takeValidity(c.validity, idx),
                count: idx.count
            ))
        default:
            preconditionFailure("primitive columns are handled above")
        }
    }
}

extension Kernels {
    /// Places the rows of `dense` at the set bits of `validity`, in order, with nulls at the
    /// clear bits: the inverse of filtering out the nulls. Readers use it to turn a column's
    /// present values and its definition levels into the column.
    ///
    /// ```swift
    /// let dense = Column.i64([7, 8])
    /// let column = try Kernels.scatter(dense, validity: Bitmap([true, false, true]))   // [7, NULL, 8]
    /// ```
    ///
    /// - Throws: ``ColumnarError`` `.lengthMismatch` when `dense` does not have exactly one row
    ///   per set bit, `.invalidArgument` when `dense` has nulls of its own.
    public static func scatter(_ dense: Column, validity: Bitmap) throws -> Column {
        let present = validity.setCount
        guard dense.count == present else {
            throw ColumnarError(.lengthMismatch, "\(dense.count) values for \(present) present rows")
        }
        guard dense.nullCount == 0 else { throw ColumnarError(.invalidArgument, "scatter takes a column without nulls") }
        if present == validity.count { return dense }
        struct Visitor: PrimitiveColumnVisitor {
            let validity: Bitmap
            let original: Column
            func visit<T: FixedWidthValue>(_ c: PrimitiveColumn<T>) -> Column? {
                let rows = validity.count
                let spread = c.values.withUnsafeBufferPointer { source in
                    ValueBuffer<T>(unsafeUninitializedCount: rows) { out in
                        var next = 0
                        for row in 0..<rows {
                            if validity._bit(row) { out[row] = source[next]; next += 1 } else { out[row] = .zero }
                        }
                    }
                }
                return original.withPrimitive(PrimitiveColumn(values: spread, validity: validity))
            }
        }
        if let result = try dense.visitPrimitive(Visitor(validity: validity, original: dense)) ?? nil { return result }
        // Other layouts: gather with a placeholder position for the null rows, then mark them.
        guard present > 0 else { return try Column.nulls(dense.dataType, count: validity.count) }
        let positions = ValueBuffer<UInt32>(unsafeUninitializedCount: validity.count) { out in
            var next: UInt32 = 0
            for row in 0..<validity.count {
                out[row] = validity._bit(row) ? next : 0
                if validity._bit(row) { next += 1 }
            }
        }
        return _take(dense, positions).replacingValidity(validity)
    }
}

extension Column {
    /// A column of `count` nulls of `type`.
    public static func nulls(_ type: DataType, count: Int) throws -> Column {
        try Column(type, [Scalar](repeating: .null, count: count))
    }

    /// The same values with `validity` as the validity (the column must have no nulls itself).
    func replacingValidity(_ validity: Bitmap) -> Column {
        switch self {
        case .boolean(let c): return .boolean(BooleanColumn(values: c.values, validity: validity))
        case .utf8(let c): return .utf8(BinaryColumn(unchecked: c.offsets, bytes: c.bytes, validity: validity))
        case .binary(let c): return .binary(BinaryColumn(unchecked: c.offsets, bytes: c.bytes, validity: validity))
        case .dictionary(let d):
            return .dictionary(DictionaryColumn(unchecked: PrimitiveColumn(values: d.indices.values, validity: validity), dictionary: d.dictionary))
        case .fixedSizeList(let c):
            return .fixedSizeList(FixedSizeListColumn(size: c.size, values: c.values, validity: validity, element: c.element))
        case .list(let c): return .list(ListColumn(element: c.element, offsets: c.offsets, child: c.child, validity: validity))
        case .struct(let c):
            return (try? StructColumn(fields: c.fields, children: c.children, validity: validity, count: c.count)).map(Column.struct) ?? self
        default:
            struct Visitor: PrimitiveColumnVisitor {
                let validity: Bitmap
                let original: Column
                func visit<T: FixedWidthValue>(_ c: PrimitiveColumn<T>) -> Column? {
                    original.withPrimitive(PrimitiveColumn(values: c.values, validity: validity))
                }
            }
            return ((try? visitPrimitive(Visitor(validity: validity, original: self))) ?? nil) ?? self
        }
    }
}
