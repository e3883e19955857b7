import ColumnarCore

/// One subquery of an expression, turned into a join that appends one column to the rows the
/// expression is evaluated over: subqueries are never run row by row.
enum SubqueryJoin {
    /// An uncorrelated scalar subquery: its one row (or NULL) joined to every row.
    case scalar(LogicalPlan)
    /// EXISTS or IN: a mark join. `condition` reads outer columns as `.outer` and the
    /// subquery's as `.column`; `inPair` is IN's (value over the outer rows, value over the
    /// subquery's rows).
    case mark(LogicalPlan, condition: BoundExpression?, inPair: (BoundExpression, BoundExpression)?)
    /// A correlated scalar subquery, decorrelated over the distinct outer values it reads.
    case correlatedScalar(CorrelatedSubquery)
    /// An uncorrelated one-row summary of several columns (for `x < ANY (…)`), all appended.
    case summary(LogicalPlan)

    /// How many columns the join appends.
    var width: Int {
        if case .summary(let plan) = self { return plan.schema.fields.count }
        return 1
    }
}

/// The subqueries met while binding one expression.
final class SubqueryCollector {
    /// The width of the rows the expression reads; subquery columns follow.
    let base: Int
    private(set) var joins: [SubqueryJoin] = []
    private var added = 0

    init(base: Int) { self.base = base }

    /// Registers a subquery; returns the (first) column its value will be in.
    func add(_ join: SubqueryJoin) -> Int {
        joins.append(join)
        added += join.width
        return base + added - join.width
    }

    /// `plan` (of `base` columns) with every subquery's column appended.
    func apply(to plan: LogicalPlan, binder: Binder) throws(SQLError) -> LogicalPlan {
        var plan = plan
        for join in joins {
            let width = plan.schema.fields.count
            let fields = plan.schema.fields
            switch join {
            case .scalar(let subquery):
                let value = subquery.schema.fields[0]
                plan = .join(.single, plan, subquery, JoinCondition(), Schema(fields + [Field(value.name, value.dataType)]))
            case .mark(let subquery, let condition, let inPair):
                let over = condition?.mapColumns({ .column(width + $0, $1) }, outer: { .column($0, $1) })
                var split = JoinCondition.split(over, leftWidth: width)
                if let inPair { split.keys.append((inPair.0, inPair.1)) }
                plan = .join(.mark(inSemantics: inPair != nil), plan, subquery, split, Schema(fields + [Field("__mark", .boolean)]))
            case .correlatedScalar(let subquery):
                plan = try subquery.apply(to: plan)
            case .summary(let subquery):
                plan = .join(.single, plan, subquery, JoinCondition(), Schema(fields + subquery.schema.fields.map { Field($0.name, $0.dataType) }))
            }
        }
        return plan
    }
}

/// A correlated subquery split for decorrelation: its FROM with the WHERE conjuncts that read
/// only its own columns applied, and the conjuncts that read the enclosing query's columns.
struct CorrelatedSubquery {
    var binder: Binder
    var select: SQLSelect
    var source: LogicalPlan
    var sourceScope: Binder.Scope
    var correlation: [BoundExpression]
    var position: SourcePosition

