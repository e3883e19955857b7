import ColumnarCore

/// An expression whose names are resolved to input columns and whose type is known; it
/// evaluates a whole batch at a time through ColumnarCore's kernels.
indirect enum BoundExpression: Sendable {
    case column(Int, DataType)
    /// A column of the enclosing query (in a correlated subquery, before decorrelation).
    case outer(Int, DataType)
    /// A constant; `nil` type means an untyped NULL (it takes the type its context needs).
    case literal(Scalar, DataType)
    case compare(ComparisonOperator, BoundExpression, BoundExpression)
    case arithmetic(ArithmeticOperator, BoundExpression, BoundExpression, DataType)
    case and(BoundExpression, BoundExpression)
    case or(BoundExpression, BoundExpression)
    case not(BoundExpression)
    case isNull(BoundExpression, negated: Bool)
    /// True exactly where the operand is TRUE (NULL counts as false): WHERE semantics as a value.
    case isTrue(BoundExpression)
    case cast(BoundExpression, DataType)
    /// `CASE WHEN c THEN v … ELSE e END` (conditions already BOOLEAN; values of `type`).
    case caseWhen([(BoundExpression, BoundExpression)], otherwise: BoundExpression, DataType)
    /// A scalar function of ColumnarCore columns.
    case function(String, [BoundExpression], DataType)

    var type: DataType {
        switch self {
        case .column(_, let t), .outer(_, let t), .literal(_, let t), .arithmetic(_, _, _, let t), .cast(_, let t), .caseWhen(_, _, let t), .function(_, _, let t): return t
        case .compare, .and, .or, .not, .isNull, .isTrue: return .boolean
        }
    }

    /// A NULL literal that has not taken a type from its context yet.
    var isUntypedNull: Bool {
        if case .literal(.null, _) = self { return true }
        return false
    }

    /// The expression's value for every row of `batch`.
    func evaluate(_ batch: RecordBatch) throws(SQLError) -> Column {
        do {
            return try evaluateKernels(batch)
        } catch let error as SQLError {
            throw error
        } catch let error as ColumnarError {
            throw SQLError(.runtime, error.message)
        } catch {
            throw SQLError(.runtime, "\(error)")
        }
    }

    private func evaluateKernels(_ batch: RecordBatch) throws -> Column {
        switch self {
        case .column(let index, _):
            guard index < batch.columns.count else { throw SQLError(.internalError, "column #\(index) of a batch of \(batch.columns.count) columns") }
            return Kernels.decodeDictionary(batch.columns[index])
        case .outer:
            throw SQLError(.internalError, "a correlated reference was not decorrelated")
        case .literal(let value, let type):
            // One value, repeated by a gather of row 0.
            let one = try Column(type, [value])
            return try Kernels.take(one, SelectionVector(indices: ValueBuffer<UInt32>([UInt32](repeating: 0, count: batch.count))))
        case .compare(let op, let lhs, .literal(let value, _)) where value != .null:
            return .boolean(try Kernels.compare(try lhs.evaluateKernels(batch), op, value))
        case .compare(let op, .literal(let value, _), let rhs) where value != .null:
            return .boolean(try Kernels.compare(try rhs.evaluateKernels(batch), op.flipped, value))
        case .arithmetic(let op, let lhs, .literal(let value, let t), _) where value != .null && lhs.type == t:
            return try Kernels.arithmetic(try lhs.evaluateKernels(batch), op, value)
        case .arithmetic(let op, .literal(let value, let t), let rhs, _) where value != .null && rhs.type == t && (op == .add || op == .multiply):
            return try Kernels.arithmetic(try rhs.evaluateKernels(batch), op, value)
        case .compare(let op, let lhs, let rhs):
            return .boolean(try Kernels.compare(try lhs.evaluateKernels(batch), op, try rhs.evaluateKernels(batch)))
        case .arithmetic(let op, let lhs, let rhs, _):
            return try Kernels.arithmetic(try lhs.evaluateKernels(batch), op, try rhs.evaluateKernels(batch))
        case .and(let lhs, let rhs):
            return .boolean(try Kernels.and(try lhs.booleans(batch), try rhs.booleans(batch)))
        case .or(let lhs, let rhs):
            return .boolean(try Kernels.or(try lhs.booleans(batch), try rhs.booleans(batch)))
        case .not(let operand):
            return .boolean(Kernels.not(try operand.booleans(batch)))
        case .isNull(let operand, let negated):
            let value = try operand.evaluateKernels(batch)
            return .boolean(negated ? Kernels.isNotNull(value) : Kernels.isNull(value))
        case .cast(let operand, let type):
            if operand.isUntypedNull { return try Column.nulls(type, count: batch.count) }
            let value = try operand.evaluateKernels(batch)
            return value.dataType == type ? value : try Kernels.cast(value, to: type)
        case .isTrue(let operand):
            let value = try operand.booleans(batch)
            return .boolean(BooleanColumn((0..<value.count).map { !value.isNull($0) && value.values[$0] }))
        case .caseWhen(let branches, let otherwise, _) where ([otherwise] + branches.map(\.1) + branches.dropFirst().map(\.0)).contains(where: \.mayFail):
            return try lazyCase(branches, otherwise, batch)
        case .caseWhen(let branches, let otherwise, _):
            var result = try otherwise.evaluateKernels(batch)
            for (condition, value) in branches.reversed() {
                result = try _choose(try condition.booleans(batch), try value.evaluateKernels(batch), result)
            }
            return result
        case .function(let name, let arguments, let type):
            let values = try arguments.map { try $0.evaluateKernels(batch) }
            return try _scalarFunction(name, values, type: type, rows: batch.count)
        }
    }

    /// Whether evaluating this may raise an error on some rows (division, casts, functions):
    /// such CASE branches are computed only on the rows that take them.
    var mayFail: Bool {
        var found = false
        visit { e in
            switch e {
            case .arithmetic(.divide, _, _, _), .arithmetic(.remainder, _, _, _), .cast, .function: found = true
            default: break
            }
        }
        return found
    }

    /// CASE computing each branch's value only on the rows whose condition chose it (as SQL
    /// requires: `CASE WHEN v <> 0 THEN 10 / v END` never divides by zero).
    private func lazyCase(_ branches: [(BoundExpression, BoundExpression)], _ otherwise: BoundExpression, _ batch: RecordBatch) throws -> Column {
        var rest = (0..<UInt32(batch.count)).map { $0 }
        var pieces: [Column] = []
        var positions: [UInt32] = []
        func rows(_ selection: [UInt32]) throws -> RecordBatch {
            try RecordBatch(schema: batch.schema, columns: try batch.columns.map { try Kernels.take($0, SelectionVector(selection)) }, count: selection.count)
        }
        for (condition, value) in branches where !rest.isEmpty {
            let mask = try condition.booleans(try rows(rest))
            var taken: [UInt32] = [], left: [UInt32] = []
            for (k, row) in rest.enumerated() {
                if !mask.isNull(k) && mask.values[k] { taken.append(row) } else { left.append(row) }
            }
            if !taken.isEmpty {
                pieces.append(try value.evaluateKernels(try rows(taken)))
                positions += taken
            }
            rest = left
        }
        if !rest.isEmpty || pieces.isEmpty {
            pieces.append(try otherwise.evaluateKernels(try rows(rest)))
            positions += rest
        }
        let target = pieces[0].dataType
        let combined = try Kernels.concatenate(try pieces.map { $0.dataType == target ? $0 : try Kernels.cast($0, to: target) })
        var inverse = [UInt32](repeating: 0, count: batch.count)
        for (k, row) in positions.enumerated() { inverse[Int(row)] = UInt32(k) }
        return try Kernels.take(combined, SelectionVector(inverse))
    }

    private func booleans(_ batch: RecordBatch) throws -> BooleanColumn {
        guard case .boolean(let column) = try evaluateKernels(batch) else {
            throw SQLError(.typeMismatch, "expected a BOOLEAN, found \(type)")
        }
        return column
    }
}

