import ColumnarCore

/// A window function call, bound: what it computes over which partition, order and frame.
struct BoundWindow: Sendable {
    var name: String
    var arguments: [BoundExpression]
    var partitionBy: [BoundExpression]
    var orderBy: [BoundOrder]
    var type: DataType
}

/// The window function calls (`f(…) OVER (…)`) inside `e`, in order, without repeats.
func _collectWindowCalls(_ e: SQLExpression, into calls: inout [SQLFunctionCall]) {
    switch e {
    case .function(let call):
        if call.over != nil {
            if !calls.contains(call) { calls.append(call) }
            return
        }
        for a in call.arguments { _collectWindowCalls(a, into: &calls) }
    case .unary(_, let a, _), .isNull(let a, _, _), .cast(let a, _, _, _), .isBoolean(let a, _, _, _):
        _collectWindowCalls(a, into: &calls)
    case .binary(_, let a, let b, _), .isDistinctFrom(let a, let b, _, _):
        _collectWindowCalls(a, into: &calls)
        _collectWindowCalls(b, into: &calls)
    case .between(let a, let b, let c, _, _):
        for x in [a, b, c] { _collectWindowCalls(x, into: &calls) }
    case .caseWhen(let operand, let branches, let otherwise, _):
        if let operand { _collectWindowCalls(operand, into: &calls) }
        for branch in branches { _collectWindowCalls(branch.condition, into: &calls); _collectWindowCalls(branch.result, into: &calls) }
        if let otherwise { _collectWindowCalls(otherwise, into: &calls) }
    default:
        break
    }
}

extension Binder {
    /// Binds window function calls over the rows of `scope` (after any grouping; `hook` maps
    /// group keys and aggregates).
    func bindWindows(_ calls: [SQLFunctionCall], scope: Scope, hook: ((SQLExpression) throws(SQLError) -> BoundExpression?)?) throws(SQLError) -> [BoundWindow] {
        throw error(.unsupported, "window functions are not supported yet", at: calls.first?.position)
    }
}

extension Executor {
    /// The input's rows with one column per window function appended (rows keep their order).
    static func window(_ batch: RecordBatch, _ windows: [BoundWindow], schema: Schema) throws -> RecordBatch {
        throw SQLError(.unsupported, "window functions are not supported yet")
    }
}
