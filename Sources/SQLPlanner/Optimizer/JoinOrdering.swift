import ColumnarCore

/// Turns a filter over a tree of inner joins (comma joins, `JOIN … ON`) into a join tree in a
/// good order: conjuncts over one input filter that input; the others become join keys or
/// residuals at the lowest join that sees all their columns; inputs are joined greedily, the
/// pair with the smallest estimated result first (greedy operator ordering), with the smaller
/// input as the hash table's side.
enum JoinOrdering {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case .filter, .join(.inner, _, _, _, _):
            var relations: [LogicalPlan] = []
            var conjuncts: [BoundExpression] = []
            flatten(plan, into: &relations, conjuncts: &conjuncts)
            if relations.count == 1 {
                let input = apply(relations[0])
                return _conjunction(conjuncts).map { .filter(input, $0) } ?? input
            }
            return reorder(relations.map(apply), conjuncts, schema: plan.schema)
        default:
            return plan.mapInputs(apply)
        }
    }

    /// The inputs of a region of inner joins and filters, and its conjuncts over the
    /// concatenation of the inputs' columns.
    static func flatten(_ plan: LogicalPlan, into relations: inout [LogicalPlan], conjuncts: inout [BoundExpression]) {
        let offset = relations.reduce(0) { $0 + $1.schema.fields.count }
        switch plan {
        case .filter(let input, let condition):
            flatten(input, into: &relations, conjuncts: &conjuncts)
            conjuncts += condition.conjuncts.map { $0.shifted(by: offset) }
        case .join(.inner, let left, let right, let condition, _):
            let leftWidth = left.schema.fields.count
            flatten(left, into: &relations, conjuncts: &conjuncts)
            flatten(right, into: &relations, conjuncts: &conjuncts)
            if let all = condition.combined(leftWidth: leftWidth) { conjuncts += all.conjuncts.map { $0.shifted(by: offset) } }
        default:
            relations.append(plan)
        }
    }

    struct Component {
        var plan: LogicalPlan
        /// The region's column numbers, in this component's output order.
        var columns: [Int]
        var relations: Set<Int>
        var rows: Double
    }

    static func reorder(_ relations: [LogicalPlan], _ conjuncts: [BoundExpression], schema: Schema) -> LogicalPlan {
        var owner: [Int] = []
        var baseRows: [Double] = []
        for (k, relation) in relations.enumerated() {
            owner += Array(repeating: k, count: relation.schema.fields.count)
            baseRows.append(relation.estimatedRows)
        }
        var local = [[BoundExpression]](repeating: [], count: relations.count)
        var pending: [(BoundExpression, Set<Int>)] = []
        var top: [BoundExpression] = []
        for conjunct in conjuncts {
            let used = Set(conjunct.columnsUsed.map { owner[$0] })
            if used.isEmpty { top.append(conjunct) }
            else if used.count == 1 { local[used.first!].append(conjunct) }
            else {
                pending.append((conjunct, used))
                // An OR over several inputs still restricts each input on its own.
                for relation in used {
                    if let weaker = ExpressionSimplification.implied(conjunct, onlyColumns: { owner[$0] == relation }) { local[relation].append(weaker) }
                }
            }
        }
        // Distinct counts of region columns, asked of the tables once.
        var offsets: [Int] = []
        var running = 0
        for relation in relations { offsets.append(running); running += relation.schema.fields.count }
        var distinctCache: [Int: Double?] = [:]
        func distinct(_ column: Int) -> Double? {
            if let known = distinctCache[column] { return known }
            let relation = owner[column]
            let value = distinctCount(relations[relation], column: column - offsets[relation])
            distinctCache[column] = value
            return value
        }
        var components: [Component] = []
        var start = 0
        for (k, relation) in relations.enumerated() {
            let width = relation.schema.fields.count
            var plan = relation
            if let filter = _conjunction(local[k].map { $0.shifted(by: -start) }) { plan = .filter(plan, filter) }
            components.append(Component(plan: plan, columns: Array(start..<start + width), relations: [k], rows: plan.estimatedRows))
            start += width
        }
        while components.count > 1 {
            var best: (Int, Int, Double)?
            for i in components.indices {
                for j in components.indices where j > i {
                    let union = components[i].relations.union(components[j].relations)
                    let connecting = pending.filter { $0.1.isSubset(of: union) && !$0.1.isSubset(of: components[i].relations) && !$0.1.isSubset(of: components[j].relations) }
                    guard !connecting.isEmpty else { continue }
                    let rows = estimate(components[i], components[j], connecting.map(\.0), owner: owner, baseRows: baseRows, distinct: distinct)
                    if best == nil || rows < best!.2 { best = (i, j, rows) }
                }
            }
            let (i, j, rows): (Int, Int, Double)
            if let best {
                (i, j, rows) = best
            } else {
                // Nothing connects the rest: a cross product of the two smallest.
                let order = components.indices.sorted { components[$0].rows < components[$1].rows }
                (i, j, rows) = (Swift.min(order[0], order[1]), Swift.max(order[0], order[1]), components[order[0]].rows * components[order[1]].rows)
            }
            // The smaller input is the hash table's (right) side.
            let (a, b) = components[i].rows >= components[j].rows ? (components[i], components[j]) : (components[j], components[i])
            let union = a.relations.union(b.relations)
            let columns = a.columns + b.columns
            var position: [Int: Int] = [:]
            for (k, c) in columns.enumerated() { position[c] = k }
            let applicable = pending.filter { $0.1.isSubset(of: union) }
            pending.removeAll { $0.1.isSubset(of: union) }
            let condition = _conjunction(applicable.map { $0.0.mapColumns { .column(position[$0]!, $1) } })
            let fields = columns.map { schema.fields[$0] }
            let plan = LogicalPlan.join(.inner, a.plan, b.plan, JoinCondition.split(condition, leftWidth: a.columns.count), Schema(fields))
            components.remove(at: j)
            components.remove(at: i)
            components.append(Component(plan: plan, columns: columns, relations: union, rows: Swift.max(1, rows)))
        }
        var result = components[0]
        var position: [Int: Int] = [:]
        for (k, c) in result.columns.enumerated() { position[c] = k }
        if let filter = _conjunction((top + pending.map(\.0)).map { $0.mapColumns { .column(position[$0]!, $1) } }) {
            result.plan = .filter(result.plan, filter)
        }
        if result.columns != Array(0..<result.columns.count) {
            result.plan = .project(result.plan, schema.fields.indices.map { .column(position[$0]!, schema.fields[$0].dataType) }, schema)
        }
        return result.plan
    }

    /// The estimated rows of joining two components: the product divided by the larger number
    /// of distinct values of the two sides of the most selective equality (the table's estimate
    /// when the column comes straight from a scan; else the smaller relation's size, as for a
    /// foreign key to a primary key).
    static func estimate(_ a: Component, _ b: Component, _ conjuncts: [BoundExpression], owner: [Int], baseRows: [Double], distinct: (Int) -> Double?) -> Double {
        var divisor = 1.0
        for conjunct in conjuncts {
            guard case .compare(.equal, let x, let y) = conjunct else { continue }
            let rx = Set(x.columnsUsed.map { owner[$0] }), ry = Set(y.columnsUsed.map { owner[$0] })
            guard rx.count == 1, ry.count == 1 else { continue }
            var keyDistinct = Swift.min(baseRows[rx.first!], baseRows[ry.first!])
            if case .column(let i, _) = x, case .column(let j, _) = y, let dx = distinct(i), let dy = distinct(j) {
                keyDistinct = Swift.max(dx, dy)
            }
            divisor = Swift.max(divisor, keyDistinct)
        }
        let product = a.rows * b.rows
        return divisor > 1 ? product / divisor : product * 0.3
    }

    /// The distinct count of a relation's column when the relation is a (filtered or
    /// projected) scan.
    static func distinctCount(_ plan: LogicalPlan, column: Int) -> Double? {
        switch plan {
        case .scan(_, let table, let request):
            let tableColumn = request.columns.map { $0[column] } ?? column
            return table.estimatedDistinctCount(column: tableColumn).map(Double.init)
        case .filter(let input, _):
            return distinctCount(input, column: column).map { Swift.min($0, plan.estimatedRows) }
        case .project(let input, let expressions, _):
            guard case .column(let i, _) = expressions[column] else { return nil }
            return distinctCount(input, column: i)
        default:
            return nil
        }
    }
}
