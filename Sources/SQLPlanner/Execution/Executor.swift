import ColumnarCore
import Synchronization

/// Runs a logical plan to one materialised batch. (This first executor materialises every
/// operator; streaming, parallel physical operators come with the physical planner.)
enum Executor {
    static func run(_ plan: LogicalPlan, optimize: Bool = true) throws(SQLError) -> RecordBatch {
        do {
            return try execute(optimize ? Optimizer.optimize(plan) : plan)
        } catch let error as SQLError {
            throw error
        } catch let error as ColumnarError {
            throw SQLError(.runtime, error.message)
        } catch {
            throw SQLError(.internalError, "\(error)")
        }
    }

    static func execute(_ plan: LogicalPlan) throws -> RecordBatch {
        guard let profiler else { return try executeOperator(plan) }
        switch plan {
        case .scan, .filter, .project, .aggregate: return try executeOperator(plan)  // measured as chunks
        default: break
        }
        return try profiler.measure(plan.operatorDescription, rows: { $0.count }) { try executeOperator(plan) }
    }

    private static func executeOperator(_ plan: LogicalPlan) throws -> RecordBatch {
        switch plan {
        case .scan, .filter, .project, .aggregate:
            return try concatenate(try executeChunks(plan), schema: plan.schema)
        case .join where try ChunkedPlan.streams(plan):
            return try concatenate(try executeChunks(plan), schema: plan.schema)
        case .values(let batch):
            return batch
        case .cached(let cache, let input):
            if let known = cache.result.withLock({ $0 }) { return known }
            let batch = try execute(input)
            cache.result.withLock { $0 = batch }
            return batch
        case .sort(let input, let keys):
            let batch = try execute(input)
            guard batch.count > 1 else { return batch }
            var sortKeys: [SortKey] = []
            for key in keys {
                sortKeys.append(SortKey(try key.expression.evaluate(batch), descending: key.descending, nullsFirst: key.nullsFirst))
            }
            let order = try Kernels.sortIndices(sortKeys)
            return try take(batch, SelectionVector(indices: order))
        case .window(let input, let windows, let schema):
            return try window(try execute(input), windows, schema: schema)
        case .limit(let input, let limit, let offset):
            let batch = try execute(input)
            let start = Swift.max(0, Swift.min(offset, batch.count))
            let end = limit.map { Swift.min(batch.count, start.addingReportingOverflow($0).overflow ? batch.count : start + $0) } ?? batch.count
            return batch.slice(start..<end)
        case .distinct(let input):
            return try distinct(try execute(input))
        case .join(let type, let left, let right, let condition, let schema):
            let l = try execute(left)
            let r = try execute(right)
            return try join(type, l, r, condition, schema: schema)
        case .setOperation(let op, let all, let left, let right):
            let l = try execute(left)
            let r = try execute(right)
            let schema = l.schema
            let combined = try concatenate([l, try RecordBatch(schema: schema, columns: r.columns, count: r.count)], schema: schema)
            if op == .union { return all ? combined : try distinct(combined) }
            // INTERSECT / EXCEPT (set semantics): group ids over both sides.
            guard combined.count > 0, !combined.columns.isEmpty else { return l }
            let groups = try Kernels.groupIDs(combined.columns)
            var inRight = [Bool](repeating: false, count: groups.groupCount)
            for row in l.count..<combined.count { inRight[Int(groups.ids[row])] = true }
            var seen = [Bool](repeating: false, count: groups.groupCount)
            var keep: [UInt32] = []
            for row in 0..<l.count {
                let id = Int(groups.ids[row])
                guard !seen[id] || all else { continue }
                if (op == .intersect) == inRight[id] { keep.append(UInt32(row)); seen[id] = true }
            }
            return try take(l, SelectionVector(keep))
        }
    }

    static func distinct(_ batch: RecordBatch) throws -> RecordBatch {
        guard batch.count > 0, !batch.columns.isEmpty else { return batch }
        let groups = try Kernels.groupIDs(batch.columns)
        return try take(batch, SelectionVector(indices: groups.representatives))
    }

    static func take(_ batch: RecordBatch, _ selection: SelectionVector) throws -> RecordBatch {
        try RecordBatch(schema: batch.schema, columns: try batch.columns.map { try Kernels.take($0, selection) }, count: selection.indices.count)
    }

