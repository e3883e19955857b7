/// A binary arithmetic operator.
public enum ArithmeticOperator: String, Sendable, CaseIterable {
    /// Addition.
    case add = "+"
    /// Subtraction.
    case subtract = "-"
    /// Multiplication.
    case multiply = "*"
    /// Division; truncating toward zero for integers.
    case divide = "/"
    /// Remainder with the sign of the dividend (SQL `%`, C `fmod`).
    case remainder = "%"
}

/// How arithmetic treats a zero divisor.
public enum DivisionByZeroPolicy: Sendable {
    /// Throw ``ColumnarError`` `.divisionByZero`, as PostgreSQL does.
    case error
    /// Produce null, as DuckDB does.
    case null
}

extension Kernels {
    /// Applies `op` row by row; a row is null when either operand is.
    ///
    /// Integers and decimals never wrap: a result that does not fit throws `.overflow` (as
    /// PostgreSQL and DuckDB raise). Floating point follows IEEE 754 except for a zero divisor,
    /// which follows `divisionByZero` like integers. Decimals must share their scale for `+` and
    /// `-`; `*` adds the scales; `/` and `%` on decimals are not supported here (the SQL layer
    /// casts them to DOUBLE as DuckDB does).
    ///
    /// ```swift
    /// try Kernels.arithmetic(.int64(PrimitiveColumn([7, nil])), .divide, .int64(PrimitiveColumn([2, 2])))  // [3, NULL]
    /// ```
    /// - Throws: ``ColumnarError`` `.overflow`, `.divisionByZero`, `.typeMismatch`, `.unsupported`.
    /// - Complexity: O(*n*).
    public static func arithmetic(
        _ lhs: Column, _ op: ArithmeticOperator, _ rhs: Column, divisionByZero: DivisionByZeroPolicy = .error
    ) throws -> Column {
        try _requireSameLength(lhs.count, rhs.count, "arithmetic")
        return try _arithmetic(lhs, op, .column(rhs), divisionByZero)
    }

    /// Applies `op` between every row and one value; all rows are null when `rhs` is null.
    ///
    /// - Throws: as ``arithmetic(_:_:_:divisionByZero:)-(Column,_,Column,_)``.
    public static func arithmetic(
        _ lhs: Column, _ op: ArithmeticOperator, _ rhs: Scalar, divisionByZero: DivisionByZeroPolicy = .error
    ) throws -> Column {
        if rhs.isNull {
            guard lhs.dataType.isNumeric else {
                throw ColumnarError(.typeMismatch, "cannot apply \(op.rawValue) to \(lhs.dataType)")
            }
            return try _allNull(lhs)
        }
        return try _arithmetic(lhs, op, .scalar(rhs), divisionByZero)
    }
}

/// The right-hand side of a binary kernel: a column or a constant.
enum _Operand {
    case column(Column)
    case scalar(Scalar)
}

/// Reads operand values without branching on the operand kind inside the loop.
@usableFromInline protocol _ValueSource {
    associatedtype Value: FixedWidthValue
    subscript(_ i: Int) -> Value { get }
}
@usableFromInline struct _BufferSource<Value: FixedWidthValue>: _ValueSource {
    @usableFromInline let base: UnsafeBufferPointer<Value>
    @inlinable init(_ base: UnsafeBufferPointer<Value>) { self.base = base }
    @inlinable subscript(_ i: Int) -> Value { @inline(__always) get { base[i] } }
}
@usableFromInline struct _ConstantSource<Value: FixedWidthValue>: _ValueSource {
    @usableFromInline let value: Value
    @inlinable init(_ value: Value) { self.value = value }
    @inlinable subscript(_ i: Int) -> Value { @inline(__always) get { value } }
}

func _allNull(_ like: Column) throws -> Column {
    let scalars = [Scalar](repeating: .null, count: like.count)
    return try Column(like.dataType, scalars)
}

