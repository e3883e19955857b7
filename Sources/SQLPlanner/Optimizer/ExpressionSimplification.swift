import ColumnarCore

/// Filter conditions in a friendlier shape for the rules after it: conjuncts common to every
/// branch of an OR are taken out of it (`(a AND b) OR (a AND c)` is `a AND (b OR c)`), so a
/// join key written in each branch becomes a join key.
enum ExpressionSimplification {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case .filter(let input, let condition):
            return .filter(apply(input), factorOr(condition))
        default:
            return plan.mapInputs(apply)
        }
    }

    static func factorOr(_ e: BoundExpression) -> BoundExpression {
        switch e {
        case .and(let a, let b):
            return .and(factorOr(a), factorOr(b))
        case .or:
            let branches = e.disjuncts.map(\.conjuncts)
            let firstKeys = branches[0].map { "\($0)" }
            let common = firstKeys.filter { key in branches.dropFirst().allSatisfy { branch in branch.contains { "\($0)" == key } } }
            guard !common.isEmpty else { return e }
            let commonSet = Set(common)
            var rest: BoundExpression?
            var anyBranchEmpty = false
            for branch in branches {
                let remaining = branch.filter { !commonSet.contains("\($0)") }
                guard let conjunction = _conjunction(remaining) else { anyBranchEmpty = true; break }
                rest = rest.map { .or($0, conjunction) } ?? conjunction
            }
            var commonExpressions: [BoundExpression] = []
            for key in common { if let found = branches[0].first(where: { "\($0)" == key }) { commonExpressions.append(found) } }
            // A branch that is only the common part makes the OR of the rest true.
            let all = commonExpressions + (anyBranchEmpty ? [] : rest.map { [$0] } ?? [])
            return _conjunction(all) ?? e
        default:
            return e
        }
    }

    /// For an OR spanning several inputs, the weaker condition over one input's columns that
    /// every branch implies (nil when some branch says nothing about that input alone).
    static func implied(_ e: BoundExpression, onlyColumns allowed: (Int) -> Bool) -> BoundExpression? {
        guard case .or = e else { return nil }
        var result: BoundExpression?
        for branch in e.disjuncts {
            let local = branch.conjuncts.filter { c in let used = c.columnsUsed; return !used.isEmpty && used.allSatisfy(allowed) }
            guard let conjunction = _conjunction(local) else { return nil }
            result = result.map { .or($0, conjunction) } ?? conjunction
        }
        return result
    }
}

extension BoundExpression {
    /// The branches of an OR tree.
    var disjuncts: [BoundExpression] {
        if case .or(let a, let b) = self { return a.disjuncts + b.disjuncts }
        return [self]
    }
}
