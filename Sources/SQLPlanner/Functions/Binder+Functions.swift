import ColumnarCore

/// Binding of scalar functions, LIKE, `||` and date/time arithmetic: checks argument counts and
/// types (errors name the function and point at the call), casts arguments to the types the
/// kernels in `ScalarFunctions.swift` expect, and picks the result type.
extension Binder {
    /// Binds a call of a scalar function (not an aggregate, not a window function) whose
    /// arguments are already bound.
    func bindScalarFunction(_ call: SQLFunctionCall, _ arguments: [BoundExpression]) throws(SQLError) -> BoundExpression {
        let args = arguments
        switch call.name {
        case "arrow_cast":
            // DataFusion's cast to an Arrow type named in text: the ColumnarCore type it maps to.
            guard arguments.count == 2, case .literal(.utf8(let name), _) = arguments[1] else {
                throw error(.syntax, "arrow_cast takes a value and a constant Arrow type name", at: call.position)
            }
            guard let type = _arrowTypeNamed(name) else {
                throw error(.unsupported, "arrow_cast to \(name) is not supported", at: call.position)
            }
            return arguments[0].isUntypedNull ? .cast(arguments[0], type) : (arguments[0].type == type ? arguments[0] : .cast(arguments[0], type))
        case "nvl":
            return try bindScalarFunction(SQLFunctionCall(name: "coalesce", arguments: call.arguments, position: call.position), arguments)
        case "coalesce", "ifnull", "nullif", "abs":
            guard !arguments.isEmpty, call.name != "nullif" || arguments.count == 2, call.name != "abs" || arguments.count == 1 else {
                throw error(.syntax, "wrong number of arguments to \(call.name)", at: call.position)
            }
            let type = try commonType(of: arguments, at: call.position)
            if call.name == "abs" && !type.isNumeric { throw error(.typeMismatch, "abs of \(type)", at: call.position) }
            let name = call.name == "ifnull" ? "coalesce" : call.name
            return .function(name, arguments.map { $0.type == type ? $0 : .cast($0, type) }, type)

        // Text
        case "lower", "lcase", "upper", "ucase":
            try arity(call, args, 1...1)
            return .function(call.name.hasPrefix("l") ? "lower" : "upper", [try text(call, args, 0)], .utf8)
        case "length", "char_length", "character_length", "len":
            try arity(call, args, 1...1)
            return .function("length", [try text(call, args, 0)], .int64)
        case "octet_length", "strlen":
            try arity(call, args, 1...1)
            return .function("octet_length", [try text(call, args, 0)], .int64)
        case "substring", "substr":
            try arity(call, args, 2...3)
            return .function("substring", [try text(call, args, 0), try integer(call, args, 1)] + (args.count > 2 ? [try integer(call, args, 2)] : []), .utf8)
        case "trim", "btrim", "ltrim", "rtrim":
            try arity(call, args, 1...2)
            return .function(call.name == "btrim" ? "trim" : call.name, try texts(call, args), .utf8)
        case "replace":
            try arity(call, args, 3...3)
            return .function("replace", try texts(call, args), .utf8)
        case "strpos", "instr":
            try arity(call, args, 2...2)
            return .function("strpos", try texts(call, args), .int64)
        case "split_part":
            try arity(call, args, 3...3)
            return .function("split_part", [try text(call, args, 0), try text(call, args, 1), try integer(call, args, 2)], .utf8)
        case "starts_with", "prefix", "ends_with", "suffix":
            try arity(call, args, 2...2)
            let name = call.name == "starts_with" || call.name == "prefix" ? "starts_with" : "ends_with"
            return .function(name, try texts(call, args), .boolean)
        case "left", "right", "repeat":
            try arity(call, args, 2...2)
            return .function(call.name, [try text(call, args, 0), try integer(call, args, 1)], .utf8)
        case "reverse":
            try arity(call, args, 1...1)
            return .function("reverse", [try text(call, args, 0)], .utf8)
        case "lpad", "rpad":
            try arity(call, args, 2...3)
            return .function(call.name, [try text(call, args, 0), try integer(call, args, 1)] + (args.count > 2 ? [try text(call, args, 2)] : []), .utf8)
        case "regexp_matches":
            try arity(call, args, 2...3)
            if case .literal(.utf8(let pattern), _) = args[1] {
                var flags = ""
                if args.count > 2, case .literal(.utf8(let f), _) = args[2] { flags = f }
                do {
                    _ = try _compileRegex(pattern, flags: flags)
                } catch let failure {
                    throw error(failure.code, "regexp_matches: " + failure.message, at: call.position)
                }
            }
            return .function("regexp_matches", try texts(call, args), .boolean)
        case "concat":
            try arity(call, args, 1...1_000)
            return .function("concat", try texts(call, args), .utf8)
        case "concat_ws":
            try arity(call, args, 2...1_000)
            return .function("concat_ws", try texts(call, args), .utf8)

        // Math
        case "sqrt", "cbrt", "exp", "ln", "log10", "log2":
            try arity(call, args, 1...1)
            return .function(call.name, [try double(call, args, 0)], .float64)
        case "log":
            try arity(call, args, 1...2)
            if args.count == 1 { return .function("log10", [try double(call, args, 0)], .float64) }
            return .function("log", [try double(call, args, 0), try double(call, args, 1)], .float64)
        case "power", "pow":
            try arity(call, args, 2...2)
            return .function("power", [try double(call, args, 0), try double(call, args, 1)], .float64)
        case "sign":
            try arity(call, args, 1...1)
            return .function("sign", [try double(call, args, 0)], .int8)
        case "pi":
            try arity(call, args, 0...0)
            return .literal(.float64(.pi), .float64)
        case "mod":
            try arity(call, args, 2...2)
            let (l, r) = try coerce(args[0], args[1], "mod", at: call.position)
            guard l.type.isNumeric else { throw error(.typeMismatch, "mod of \(args[0].type) and \(args[1].type)", at: call.position) }
            return .arithmetic(.remainder, l, r, l.type)
        case "round", "floor", "ceil", "ceiling", "round_even", "roundbankers":
            return try bindRounding(call, args)
        case "greatest", "least":
            try arity(call, args, 1...1_000)
            let type = try commonType(of: args, at: call.position)
            return .function(call.name, args.map { $0.type == type ? $0 : .cast($0, type) }, type)

        // Dates and times
        case "date_part", "datepart", "date_trunc", "datetrunc":
            try arity(call, args, 2...2)
            if args[0].isUntypedNull {
                // A NULL part name: NULL of the result's type.
                let truncate = call.name.contains("trunc")
                return .literal(.null, truncate ? args[1].type : .int64)
            }
            guard case .literal(.utf8(let field), _) = args[0] else {
                throw error(.unsupported, "\(call.name) needs a constant part name such as 'year'", at: call.position)
            }
            let truncate = call.name.contains("trunc")
            let known: Set<String> = truncate
                ? ["millennium", "century", "decade", "year", "quarter", "month", "week", "day", "hour", "minute", "second", "millisecond", "microsecond"]
                : ["year", "quarter", "month", "day", "dow", "isodow", "doy", "week", "isoyear", "yearweek", "hour", "minute", "second",
                   "millisecond", "microsecond", "epoch", "decade", "century", "millennium"]
            if args[1].type == .interval, var part = _datePartName(field) {
                // Truncating an interval by a calendar part keeps what that part rounds to.
                let calendarParts = ["isoyear": "year", "yearweek": "week", "dow": "day", "isodow": "day", "doy": "day", "epoch": "second"]
                if truncate, let mapped = calendarParts[part] { part = mapped }
                let allowed = truncate ? known : _intervalParts
                guard allowed.contains(part) else {
                    throw error(.syntax, "\(call.name): '\(field)' is not a part of an INTERVAL (valid: \(allowed.sorted().joined(separator: ", ")))", at: call.position)
                }
                if truncate { return .function("interval_trunc", [.literal(.utf8(part), .utf8), args[1]], .interval) }
                return .function("interval_part", [.literal(.utf8(part), .utf8), args[1]], part == "epoch" ? .float64 : .int64)
            }
            guard let part = _datePartName(field), known.contains(part) else {
                throw error(.syntax, "\(call.name): unknown part '\(field)' (valid: \(known.sorted().joined(separator: ", ")))", at: call.position)
            }
            let value = try temporal(call, args, 1)
            if truncate { return .function("date_trunc", [.literal(.utf8(part), .utf8), value], value.type) }
            return .function("date_part", [.literal(.utf8(part), .utf8), value], part == "epoch" ? .float64 : .int64)
        case "year", "quarter", "month", "day", "dayofmonth", "dayofweek", "isodow", "dayofyear", "week", "weekofyear",
             "isoyear", "hour", "minute", "second", "millisecond", "microsecond", "epoch", "decade", "century", "millennium":
            try arity(call, args, 1...1)
            let part = _datePartName(call.name) ?? call.name
            return .function("date_part", [.literal(.utf8(part), .utf8), try temporal(call, args, 0)], part == "epoch" ? .float64 : .int64)
        case "make_date":
            try arity(call, args, 3...3)
            return .function("make_date", [try integer(call, args, 0), try integer(call, args, 1), try integer(call, args, 2)], .date32)
        case "current_date", "today":
            try arity(call, args, 0...0)
            return .function("current_date", [], .date32)
        case "now", "current_timestamp", "get_current_timestamp":
            try arity(call, args, 0...0)
            return .function("now", [], .timestamp(.microsecond, timeZone: nil))
        default:
            if let interval = try bindIntervalConstructor(call, args) { return interval }
            if let bound = try bindDuckDBFunction(call, args) { return bound }
            throw error(.unsupported, "function \(call.name) is not supported yet", at: call.position)
        }
    }