    /// Joins the subquery's value to `outer`'s rows: the subquery is evaluated once for all the
    /// distinct outer values it reads (grouped by them), then joined back on those values. An
    /// outer row whose values select no rows gets the value of the subquery over no rows (0 for
    /// `count`).
    func apply(to outer: LogicalPlan) throws(SQLError) -> LogicalPlan {
        let outer = LogicalPlan.cached(PlanCache(), outer)
        var used = Set<Int>()
        for c in correlation { c.visit { if case .outer(let i, _) = $0 { used.insert(i) } } }
        let read = used.sorted()
        let outerFields = outer.schema.fields
        let width = outerFields.count
        let domainFields = read.enumerated().map { Field("__corr\($0.offset)", outerFields[$0.element].dataType) }
        let domain = LogicalPlan.distinct(.project(outer, read.map { .column($0, outerFields[$0].dataType) }, Schema(domainFields)))
        let s = sourceScope.columns.count
        var position: [Int: Int] = [:]
        for (k, i) in read.enumerated() { position[i] = k }
        let condition = _conjunction(correlation.map { $0.mapColumns({ .column($0, $1) }, outer: { .column(s + position[$0]!, $1) }) })
        let joined = LogicalPlan.join(.inner, source, domain, JoinCondition.split(condition, leftWidth: s), Schema(source.schema.fields + domainFields))
        let joinedScope = Binder.Scope(columns: sourceScope.columns + domainFields.map { (nil, $0.name, $0.dataType) })
        let (result, _) = try binder.bindSelect(select, orderBy: [], source: (joined, joinedScope), passThrough: Array(s..<s + read.count))
        let resultFields = result.schema.fields
        guard resultFields.count == read.count + 2 else {
            throw binder.error(.syntax, "a subquery used as a value must return one column", at: self.position)
        }
        let valueType = resultFields[0].dataType
        // The value over no rows, for outer rows nothing matches (aggregates without GROUP BY).
        var empty: Scalar = .null
        let aggregates = select.items.contains { if case .expression(let e, _) = $0 { return _containsAggregate(e) }; return false }
        if select.groupBy.isEmpty && select.having == nil && aggregates {
            let none = try RecordBatch.emptyOf(source.schema)
            let (plan, _) = try binder.bindSelect(select, orderBy: [], source: (.values(none), sourceScope), passThrough: [])
            let rows = try Executor.run(plan)
            if rows.count == 1 { empty = rows.columns[0].scalar(at: 0) }
        }
        let keys = read.enumerated().map { (BoundExpression.column($0.element, outerFields[$0.element].dataType), BoundExpression.column(1 + $0.offset, domainFields[$0.offset].dataType)) }
        let single = LogicalPlan.join(.single, outer, result, JoinCondition(keys: keys, residual: nil, nullsEqual: true), Schema(outerFields + resultFields))
        var value = BoundExpression.column(width, valueType)
        if empty != .null {
            let matched = BoundExpression.column(width + resultFields.count - 1, .boolean)
            let branch: (BoundExpression, BoundExpression) = (.isNull(matched, negated: false), .literal(empty, valueType))
            value = .caseWhen([branch], otherwise: value, valueType)
        }
        return .project(single, outerFields.indices.map { .column($0, outerFields[$0].dataType) } + [value], Schema(outerFields + [Field(resultFields[0].name, valueType)]))
    }
}

extension Binder {
    /// Binds a subquery expression: the subquery becomes a join registered with `subqueries`,
    /// and the expression reads the column that join appends.
    func bindSubqueryExpression(_ e: SQLExpression, scope: Scope, hook: ((SQLExpression) throws(SQLError) -> BoundExpression?)?) throws(SQLError) -> BoundExpression {
        // (a, b) op ANY|ALL (SELECT x, y …): EXISTS tests over the subquery's rows.
        if case .quantified(let op, .function(let row), let all, let query, let position) = e, row.name == "row", row.over == nil {
            return try bindExpression(_rowQuantified(op, row.arguments, all: all, query, at: position), scope: scope, hook: hook)
        }
        guard let collector = subqueries else {
            throw error(.unsupported, "a subquery is not supported in this place yet", at: e.position)
        }
        switch e {
        case .subquery(let query, let position):
            if let plan = try uncorrelated(query) {
                guard plan.schema.fields.count == 1 else { throw error(.syntax, "a subquery used as a value must return one column", at: position) }
                return .column(collector.add(.scalar(plan)), plan.schema.fields[0].dataType)
            }
            let subquery = try correlated(query, outer: scope, at: position)
            guard query.orderBy.isEmpty, query.limit == nil, query.offset == nil else {
                throw error(.unsupported, "a correlated scalar subquery with ORDER BY or LIMIT is not supported yet", at: position)
            }
            let (probe, _) = try subquery.binder.bindSelect(subquery.select, orderBy: [], source: (subquery.source, subquery.sourceScope), passThrough: [])
            guard probe.schema.fields.count == 1 else { throw error(.syntax, "a subquery used as a value must return one column", at: position) }
            return .column(collector.add(.correlatedScalar(subquery)), probe.schema.fields[0].dataType)
        case .exists(let query, let negated, let position):
            let mark: Int
            if let plan = try uncorrelated(query) {
                mark = collector.add(.mark(.limit(plan, limit: 1, offset: 0), condition: nil, inPair: nil))
            } else {
                let subquery = try correlated(query, outer: scope, at: position)
                let aggregates = subquery.select.items.contains { if case .expression(let e, _) = $0 { return _containsAggregate(e) }; return false }
                if aggregates || !subquery.select.groupBy.isEmpty || subquery.select.having != nil {
                    guard subquery.select.groupBy.isEmpty, subquery.select.having == nil else {
                        throw error(.unsupported, "a correlated EXISTS with GROUP BY or HAVING is not supported yet", at: position)
                    }
                    // An aggregate without GROUP BY always returns one row.
                    return .literal(.boolean(!negated), .boolean)
                }
                mark = collector.add(.mark(subquery.source, condition: _conjunction(subquery.correlation), inPair: nil))
            }
            let value = BoundExpression.column(mark, .boolean)
            return negated ? .not(value) : value
        case .inSubquery(let operand, let query, let negated, let position):
            let value = try membership(operand, query, scope: scope, hook: hook, at: position)
            return negated ? .not(value) : value
        case .quantified(let op, let operand, let all, let query, let position):
            if op == .equal && !all { return try membership(operand, query, scope: scope, hook: hook, at: position) }
            if op == .notEqual && all { return .not(try membership(operand, query, scope: scope, hook: hook, at: position)) }
            return try quantified(op, operand, all: all, query, scope: scope, hook: hook, at: position)
        default:
            throw error(.internalError, "not a subquery", at: e.position)
        }
    }

