import ColumnarCore

/// The names of the aggregate functions (a call to one of them without OVER is an aggregate).
let _aggregateNames: Set<String> = [
    "count", "sum", "min", "max", "avg", "mean", "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop",
    "bool_and", "bool_or", "every", "string_agg", "group_concat", "listagg", "any_value", "arbitrary", "first", "last",
    "arg_min", "arg_max", "argmin", "argmax", "min_by", "max_by", "median",
    "skewness", "kurtosis", "kurtosis_pop", "sem", "geomean", "geometric_mean", "fsum", "sumkahan", "kahan_sum", "favg",
    "covar_pop", "covar_samp", "corr", "regr_count", "regr_avgx", "regr_avgy", "regr_slope", "regr_intercept", "regr_r2",
    "regr_sxx", "regr_syy", "regr_sxy",
]

/// The aggregates over one DOUBLE argument, by name.
private let _unaryStatistics: [String: BoundAggregate.Function] = [
    "skewness": .skewness, "kurtosis": .kurtosisSample, "kurtosis_pop": .kurtosisPopulation, "sem": .standardError,
    "geomean": .geometricMean, "geometric_mean": .geometricMean,
    "fsum": .kahanSum, "sumkahan": .kahanSum, "kahan_sum": .kahanSum, "favg": .kahanAverage,
]

/// The aggregates over two DOUBLE arguments `(y, x)`, by name.
private let _binaryStatistics: [String: BoundAggregate.Function] = [
    "covar_pop": .covariancePopulation, "covar_samp": .covarianceSample, "corr": .correlation,
    "regr_count": .regrCount, "regr_avgx": .regrAverageX, "regr_avgy": .regrAverageY, "regr_slope": .regrSlope,
    "regr_intercept": .regrIntercept, "regr_r2": .regrR2, "regr_sxx": .regrSXX, "regr_syy": .regrSYY, "regr_sxy": .regrSXY,
]

extension Binder {
    /// Binds an aggregate call (with its DISTINCT, FILTER and ORDER BY) over the rows of `scope`;
    /// `hook` may bind sub-expressions itself (a window aggregate over grouped rows).
    func bindAggregate(_ call: SQLFunctionCall, scope: Scope, hook: ((SQLExpression) throws(SQLError) -> BoundExpression?)? = nil) throws(SQLError) -> BoundAggregate {
        var call = call
        // first and last keep NULL values, so their FILTER drops rows rather than masking values.
        var rowFilter: SQLExpression?
        if call.name == "first" || call.name == "last" {
            rowFilter = call.filter
            call.filter = nil
        }
        // FILTER (WHERE c): the argument counts only where c holds (count(*) counts those rows).
        if let condition = call.filter {
            let isStar = call.arguments.isEmpty || { if case .star = call.arguments[0] { return true }; return false }()
            let value = isStar ? SQLExpression.literal(.integer("1"), call.position) : call.arguments[0]
            let masked = SQLExpression.caseWhen(operand: nil, branches: [SQLWhen(condition: condition, result: value)], otherwise: nil, call.position)
            call.arguments = [masked] + (isStar ? [] : Array(call.arguments.dropFirst()))
            call.filter = nil
        }
        let hasStar = call.arguments.contains { if case .star = $0 { return true }; return false }
        if call.name == "count", call.arguments.isEmpty || hasStar && call.arguments.count == 1 {
            if call.distinct { throw error(.syntax, "COUNT(DISTINCT *) is not allowed: name the columns to count", at: call.position) }
            return BoundAggregate(function: .countStar, argument: nil, distinct: false, type: .int64)
        }
        if hasStar { throw error(.syntax, "only count takes *, not \(call.name)", at: call.position) }
        var aggregate = try bindAggregateFunction(call) { e throws(SQLError) in try bindExpression(e, scope: scope, hook: hook) }
        if let rowFilter {
            let condition = try bindExpression(rowFilter, scope: scope, hook: hook)
            guard condition.type == .boolean || condition.isUntypedNull else {
                throw error(.typeMismatch, "FILTER needs a BOOLEAN, found \(condition.type)", at: rowFilter.position)
            }
            aggregate.filter = .isTrue(condition.isUntypedNull ? .cast(condition, .boolean) : condition)
        }
        if aggregate.function.isOrderSensitive {
            for item in call.orderBy {
                let key = try bindExpression(item.expression, scope: scope, hook: hook)
                aggregate.orderBy.append(BoundOrder(expression: key, descending: item.descending, nullsFirst: item.nullsFirst ?? false))
            }
        }
        return aggregate
    }