    /// `round(x[, digits])`, `floor(x)`, `ceil(x)`: integers pass through, DECIMAL keeps a
    /// decimal type (scale 0, or the constant `digits` when that is less than the scale),
    /// anything else becomes DOUBLE.
    private func bindRounding(_ call: SQLFunctionCall, _ args: [BoundExpression]) throws(SQLError) -> BoundExpression {
        let name = call.name == "ceiling" ? "ceil" : call.name == "roundbankers" ? "round_even" : call.name
        try arity(call, args, name.hasPrefix("round") ? 1...2 : 1...1)
        var value = args[0]
        if value.isUntypedNull { value = .literal(.null, .float64) }
        guard value.type.isNumeric else { throw error(.typeMismatch, "\(call.name) of \(value.type)", at: call.position) }
        let digits = args.count > 1 ? try integer(call, args, 1) : nil
        switch value.type {
        case let t where t.isInteger:
            guard let digits else { return value }
            return .function(name, [.cast(value, .int64), digits], .int64)
        case .decimal128(let p, let s):
            var scale = 0
            if let digits {
                scale = s
                if case .cast(.literal(.int32(let d), _), _) = digits { scale = Swift.max(0, Swift.min(Int(d), s)) }
                if case .literal(.int64(let d), _) = digits { scale = Swift.max(0, Swift.min(Int(d), s)) }
            }
            return .function(name, [value] + (digits.map { [$0] } ?? []), .decimal128(precision: p, scale: scale))
        default:
            return .function(name, [value.type == .float64 ? value : .cast(value, .float64)] + (digits.map { [$0] } ?? []), .float64)
        }
    }