    static func concatenate(_ batches: [RecordBatch], schema: Schema) throws -> RecordBatch {
        guard !batches.isEmpty else {
            return try RecordBatch(schema: schema, columns: try schema.fields.map { try Column($0.dataType, []) }, count: 0)
        }
        if batches.count == 1 { return batches[0] }
        var columns: [Column] = []
        for k in schema.fields.indices { columns.append(try Kernels.concatenate(batches.map { $0.columns[k] })) }
        return try RecordBatch(schema: schema, columns: columns, count: batches.reduce(0) { $0 + $1.count })
    }

    /// Hash aggregation by group ids; every aggregate is computed per group on the group's rows.
    static func aggregate(_ batch: RecordBatch, groups: [BoundExpression], aggregates: [BoundAggregate], schema: Schema) throws -> RecordBatch {
        let keys = try groups.map { try $0.evaluate(batch) }
        var groupIDs: ValueBuffer<UInt32>
        var representatives: [UInt32]
        var groupCount: Int
        if keys.isEmpty {
            groupIDs = ValueBuffer<UInt32>([UInt32](repeating: 0, count: batch.count))
            representatives = [0]
            groupCount = 1
        } else {
            let ids = try Kernels.groupIDs(keys)
            groupIDs = ids.ids
            representatives = Array(ids.representatives)
            groupCount = batch.count == 0 ? 0 : ids.groupCount
        }
        // The rows of each group, only for aggregates the one-pass path does not handle.
        var membersCache: [[UInt32]]?
        func members() -> [[UInt32]] {
            if let membersCache { return membersCache }
            var result = [[UInt32]](repeating: [], count: groupCount)
            for (row, id) in groupIDs.enumerated() { result[Int(id)].append(UInt32(row)) }
            membersCache = result
            return result
        }
        var columns: [Column] = []
        for key in keys { columns.append(try Kernels.take(key, SelectionVector(representatives))) }
        for aggregate in aggregates {
            let arguments = try aggregate.arguments.map { try $0.evaluate(batch) }
            if aggregate.orderBy.isEmpty, aggregate.filter == nil, let column = try GroupedAggregates.compute(aggregate, arguments.first, ids: groupIDs, groups: groupCount) {
                columns.append(column.dataType == aggregate.type ? column : try Kernels.cast(column, to: aggregate.type))
                continue
            }
            var rows = members()
            if !aggregate.orderBy.isEmpty, batch.count > 1 {
                // Each group's rows in the ORDER BY's order: one stable sort by (group, keys).
                var keys = [SortKey(.uint32(PrimitiveColumn(values: groupIDs)))]
                for order in aggregate.orderBy {
                    keys.append(SortKey(try order.expression.evaluate(batch), descending: order.descending, nullsFirst: order.nullsFirst))
                }
                rows = [[UInt32]](repeating: [], count: groupCount)
                for row in try Kernels.sortIndices(keys) { rows[Int(groupIDs[Int(row)])].append(row) }
            }
            if let filter = aggregate.filter, case .boolean(let mask) = try filter.evaluate(batch) {
                rows = rows.map { $0.filter { mask[Int($0)] == true } }
            }
            columns.append(try GroupAggregation.column(aggregate, arguments, groups: rows))
        }
        return try RecordBatch(schema: schema.nullable, columns: columns, count: groupCount)
    }
}

/// Sample or population variance or standard deviation of a DOUBLE column's non-null values
/// (NULL without enough values), by Welford's update.
func variance(_ values: Column, _ function: BoundAggregate.Function) -> Scalar {
    var n = 0.0, mean = 0.0, m2 = 0.0
    for k in 0..<values.count where !values.isNull(k) {
        guard case .float64(let x) = values.scalar(at: k) else { continue }
        n += 1
        let delta = x - mean
        mean += delta / n
        m2 += delta * (x - mean)
    }
    let sample = function == .stddevSample || function == .varianceSample
    guard n >= (sample ? 2 : 1) else { return .null }
    let v = m2 / (sample ? n - 1 : n)
    return .float64(function == .stddevSample || function == .stddevPopulation ? v.squareRoot() : v)
}

extension Schema {
    /// The same fields, all nullable (results of expressions may hold nulls).
    var nullable: Schema {
        Schema(fields.map { Field($0.name, $0.dataType, nullable: true, metadata: $0.metadata) }, metadata: metadata)
    }
}
