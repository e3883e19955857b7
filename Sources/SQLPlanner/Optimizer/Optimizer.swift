import ColumnarCore

/// Rewrites a bound plan into an equivalent, cheaper one. Each rule lives in its own file and
/// is a function from plan to plan; they run in this order:
/// 1. ``ExpressionSimplification``: common conjuncts of OR branches are factored out.
/// 2. ``JoinOrdering``: filters over inner joins are split into conjuncts; single-input
///    conjuncts move onto their input, the others become join keys, and the joins are ordered
///    by estimated result size.
/// 3. ``FilterIntoScan``: comparisons with constants right above a scan are offered to the table.
/// 4. ``ProjectionPushdown``: scans read only the columns something above them uses.
enum Optimizer {
    static func optimize(_ plan: LogicalPlan) -> LogicalPlan {
        var plan = ConstantFolding.apply(plan)
        plan = ExpressionSimplification.apply(plan)
        plan = JoinOrdering.apply(plan)
        plan = FilterIntoScan.apply(plan)
        plan = ProjectionPushdown.apply(plan)
        return plan
    }
}

extension LogicalPlan {
    /// The plan with `transform` applied to each direct input.
    func mapInputs(_ transform: (LogicalPlan) -> LogicalPlan) -> LogicalPlan {
        switch self {
        case .scan, .values: return self
        case .filter(let input, let condition): return .filter(transform(input), condition)
        case .project(let input, let expressions, let schema): return .project(transform(input), expressions, schema)
        case .aggregate(let input, let groups, let aggregates, let schema): return .aggregate(transform(input), groups: groups, aggregates: aggregates, schema)
        case .sort(let input, let keys): return .sort(transform(input), keys)
        case .window(let input, let windows, let schema): return .window(transform(input), windows, schema)
        case .limit(let input, let limit, let offset): return .limit(transform(input), limit: limit, offset: offset)
        case .distinct(let input): return .distinct(transform(input))
        case .cached(let cache, let input): return .cached(cache, transform(input))
        case .join(let type, let left, let right, let condition, let schema): return .join(type, transform(left), transform(right), condition, schema)
        case .setOperation(let op, let all, let left, let right): return .setOperation(op, all: all, transform(left), transform(right))
        }
    }

    /// A rough row count, for ordering joins.
    var estimatedRows: Double {
        switch self {
        case .scan(_, let table, _): return Double(table.estimatedRowCount ?? 1000)
        case .values(let batch): return Double(batch.count)
        case .filter(let input, let condition): return Swift.max(1, input.estimatedRows * pow(0.3, Double(condition.conjuncts.count)))
        case .project(let input, _, _), .sort(let input, _), .window(let input, _, _), .cached(_, let input): return input.estimatedRows
        case .aggregate(let input, let groups, _, _): return groups.isEmpty ? 1 : Swift.max(1, input.estimatedRows / 10)
        case .limit(let input, let limit, _): return Swift.min(input.estimatedRows, Double(limit ?? Int.max))
        case .distinct(let input): return Swift.max(1, input.estimatedRows / 2)
        case .join(let type, let left, let right, let condition, _):
            switch type {
            case .semi, .anti, .single, .mark: return left.estimatedRows
            default:
                let l = left.estimatedRows, r = right.estimatedRows
                return condition.keys.isEmpty ? l * r : Swift.max(l, r)
            }
        case .setOperation(_, _, let left, let right): return left.estimatedRows + right.estimatedRows
        }
    }
}

private func pow(_ x: Double, _ n: Double) -> Double {
    var result = 1.0
    for _ in 0..<Int(n) { result *= x }
    return result
}
