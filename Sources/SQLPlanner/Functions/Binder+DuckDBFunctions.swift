import ColumnarCore

/// Binding of scalar functions that come from DuckDB (and a few from PostgreSQL) beyond the core
/// set of `Binder+Functions.swift`: character codes, `overlay`, `strip_accents`, byte-size
/// formatting, integer functions (`factorial`, `binom`, `gcd`, `lcm`, `even`),
/// `constant_or_null`, `datediff`, `date` and `strptime`. Kernels live in `NumberFunctions.swift`,
/// `TextFunctions+Characters.swift`, `TextFunctions+Bytes.swift`, `DateDifference.swift` and
/// `DateParsing.swift`.
extension Binder {
    /// Binds `call` if it names one of this file's functions; nil for any other name.
    func bindDuckDBFunction(_ call: SQLFunctionCall, _ args: [BoundExpression]) throws(SQLError) -> BoundExpression? {
        switch call.name {
        // Text
        case "ascii", "unicode", "ord":
            try arity(call, args, 1...1)
            return .function(call.name == "ord" ? "unicode" : call.name, [try text(call, args, 0)], .int64)
        case "chr":
            try arity(call, args, 1...1)
            return .function("chr", [try integer(call, args, 0)], .utf8)
        case "overlay":
            try arity(call, args, 3...4)
            let counts = args.count > 3 ? [try integer(call, args, 3)] : []
            return .function("overlay", [try text(call, args, 0), try text(call, args, 1), try integer(call, args, 2)] + counts, .utf8)
        case "strip_accents":
            try arity(call, args, 1...1)
            return .function("strip_accents", [try text(call, args, 0)], .utf8)
        case "format_bytes", "pg_size_pretty", "formatreadablesize", "formatreadabledecimalsize":
            try arity(call, args, 1...1)
            let name = call.name == "formatreadabledecimalsize" ? "format_decimal_bytes" : "format_bytes"
            return .function(name, [try integer(call, args, 0)], .utf8)

        // Numbers
        case "even":
            try arity(call, args, 1...1)
            return .function("even", [try double(call, args, 0)], .float64)
        case "factorial":
            try arity(call, args, 1...1)
            return .function("factorial", [try integer(call, args, 0)], _hugeIntType)
        case "binom":
            try arity(call, args, 2...2)
            return .function("binom", [try integer(call, args, 0), try integer(call, args, 1)], _hugeIntType)
        case "gcd", "greatest_common_divisor", "lcm", "least_common_multiple":
            try arity(call, args, 2...2)
            return .function(call.name.hasPrefix("g") ? "gcd" : "lcm", [try integer(call, args, 0), try integer(call, args, 1)], .int64)

        // Generic
        case "constant_or_null":
            // The first argument where all the others are non-NULL, else NULL.
            try arity(call, args, 2...1_000)
            return .function("constant_or_null", args, args[0].type)

        // Dates
        case "datediff", "date_diff":
            return try bindDateDifference(call, args)
        case "date":
            // date(x): x as a DATE, as CAST(x AS DATE) reads it.
            try arity(call, args, 1...1)
            return args[0].type == .date32 ? args[0] : .cast(args[0], .date32)
        case "strptime", "try_strptime":
            try arity(call, args, 2...2)
            return .function(call.name, try texts(call, args), .timestamp(.microsecond, timeZone: nil))
        default:
            return nil
        }
    }

    /// `datediff(part, start, end)`: how many boundaries of `part` lie between two DATEs or
    /// TIMESTAMPs (a DATE with a TIMESTAMP compares as two TIMESTAMPs).
    private func bindDateDifference(_ call: SQLFunctionCall, _ args: [BoundExpression]) throws(SQLError) -> BoundExpression {
        try arity(call, args, 3...3)
        guard case .literal(.utf8(let field), _) = args[0] else {
            throw error(.unsupported, "\(call.name) needs a constant part name such as 'day'", at: call.position)
        }
        let known = _dateDifferenceParts
        guard let part = _datePartName(field), known.contains(part) else {
            throw error(.syntax, "\(call.name): unknown part '\(field)' (valid: \(known.sorted().joined(separator: ", ")))", at: call.position)
        }
        var start = try temporal(call, args, 1)
        var end = try temporal(call, args, 2)
        let microseconds = DataType.timestamp(.microsecond, timeZone: nil)
        for value in [start, end] where !value.isUntypedNull {
            if case .time64 = value.type { throw error(.unsupported, "\(call.name) of TIME values is not supported", at: call.position) }
        }
        if start.type != .date32 || end.type != .date32 {
            // Both as microsecond timestamps.
            if start.type != microseconds { start = .cast(start, microseconds) }
            if end.type != microseconds { end = .cast(end, microseconds) }
        }
        return .function("datediff", [.literal(.utf8(part), .utf8), start, end], .int64)
    }
}