func _arithmetic(_ lhs: Column, _ op: ArithmeticOperator, _ rhs: _Operand, _ policy: DivisionByZeroPolicy) throws -> Column {
    let rhsType: DataType
    switch rhs {
    case .column(let c): rhsType = c.dataType
    case .scalar(let s):
        guard Scalar.representationMatches(s, lhs.dataType) else {
            throw ColumnarError(.typeMismatch, "cannot apply \(op.rawValue) to \(lhs.dataType) and \(s)")
        }
        rhsType = lhs.dataType
    }
    switch (lhs.dataType, rhsType) {
    case (.decimal128(let p1, let s1), .decimal128(let p2, let s2)):
        return try _decimalArithmetic(lhs, op, rhs, (p1, s1), (p2, s2))
    case (let a, let b) where a == b && (a.isInteger || a.isFloatingPoint):
        struct Visitor: PrimitiveColumnVisitor {
            let op: ArithmeticOperator
            let rhs: _Operand
            let policy: DivisionByZeroPolicy
            let original: Column
            func visit<T: FixedWidthValue>(_ a: PrimitiveColumn<T>) throws -> Column? {
                let result: PrimitiveColumn<T>
                if let integerColumn = a as? any _IntegerArithmetic {
                    result = try integerColumn._integerArithmetic(op, rhs, policy) as! PrimitiveColumn<T>
                } else if let floatColumn = a as? any _FloatArithmetic {
                    result = try floatColumn._floatArithmetic(op, rhs, policy) as! PrimitiveColumn<T>
                } else {
                    return nil
                }
                return original.withPrimitive(result)
            }
        }
        if let result = try lhs.visitPrimitive(Visitor(op: op, rhs: rhs, policy: policy, original: lhs)) ?? nil {
            return result
        }
    default:
        break
    }
    throw ColumnarError(.typeMismatch, "cannot apply \(op.rawValue) to \(lhs.dataType) and \(rhsType)")
}

// MARK: - Integers

protocol _IntegerArithmetic {
    func _integerArithmetic(_ op: ArithmeticOperator, _ rhs: _Operand, _ policy: DivisionByZeroPolicy) throws -> Any
}

extension PrimitiveColumn: _IntegerArithmetic where Value: FixedWidthInteger {
    func _integerArithmetic(_ op: ArithmeticOperator, _ rhs: _Operand, _ policy: DivisionByZeroPolicy) throws -> Any {
        switch rhs {
        case .column(let column):
            let other = column.primitive(as: Value.self)!
            return try other.values.withUnsafeBufferPointer { b in
                try _integerKernel(self, op, _BufferSource(b), other.validity, policy)
            }
        case .scalar(let scalar):
            return try _integerKernel(self, op, _ConstantSource(scalar.value(as: Value.self)!), nil, policy)
        }
    }
}

