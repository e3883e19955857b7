import ColumnarCore

/// A window function call, bound: what it computes over which partition, order and frame.
///
/// Calls whose `partitionBy` and `orderBy` are the same share one ``layoutKey``: the executor
/// sorts the rows once per key and runs every such call over that one layout.
struct BoundWindow: Sendable {
    enum Function: Sendable, Equatable {
        case rowNumber, rank, denseRank, percentRank, cumeDist, ntile
        case lag, lead, firstValue, lastValue, nthValue
        case aggregate(BoundAggregate.Function)
    }

    var function: Function
    /// The name as written (for messages).
    var name: String
    /// Bound arguments: `lag(x, offset, default)`, `ntile(n)`, `nth_value(x, n)`, an aggregate's
    /// argument (none for `count(*)`).
    var arguments: [BoundExpression]
    /// An aggregate's `FILTER (WHERE …)`.
    var filter: BoundExpression?
    var partitionBy: [BoundExpression]
    var orderBy: [BoundOrder]
    var frame: BoundWindowFrame
    /// Equal for calls with the same PARTITION BY and ORDER BY.
    var layoutKey: String
    var type: DataType
    /// string_agg's separator.
    var separator = ","
    /// `f(DISTINCT x) OVER …`: each frame's distinct values only.
    var distinct = false
}

/// A frame with constant offsets. The default frame is RANGE UNBOUNDED PRECEDING to CURRENT
/// ROW with an ORDER BY, the whole partition without one.
struct BoundWindowFrame: Sendable {
    enum Unit: Sendable, Equatable { case rows, range, groups }
    enum Bound: Sendable, Equatable {
        case unboundedPreceding
        /// ROWS and GROUPS count rows or peer groups; RANGE offsets are values of the order key.
        case preceding(Double)
        case currentRow
        case following(Double)
        case unboundedFollowing
    }
    var unit: Unit
    var start: Bound
    var end: Bound
    /// ROWS and GROUPS offsets that vary by row (`ROWS BETWEEN x PRECEDING …`): they replace the
    /// constant of their bound.
    var startOffsets: BoundExpression?
    var endOffsets: BoundExpression?

    static let wholePartition = BoundWindowFrame(unit: .rows, start: .unboundedPreceding, end: .unboundedFollowing, startOffsets: nil, endOffsets: nil)
    static let upToPeers = BoundWindowFrame(unit: .range, start: .unboundedPreceding, end: .currentRow, startOffsets: nil, endOffsets: nil)
}

/// The window function calls (`f(…) OVER (…)`) inside `e`, in order, without repeats.
func _collectWindowCalls(_ e: SQLExpression, into calls: inout [SQLFunctionCall]) {
    if case .function(let call) = e, call.over != nil {
        if !calls.contains(call) { calls.append(call) }
        return
    }
    for child in e.children { _collectWindowCalls(child, into: &calls) }
}

/// Whether `e` holds a window function call.
func _containsWindowCall(_ e: SQLExpression) -> Bool {
    var calls: [SQLFunctionCall] = []
    _collectWindowCalls(e, into: &calls)
    return !calls.isEmpty
}

/// The window functions by name, with how many arguments each takes.
let _windowFunctionArity: [String: ClosedRange<Int>] = [
    "row_number": 0...0, "rank": 0...0, "dense_rank": 0...0, "percent_rank": 0...0, "cume_dist": 0...0,
    "ntile": 1...1, "lag": 1...3, "lead": 1...3, "first_value": 1...1, "last_value": 1...1, "nth_value": 2...2,
    "count": 0...1, "sum": 1...1, "avg": 1...1, "min": 1...1, "max": 1...1,
]

extension Binder {
    /// Binds window function calls over the rows of `scope` (after any grouping; `hook` maps
    /// group keys and aggregates).
    func bindWindows(_ calls: [SQLFunctionCall], scope: Scope, hook: ((SQLExpression) throws(SQLError) -> BoundExpression?)?) throws(SQLError) -> [BoundWindow] {
        try bindWindows(calls, scope: scope, hook: hook, named: [:])
    }