    // MARK: Argument checks

    func arity(_ call: SQLFunctionCall, _ args: [BoundExpression], _ counts: ClosedRange<Int>) throws(SQLError) {
        guard !counts.contains(args.count) else { return }
        let expected = counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)"
            : counts.upperBound >= 1_000 ? "at least \(counts.lowerBound)" : "\(counts.lowerBound) to \(counts.upperBound)"
        throw error(.syntax, "\(call.name) takes \(expected) argument\(counts.upperBound == 1 ? "" : "s"), got \(args.count)", at: call.position)
    }

    /// Argument `i` as text: VARCHAR and BLOB as they are, scalars of other types cast to VARCHAR.
    func text(_ call: SQLFunctionCall, _ args: [BoundExpression], _ i: Int) throws(SQLError) -> BoundExpression {
        let arg = args[i]
        switch arg.type {
        case .utf8, .binary: return arg
        case _ where arg.isUntypedNull: return .literal(.null, .utf8)
        case .list, .fixedSizeList, .struct:
            throw error(.typeMismatch, "\(call.name) needs text for argument \(i + 1), found \(arg.type)", at: call.position)
        default: return .cast(arg, .utf8)
        }
    }

    func texts(_ call: SQLFunctionCall, _ args: [BoundExpression]) throws(SQLError) -> [BoundExpression] {
        var result: [BoundExpression] = []
        for i in args.indices { result.append(try text(call, args, i)) }
        return result
    }

    /// Argument `i` as BIGINT (integers only; a DECIMAL of scale 0 too).
    func integer(_ call: SQLFunctionCall, _ args: [BoundExpression], _ i: Int) throws(SQLError) -> BoundExpression {
        let arg = args[i]
        if arg.isUntypedNull { return .literal(.null, .int64) }
        switch arg.type {
        case .int64: return arg
        case let t where t.isInteger: return .cast(arg, .int64)
        case .decimal128(_, 0): return .cast(arg, .int64)
        default:
            throw error(.typeMismatch, "\(call.name) needs an integer for argument \(i + 1), found \(arg.type)", at: call.position)
        }
    }

    /// Argument `i` as DOUBLE (any number).
    func double(_ call: SQLFunctionCall, _ args: [BoundExpression], _ i: Int) throws(SQLError) -> BoundExpression {
        let arg = args[i]
        if arg.isUntypedNull { return .literal(.null, .float64) }
        guard arg.type.isNumeric else {
            throw error(.typeMismatch, "\(call.name) needs a number for argument \(i + 1), found \(arg.type)", at: call.position)
        }
        return arg.type == .float64 ? arg : .cast(arg, .float64)
    }

    /// Argument `i` as DATE, TIMESTAMP or TIME (text is read as a TIMESTAMP).
    func temporal(_ call: SQLFunctionCall, _ args: [BoundExpression], _ i: Int) throws(SQLError) -> BoundExpression {
        let arg = args[i]
        if arg.isUntypedNull { return .literal(.null, .timestamp(.microsecond, timeZone: nil)) }
        switch arg.type {
        case .date32, .timestamp, .time64: return arg
        case .utf8: return .cast(arg, .timestamp(.microsecond, timeZone: nil))
        default:
            throw error(.typeMismatch, "\(call.name) needs a DATE or TIMESTAMP for argument \(i + 1), found \(arg.type)", at: call.position)
        }
    }

    // MARK: LIKE and ||

    /// `value [NOT] LIKE|ILIKE pattern [ESCAPE e]`. Without ESCAPE no character escapes (as in
    /// DuckDB; PostgreSQL's default escape is a backslash).
    func bindLike(
        _ value: BoundExpression, pattern: BoundExpression, escape: BoundExpression?, caseInsensitive: Bool, negated: Bool, at position: SourcePosition
    ) throws(SQLError) -> BoundExpression {
        let name = caseInsensitive ? "ILIKE" : "LIKE"
        var operands = [value, pattern]
        if let escape { operands.append(escape) }
        for (i, operand) in operands.enumerated() {
            switch operand.type {
            case .list, .fixedSizeList, .struct:
                throw error(.typeMismatch, "\(name) needs text, found \(operand.type)", at: position)
            case _ where operand.isUntypedNull: operands[i] = .literal(.null, .utf8)
            case .utf8: break
            default: operands[i] = .cast(operand, .utf8)
            }
        }
        if case .literal(.utf8(let e), _)? = escape, e.unicodeScalars.count > 1 {
            throw error(.syntax, "\(name): invalid escape string '\(e)': it must be empty or one character", at: position)
        }
        if case .literal(.utf8(let p), _) = pattern {
            // A constant pattern is checked now, so its error points at the SQL.
            var escapeText: String? = escape == nil ? "" : nil
            if case .literal(.utf8(let e), _)? = escape { escapeText = e }
            if let escapeText, let problem = _likePatternProblem(p, escape: escapeText) {
                throw error(.syntax, "\(name): " + problem, at: position)
            }
        }
        let call = BoundExpression.function(caseInsensitive ? "ilike" : "like", operands, .boolean)
        return negated ? .not(call) : call
    }

    /// `a || b`: NULL if either is NULL; other types are cast to text.
    func bindConcat(_ left: BoundExpression, _ right: BoundExpression, at position: SourcePosition) throws(SQLError) -> BoundExpression {
        var operands: [BoundExpression] = []
        for operand in [left, right] {
            switch operand.type {
            case .list, .fixedSizeList, .struct:
                throw error(.unsupported, "|| of \(operand.type) is not supported", at: position)
            case _ where operand.isUntypedNull: operands.append(.literal(.null, .utf8))
            case .utf8: operands.append(operand)
            default: operands.append(.cast(operand, .utf8))
            }
        }
        return .function("||", operands, .utf8)
    }
}

