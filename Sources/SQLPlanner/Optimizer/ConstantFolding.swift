import ColumnarCore

/// Every constant sub-expression is computed once, at planning time, into a literal:
/// `CAST('1994-01-01' AS DATE)` becomes a DATE value instead of a text parsed on every row.
/// A constant whose evaluation fails (division by zero) is left alone to fail at run time as
/// the query says.
enum ConstantFolding {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        let folded = plan.mapInputs(apply)
        switch folded {
        case .filter(let input, let condition):
            return .filter(input, fold(condition))
        case .project(let input, let expressions, let schema):
            return .project(input, expressions.map(fold), schema)
        case .join(let type, let left, let right, var condition, let schema):
            condition.keys = condition.keys.map { (fold($0.left), fold($0.right)) }
            condition.residual = condition.residual.map(fold)
            return .join(type, left, right, condition, schema)
        case .aggregate(let input, let groups, let aggregates, let schema):
            return .aggregate(input, groups: groups.map(fold), aggregates: aggregates.map { $0.mapExpressions(fold) }, schema)
        default:
            return folded
        }
    }

    static func fold(_ e: BoundExpression) -> BoundExpression {
        if case .literal = e { return e }
        if e.isConstant, !e.isUntypedNull, let batch = try? RecordBatch.single(), let column = try? e.evaluate(batch) {
            return .literal(column.scalar(at: 0), e.type)
        }
        return e.mapChildren(fold)
    }
}
