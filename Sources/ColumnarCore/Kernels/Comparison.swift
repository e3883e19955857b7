/// A binary comparison in SQL: `=`, `<>`, `<`, `<=`, `>`, `>=`.
public enum ComparisonOperator: String, Sendable, CaseIterable {
    /// `=`
    case equal = "="
    /// `<>` (also written `!=`)
    case notEqual = "<>"
    /// `<`
    case less = "<"
    /// `<=`
    case lessOrEqual = "<="
    /// `>`
    case greater = ">"
    /// `>=`
    case greaterOrEqual = ">="

    /// The operator with its operands swapped (`a < b` is `b > a`).
    public var flipped: ComparisonOperator {
        switch self {
        case .equal, .notEqual: return self
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        }
    }

    /// Whether an ordering result (negative, zero, positive) satisfies the operator.
    @inlinable @inline(__always)
    func holds(forOrdering order: Int) -> Bool {
        switch self {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        }
    }
}

@usableFromInline protocol _ComparisonOp { static func test<T: FixedWidthValue>(_ a: T, _ b: T) -> Bool }
@usableFromInline enum _EqualOp: _ComparisonOp {
    @inlinable @inline(__always) static func test<T: FixedWidthValue>(_ a: T, _ b: T) -> Bool { T.sqlEquals(a, b) }
}
@usableFromInline enum _NotEqualOp: _ComparisonOp {
    @inlinable @inline(__always) static func test<T: FixedWidthValue>(_ a: T, _ b: T) -> Bool { !T.sqlEquals(a, b) }
}
@usableFromInline enum _LessOp: _ComparisonOp {
    @inlinable @inline(__always) static func test<T: FixedWidthValue>(_ a: T, _ b: T) -> Bool { T.sqlLess(a, b) }
}
@usableFromInline enum _LessEqualOp: _ComparisonOp {
    @inlinable @inline(__always) static func test<T: FixedWidthValue>(_ a: T, _ b: T) -> Bool { !T.sqlLess(b, a) }
}
@usableFromInline enum _GreaterOp: _ComparisonOp {
    @inlinable @inline(__always) static func test<T: FixedWidthValue>(_ a: T, _ b: T) -> Bool { T.sqlLess(b, a) }
}
@usableFromInline enum _GreaterEqualOp: _ComparisonOp {
    @inlinable @inline(__always) static func test<T: FixedWidthValue>(_ a: T, _ b: T) -> Bool { !T.sqlLess(a, b) }
}

extension Kernels {
    /// Compares two columns row by row. A row is null when either side is.
    ///
    /// Both columns must have the same type (the SQL binder inserts casts); a dictionary column
    /// compares as the text it encodes. Floating point follows SQL: NaN equals NaN and is greater
    /// than every number.
    ///
    /// ```swift
    /// try Kernels.compare(.int64(PrimitiveColumn([1, 5])), .less, .int64(PrimitiveColumn([2, 2])))  // [true, false]
    /// ```
    /// - Throws: ``ColumnarError`` `.typeMismatch` or `.lengthMismatch`.
    /// - Complexity: O(*n*).
    public static func compare(_ lhs: Column, _ op: ComparisonOperator, _ rhs: Column) throws -> BooleanColumn {
        try _requireSameLength(lhs.count, rhs.count, "comparison")
        switch (lhs, rhs) {
        case (.boolean(let a), .boolean(let b)):
            return _compareBooleans(a, op, b)
        case (.utf8(let a), .utf8(let b)), (.binary(let a), .binary(let b)):
            return _compareBinary(a, op, b)
        case (.dictionary, _), (_, .dictionary):
            guard lhs.dataType == rhs.dataType else { break }
            return try compare(decodeDictionary(lhs), op, decodeDictionary(rhs))
        default:
            guard lhs.dataType == rhs.dataType else { break }
            struct Visitor: PrimitiveColumnVisitor {
                let op: ComparisonOperator
                let rhs: Column
                func visit<T: FixedWidthValue>(_ a: PrimitiveColumn<T>) throws -> BooleanColumn {
                    guard let b = rhs.primitive(as: T.self) else {
                        throw ColumnarError(.internalError, "primitive payloads of equal types disagree")
                    }
                    switch op {
                    case .equal: return _comparePrimitive(a, b, _EqualOp.self)
                    case .notEqual: return _comparePrimitive(a, b, _NotEqualOp.self)
                    case .less: return _comparePrimitive(a, b, _LessOp.self)
                    case .lessOrEqual: return _comparePrimitive(a, b, _LessEqualOp.self)
                    case .greater: return _comparePrimitive(a, b, _GreaterOp.self)
                    case .greaterOrEqual: return _comparePrimitive(a, b, _GreaterEqualOp.self)
                    }
                }
            }
            if let result = try lhs.visitPrimitive(Visitor(op: op, rhs: rhs)) { return result }
        }
        throw ColumnarError(.typeMismatch, "cannot compare \(lhs.dataType) \(op.rawValue) \(rhs.dataType)")
    }