    /// Binds window function calls; `named` holds the SELECT's `WINDOW name AS (…)` definitions
    /// that `OVER name` and `OVER (name …)` refer to.
    func bindWindows(_ calls: [SQLFunctionCall], scope: Scope, hook: ((SQLExpression) throws(SQLError) -> BoundExpression?)?,
                     named: [String: SQLWindowSpecification]) throws(SQLError) -> [BoundWindow] {
        var windows: [BoundWindow] = []
        for call in calls { windows.append(try bindWindow(call, scope: scope, hook: hook, named: named)) }
        return windows
    }

    /// `spec` with its base window's clauses filled in (as PostgreSQL: the named window gives the
    /// partitioning and possibly the order; the referring window may add an order and a frame).
    func resolveWindow(_ spec: SQLWindowSpecification, named: [String: SQLWindowSpecification], at position: SourcePosition) throws(SQLError) -> SQLWindowSpecification {
        guard let baseName = spec.base else { return spec }
        let found = named.first { $0.key.lowercased() == baseName.lowercased() }?.value
        guard let base = found else {
            throw SQLError(.unknownName, "no window \(baseName) (named windows need WINDOW \(baseName) AS (…))", at: position, sql: sql,
                           validNames: _closest(baseName, in: Array(named.keys)))
        }
        // As DuckDB: a named window cannot itself refer to another one.
        if let other = base.base { throw error(.syntax, "window \(baseName) cannot refer to window \(other)", at: position) }
        var resolved = base
        if !spec.partitionBy.isEmpty {
            throw error(.syntax, "a window that refers to window \(baseName) cannot have its own PARTITION BY", at: position)
        }
        if !spec.orderBy.isEmpty {
            guard resolved.orderBy.isEmpty else { throw error(.syntax, "window \(baseName) already has an ORDER BY", at: position) }
            resolved.orderBy = spec.orderBy
        }
        if let frame = spec.frame { resolved.frame = frame }
        resolved.base = nil
        return resolved
    }

    func bindWindow(_ call: SQLFunctionCall, scope: Scope, hook: ((SQLExpression) throws(SQLError) -> BoundExpression?)?,
                    named: [String: SQLWindowSpecification]) throws(SQLError) -> BoundWindow {
        let name = call.name.lowercased()
        // Other aggregates bind as aggregates do; their arguments are checked there.
        // So do DISTINCT aggregates, which only that path computes.
        let isGeneralAggregate = _aggregateNames.contains(name) && (_windowFunctionArity[name] == nil || call.distinct)
        guard let arity = isGeneralAggregate ? 0...call.arguments.count : _windowFunctionArity[name] else {
            throw SQLError(.unknownName, "\(call.name) is not a window function", at: call.position, sql: sql,
                           validNames: _closest(name, in: Array(_windowFunctionArity.keys)))
        }
        // count() is count(*), as DuckDB and DataFusion read it.
        let isStar = name == "count" && call.arguments.isEmpty
            || call.arguments.count == 1 && { if case .star = call.arguments[0] { return true }; return false }()
        guard arity.contains(call.arguments.count) else {
            let expected = arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound) to \(arity.upperBound)"
            throw error(.syntax, "\(name) takes \(name == "count" ? "* or one" : expected) argument\(arity.upperBound == 1 || name == "count" ? "" : "s"), found \(call.arguments.count)", at: call.position)
        }
        if isStar && name != "count" { throw error(.syntax, "only count takes *", at: call.position) }
        for argument in call.arguments where _containsWindowCall(argument) {
            throw error(.syntax, "window function calls cannot be nested", at: argument.position)
        }
        if call.distinct && !isGeneralAggregate { throw error(.syntax, "DISTINCT applies to aggregates only, not \(name)", at: call.position) }
        if !call.orderBy.isEmpty { throw error(.unsupported, "ORDER BY inside the arguments of window function \(name) is not supported", at: call.position) }
        let spec = try resolveWindow(call.over ?? SQLWindowSpecification(), named: named, at: call.position)

        func bind(_ e: SQLExpression) throws(SQLError) -> BoundExpression {
            if _containsWindowCall(e) { throw error(.syntax, "window function calls cannot be nested", at: e.position) }
            return try bindExpression(e, scope: scope, hook: hook)
        }
        var partitionBy: [BoundExpression] = []
        for e in spec.partitionBy { partitionBy.append(try bind(e)) }
        var orderBy: [BoundOrder] = []
        for item in spec.orderBy {
            orderBy.append(BoundOrder(expression: try bind(item.expression), descending: item.descending, nullsFirst: item.nullsFirst ?? false))
        }
        let frame = try bindFrame(spec.frame, orderBy: orderBy, scope: scope, hook: hook, at: call.position)
        let layoutKey = "\(partitionBy)|\(orderBy.map { "\($0.expression) \($0.descending) \($0.nullsFirst)" })"

