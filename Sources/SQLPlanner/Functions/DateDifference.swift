import ColumnarCore

// `datediff(part, start, end)` as DuckDB counts it: calendar parts (year, quarter, month, decade,
// century, millennium) and days compare the dates of the two values; weeks are whole seven-day
// distances; hours, minutes, seconds, milliseconds and microseconds compare epoch counts
// (truncated toward zero, as C divides). The binder passes two DATEs or two microsecond TIMESTAMPs.

/// The parts `datediff` accepts (as `_datePartName` spells them).
let _dateDifferenceParts: Set<String> = [
    "year", "quarter", "month", "week", "day", "doy", "dow", "isodow", "decade", "century", "millennium",
    "hour", "minute", "second", "millisecond", "microsecond",
]

/// Evaluates `datediff`; nil for any other name.
func _dateDifferenceFunction(_ name: String, _ values: [Column], rows: Int) throws -> Column? {
    guard name == "datediff" else { return nil }
    guard rows > 0 else { return .int64(PrimitiveColumn<Int64>([])) }
    let part = try _text(values[0]).string(at: 0) ?? ""
    return try _dateDifference(part, values[1], values[2], rows: rows)
}

/// One value of a `datediff` operand: its day since 1970-01-01 and, for a timestamp, its
/// microseconds since the epoch (nil for a DATE, whose microseconds may not fit a BIGINT).
private struct _Instant {
    var days: Int64
    var microseconds: Int64?

    /// Microseconds since the epoch, or an error when a DATE's do not fit a BIGINT.
    func epochMicroseconds() throws -> Int64 {
        if let microseconds { return microseconds }
        let (value, overflow) = days.multipliedReportingOverflow(by: 86_400_000_000)
        guard !overflow else { throw SQLError(.runtime, "Overflow in datediff: date out of the microsecond range") }
        return value
    }

    /// Seconds since the epoch (always fits: dates are 32-bit day counts).
    var epochSeconds: Int64 { microseconds.map { $0 / 1_000_000 } ?? days * 86_400 }
}

/// Reads row `row` of a DATE or microsecond TIMESTAMP column.
private func _instant(_ column: Column, _ row: Int) throws -> _Instant {
    switch column {
    case .date32(let c): return _Instant(days: Int64(c.values[row]), microseconds: nil)
    case .timestamp(let c, .microsecond, _):
        let micros = c.values[row]
        let days = micros >= 0 ? micros / 86_400_000_000 : -((-(micros + 1)) / 86_400_000_000) - 1
        return _Instant(days: days, microseconds: micros)
    default: throw SQLError(.internalError, "datediff of \(column.dataType)")
    }
}

/// `datediff(part, start, end)` for every row (NULL where either value is NULL).
func _dateDifference(_ part: String, _ start: Column, _ end: Column, rows: Int) throws -> Column {
    let validity = _validity([start.validity, end.validity], count: rows)
    let values = try ValueBuffer<Int64>(unsafeUninitializedCount: rows) { out in
        for row in 0..<rows {
            out[row] = 0
            guard validity.map({ $0[row] }) ?? true else { continue }
            out[row] = try _difference(part, try _instant(start, row), try _instant(end, row))
        }
    }
    return .int64(PrimitiveColumn(values: values, validity: validity))
}

/// The number of `part` boundaries from `a` to `b` (negative when `b` is earlier).
private func _difference(_ part: String, _ a: _Instant, _ b: _Instant) throws -> Int64 {
    func civil(_ x: _Instant) -> (year: Int64, month: Int64) {
        let date = CivilDate.date(fromDays: Int(x.days))
        return (Int64(date.year), Int64(date.month))
    }
    switch part {
    case "year": return civil(b).year - civil(a).year
    case "quarter":
        let (x, y) = (civil(a), civil(b))
        return (y.year * 4 + (y.month - 1) / 3) - (x.year * 4 + (x.month - 1) / 3)
    case "month":
        let (x, y) = (civil(a), civil(b))
        return (y.year * 12 + y.month) - (x.year * 12 + x.month)
    case "decade": return civil(b).year / 10 - civil(a).year / 10
    case "century": return civil(b).year / 100 - civil(a).year / 100
    case "millennium": return civil(b).year / 1000 - civil(a).year / 1000
    case "week": return (b.days - a.days) / 7
    case "hour": return b.epochSeconds / 3_600 - a.epochSeconds / 3_600
    case "minute": return b.epochSeconds / 60 - a.epochSeconds / 60
    case "second": return b.epochSeconds - a.epochSeconds
    case "millisecond", "microsecond":
        let (x, y) = (try a.epochMicroseconds(), try b.epochMicroseconds())
        if part == "millisecond" { return y / 1_000 - x / 1_000 }
        let (difference, overflow) = y.subtractingReportingOverflow(x)
        guard !overflow else { throw SQLError(.runtime, "Overflow in datediff: the difference in microseconds does not fit a BIGINT") }
        return difference
    default:
        // day, doy, dow, isodow
        return b.days - a.days
    }
}
