import ColumnarCore
import Dispatch
import Synchronization

/// Morsel-style execution of the streaming part of a plan: a scan yields its batches (a
/// Parquet row group each), and filters, projections and the partial step of an aggregation
/// run on each batch independently, spread over the cores; breakers (the final aggregation,
/// sorts, joins) combine the batches.
enum ChunkedPlan {
    /// Whether the plan runs as a streaming pipeline.
    static func streams(_ plan: LogicalPlan) throws -> Bool {
        switch plan {
        case .join(let type, let left, _, let condition, _):
            guard type != .right, type != .full, !condition.nullsEqual, (1...2).contains(condition.keys.count),
                  condition.keys.allSatisfy({ JoinIndex.indexable($0.right.type) && JoinIndex.indexable($0.left.type) }) else { return false }
            return try streams(left)
        case .scan: return true
        case .filter(let input, _), .project(let input, _, _): return try streams(input)
        default: return false
        }
    }
}

extension Executor {
    /// A scan followed by per-batch steps (filters, projections): each scan piece can run
    /// through the steps on its own.
    struct Pipeline {
        var partitions: [SQLScanPartition]
        var steps: [@Sendable (RecordBatch) throws -> RecordBatch] = []

        /// Every piece through the steps, in parallel; `finish` turns a piece's output into
        /// what is kept (a partial aggregate, or the batches themselves).
        func run(_ finish: @escaping @Sendable ([RecordBatch]) throws -> [RecordBatch]) throws -> [RecordBatch] {
            let steps = self.steps
            let results = Mutex<[[RecordBatch]]>(Array(repeating: [], count: partitions.count))
            let failure = Mutex<(any Error)?>(nil)
            let partitions = self.partitions
            DispatchQueue.concurrentPerform(iterations: partitions.count) { k in
                guard failure.withLock({ $0 == nil }) else { return }
                do {
                    var out: [RecordBatch] = []
                    for var batch in try partitions[k].read() {
                        for step in steps where batch.count > 0 { batch = try step(batch) }
                        if batch.count > 0 { out.append(batch) }
                    }
                    let kept = try finish(out)
                    results.withLock { $0[k] = kept }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
            if let error = failure.withLock({ $0 }) { throw error }
            return results.withLock { $0.flatMap { $0 } }
        }
    }

    /// The plan as a pipeline, when it is a scan under filters and projections.
    static func pipeline(_ plan: LogicalPlan) throws -> Pipeline? {
        switch plan {
        case .scan(_, let table, let request):
            let schema = plan.schema
            var pipeline = Pipeline(partitions: try table.partitions(request))
            pipeline.steps.append { batch in
                batch.schema.fields.map(\.name) == schema.fields.map(\.name) ? batch : try RecordBatch(schema: schema, columns: batch.columns, count: batch.count)
            }
            return pipeline
        case .filter(let input, let condition):
            guard var pipeline = try pipeline(input) else { return nil }
            pipeline.steps.append { batch in try filterBatch(batch, condition) }
            return pipeline
        case .project(let input, let expressions, let schema):
            guard var pipeline = try pipeline(input) else { return nil }
            pipeline.steps.append { batch in try projectBatch(batch, expressions, schema) }
            return pipeline
        case .join(let type, let left, let right, let condition, let schema):
            // A join whose probe side streams: the build side is read and indexed once, then
            // every probe batch is joined on its own. (Right and full joins need every probe
            // row seen first: they do not stream.)
            guard type != .right, type != .full, !condition.nullsEqual,
                  condition.keys.count >= 1, condition.keys.count <= 2, condition.keys.allSatisfy({ JoinIndex.indexable($0.right.type) && JoinIndex.indexable($0.left.type) }),
                  var pipeline = try pipeline(left) else { return nil }
            guard let index = try JoinIndex(try execute(right), keys: condition.keys.map(\.right)) else { return nil }
            pipeline.steps.append { batch in try probe(type, batch, index, condition, schema: schema) }
            return pipeline
        default:
            return nil
        }
    }

    /// The plan's result as a list of batches.
    static func executeChunks(_ plan: LogicalPlan) throws -> [RecordBatch] {
        guard let profiler else { return try executeChunksOperator(plan) }
        var label = plan.operatorDescription
        if (try? ChunkedPlan.streams(plan)) == true {
            var fused: [String] = []
            var node = plan
            while true {
                fused.append(node.operatorDescription)
                guard let input = node.inputs.first, node.inputs.count == 1 else { break }
                node = input
            }
            label = "PIPELINE " + fused.reversed().joined(separator: " → ")
        }
        return try profiler.measure(label, rows: { $0.reduce(0) { $0 + $1.count } }) { try executeChunksOperator(plan) }
    }

    private static func executeChunksOperator(_ plan: LogicalPlan) throws -> [RecordBatch] {
        if let pipeline = try pipeline(plan) {
            return try pipeline.run { $0 }
        }
        switch plan {
        case .values(let batch):
            return [batch]
        case .filter(let input, let condition):
            let chunks = try executeChunks(input)
            return try parallelMap(chunks) { batch in try filterBatch(batch, condition) }.filter { $0.count > 0 }
        case .project(let input, let expressions, let schema):
            let chunks = try executeChunks(input)
            return try parallelMap(chunks) { batch in try projectBatch(batch, expressions, schema) }
        case .aggregate(let input, let groups, let aggregates, let schema):
            if aggregates.allSatisfy(\.isDecomposable), let pipeline = try pipeline(input), !pipeline.partitions.isEmpty {
                return [try aggregatePipeline(pipeline, inputSchema: input.schema, groups: groups, aggregates: aggregates, schema: schema)]
            }
            return [try aggregateChunks(try executeChunks(input), inputSchema: input.schema, groups: groups, aggregates: aggregates, schema: schema)]
        default:
            return [try execute(plan)]
        }
    }

    /// The rows where `condition` is TRUE. An AND is applied conjunct by conjunct, cheapest first
    /// (comparisons before function calls such as LIKE), each on the rows the ones before kept.
    static func filterBatch(_ batch: RecordBatch, _ condition: BoundExpression) throws -> RecordBatch {
        var conjuncts: [BoundExpression] = []
        func split(_ e: BoundExpression) {
            if case .and(let a, let b) = e { split(a); split(b) } else { conjuncts.append(e) }
        }
        split(condition)
        guard conjuncts.count > 1 else { return try filterOnce(batch, condition) }
        let ordered = conjuncts.enumerated().sorted { a, b in
            let (x, y) = (_evaluationCost(a.element), _evaluationCost(b.element))
            return x != y ? x < y : a.offset < b.offset
        }
        var current = batch
        for (_, conjunct) in ordered {
            current = try filterOnce(current, conjunct)
            if current.count == 0 { break }
        }
        return current
    }

    private static func filterOnce(_ batch: RecordBatch, _ condition: BoundExpression) throws -> RecordBatch {
        guard case .boolean(let mask) = try condition.evaluate(batch) else { throw SQLError(.internalError, "filter condition is not BOOLEAN") }
        let selection = SelectionVector(mask)
        if selection.count == batch.count { return batch }
        let columns = try batch.columns.map { try Kernels.take($0, selection) }
        return try RecordBatch(schema: batch.schema, columns: columns, count: selection.count)
    }

    static func projectBatch(_ batch: RecordBatch, _ expressions: [BoundExpression], _ schema: Schema) throws -> RecordBatch {
        var columns: [Column] = []
        for expression in expressions { columns.append(try expression.evaluate(batch)) }
        // The kernels decide exact result types (decimal precision, for one).
        let fields = zip(schema.fields, columns).map { Field($0.name, $1.dataType, nullable: true, metadata: $0.metadata) }
        return try RecordBatch(schema: Schema(fields, metadata: schema.metadata), columns: columns, count: batch.count)
    }

    /// `transform` of every batch, spread over the cores; the first error wins.
    static func parallelMap(_ chunks: [RecordBatch], _ transform: @Sendable (RecordBatch) throws -> RecordBatch) throws -> [RecordBatch] {
        if chunks.count <= 1 { return try chunks.map(transform) }
        let results = Mutex<[RecordBatch?]>(Array(repeating: nil, count: chunks.count))
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
            guard failure.withLock({ $0 == nil }) else { return }
            do {
                let batch = try transform(chunks[k])
                results.withLock { $0[k] = batch }
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0.map { $0! } }
    }

    /// Aggregation in two steps when every aggregate allows it: each batch is aggregated on its
    /// own (in parallel), then the partial results are combined (counts and sums added, minima
    /// and maxima of minima and maxima, averages from summed sums and counts).
    static func aggregateChunks(_ chunks: [RecordBatch], inputSchema: Schema, groups: [BoundExpression], aggregates: [BoundAggregate], schema: Schema) throws -> RecordBatch {
        let decomposable = aggregates.allSatisfy(\.isDecomposable)
        guard decomposable, chunks.count > 1 else {
            return try aggregate(try concatenate(chunks, schema: chunks.first?.schema ?? inputSchema), groups: groups, aggregates: aggregates, schema: schema)
        }
        let (partial, parts) = partialAggregates(aggregates)
        let partialSchema = partialSchemaOf(groups, partial)
        let partialAggregates = partial
        let partials = try parallelMap(chunks) { batch in try aggregate(batch, groups: groups, aggregates: partialAggregates, schema: partialSchema) }
        return try combine(partials, inputSchema: chunks[0].schema, groups: groups, aggregates: aggregates, partial: partial, parts: parts, schema: schema)
    }

    /// Aggregation of a pipeline: each piece is aggregated as it is read, then the partial
    /// results are combined.
    static func aggregatePipeline(_ pipeline: Pipeline, inputSchema: Schema, groups: [BoundExpression], aggregates: [BoundAggregate], schema: Schema) throws -> RecordBatch {
        let (partial, parts) = partialAggregates(aggregates)
        let partialSchema = partialSchemaOf(groups, partial)
        let partials = try pipeline.run { batches in
            guard !batches.isEmpty else { return [] }
            let input = try concatenate(batches, schema: batches[0].schema)
            return [try aggregate(input, groups: groups, aggregates: partial, schema: partialSchema)]
        }
        if partials.isEmpty {
            return try aggregate(try concatenate([], schema: inputSchema), groups: groups, aggregates: aggregates, schema: schema)
        }
        return try combine(partials, inputSchema: inputSchema, groups: groups, aggregates: aggregates, partial: partial, parts: parts, schema: schema)
    }

    static func partialSchemaOf(_ groups: [BoundExpression], _ partial: [BoundAggregate]) -> Schema {
        var fields: [Field] = []
        for (k, g) in groups.enumerated() { fields.append(Field("group\(k)", g.type)) }
        for (k, a) in partial.enumerated() { fields.append(Field("partial\(k)", a.type)) }
        return Schema(fields)
    }

    /// The partial aggregates of decomposable ones, and where each final one finds its parts.
    static func partialAggregates(_ aggregates: [BoundAggregate]) -> ([BoundAggregate], [(Int, Int?)]) {
        var partial: [BoundAggregate] = []
        var parts: [(Int, Int?)] = []
        for a in aggregates {
            if a.function == .avg, let argument = a.argument {
                let sumType: DataType
                switch argument.type {
                case .decimal128(_, let s): sumType = .decimal128(precision: 38, scale: s)
                case let t where t.isInteger: sumType = .decimal128(precision: 38, scale: 0)
                default: sumType = .float64
                }
                parts.append((partial.count, partial.count + 1))
                partial.append(BoundAggregate(function: .sum, argument: argument, distinct: false, type: sumType))
                partial.append(BoundAggregate(function: .count, argument: argument, distinct: false, type: .int64))
            } else {
                parts.append((partial.count, nil))
                partial.append(a)
            }
        }
        return (partial, parts)
    }

    /// Combines partial aggregates into the final ones.
    static func combine(_ partials: [RecordBatch], inputSchema: Schema, groups: [BoundExpression], aggregates: [BoundAggregate], partial: [BoundAggregate], parts: [(Int, Int?)], schema: Schema) throws -> RecordBatch {
        let partialSchema = partialSchemaOf(groups, partial)
        let merged = try concatenate(partials.map { try RecordBatch(schema: partialSchema, columns: $0.columns, count: $0.count) }, schema: partialSchema)
        let g = groups.count
        let finalGroups = groups.enumerated().map { BoundExpression.column($0.offset, $0.element.type) }
        var final: [BoundAggregate] = []
        for (k, a) in partial.enumerated() {
            let column = BoundExpression.column(g + k, a.type)
            switch a.function {
            case .count, .countStar:
                final.append(BoundAggregate(function: .sum, argument: column, distinct: false, type: .decimal128(precision: 38, scale: 0)))
            default:
                final.append(BoundAggregate(function: a.function, argument: column, distinct: false, type: a.type))
            }
        }
        var finalFields: [Field] = []
        for (k, group) in groups.enumerated() { finalFields.append(Field("group\(k)", group.type)) }
        for (k, a) in final.enumerated() { finalFields.append(Field("final\(k)", a.type)) }
        var combined = try aggregate(merged, groups: finalGroups, aggregates: final, schema: Schema(finalFields))
        // Ungrouped input with no rows at all: one row, as the one-step aggregation gives.
        if g == 0 && combined.count == 0 { combined = try aggregate(try concatenate([], schema: Schema(finalFields)), groups: [], aggregates: final, schema: Schema(finalFields)) }
        var columns = Array(combined.columns.prefix(g))
        for (a, (first, second)) in zip(aggregates, parts) {
            let value = combined.columns[g + first]
            switch a.function {
            case .count, .countStar:
                columns.append(try Kernels.cast(try fillNulls(value, with: .decimal128(0, precision: 38, scale: 0)), to: .int64))
            case .avg:
                let sums = try Kernels.cast(value, to: .float64)
                let counts = try Kernels.cast(combined.columns[g + second!], to: .float64)
                columns.append(try Kernels.arithmetic(sums, .divide, counts, divisionByZero: .null))
            default:
                columns.append(value.dataType == a.type ? value : try Kernels.cast(value, to: a.type))
            }
        }
        return try RecordBatch(schema: schema.nullable, columns: columns, count: combined.count)
    }

    /// `column` with nulls replaced by `value`.
    static func fillNulls(_ column: Column, with value: Scalar) throws -> Column {
        guard column.nullCount > 0 else { return column }
        let constant = try Kernels.take(try Column(column.dataType, [value]), SelectionVector(indices: ValueBuffer<UInt32>([UInt32](repeating: 0, count: column.count))))
        return try _choose(Kernels.isNotNull(column), column, constant)
    }
}

/// A rough cost of evaluating an expression per row: function calls (LIKE, string functions)
/// and CASE weigh more than comparisons of columns and constants.
func _evaluationCost(_ e: BoundExpression) -> Int {
    switch e {
    case .column, .outer, .literal: return 0
    case .compare(_, let a, let b), .arithmetic(_, let a, let b, _), .and(let a, let b), .or(let a, let b):
        return 1 + _evaluationCost(a) + _evaluationCost(b)
    case .not(let a), .isNull(let a, _), .isTrue(let a), .cast(let a, _): return 1 + _evaluationCost(a)
    case .function(_, let args, _): return 10 + args.reduce(0) { $0 + _evaluationCost($1) }
    default: return 20
    }
}
