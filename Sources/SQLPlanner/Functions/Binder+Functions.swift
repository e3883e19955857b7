import ColumnarCore

/// Binding of scalar functions, LIKE, `||` and date/time arithmetic.
extension Binder {
    /// Binds a call of a scalar function (not an aggregate, not a window function) whose
    /// arguments are already bound.
    func bindScalarFunction(_ call: SQLFunctionCall, _ arguments: [BoundExpression]) throws(SQLError) -> BoundExpression {
        switch call.name {
        case "coalesce", "ifnull", "nullif", "abs":
            guard !arguments.isEmpty, call.name != "nullif" || arguments.count == 2, call.name != "abs" || arguments.count == 1 else {
                throw error(.syntax, "wrong number of arguments to \(call.name)", at: call.position)
            }
            let type = try commonType(of: arguments, at: call.position)
            if call.name == "abs" && !type.isNumeric { throw error(.typeMismatch, "abs of \(type)", at: call.position) }
            let name = call.name == "ifnull" ? "coalesce" : call.name
            return .function(name, arguments.map { $0.type == type ? $0 : .cast($0, type) }, type)
        default:
            throw error(.unsupported, "function \(call.name) is not supported yet", at: call.position)
        }
    }

    /// `value [NOT] LIKE|ILIKE pattern [ESCAPE e]`.
    func bindLike(
        _ value: BoundExpression, pattern: BoundExpression, escape: BoundExpression?, caseInsensitive: Bool, negated: Bool, at position: SourcePosition
    ) throws(SQLError) -> BoundExpression {
        throw error(.unsupported, "LIKE is not supported yet", at: position)
    }

    /// `a || b`.
    func bindConcat(_ left: BoundExpression, _ right: BoundExpression, at position: SourcePosition) throws(SQLError) -> BoundExpression {
        throw error(.unsupported, "|| is not supported yet", at: position)
    }

    /// `date ± INTERVAL …`, `timestamp ± INTERVAL …`, `date - date`, `date + integer`: nil when
    /// the operands are not of that kind (ordinary arithmetic then applies).
    func bindTemporalArithmetic(
        _ op: SQLBinaryOperator, _ lhs: SQLExpression, _ rhs: SQLExpression, scope: Scope,
        hook: ((SQLExpression) throws(SQLError) -> BoundExpression?)?, at position: SourcePosition
    ) throws(SQLError) -> BoundExpression? {
        nil
    }
}