    /// `x op ANY|ALL (query)` for an uncorrelated query, from a one-row summary of it: the row
    /// count, the non-NULL count, the minimum and the maximum. With SQL's NULLs: over no rows ANY
    /// is FALSE and ALL is TRUE; otherwise a NULL `x`, or a NULL `y` that could decide, makes it
    /// NULL.
    private func quantified(_ op: SQLBinaryOperator, _ operand: SQLExpression, all: Bool, _ query: SQLQuery, scope: Scope,
                            hook: ((SQLExpression) throws(SQLError) -> BoundExpression?)?, at position: SourcePosition) throws(SQLError) -> BoundExpression {
        guard let plan = try uncorrelated(query) else {
            throw error(.unsupported, "\(op.rawValue) \(all ? "ALL" : "ANY") with a correlated subquery is not supported yet", at: position)
        }
        guard plan.schema.fields.count == 1 else { throw error(.syntax, "the subquery of \(op.rawValue) \(all ? "ALL" : "ANY") must return one column", at: position) }
        let x = try bindExpression(operand, scope: scope, hook: hook)
        let (xc, yc) = try coerce(x, .column(0, plan.schema.fields[0].dataType), op.rawValue, at: position)
        let yType = yc.type
        let y = yc
        let summary = LogicalPlan.aggregate(plan, groups: [], aggregates: [
            BoundAggregate(function: .countStar, argument: nil, distinct: false, type: .int64),
            BoundAggregate(function: .count, argument: y, distinct: false, type: .int64),
            BoundAggregate(function: .min, argument: y, distinct: false, type: yType),
            BoundAggregate(function: .max, argument: y, distinct: false, type: yType),
        ], Schema([Field("rows", .int64), Field("values", .int64), Field("min", yType), Field("max", yType)]))
        let first = subqueries!.add(.summary(summary))
        let rows = BoundExpression.column(first, .int64), values = BoundExpression.column(first + 1, .int64)
        let low = BoundExpression.column(first + 2, yType), high = BoundExpression.column(first + 3, yType)
        let hasNulls = BoundExpression.compare(.greater, rows, values)
        let empty = BoundExpression.compare(.equal, rows, .literal(.int64(0), .int64))
        func compare(_ op: SQLBinaryOperator, _ a: BoundExpression, _ b: BoundExpression) -> BoundExpression {
            let kernel: ComparisonOperator = switch op {
            case .less: .less
            case .lessOrEqual: .lessOrEqual
            case .greater: .greater
            case .greaterOrEqual: .greaterOrEqual
            case .notEqual: .notEqual
            default: .equal
            }
            return .compare(kernel, a, b)
        }
        // Whether some y makes the comparison TRUE (ANY), or some y makes it FALSE (ALL).
        let decided: BoundExpression
        switch (op, all) {
        case (.less, false), (.lessOrEqual, false): decided = compare(op, xc, high)
        case (.greater, false), (.greaterOrEqual, false): decided = compare(op, xc, low)
        case (.less, true), (.lessOrEqual, true): decided = .not(compare(op, xc, low))
        case (.greater, true), (.greaterOrEqual, true): decided = .not(compare(op, xc, high))
        case (.notEqual, false): decided = .or(.compare(.notEqual, xc, low), .compare(.notEqual, xc, high))
        case (.equal, true): decided = .or(.compare(.notEqual, xc, low), .compare(.notEqual, xc, high))
        default: throw error(.unsupported, "\(op.rawValue) \(all ? "ALL" : "ANY") is not a comparison", at: position)
        }
        let decidedTrue = BoundExpression.isTrue(decided)
        let null = BoundExpression.literal(.null, .boolean)
        // ANY: TRUE when decided; ALL: FALSE when decided (some y fails).
        let branches: [(BoundExpression, BoundExpression)] = [
            (empty, .literal(.boolean(all), .boolean)),
            (.isNull(xc, negated: false), null),
            (decidedTrue, .literal(.boolean(!all), .boolean)),
            (hasNulls, null),
        ]
        return .caseWhen(branches, otherwise: .literal(.boolean(all), .boolean), .boolean)
    }

