import ColumnarCore

/// Binding of INTERVAL values: literals, arithmetic with intervals, dates, timestamps and
/// numbers (typed as DuckDB types them), and the `to_<unit>` constructors.
extension Binder {
    /// An `INTERVAL '…' [unit]` literal as a value (`'90' DAY`, `'1 year 2 months'`).
    func intervalValue(_ text: String, unit: String?, at position: SourcePosition) throws(SQLError) -> Interval {
        var parsed: Interval?
        if let unit {
            let trimmed = text.trimmingSpaces
            if let number = Double(trimmed) {
                parsed = Interval(number, unit: unit)
            } else {
                parsed = Interval(parsing: text + " " + unit)
            }
        } else {
            parsed = Interval(parsing: text)
        }
        guard let parsed else {
            throw error(.runtime, "could not convert '\(text)'\(unit.map { " " + $0 } ?? "") to INTERVAL", at: position)
        }
        return parsed
    }

    /// `a op b` where either side is an INTERVAL; nil when neither is.
    func bindIntervalArithmetic(_ op: SQLBinaryOperator, _ left: BoundExpression, _ right: BoundExpression, at position: SourcePosition) throws(SQLError) -> BoundExpression? {
        guard left.type == .interval || right.type == .interval else { return nil }
        var l = left, r = right
        // An untyped NULL or a text constant beside an interval is an interval.
        func asInterval(_ e: BoundExpression) -> BoundExpression { e.isUntypedNull || e.type == .utf8 ? .cast(e, .interval) : e }
        let timestamp = DataType.timestamp(.microsecond, timeZone: nil)
        func isTemporal(_ t: DataType) -> Bool {
            switch t {
            case .date32, .timestamp: return true
            default: return false
            }
        }
        let mismatch = error(.typeMismatch, "cannot apply \(op.rawValue) to \(left.type) and \(right.type)", at: position)
        switch op {
        case .add, .subtract:
            if l.type == .interval && isTemporal(r.type) {
                guard op == .add else { throw error(.typeMismatch, "cannot subtract a \(r.type) from an INTERVAL", at: position) }
                swap(&l, &r)
            }
            if case .time64 = r.type, l.type == .interval, op == .add { swap(&l, &r) }
            if case .time64 = l.type {
                // TIME ± INTERVAL: the clock part, wrapping around midnight.
                return .function(op == .add ? "time_add_interval" : "time_sub_interval", [l, asInterval(r)], l.type)
            }
            if isTemporal(l.type) {
                return .function(op == .add ? "temporal_add_interval" : "temporal_sub_interval", [l, asInterval(r)], timestamp)
            }
            l = asInterval(l)
            r = asInterval(r)
            guard l.type == .interval, r.type == .interval else { throw mismatch }
            return .function(op == .add ? "interval_add" : "interval_sub", [l, r], .interval)
        case .multiply, .divide:
            if op == .multiply && r.type == .interval { swap(&l, &r) }
            guard l.type == .interval, r.type != .interval else { throw mismatch }
            if r.isUntypedNull { r = .cast(r, .int64) }
            guard r.type.isNumeric else { throw mismatch }
            if op == .multiply && r.type.isInteger {
                return .function("interval_mul_int", [l, .cast(r, .int64)], .interval)
            }
            return .function(op == .multiply ? "interval_mul_double" : "interval_div_double", [l, .cast(r, .float64)], .interval)
        default:
            throw mismatch
        }
    }

    /// `to_years(n)`, `to_days(n)`, …: `n` of the unit as an INTERVAL.
    func bindIntervalConstructor(_ call: SQLFunctionCall, _ args: [BoundExpression]) throws(SQLError) -> BoundExpression? {
        let units = ["to_millennia": "millennium", "to_centuries": "century", "to_decades": "decade", "to_years": "year",
                     "to_quarters": "quarter", "to_months": "month", "to_weeks": "week", "to_days": "day", "to_hours": "hour",
                     "to_minutes": "minute", "to_seconds": "second", "to_milliseconds": "millisecond", "to_microseconds": "microsecond"]
        guard let unit = units[call.name] else { return nil }
        guard args.count == 1 else { throw error(.syntax, "\(call.name) takes one argument", at: call.position) }
        let value = args[0]
        guard value.type.isNumeric || value.isUntypedNull else {
            throw error(.typeMismatch, "\(call.name) needs a number, found \(value.type)", at: call.position)
        }
        return .function("to_interval", [.literal(.utf8(unit), .utf8), .cast(value, .float64)], .interval)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