/// The type two operands are converted to before a comparison or arithmetic, as DuckDB picks
/// it: integers widen, integers and decimals meet in a decimal, anything numeric with a float
/// becomes DOUBLE, text meets dates and timestamps by being cast to them.
func _commonType(_ a: DataType, _ b: DataType) -> DataType? {
    if a == b { return a }
    func rank(_ t: DataType) -> Int? {
        switch t {
        case .int8: return 1
        case .int16, .uint8: return 2
        case .int32, .uint16: return 3
        case .int64, .uint32: return 4
        default: return nil
        }
    }
    if let ra = rank(a), let rb = rank(b) { return ra >= rb ? (a.isInteger && a != .uint32 ? a : .int64) : (b != .uint32 ? b : .int64) }
    if a.isFloatingPoint || b.isFloatingPoint, a.isNumeric, b.isNumeric { return .float64 }
    switch (a, b) {
    case (.decimal128(let p1, let s1), .decimal128(let p2, let s2)):
        let scale = max(s1, s2)
        return .decimal128(precision: min(38, max(p1 - s1, p2 - s2) + scale), scale: scale)
    case (.decimal128(let p, let s), let other) where other.isInteger, (let other, .decimal128(let p, let s)) where other.isInteger:
        return .decimal128(precision: min(38, max(p, 19 + s)), scale: s)
    case (.boolean, .utf8), (.utf8, .boolean): return .boolean
    case (.interval, .utf8), (.utf8, .interval): return .interval
    case (.boolean, let other) where other.isInteger, (let other, .boolean) where other.isInteger: return .boolean
    case (.utf8, .date32), (.date32, .utf8): return .date32
    case (.utf8, .timestamp(let u, let z)), (.timestamp(let u, let z), .utf8): return .timestamp(u, timeZone: z)
    case (.date32, .timestamp(let u, let z)), (.timestamp(let u, let z), .date32): return .timestamp(u, timeZone: z)
    default: return nil
    }
}

/// Row by row, `a` where `mask` is true and `b` elsewhere (null counts as false).
func _choose(_ mask: BooleanColumn, _ a: Column, _ b: Column) throws -> Column {
    let n = mask.count
    let combined = try Kernels.concatenate([a, b])
    let positions = ValueBuffer<UInt32>(unsafeUninitializedCount: n) { out in
        for i in 0..<n { out[i] = !mask.isNull(i) && mask.values[i] ? UInt32(i) : UInt32(n + i) }
    }
    return try Kernels.take(combined, SelectionVector(indices: positions))
}

