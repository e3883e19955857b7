import ColumnarCore

/// An aggregate over the rows of each group.
struct BoundAggregate: Sendable {
    enum Function: String, Sendable { case count, countStar, sum, min, max, avg }
    var function: Function
    var argument: BoundExpression?
    var distinct: Bool
    var type: DataType
}

/// One ordering key of a sort.
struct BoundOrder: Sendable {
    var expression: BoundExpression
    var descending: Bool
    var nullsFirst: Bool
}

/// A relational plan: what to compute, with every output column named and typed.
indirect enum LogicalPlan: Sendable {
    case scan(name: String, table: any SQLTableProvider)
    case values(RecordBatch)
    case filter(LogicalPlan, BoundExpression)
    case project(LogicalPlan, [BoundExpression], Schema)
    case aggregate(LogicalPlan, groups: [BoundExpression], aggregates: [BoundAggregate], Schema)
    case sort(LogicalPlan, [BoundOrder])
    case limit(LogicalPlan, limit: Int?, offset: Int)
    case distinct(LogicalPlan)
    /// Every left row with every right row (joins filter it; a hash join comes later).
    case crossJoin(LogicalPlan, LogicalPlan, Schema)
    /// UNION [ALL], INTERSECT, EXCEPT of inputs with the same column types.
    case setOperation(SQLSetOperator, all: Bool, LogicalPlan, LogicalPlan)

    /// The output columns.
    var schema: Schema {
        switch self {
        case .scan(_, let table): return table.schema
        case .values(let batch): return batch.schema
        case .filter(let input, _), .sort(let input, _), .limit(let input, _, _), .distinct(let input): return input.schema
        case .project(_, _, let schema), .aggregate(_, _, _, let schema), .crossJoin(_, _, let schema): return schema
        case .setOperation(_, _, let left, _): return left.schema
        }
    }
}
