import ColumnarCore

/// Scans read only the columns something above them uses, and projections compute only the
/// columns their consumers read. The pass goes top-down with the set of columns each consumer
/// needs and returns where each needed column ended up.
enum ProjectionPushdown {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        let all = Array(plan.schema.fields.indices)
        // A cached input is read in several places: a first pass collects what each place
        // needs, the second prunes the cached input to the union of those.
        let pruner = Pruner()
        _ = pruner.prune(plan, Set(all))
        pruner.collecting = false
        let (pruned, mapping) = pruner.prune(plan, Set(all))
        // The root keeps its columns and their order.
        if all.allSatisfy({ mapping[$0] == $0 }) && pruned.schema.fields.count == all.count { return pruned }
        return .project(pruned, all.map { .column(mapping[$0]!, plan.schema.fields[$0].dataType) }, plan.schema)
    }

    typealias Mapping = [Int: Int]

    static func identity(_ plan: LogicalPlan) -> Mapping {
        var mapping = Mapping()
        for i in plan.schema.fields.indices { mapping[i] = i }
        return mapping
    }

    static func remap(_ e: BoundExpression, _ mapping: Mapping) -> BoundExpression {
        e.mapColumns { .column(mapping[$0]!, $1) }
    }

    /// `plan` with exactly `schema`'s columns in order again.
    static func restore(_ plan: LogicalPlan, _ mapping: Mapping, _ schema: Schema) -> LogicalPlan {
        if plan.schema.fields.count == schema.fields.count && schema.fields.indices.allSatisfy({ mapping[$0] == $0 }) { return plan }
        return .project(plan, schema.fields.indices.map { .column(mapping[$0]!, schema.fields[$0].dataType) }, schema)
    }
}

/// The pruning pass (with what cached inputs need, gathered in a first pass).
final class Pruner {
    typealias Mapping = ProjectionPushdown.Mapping
    var collecting = true
    var cacheNeeds: [ObjectIdentifier: Set<Int>] = [:]

    func identity(_ plan: LogicalPlan) -> Mapping { ProjectionPushdown.identity(plan) }
    func remap(_ e: BoundExpression, _ mapping: Mapping) -> BoundExpression { ProjectionPushdown.remap(e, mapping) }
    func restore(_ plan: LogicalPlan, _ mapping: Mapping, _ schema: Schema) -> LogicalPlan { ProjectionPushdown.restore(plan, mapping, schema) }