/// The ColumnarCore type of an Arrow type name as DataFusion writes it (`Utf8View`,
/// `Dictionary(Int32, Utf8)`, `Decimal128(10, 2)`, `Timestamp(Nanosecond, None)`); nil if none.
func _arrowTypeNamed(_ name: String) -> DataType? {
    let text = String(name.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    if text.hasPrefix("Dictionary("), text.hasSuffix(")") {
        let inner = text.dropFirst("Dictionary(".count).dropLast()
        guard let comma = inner.firstIndex(of: ",") else { return nil }
        return _arrowTypeNamed(String(inner[inner.index(after: comma)...]))
    }
    if text.hasPrefix("Decimal128("), text.hasSuffix(")") {
        let parts = text.dropFirst("Decimal128(".count).dropLast().split(separator: ",").compactMap { Int($0.filter { $0 != " " }) }
        guard parts.count == 2, (1...38).contains(parts[0]), (0...parts[0]).contains(parts[1]) else { return nil }
        return .decimal128(precision: parts[0], scale: parts[1])
    }
    if text.hasPrefix("Timestamp(") {
        let unit: TimeUnit = text.contains("Second,") && !text.contains("Milli") && !text.contains("Micro") && !text.contains("Nano") ? .second
            : text.contains("Millisecond") ? .millisecond : text.contains("Microsecond") ? .microsecond : .nanosecond
        return .timestamp(unit, timeZone: text.contains("None") ? nil : "UTC")
    }
    switch text {
    case "Utf8", "LargeUtf8", "Utf8View": return .utf8
    case "Binary", "LargeBinary", "BinaryView": return .binary
    case "Boolean": return .boolean
    case "Int8": return .int8
    case "Int16": return .int16
    case "Int32": return .int32
    case "Int64": return .int64
    case "UInt8": return .uint8
    case "UInt16": return .uint16
    case "UInt32": return .uint32
    case "UInt64": return .uint64
    case "Float32": return .float32
    case "Float64": return .float64
    case "Date32": return .date32
    default: return nil
    }
}