@inlinable
func _integerKernel<T: FixedWidthInteger & FixedWidthValue, R: _ValueSource>(
    _ a: PrimitiveColumn<T>, _ op: ArithmeticOperator, _ b: R, _ bValidity: Bitmap?, _ policy: DivisionByZeroPolicy
) throws -> PrimitiveColumn<T> where R.Value == T {
    let validity = Bitmap.and(a.validity, bValidity)
    let count = a.count
    var overflow = false
    var zeroDivisor = false
    let values = a.values.withUnsafeBufferPointer { x in
        ValueBuffer<T>(unsafeUninitializedCount: count) { out in
            switch op {
            case .add:
                for i in 0..<count {
                    let (r, o) = x[i].addingReportingOverflow(b[i])
                    out[i] = r
                    overflow = overflow || o
                }
            case .subtract:
                for i in 0..<count {
                    let (r, o) = x[i].subtractingReportingOverflow(b[i])
                    out[i] = r
                    overflow = overflow || o
                }
            case .multiply:
                for i in 0..<count {
                    let (r, o) = x[i].multipliedReportingOverflow(by: b[i])
                    out[i] = r
                    overflow = overflow || o
                }
            case .divide, .remainder:
                for i in 0..<count {
                    let divisor = b[i]
                    if divisor == 0 {
                        out[i] = 0
                        zeroDivisor = true
                    } else if op == .divide {
                        let (r, o) = x[i].dividedReportingOverflow(by: divisor)
                        out[i] = r
                        overflow = overflow || o
                    } else {
                        // MIN % -1 overflows in hardware but is 0 in SQL.
                        out[i] = T.isSigned && divisor == -1 ? 0 : x[i] % divisor
                    }
                }
            }
        }
    }
    var resultValidity = validity
    if overflow || zeroDivisor {
        // Only rows that are present count: nulls may hold anything. Under the `.null` policy a
        // zero divisor turns its row null; every other row keeps its validity.
        var rebuilt = BitmapBuilder(capacity: zeroDivisor ? count : 0)
        for i in 0..<count {
            let present = validity?._bit(i) ?? true
            var keep = present
            if present {
                if (op == .divide || op == .remainder) && b[i] == 0 {
                    if policy == .error { throw ColumnarError(.divisionByZero, "division by zero", row: i) }
                    keep = false
                } else if overflow && _overflows(a.values[i], op, b[i]) {
                    throw ColumnarError(.overflow, "\(T.self) overflow in \(a.values[i]) \(op.rawValue) \(b[i])", row: i)
                }
            }
            if zeroDivisor { rebuilt.append(keep) }
        }
        if zeroDivisor { resultValidity = rebuilt.finish() }
    }
    return PrimitiveColumn(values: values, validity: resultValidity)
}

@inlinable
func _overflows<T: FixedWidthInteger>(_ a: T, _ op: ArithmeticOperator, _ b: T) -> Bool {
    switch op {
    case .add: return a.addingReportingOverflow(b).overflow
    case .subtract: return a.subtractingReportingOverflow(b).overflow
    case .multiply: return a.multipliedReportingOverflow(by: b).overflow
    case .divide: return b != 0 && a.dividedReportingOverflow(by: b).overflow
    case .remainder: return false
    }
}

// MARK: - Floating point

protocol _FloatArithmetic {
    func _floatArithmetic(_ op: ArithmeticOperator, _ rhs: _Operand, _ policy: DivisionByZeroPolicy) throws -> Any
}

extension PrimitiveColumn: _FloatArithmetic where Value: BinaryFloatingPoint {
    func _floatArithmetic(_ op: ArithmeticOperator, _ rhs: _Operand, _ policy: DivisionByZeroPolicy) throws -> Any {
        switch rhs {
        case .column(let column):
            let other = column.primitive(as: Value.self)!
            return try other.values.withUnsafeBufferPointer { b in
                try _floatKernel(self, op, _BufferSource(b), other.validity, policy)
            }
        case .scalar(let scalar):
            return try _floatKernel(self, op, _ConstantSource(scalar.value(as: Value.self)!), nil, policy)
        }
    }
}

@inlinable
func _floatKernel<T: BinaryFloatingPoint & FixedWidthValue, R: _ValueSource>(
    _ a: PrimitiveColumn<T>, _ op: ArithmeticOperator, _ b: R, _ bValidity: Bitmap?, _ policy: DivisionByZeroPolicy
) throws -> PrimitiveColumn<T> where R.Value == T {
    let validity = Bitmap.and(a.validity, bValidity)
    let count = a.count
    let values = a.values.withUnsafeBufferPointer { x in
        ValueBuffer<T>(unsafeUninitializedCount: count) { out in
            switch op {
            case .add: for i in 0..<count { out[i] = x[i] + b[i] }
            case .subtract: for i in 0..<count { out[i] = x[i] - b[i] }
            case .multiply: for i in 0..<count { out[i] = x[i] * b[i] }
            case .divide: for i in 0..<count { out[i] = x[i] / b[i] }
            case .remainder: for i in 0..<count { out[i] = x[i].truncatingRemainder(dividingBy: b[i]) }
            }
        }
    }
    guard op == .divide || op == .remainder else { return PrimitiveColumn(values: values, validity: validity) }
    var zeroRows = BitmapBuilder(capacity: count)
    var anyZero = false
    for i in 0..<count {
        let zero = b[i] == 0 && (validity?._bit(i) ?? true)
        if zero {
            if policy == .error { throw ColumnarError(.divisionByZero, "division by zero", row: i) }
            anyZero = true
        }
        zeroRows.append(!zero)
    }
    guard anyZero else { return PrimitiveColumn(values: values, validity: validity) }
    return PrimitiveColumn(values: values, validity: Bitmap.and(validity, zeroRows.finish()))
}