    /// `plan` producing at least the `required` columns; the mapping gives their new positions.
    func prune(_ plan: LogicalPlan, _ required: Set<Int>) -> (LogicalPlan, Mapping) {
        switch plan {
        case .scan(let name, let table, var request):
            let current = request.columns ?? Array(table.schema.fields.indices)
            let kept = required.sorted()
            request.columns = kept.map { current[$0] }
            var mapping = Mapping()
            for (k, old) in kept.enumerated() { mapping[old] = k }
            return (.scan(name: name, table: table, request: request), mapping)
        case .values:
            return (plan, identity(plan))
        case .filter(let input, let condition):
            let (child, mapping) = prune(input, required.union(condition.columnsUsed))
            return (.filter(child, remap(condition, mapping)), mapping)
        case .project(let input, let expressions, let schema):
            let kept = required.sorted()
            var needed = Set<Int>()
            for k in kept { needed.formUnion(expressions[k].columnsUsed) }
            let (child, childMapping) = prune(input, needed)
            var mapping = Mapping()
            for (n, k) in kept.enumerated() { mapping[k] = n }
            return (.project(child, kept.map { remap(expressions[$0], childMapping) }, Schema(kept.map { schema.fields[$0] }, metadata: schema.metadata)), mapping)
        case .aggregate(let input, let groups, let aggregates, let schema):
            var needed = Set<Int>()
            for g in groups { needed.formUnion(g.columnsUsed) }
            for a in aggregates { for e in a.expressions { needed.formUnion(e.columnsUsed) } }
            let (child, childMapping) = prune(input, needed)
            let newAggregates = aggregates.map { $0.mapExpressions { remap($0, childMapping) } }
            return (.aggregate(child, groups: groups.map { remap($0, childMapping) }, aggregates: newAggregates, schema), identity(plan))
        case .sort(let input, let keys):
            var needed = required
            for k in keys { needed.formUnion(k.expression.columnsUsed) }
            let (child, mapping) = prune(input, needed)
            return (.sort(child, keys.map { BoundOrder(expression: remap($0.expression, mapping), descending: $0.descending, nullsFirst: $0.nullsFirst) }), mapping)
        case .window(let input, let windows, _):
            // Window functions read whole partitions: the input keeps all its columns.
            let (child, mapping) = prune(input, Set(input.schema.fields.indices))
            return (.window(restore(child, mapping, input.schema), windows, plan.schema), identity(plan))
        case .limit(let input, let limit, let offset):
            let (child, mapping) = prune(input, required)
            return (.limit(child, limit: limit, offset: offset), mapping)
        case .cached(let cache, let input):
            // Every reader of the cache must see the same columns: the union of their needs.
            let key = ObjectIdentifier(cache)
            if collecting {
                cacheNeeds[key, default: []].formUnion(required)
                let (child, mapping) = prune(input, Set(input.schema.fields.indices))
                return (.cached(cache, restore(child, mapping, input.schema)), identity(plan))
            }
            let needed = cacheNeeds[key] ?? Set(input.schema.fields.indices)
            let kept = needed.sorted()
            let (child, childMapping) = prune(input, needed)
            // Exactly the needed columns, in order, whatever the child kept.
            let fields = kept.map { input.schema.fields[$0] }
            let exact = LogicalPlan.project(child, kept.map { .column(childMapping[$0]!, input.schema.fields[$0].dataType) }, Schema(fields))
            var mapping = Mapping()
            for (k, old) in kept.enumerated() { mapping[old] = k }
            return (.cached(cache, exact), mapping)
        case .distinct(let input):
            let (child, mapping) = prune(input, Set(input.schema.fields.indices))
            return (.distinct(restore(child, mapping, input.schema)), identity(plan))
        case .setOperation(let op, let all, let left, let right):
            let (l, lm) = prune(left, Set(left.schema.fields.indices))
            let (r, rm) = prune(right, Set(right.schema.fields.indices))
            return (.setOperation(op, all: all, restore(l, lm, left.schema), restore(r, rm, right.schema)), identity(plan))
        case .join(let type, let left, let right, let condition, _):
            let lw = left.schema.fields.count
            var leftNeeded = Set<Int>(), rightNeeded = Set<Int>()
            for i in required {
                if i < lw { leftNeeded.insert(i) } else if !type.isMark { rightNeeded.insert(i - lw) }
            }
            for key in condition.keys {
                leftNeeded.formUnion(key.left.columnsUsed)
                rightNeeded.formUnion(key.right.columnsUsed)
            }
            for i in condition.residual?.columnsUsed ?? [] {
                if i < lw { leftNeeded.insert(i) } else { rightNeeded.insert(i - lw) }
            }
            let (l, lm) = prune(left, leftNeeded)
            let (r, rm) = prune(right, rightNeeded)
            let newLeftWidth = l.schema.fields.count
            var combined = lm
            for (old, new) in rm { combined[lw + old] = newLeftWidth + new }
            var newCondition = condition
            newCondition.keys = condition.keys.map { (remap($0.left, lm), remap($0.right, rm)) }
            newCondition.residual = condition.residual.map { remap($0, combined) }
            let fields: [Field]
            var mapping = lm
            switch type {
            case .semi, .anti:
                fields = l.schema.fields
            case .mark:
                fields = l.schema.fields + [plan.schema.fields[lw]]
                mapping[lw] = newLeftWidth
            default:
                fields = l.schema.fields.map { Field($0.name, $0.dataType) } + r.schema.fields.map { Field($0.name, $0.dataType) }
                for (old, new) in rm { mapping[lw + old] = newLeftWidth + new }
            }
            return (.join(type, l, r, newCondition, Schema(fields)), mapping)
        }
    }

}

extension JoinType {
    var isMark: Bool {
        if case .mark = self { return true }
        return false
    }
}
