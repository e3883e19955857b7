import ColumnarCore
import Synchronization

/// An aggregate over the rows of each group.
struct BoundAggregate: Sendable {
    enum Function: String, Sendable {
        case count, countStar, sum, min, max, avg
        case stddevSample = "stddev_samp", stddevPopulation = "stddev_pop", varianceSample = "var_samp", variancePopulation = "var_pop"
        case boolAnd = "bool_and", boolOr = "bool_or", stringAgg = "string_agg"
        case anyValue = "any_value", first, last
        /// The value of the row with the smallest (largest) key: `arg_min(value, key)`.
        case argMin = "arg_min", argMax = "arg_max"
        /// Moments of one DOUBLE argument.
        case skewness, kurtosisSample = "kurtosis", kurtosisPopulation = "kurtosis_pop", standardError = "sem"
        case geometricMean = "geomean", kahanSum = "fsum", kahanAverage = "favg"
        /// The middle value: interpolated (DOUBLE) for numbers, the lower middle otherwise.
        case median
        /// Two DOUBLE arguments `(y, x)`, over the rows where both are non-null.
        case covariancePopulation = "covar_pop", covarianceSample = "covar_samp", correlation = "corr"
        case regrCount = "regr_count", regrAverageX = "regr_avgx", regrAverageY = "regr_avgy", regrSlope = "regr_slope"
        case regrIntercept = "regr_intercept", regrR2 = "regr_r2", regrSXX = "regr_sxx", regrSYY = "regr_syy", regrSXY = "regr_sxy"

        /// Whether the result depends on the order in which rows arrive (so that `f(x ORDER BY k)`
        /// keeps its ORDER BY).
        var isOrderSensitive: Bool {
            switch self {
            case .first, .last, .anyValue, .stringAgg, .argMin, .argMax: return true
            default: return false
            }
        }
    }
    var function: Function
    /// The arguments: none for `count(*)`, `(y, x)` for the two-argument statistics, `(value,
    /// key)` for arg_min and arg_max, one otherwise.
    var arguments: [BoundExpression]
    var distinct: Bool
    var type: DataType
    /// string_agg's separator.
    var separator: String = ","
    /// `f(x ORDER BY k)`: the order in which each group's rows are fed (kept only for
    /// order-sensitive functions).
    var orderBy: [BoundOrder] = []
    /// `FILTER (WHERE c)` for functions that do not skip NULLs (first, last): only rows where it
    /// holds are fed. Other functions see the filter as their argument masked to NULL.
    var filter: BoundExpression?

    /// The first argument (nil for `count(*)`).
    var argument: BoundExpression? { arguments.first }

    /// Identifies the aggregate: two calls with the same key compute the same values.
    var key: String {
        let order = orderBy.map { "\($0.expression) \($0.descending) \($0.nullsFirst)" }.joined(separator: ",")
        let values = arguments.isEmpty ? "*" : arguments.map(\.description).joined(separator: ",")
        return "\(function.rawValue)|\(distinct)|\(values)|\(separator)|\(order)|\(filter?.description ?? "")"
    }

    /// Every expression the aggregate reads: its arguments, its ORDER BY keys, its filter.
    var expressions: [BoundExpression] { arguments + orderBy.map(\.expression) + (filter.map { [$0] } ?? []) }

    /// The same aggregate with `transform` applied to each of its ``expressions``.
    func mapExpressions(_ transform: (BoundExpression) -> BoundExpression) -> BoundAggregate {
        var copy = self
        copy.arguments = arguments.map(transform)
        copy.orderBy = orderBy.map { BoundOrder(expression: transform($0.expression), descending: $0.descending, nullsFirst: $0.nullsFirst) }
        copy.filter = filter.map(transform)
        return copy
    }

    /// Whether partial results of batches can be combined (count, sum, min, max, avg).
    var isDecomposable: Bool {
        guard !distinct else { return false }
        switch function {
        case .count, .countStar, .sum, .min, .max, .avg: return true
        default: return false
        }
    }
}

extension BoundAggregate {
    /// An aggregate of at most one argument.
    init(function: Function, argument: BoundExpression?, distinct: Bool, type: DataType) {
        self.init(function: function, arguments: argument.map { [$0] } ?? [], distinct: distinct, type: type)
    }
}

/// One ordering key of a sort.
struct BoundOrder: Sendable {
    var expression: BoundExpression
    var descending: Bool
    var nullsFirst: Bool
}

/// How a join combines its inputs.
enum JoinType: Sendable, Equatable {
    case inner, left, right, full
    /// Left rows with at least one match (left columns only).
    case semi
    /// Left rows without a match (left columns only).
    case anti
    /// Left rows with the right columns of their one match (nulls without one); a second match
    /// is an error: the join of a scalar subquery.
    case single
    /// Left rows plus a BOOLEAN: whether a match exists. With `inSemantics`, the last key pair is
    /// `x IN (y …)`'s comparison, and the mark is NULL (not FALSE) where SQL's IN says so.
    case mark(inSemantics: Bool)
}

/// The equality keys of a join (left expressions over the left input, right ones over the right
/// input) and whatever else the condition asks, over the left columns followed by the right.
struct JoinCondition: Sendable {
    var keys: [(left: BoundExpression, right: BoundExpression)] = []
    var residual: BoundExpression?
    /// Keys match when both are NULL (IS NOT DISTINCT FROM), as decorrelation needs.
    var nullsEqual = false
}

/// Where a `cached` plan keeps its result once computed.
final class PlanCache: Sendable {
    let result = Mutex<RecordBatch?>(nil)
}

/// A relational plan: what to compute, with every output column named and typed.
indirect enum LogicalPlan: Sendable {
    /// A table's rows; the request names the columns read (the output, in that order) and the
    /// filters the table may use to skip data (the plan still applies them).
    case scan(name: String, table: any SQLTableProvider, request: SQLScanRequest)
    case values(RecordBatch)
    case filter(LogicalPlan, BoundExpression)
    case project(LogicalPlan, [BoundExpression], Schema)
    case aggregate(LogicalPlan, groups: [BoundExpression], aggregates: [BoundAggregate], Schema)
    case sort(LogicalPlan, [BoundOrder])
    case limit(LogicalPlan, limit: Int?, offset: Int)
    case distinct(LogicalPlan)
    /// The input, computed once however many places of the plan read it (decorrelation reads
    /// the outer rows twice: for their distinct values and for the join back).
    case cached(PlanCache, LogicalPlan)
    /// The input's columns followed by one column per window function.
    case window(LogicalPlan, [BoundWindow], Schema)
    /// A join; its output is the left columns then the right ones (for semi and anti joins, the
    /// left ones; for mark joins, the left ones and the mark).
    case join(JoinType, LogicalPlan, LogicalPlan, JoinCondition, Schema)
    /// UNION [ALL], INTERSECT, EXCEPT of inputs with the same column types.
    case setOperation(SQLSetOperator, all: Bool, LogicalPlan, LogicalPlan)

    /// The output columns.
    var schema: Schema {
        switch self {
        case .scan(_, let table, let request):
            guard let columns = request.columns else { return table.schema }
            return Schema(columns.map { table.schema.fields[$0] }, metadata: table.schema.metadata)
        case .values(let batch): return batch.schema
        case .filter(let input, _), .sort(let input, _), .limit(let input, _, _), .distinct(let input), .cached(_, let input): return input.schema
        case .project(_, _, let schema), .aggregate(_, _, _, let schema), .join(_, _, _, _, let schema), .window(_, _, let schema): return schema
        case .setOperation(_, _, let left, _): return left.schema
        }
    }
}