        var arguments: [BoundExpression] = []
        for (k, argument) in call.arguments.enumerated() where !isStar && !isGeneralAggregate {
            var bound = try bind(argument)
            // Offsets and counts are integers; lag's default takes the value's type.
            if k >= 1 || name == "ntile" {
                if (name == "lag" || name == "lead") && k == 2 { arguments.append(bound); continue }
                if bound.isUntypedNull { bound = .cast(bound, .int64) }
                guard bound.type.isInteger else {
                    throw error(.typeMismatch, "\(name)'s \(k == 0 ? "argument" : "offset") must be an integer, found \(bound.type)", at: argument.position)
                }
            }
            arguments.append(bound)
        }
        var filter: BoundExpression?
        if let condition = call.filter {
            guard _aggregateNames.contains(name) else { throw error(.syntax, "FILTER applies to aggregates only, not \(name)", at: condition.position) }
            let bound = try bind(condition)
            guard bound.type == .boolean || bound.isUntypedNull else { throw error(.typeMismatch, "FILTER needs a BOOLEAN, found \(bound.type)", at: condition.position) }
            filter = .isTrue(bound.isUntypedNull ? .cast(bound, .boolean) : bound)
        }

        let function: BoundWindow.Function
        var type: DataType = .int64
        var separator = ","
        var distinct = false
        switch name {
        case _ where isGeneralAggregate:
            var plain = call
            plain.over = nil
            plain.filter = nil
            let aggregate = try bindAggregate(plain, scope: scope, hook: hook)
            function = .aggregate(aggregate.function)
            distinct = aggregate.distinct
            arguments = aggregate.arguments
            type = aggregate.type
            separator = aggregate.separator
        case "row_number": function = .rowNumber
        case "rank": function = .rank
        case "dense_rank": function = .denseRank
        case "percent_rank": function = .percentRank; type = .float64
        case "cume_dist": function = .cumeDist; type = .float64
        case "ntile": function = .ntile
        case "lag", "lead":
            function = name == "lag" ? .lag : .lead
            type = arguments[0].isUntypedNull ? .int32 : arguments[0].type
            if arguments.count == 3 {
                let fallback = arguments[2]
                if !fallback.isUntypedNull && !arguments[0].isUntypedNull {
                    guard let common = _commonType(type, fallback.type) else {
                        throw error(.typeMismatch, "\(name)'s default (\(fallback.type)) does not match its value (\(type))", at: call.arguments[2].position)
                    }
                    type = common
                } else if arguments[0].isUntypedNull {
                    type = fallback.isUntypedNull ? .int32 : fallback.type
                }
                arguments[2] = .cast(fallback, type)
            }
            arguments[0] = .cast(arguments[0], type)
        case "first_value", "last_value", "nth_value":
            function = name == "first_value" ? .firstValue : name == "last_value" ? .lastValue : .nthValue
            if arguments[0].isUntypedNull { arguments[0] = .cast(arguments[0], .int32) }
            type = arguments[0].type
        default:
            if isStar {
                function = .aggregate(.countStar)
                break
            }
            if arguments[0].isUntypedNull { arguments[0] = .cast(arguments[0], .int32) }
            let argumentType = arguments[0].type
            switch name {
            case "count": function = .aggregate(.count)
            case "min", "max":
                function = .aggregate(name == "min" ? .min : .max)
                type = argumentType
            case "sum":
                function = .aggregate(.sum)
                if argumentType.isInteger { type = .decimal128(precision: 38, scale: 0) }
                else if case .decimal128(_, let s) = argumentType { type = .decimal128(precision: 38, scale: s) }
                else if argumentType.isFloatingPoint { type = .float64 }
                else { throw error(.typeMismatch, "sum of \(argumentType)", at: call.position) }
            default:
                guard argumentType.isNumeric else { throw error(.typeMismatch, "avg of \(argumentType)", at: call.position) }
                function = .aggregate(.avg)
                type = .float64
            }
        }
        return BoundWindow(function: function, name: name, arguments: arguments, filter: filter, partitionBy: partitionBy,
                           orderBy: orderBy, frame: frame, layoutKey: layoutKey, type: type, separator: separator, distinct: distinct)
    }

    /// The frame with its offsets evaluated (they must be constants), checked as PostgreSQL
    /// checks them.
    func bindFrame(_ frame: SQLWindowFrame?, orderBy: [BoundOrder], scope: Scope, hook: ((SQLExpression) throws(SQLError) -> BoundExpression?)?,
                   at position: SourcePosition) throws(SQLError) -> BoundWindowFrame {
        guard let frame else { return orderBy.isEmpty ? .wholePartition : .upToPeers }
        let unit: BoundWindowFrame.Unit = switch frame.unit {
        case .rows: .rows
        case .range: .range
        case .groups: .groups
        }
        var rowOffsets: [BoundExpression?] = []
        func offset(_ e: SQLExpression) throws(SQLError) -> Double {
            let bound = try bindExpression(e, scope: scope, hook: hook)
            if !bound.isConstant, unit != .range, bound.type.isInteger {
                rowOffsets.append(bound)
                return 0
            }
            rowOffsets.append(nil)
            guard bound.isConstant, bound.type.isNumeric else {
                throw error(unit == .range && !bound.type.isNumeric ? .unsupported : .syntax,
                            unit == .range ? "RANGE offsets must be numeric constants here (found \(bound.type))" : "frame offsets must be integer constants", at: e.position)
            }
            let value = try bound.evaluate(try RecordBatch.single())
            let scalar: Column
            do { scalar = try Kernels.cast(value, to: .float64) } catch { throw self.error(.runtime, "frame offset: \(error)", at: e.position) }
            guard let number = scalar.primitive(as: Double.self)?[0] else { throw error(.syntax, "frame offsets cannot be NULL", at: e.position) }
            guard number >= 0, number.isFinite else { throw error(.syntax, "frame offsets must not be negative", at: e.position) }
            if unit != .range, !bound.type.isInteger { throw error(.syntax, "\(frame.unit.rawValue) offsets must be integers", at: e.position) }
            return number
        }
        func bind(_ b: SQLWindowFrame.Bound) throws(SQLError) -> BoundWindowFrame.Bound {
            rowOffsets.append(nil)
            switch b {
            case .unboundedPreceding: return .unboundedPreceding
            case .preceding(let e): return .preceding(try offset(e))
            case .currentRow: return .currentRow
            case .following(let e): return .following(try offset(e))
            case .unboundedFollowing: return .unboundedFollowing
            }
        }
        func rank(_ b: SQLWindowFrame.Bound) -> Int {
            switch b {
            case .unboundedPreceding: 0
            case .preceding: 1
            case .currentRow: 2
            case .following: 3
            case .unboundedFollowing: 4
            }
        }
        if case .unboundedFollowing = frame.start { throw error(.syntax, "a frame cannot start at UNBOUNDED FOLLOWING", at: position) }
        if case .unboundedPreceding = frame.end { throw error(.syntax, "a frame cannot end at UNBOUNDED PRECEDING", at: position) }
        if rank(frame.start) >= 2 && rank(frame.end) < rank(frame.start) {
            throw error(.syntax, "a frame starting at \(rank(frame.start) == 2 ? "CURRENT ROW" : "FOLLOWING") cannot end before it", at: position)
        }
        let start = try bind(frame.start)
        let startOffsets = rowOffsets.last ?? nil
        let end = try bind(frame.end)
        let endOffsets = rowOffsets.last ?? nil
        let bound = BoundWindowFrame(unit: unit, start: start, end: end, startOffsets: startOffsets, endOffsets: endOffsets)
        if unit == .range {
            let hasOffset = [bound.start, bound.end].contains { if case .preceding = $0 { return true }; if case .following = $0 { return true }; return false }
            if hasOffset {
                guard orderBy.count == 1 else { throw error(.syntax, "RANGE with an offset needs exactly one ORDER BY key", at: position) }
                let keyType = orderBy[0].expression.type
                guard keyType.isNumeric else {
                    throw error(.unsupported, "RANGE with an offset over a \(keyType) ORDER BY key is not supported yet (numeric keys only)", at: position)
                }
            }
        }
        if unit == .groups && orderBy.isEmpty { throw error(.syntax, "GROUPS frames need an ORDER BY", at: position) }
        return bound
    }
}