    /// Compares every row of a column with one value. Every row is null when `rhs` is null.
    ///
    /// The scalar must have the column's representation (e.g. `.date32` for a DATE column). On a
    /// dictionary column the comparison runs once per distinct value.
    ///
    /// - Throws: ``ColumnarError`` `.typeMismatch`.
    /// - Complexity: O(*n*).
    public static func compare(_ lhs: Column, _ op: ComparisonOperator, _ rhs: Scalar) throws -> BooleanColumn {
        let count = lhs.count
        if rhs.isNull {
            return BooleanColumn(values: Bitmap(repeating: false, count: count), validity: Bitmap(repeating: false, count: count))
        }
        switch (lhs, rhs) {
        case (.boolean(let a), .boolean(let b)):
            let constant = BooleanColumn(values: Bitmap(repeating: b, count: count))
            return _compareBooleans(a, op, constant)
        case (.utf8(let a), .utf8(let text)):
            return _compareBinary(a, op, Array(text.utf8))
        case (.binary(let a), .binary(let bytes)):
            return _compareBinary(a, op, bytes)
        case (.dictionary(let d), .utf8(let text)):
            // Evaluate on the distinct values, then look each row's answer up.
            let perEntry = _compareBinary(d.dictionary, op, Array(text.utf8))
            let answers = perEntry.trueBits
            let values = d.indices.values.withUnsafeBufferPointer { keys in
                _packBits(count: count) { i in
                    let key = Int(keys[i])
                    return key >= 0 && key < answers.count && answers._bit(key)
                }
            }
            return BooleanColumn(values: values, validity: d.indices.validity)
        default:
            struct Visitor: PrimitiveColumnVisitor {
                let op: ComparisonOperator
                let rhs: Scalar
                func visit<T: FixedWidthValue>(_ a: PrimitiveColumn<T>) throws -> BooleanColumn? {
                    guard let b = rhs.value(as: T.self) else { return nil }
                    switch op {
                    case .equal: return _comparePrimitive(a, b, _EqualOp.self)
                    case .notEqual: return _comparePrimitive(a, b, _NotEqualOp.self)
                    case .less: return _comparePrimitive(a, b, _LessOp.self)
                    case .lessOrEqual: return _comparePrimitive(a, b, _LessEqualOp.self)
                    case .greater: return _comparePrimitive(a, b, _GreaterOp.self)
                    case .greaterOrEqual: return _comparePrimitive(a, b, _GreaterEqualOp.self)
                    }
                }
            }
            if let result = try lhs.visitPrimitive(Visitor(op: op, rhs: rhs)) ?? nil,
               Scalar.representationMatches(rhs, lhs.dataType) {
                return result
            }
        }
        throw ColumnarError(.typeMismatch, "cannot compare \(lhs.dataType) \(op.rawValue) \(rhs)")
    }
}

