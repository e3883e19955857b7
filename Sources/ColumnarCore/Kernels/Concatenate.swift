extension Kernels {
    /// The rows of `columns`, one after the other, as one column.
    ///
    /// ```swift
    /// let both = try Kernels.concatenate([.i64([1, 2]), .i64([nil, 4])])   // [1, 2, NULL, 4]
    /// ```
    ///
    /// Dictionary columns are decoded to text (their dictionaries differ in general); nested
    /// columns concatenate child by child.
    ///
    /// - Throws: ``ColumnarError`` `.typeMismatch` when the columns' types differ, `.invalidArgument`
    ///   for an empty list or a text column beyond 2 GiB.
    public static func concatenate(_ columns: [Column]) throws -> Column {
        guard let first = columns.first else { throw ColumnarError(.invalidArgument, "nothing to concatenate") }
        if columns.count == 1 { return first }
        let type = first.dataType
        for column in columns where column.dataType != type {
            throw ColumnarError(.typeMismatch, "cannot concatenate \(column.dataType) to \(type)")
        }
        let total = columns.reduce(0) { $0 + $1.count }
        let validity: Bitmap? = columns.allSatisfy({ $0.validity == nil }) ? nil : Bitmap(unsafeUninitializedCount: total) { words in
            words.initialize(repeating: 0)
            var row = 0
            for column in columns {
                // One look at each column's bitmap, not one per row.
                if let bits = column.validity {
                    for i in 0..<column.count {
                        if bits[i] { words[row >> 6] |= 1 << UInt64(row & 63) }
                        row += 1
                    }
                } else {
                    for _ in 0..<column.count {
                        words[row >> 6] |= 1 << UInt64(row & 63)
                        row += 1
                    }
                }
            }
        }
        struct Visitor: PrimitiveColumnVisitor {
            let columns: [Column]
            let total: Int
            let validity: Bitmap?
            let original: Column
            func visit<T: FixedWidthValue>(_ c: PrimitiveColumn<T>) -> Column? {
                var builder = ValueBufferBuilder<T>(capacity: total)
                for column in columns {
                    guard let typed = (try? column.visitPrimitive(_PrimitiveAs<T>())) ?? nil else { continue }
                    typed.values.withUnsafeBufferPointer { builder.append(contentsOf: $0) }
                }
                return original.withPrimitive(PrimitiveColumn(values: builder.finish(), validity: validity))
            }
        }
        if let result = try first.visitPrimitive(Visitor(columns: columns, total: total, validity: validity, original: first)) ?? nil {
            return result
        }
        switch first {
        case .boolean:
            var bits = BitmapBuilder(capacity: total)
            for column in columns {
                guard case .boolean(let c) = column else { continue }
                for i in 0..<c.count { bits.append(c.values._bit(i)) }
            }
            return .boolean(BooleanColumn(values: bits.finish(), validity: validity))
        case .utf8, .binary, .dictionary:
            // Bytes copied run by run, offsets rebased.
            let plain = columns.map { Kernels.decodeDictionary($0) }
            var offsets = ValueBufferBuilder<Int32>(capacity: total + 1)
            var bytes = ValueBufferBuilder<UInt8>()
            offsets.append(0)
            for column in plain {
                guard case .utf8(let c) = column else {
                    guard case .binary(let c) = column else { continue }
                    try _appendBinary(c, offsets: &offsets, bytes: &bytes)
                    continue
                }
                try _appendBinary(c, offsets: &offsets, bytes: &bytes)
            }
            let column = BinaryColumn(unchecked: offsets.finish(), bytes: bytes.finish(), validity: validity)
            return type == .binary ? .binary(column) : .utf8(column)
        case .fixedSizeList(let f):
            var values = ValueBufferBuilder<Float>(capacity: total * f.size)
            for column in columns {
                guard case .fixedSizeList(let c) = column else { continue }
                c.values.withUnsafeBufferPointer { values.append(contentsOf: $0) }
            }
            return .fixedSizeList(FixedSizeListColumn(size: f.size, values: values.finish(), validity: validity, element: f.element))
        case .list(let l):
            var offsets = ValueBufferBuilder<Int32>(capacity: total + 1)
            offsets.append(0)
            var children: [Column] = []
            var base: Int32 = 0
            for column in columns {
                guard case .list(let c) = column, c.count > 0 else { continue }
                let start = c.offsets[0]
                let end = c.offsets[c.count]
                for i in 1...c.count { offsets.append(base + c.offsets[i] - start) }
                base += end - start
                children.append(c.child.slice(Int(start)..<Int(end)))
            }
            return .list(ListColumn(element: l.element, offsets: offsets.finish(), child: try concatenate(children), validity: validity))
        case .struct(let s):
            var children: [Column] = []
            for (index, _) in s.fields.enumerated() {
                children.append(try concatenate(columns.compactMap { column -> Column? in
                    guard case .struct(let c) = column else { return nil }
                    return c.children[index]
                }))
            }
            return .struct(try StructColumn(fields: s.fields, children: children, validity: validity, count: total))
        default:
            throw ColumnarError(.unsupported, "concatenating \(type) is not supported")
        }
    }
}

/// The payload of a primitive column when it stores `T`.
struct _PrimitiveAs<T: FixedWidthValue>: PrimitiveColumnVisitor {
    func visit<U: FixedWidthValue>(_ c: PrimitiveColumn<U>) -> PrimitiveColumn<T>? { c as? PrimitiveColumn<T> }
}

/// Appends a binary column's rows to growing offsets and bytes.
func _appendBinary(_ c: BinaryColumn, offsets: inout ValueBufferBuilder<Int32>, bytes: inout ValueBufferBuilder<UInt8>) throws {
    guard c.count > 0 else { return }
    let start = Int(c.offsets[0])
    let end = Int(c.offsets[c.count])
    let base = Int64(bytes.count) - Int64(start)
    guard Int64(bytes.count) + Int64(end - start) <= Int64(Int32.max) else {
        throw ColumnarError(.invalidArgument, "concatenated text exceeds 2 GiB; write smaller batches")
    }
    c.bytes.withUnsafeBufferPointer { source in
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<end]))
    }
    c.offsets.withUnsafeBufferPointer { source in
        offsets.appendUninitialized(count: c.count) { out in
            for i in 0..<c.count { out[i] = Int32(truncatingIfNeeded: Int64(source[i + 1]) + base) }
        }
    }
}
