/// Row values: `(a, b) < (c, d)` and `(a, b) op ANY|ALL (SELECT c, d …)`, rewritten into
/// comparisons of their elements before binding.

let _rowComparisonOperators: Set<SQLBinaryOperator> = [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual]

/// `(l…) op (r…)` element by element, with SQL's three-valued logic: `=` is the AND of the
/// equalities, `<>` its negation, and the orderings are lexicographic (`a < c OR (a = c AND
/// b < d)`), so `(0, NULL) < (1, NULL)` is true.
func _rowComparison(_ op: SQLBinaryOperator, _ l: [SQLExpression], _ r: [SQLExpression], at position: SourcePosition) -> SQLExpression {
    func and(_ a: SQLExpression, _ b: SQLExpression) -> SQLExpression { .binary(.and, a, b, position) }
    func or(_ a: SQLExpression, _ b: SQLExpression) -> SQLExpression { .binary(.or, a, b, position) }
    switch op {
    case .equal, .notEqual:
        var all = SQLExpression.binary(.equal, l[0], r[0], position)
        for k in 1..<l.count { all = and(all, .binary(.equal, l[k], r[k], position)) }
        return op == .equal ? all : .unary(.not, all, position)
    default:
        // The strict operator for every element but the last, which uses `op` itself.
        let strict: SQLBinaryOperator = op == .less || op == .lessOrEqual ? .less : .greater
        var result = SQLExpression.binary(op, l[l.count - 1], r[r.count - 1], position)
        for k in stride(from: l.count - 2, through: 0, by: -1) {
            result = or(.binary(strict, l[k], r[k], position), and(.binary(.equal, l[k], r[k], position), result))
        }
        return result
    }
}

/// `(l…) op ANY (query)` as `CASE WHEN EXISTS (rows where the comparison holds) THEN true WHEN
/// EXISTS (rows where it is NULL) THEN NULL ELSE false END`; ALL with the comparison failing
/// instead (false), as SQL defines both over the subquery's rows.
func _rowQuantified(_ op: SQLBinaryOperator, _ l: [SQLExpression], all: Bool, _ query: SQLQuery, at position: SourcePosition) -> SQLExpression {
    let names = l.indices.map { _hiddenPrefix + "row\($0)" }
    let source = "\(_hiddenPrefix)rows"
    let r = names.map { SQLExpression.column([source, $0], position) }
    let comparison = _rowComparison(op, l, r, at: position)
    func exists(_ condition: SQLExpression) -> SQLExpression {
        var select = SQLSelect()
        select.items = [.expression(.literal(.integer("1"), position), alias: nil)]
        select.from = [.subquery(query, alias: SQLAlias(name: source, columns: names), lateral: false)]
        select.whereClause = condition
        return .exists(SQLQuery(body: .select(select)), negated: false, position)
    }
    let decided = all ? exists(.unary(.not, comparison, position)) : exists(comparison)
    let unknown = exists(.isNull(comparison, negated: false, position))
    return .caseWhen(operand: nil, branches: [
        SQLWhen(condition: decided, result: .literal(.boolean(!all), position)),
        SQLWhen(condition: unknown, result: .literal(.null, position)),
    ], otherwise: .literal(.boolean(all), position), position)
}