extension Scalar {
    /// Whether the scalar carries a value of `type` (units, scales and zones included).
    static func representationMatches(_ scalar: Scalar, _ type: DataType) -> Bool {
        switch (scalar, type) {
        case (.int8, .int8), (.int16, .int16), (.int32, .int32), (.int64, .int64),
             (.uint8, .uint8), (.uint16, .uint16), (.uint32, .uint32), (.uint64, .uint64),
             (.float32, .float32), (.float64, .float64), (.date32, .date32),
             (.boolean, .boolean), (.utf8, .utf8), (.binary, .binary):
            return true
        case (.decimal128(_, _, let s1), .decimal128(_, let s2)): return s1 == s2
        case (.decimal256(_, _, let s1), .decimal256(_, let s2)): return s1 == s2
        case (.wideTimestamp, .wideTimestamp), (.interval, .interval): return true
        case (.time64(_, let u1), .time64(let u2)): return u1 == u2
        case (.timestamp(_, let u1, _), .timestamp(let u2, _)): return u1 == u2
        default: return false
        }
    }
}

@inlinable
func _comparePrimitive<T: FixedWidthValue, Op: _ComparisonOp>(_ a: PrimitiveColumn<T>, _ b: PrimitiveColumn<T>, _: Op.Type) -> BooleanColumn {
    let values = a.values.withUnsafeBufferPointer { x in
        b.values.withUnsafeBufferPointer { y in
            _packBits(count: x.count) { i in Op.test(x[i], y[i]) }
        }
    }
    return BooleanColumn(values: values, validity: Bitmap.and(a.validity, b.validity))
}

@inlinable
func _comparePrimitive<T: FixedWidthValue, Op: _ComparisonOp>(_ a: PrimitiveColumn<T>, _ b: T, _: Op.Type) -> BooleanColumn {
    let values = a.values.withUnsafeBufferPointer { x in
        _packBits(count: x.count) { i in Op.test(x[i], b) }
    }
    return BooleanColumn(values: values, validity: a.validity)
}

func _compareBooleans(_ a: BooleanColumn, _ op: ComparisonOperator, _ b: BooleanColumn) -> BooleanColumn {
    let values = a.values.withUnsafeWords { x in
        b.values.withUnsafeWords { y in
            Bitmap(unsafeUninitializedCount: a.count) { out in
                for i in 0..<out.count {
                    let (p, q) = (x[i], y[i])
                    switch op {
                    case .equal: out[i] = ~(p ^ q)
                    case .notEqual: out[i] = p ^ q
                    case .less: out[i] = ~p & q
                    case .lessOrEqual: out[i] = ~p | q
                    case .greater: out[i] = p & ~q
                    case .greaterOrEqual: out[i] = p | ~q
                    }
                }
            }
        }
    }
    return BooleanColumn(values: values, validity: Bitmap.and(a.validity, b.validity))
}

func _compareBinary(_ a: BinaryColumn, _ op: ComparisonOperator, _ b: BinaryColumn) -> BooleanColumn {
    let values = a._withBuffers { ao, ab in
        b._withBuffers { bo, bb in
            _packBits(count: a.count) { i in
                let (s, e) = (Int(ao[i]), Int(ao[i + 1]))
                let (t, f) = (Int(bo[i]), Int(bo[i + 1]))
                if op == .equal || op == .notEqual {
                    let same = e - s == f - t && _compareBytes(ab + s, e - s, bb + t, f - t) == 0
                    return same == (op == .equal)
                }
                return op.holds(forOrdering: _compareBytes(ab + s, e - s, bb + t, f - t))
            }
        }
    }
    return BooleanColumn(values: values, validity: Bitmap.and(a.validity, b.validity))
}

func _compareBinary(_ a: BinaryColumn, _ op: ComparisonOperator, _ constant: [UInt8]) -> BooleanColumn {
    let values = constant.withUnsafeBytes { c in
        let cBase = c.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        let cCount = c.count
        return a._withBuffers { ao, ab in
            _packBits(count: a.count) { i in
                let (s, e) = (Int(ao[i]), Int(ao[i + 1]))
                if op == .equal || op == .notEqual {
                    let same = e - s == cCount && _compareBytes(ab + s, e - s, cBase, cCount) == 0
                    return same == (op == .equal)
                }
                return op.holds(forOrdering: _compareBytes(ab + s, e - s, cBase, cCount))
            }
        }
    }
    return BooleanColumn(values: values, validity: a.validity)
}
