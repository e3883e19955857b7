import ColumnarCore

extension BoundExpression {
    /// The same expression with every column reference replaced by `transform(index, type)`
    /// (and every outer reference by `outer(index, type)` when given).
    func mapColumns(
        _ transform: (Int, DataType) -> BoundExpression, outer: ((Int, DataType) -> BoundExpression)? = nil
    ) -> BoundExpression {
        switch self {
        case .column(let i, let t): return transform(i, t)
        case .outer(let i, let t): return outer?(i, t) ?? self
        default: return mapChildren { $0.mapColumns(transform, outer: outer) }
        }
    }

    /// The same expression with `transform` applied to each direct sub-expression.
    func mapChildren(_ recurse: (BoundExpression) -> BoundExpression) -> BoundExpression {
        switch self {
        case .column, .outer, .literal: return self
        case .compare(let op, let a, let b): return .compare(op, recurse(a), recurse(b))
        case .arithmetic(let op, let a, let b, let t): return .arithmetic(op, recurse(a), recurse(b), t)
        case .and(let a, let b): return .and(recurse(a), recurse(b))
        case .or(let a, let b): return .or(recurse(a), recurse(b))
        case .not(let a): return .not(recurse(a))
        case .isNull(let a, let negated): return .isNull(recurse(a), negated: negated)
        case .isTrue(let a): return .isTrue(recurse(a))
        case .cast(let a, let t): return .cast(recurse(a), t)
        case .caseWhen(let branches, let otherwise, let t):
            return .caseWhen(branches.map { (recurse($0.0), recurse($0.1)) }, otherwise: recurse(otherwise), t)
        case .function(let name, let arguments, let t): return .function(name, arguments.map(recurse), t)
        }
    }

    /// Column indices shifted by `offset`.
    func shifted(by offset: Int) -> BoundExpression {
        offset == 0 ? self : mapColumns { .column($0 + offset, $1) }
    }

    /// The input columns the expression reads.
    var columnsUsed: Set<Int> {
        var used = Set<Int>()
        visit { if case .column(let i, _) = $0 { used.insert(i) } }
        return used
    }

    /// Whether the expression reads a column of an enclosing query.
    var usesOuter: Bool {
        var found = false
        visit { if case .outer = $0 { found = true } }
        return found
    }

    /// Calls `body` on this expression and every sub-expression.
    func visit(_ body: (BoundExpression) -> Void) {
        body(self)
        switch self {
        case .column, .outer, .literal: break
        case .compare(_, let a, let b), .arithmetic(_, let a, let b, _), .and(let a, let b), .or(let a, let b):
            a.visit(body)
            b.visit(body)
        case .not(let a), .isNull(let a, _), .isTrue(let a), .cast(let a, _): a.visit(body)
        case .caseWhen(let branches, let otherwise, _):
            for (c, v) in branches { c.visit(body); v.visit(body) }
            otherwise.visit(body)
        case .function(_, let arguments, _): for a in arguments { a.visit(body) }
        }
    }

    /// The conjuncts of an AND tree.
    var conjuncts: [BoundExpression] {
        if case .and(let a, let b) = self { return a.conjuncts + b.conjuncts }
        return [self]
    }

    /// Whether the value is a constant.
    var isConstant: Bool {
        var constant = true
        visit { if case .column = $0 { constant = false } else if case .outer = $0 { constant = false } }
        return constant
    }
}

/// The AND of `conjuncts` (nil for none).
func _conjunction(_ conjuncts: [BoundExpression]) -> BoundExpression? {
    guard var result = conjuncts.first else { return nil }
    for c in conjuncts.dropFirst() { result = .and(result, c) }
    return result
}

extension JoinCondition {
    /// Splits a condition over `left ++ right` columns into equality keys (one side from each
    /// input) and a residual.
    static func split(_ condition: BoundExpression?, leftWidth: Int) -> JoinCondition {
        var result = JoinCondition()
        var rest: [BoundExpression] = []
        for conjunct in condition?.conjuncts ?? [] {
            if case .compare(.equal, let a, let b) = conjunct {
                let ua = a.columnsUsed, ub = b.columnsUsed
                if !ua.isEmpty, !ub.isEmpty, !a.usesOuter, !b.usesOuter {
                    if ua.allSatisfy({ $0 < leftWidth }), ub.allSatisfy({ $0 >= leftWidth }) {
                        result.keys.append((a, b.shifted(by: -leftWidth)))
                        continue
                    }
                    if ub.allSatisfy({ $0 < leftWidth }), ua.allSatisfy({ $0 >= leftWidth }) {
                        result.keys.append((b, a.shifted(by: -leftWidth)))
                        continue
                    }
                }
            }
            rest.append(conjunct)
        }
        result.residual = _conjunction(rest)
        return result
    }

    /// The whole condition over `left ++ right` columns again.
    func combined(leftWidth: Int) -> BoundExpression? {
        _conjunction(keys.map { BoundExpression.compare(.equal, $0.left, $0.right.shifted(by: leftWidth)) } + (residual.map { [$0] } ?? []))
    }
}
