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
            return .aggregate(input, groups: groups.map(fold), aggregates: aggregates.map { a in
                var a = a
                a.argument = a.argument.map(fold)
                return a
            }, schema)
        default:
            return folded
        }
    }

    static func fold(_ e: BoundExpression) -> BoundExpression {
        if case .literal = e { return e }
        if e.isConstant, !e.isUntypedNull, let batch = try? RecordBatch.single(), let column = try? e.evaluate(batch) {
            return .literal(column.scalar(at: 0), e.type)
        }
        switch e {
        case .compare(let op, let a, let b): return .compare(op, fold(a), fold(b))
        case .arithmetic(let op, let a, let b, let t): return .arithmetic(op, fold(a), fold(b), t)
        case .and(let a, let b): return .and(fold(a), fold(b))
        case .or(let a, let b): return .or(fold(a), fold(b))
        case .not(let a): return .not(fold(a))
        case .isNull(let a, let negated): return .isNull(fold(a), negated: negated)
        case .isTrue(let a): return .isTrue(fold(a))
        case .cast(let a, let t): return .cast(fold(a), t)
        case .caseWhen(let branches, let otherwise, let t): return .caseWhen(branches.map { (fold($0.0), fold($0.1)) }, otherwise: fold(otherwise), t)
        case .function(let name, let arguments, let t): return .function(name, arguments.map(fold), t)
        default: return e
        }
    }
}