    /// `operand IN (query)` as a mark join column (TRUE, FALSE or NULL as SQL says).
    private func membership(_ operand: SQLExpression, _ query: SQLQuery, scope: Scope, hook: ((SQLExpression) throws(SQLError) -> BoundExpression?)?, at position: SourcePosition) throws(SQLError) -> BoundExpression {
        let collector = subqueries!
        let x = try bindExpression(operand, scope: scope, hook: hook)
        if let plan = try uncorrelated(query) {
            guard plan.schema.fields.count == 1 else { throw error(.syntax, "the subquery of IN must return one column", at: position) }
            let (a, b) = try coerce(x, .column(0, plan.schema.fields[0].dataType), "IN", at: position)
            return .column(collector.add(.mark(plan, condition: nil, inPair: (a, b))), .boolean)
        }
        let subquery = try correlated(query, outer: scope, at: position)
        let select = subquery.select
        guard select.items.count == 1, case .expression(let item, _) = select.items[0], !_containsAggregate(item),
              select.groupBy.isEmpty, select.having == nil else {
            throw error(.unsupported, "a correlated IN subquery must select one plain expression (no aggregates) in this version", at: position)
        }
        let y = try subquery.binder.bindExpression(item, scope: subquery.sourceScope)
        let (a, b) = try coerce(x, y, "IN", at: position)
        return .column(collector.add(.mark(subquery.source, condition: _conjunction(subquery.correlation), inPair: (a, b))), .boolean)
    }

    /// The subquery's plan when it reads no column of the enclosing query; nil when it does.
    private func uncorrelated(_ query: SQLQuery) throws(SQLError) -> LogicalPlan? {
        do {
            return try fresh().bind(query)
        } catch {
            // A name it does not know may be the enclosing query's: the correlated binder
            // decides, and reports the real error if it is not.
            if error.code == .unknownName { return nil }
            throw error
        }
    }

    /// Splits a correlated subquery's WHERE into the conjuncts over its own columns (applied to
    /// its FROM) and those reading `outer`'s columns.
    private func correlated(_ query: SQLQuery, outer: Scope, at position: SourcePosition) throws(SQLError) -> CorrelatedSubquery {
        guard query.limit == nil, query.offset == nil else {
            throw error(.unsupported, "a correlated subquery with LIMIT or OFFSET is not supported yet", at: position)
        }
        guard case .select(let select) = query.body, query.with.isEmpty else {
            throw error(.unsupported, "a correlated subquery must be a plain SELECT (no WITH or set operations) in this version", at: position)
        }
        let inner = fresh()
        var withOuter = inner
        withOuter.outerScope = outer
        var (plan, scope) = try inner.bindFrom(select.from)
        var correlation: [BoundExpression] = []
        var local: [SQLExpression] = []
        for conjunct in select.whereClause.map(_sqlConjuncts) ?? [] {
            if _containsSubquery(conjunct) { local.append(conjunct); continue }
            do {
                _ = try inner.bindExpression(conjunct, scope: scope)
                local.append(conjunct)
            } catch {
                guard error.code == .unknownName else { throw error }
                let bound = try withOuter.bindExpression(conjunct, scope: scope)
                guard bound.type == .boolean else { throw self.error(.typeMismatch, "WHERE needs a BOOLEAN, found \(bound.type)", at: conjunct.position) }
                correlation.append(bound)
            }
        }
        if let first = local.first {
            let all = local.dropFirst().reduce(first) { SQLExpression.binary(.and, $0, $1, $1.position) }
            plan = try inner.filter(plan, scope: scope, by: all, clause: "WHERE")
        }
        guard !correlation.isEmpty else {
            throw error(.unknownName, "a name in this subquery is not a column of it or of the enclosing query", at: position)
        }
        var rest = select
        rest.whereClause = nil
        rest.from = []
        return CorrelatedSubquery(binder: inner, select: rest, source: plan, sourceScope: scope, correlation: correlation, position: position)
    }
}

extension RecordBatch {
    /// No rows of `schema`.
    static func emptyOf(_ schema: Schema) throws(SQLError) -> RecordBatch {
        do {
            return try RecordBatch.empty(schema)
        } catch {
            throw SQLError(.internalError, "\(error)")
        }
    }
}