    /// The aggregate function of `call` with its arguments bound by `bind` (no ORDER BY yet).
    private func bindAggregateFunction(_ call: SQLFunctionCall, _ bind: (SQLExpression) throws(SQLError) -> BoundExpression) throws(SQLError) -> BoundAggregate {
        let name = call.name
        func requireArguments(_ count: Int) throws(SQLError) {
            guard call.arguments.count == count else {
                throw error(.syntax, "\(name) takes \(count == 1 ? "one argument" : "\(count) arguments"), found \(call.arguments.count)", at: call.position)
            }
        }
        /// The argument as a DOUBLE (it must be a number).
        func double(_ argument: BoundExpression) throws(SQLError) -> BoundExpression {
            guard argument.type.isNumeric || argument.isUntypedNull else { throw error(.typeMismatch, "\(name) of \(argument.type)", at: call.position) }
            return argument.type == .float64 ? argument : .cast(argument, .float64)
        }
        if ["string_agg", "group_concat", "listagg"].contains(name) {
            guard (1...2).contains(call.arguments.count) else { throw error(.syntax, "\(name) takes a value and a separator", at: call.position) }
            var separator = ","
            if call.arguments.count == 2 {
                guard case .literal(.string(let text), _) = call.arguments[1] else {
                    throw error(.unsupported, "\(name) needs a constant text separator", at: call.arguments[1].position)
                }
                separator = text
            }
            let value = try bind(call.arguments[0])
            let text: BoundExpression = value.type == .utf8 ? value : .cast(value, .utf8)
            var aggregate = BoundAggregate(function: .stringAgg, argument: text, distinct: call.distinct, type: .utf8)
            aggregate.separator = separator
            return aggregate
        }
        if let function = _binaryStatistics[name] {
            try requireArguments(2)
            let y = try double(try bind(call.arguments[0])), x = try double(try bind(call.arguments[1]))
            return BoundAggregate(function: function, arguments: [y, x], distinct: call.distinct, type: function == .regrCount ? .int64 : .float64)
        }
        if ["arg_min", "arg_max", "argmin", "argmax", "min_by", "max_by"].contains(name) {
            try requireArguments(2)
            let value = try bind(call.arguments[0]), key = try bind(call.arguments[1])
            let function: BoundAggregate.Function = name.hasPrefix("max") || name.hasSuffix("max") ? .argMax : .argMin
            return BoundAggregate(function: function, arguments: [value, key], distinct: false, type: value.type)
        }
        try requireArguments(1)
        let argument = try bind(call.arguments[0])
        if let function = _unaryStatistics[name] {
            return BoundAggregate(function: function, argument: try double(argument), distinct: call.distinct, type: .float64)
        }
        switch name {
        case "count": return BoundAggregate(function: .count, argument: argument, distinct: call.distinct, type: .int64)
        case "min", "max":
            return BoundAggregate(function: name == "min" ? .min : .max, argument: argument, distinct: false, type: argument.type)
        case "sum":
            let type: DataType
            if argument.type == .boolean {
                return BoundAggregate(function: .sum, argument: .cast(argument, .int64), distinct: call.distinct, type: .decimal128(precision: 38, scale: 0))
            }
            if argument.type.isInteger { type = .decimal128(precision: 38, scale: 0) }
            else if case .decimal128(_, let s) = argument.type { type = .decimal128(precision: 38, scale: s) }
            else if argument.type.isFloatingPoint { type = .float64 }
            else if argument.isUntypedNull { type = .decimal128(precision: 38, scale: 0) }
            else { throw error(.typeMismatch, "sum of \(argument.type)", at: call.position) }
            return BoundAggregate(function: .sum, argument: argument.isUntypedNull ? .cast(argument, .int64) : argument, distinct: call.distinct, type: type)
        case "avg", "mean":
            guard argument.type.isNumeric || argument.isUntypedNull else { throw error(.typeMismatch, "avg of \(argument.type)", at: call.position) }
            return BoundAggregate(function: .avg, argument: argument.isUntypedNull ? .cast(argument, .float64) : argument, distinct: call.distinct, type: .float64)
        case "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop":
            let function: BoundAggregate.Function = switch name {
            case "stddev", "stddev_samp": .stddevSample
            case "stddev_pop": .stddevPopulation
            case "var_pop": .variancePopulation
            default: .varianceSample
            }
            return BoundAggregate(function: function, argument: try double(argument), distinct: call.distinct, type: .float64)
        case "median":
            if argument.isUntypedNull { return BoundAggregate(function: .median, argument: .cast(argument, .float64), distinct: call.distinct, type: .float64) }
            return BoundAggregate(function: .median, argument: argument, distinct: call.distinct, type: argument.type.isNumeric ? .float64 : argument.type)
        case "any_value", "arbitrary", "first", "last":
            let function: BoundAggregate.Function = name == "first" ? .first : name == "last" ? .last : .anyValue
            return BoundAggregate(function: function, argument: argument, distinct: false, type: argument.type)
        case "bool_and", "bool_or", "every":
            guard argument.type == .boolean || argument.isUntypedNull else { throw error(.typeMismatch, "\(name) of \(argument.type)", at: call.position) }
            return BoundAggregate(function: name == "bool_or" ? .boolOr : .boolAnd, argument: argument.isUntypedNull ? .cast(argument, .boolean) : argument, distinct: false, type: .boolean)
        default:
            throw error(.unsupported, "aggregate \(name) is not supported yet", at: call.position)
        }
    }
}