// MARK: - Decimals

/// 10^38: decimals of precision 38 hold magnitudes strictly below it.
@usableFromInline let _decimalLimit: Int128 = {
    var value: Int128 = 1
    for _ in 0..<38 { value *= 10 }
    return value
}()

func _decimalArithmetic(
    _ lhs: Column, _ op: ArithmeticOperator, _ rhs: _Operand, _ left: (Int, Int), _ right: (Int, Int)
) throws -> Column {
    guard case .decimal128(let a, _, _) = lhs else { throw ColumnarError(.internalError, "decimal payload expected") }
    let scale: Int
    let precision: Int
    switch op {
    case .add, .subtract:
        guard left.1 == right.1 else {
            throw ColumnarError(.typeMismatch, "decimal \(op.rawValue) needs equal scales, got \(left.1) and \(right.1); cast one side first")
        }
        scale = left.1
        precision = min(38, max(left.0 - left.1, right.0 - right.1) + scale + 1)
    case .multiply:
        scale = left.1 + right.1
        guard scale <= 38 else { throw ColumnarError(.overflow, "decimal multiplication needs scale \(scale) > 38") }
        precision = min(38, left.0 + right.0)
    case .divide, .remainder:
        throw ColumnarError(.unsupported, "decimal \(op.rawValue) is not supported by the kernel; cast the operands to DOUBLE")
    }
    let result: PrimitiveColumn<Int128>
    switch rhs {
    case .column(let column):
        let b = column.primitive(as: Int128.self)!
        result = try b.values.withUnsafeBufferPointer { try _decimalKernel(a, op, _BufferSource($0), b.validity) }
    case .scalar(let scalar):
        result = try _decimalKernel(a, op, _ConstantSource(scalar.value(as: Int128.self)!), nil)
    }
    return .decimal128(result, precision: precision, scale: scale)
}

func _decimalKernel<R: _ValueSource>(
    _ a: PrimitiveColumn<Int128>, _ op: ArithmeticOperator, _ b: R, _ bValidity: Bitmap?
) throws -> PrimitiveColumn<Int128> where R.Value == Int128 {
    let validity = Bitmap.and(a.validity, bValidity)
    var failedRow: Int? = nil
    let values = a.values.withUnsafeBufferPointer { x in
        ValueBuffer<Int128>(unsafeUninitializedCount: x.count) { out in
            for i in 0..<x.count {
                let (r, o): (Int128, Bool)
                switch op {
                case .add: (r, o) = x[i].addingReportingOverflow(b[i])
                case .subtract: (r, o) = x[i].subtractingReportingOverflow(b[i])
                default: (r, o) = x[i].multipliedReportingOverflow(by: b[i])
                }
                out[i] = o ? 0 : r
                if (o || r >= _decimalLimit || r <= -_decimalLimit), failedRow == nil, validity?._bit(i) ?? true {
                    failedRow = i
                }
            }
        }
    }
    if let failedRow { throw ColumnarError(.overflow, "decimal result exceeds 38 digits", row: failedRow) }
    return PrimitiveColumn(values: values, validity: validity)
}
