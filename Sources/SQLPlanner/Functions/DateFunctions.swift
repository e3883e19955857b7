import ColumnarCore

// Date and time kernels over DATE (days since 1970-01-01), TIMESTAMP (ticks of a unit since
// 1970-01-01 00:00 UTC) and TIME (ticks since midnight).

/// A temporal column split into its representation: days (nil for TIME), ticks since midnight
/// and ticks per second.
struct _Temporal {
    enum Kind { case date, timestamp, time }
    let kind: Kind
    let values: PrimitiveColumn<Int64>?
    let dates: PrimitiveColumn<Int32>?
    let ticksPerSecond: Int64
    var validity: Bitmap? { values?.validity ?? dates?.validity }
    var ticksPerDay: Int64 { ticksPerSecond * 86_400 }

    init(_ column: Column) throws {
        switch column {
        case .date32(let c): (kind, values, dates, ticksPerSecond) = (.date, nil, c, 1)
        case .timestamp(let c, let unit, _): (kind, values, dates, ticksPerSecond) = (.timestamp, c, nil, unit.ticksPerSecond)
        case .time64(let c, let unit): (kind, values, dates, ticksPerSecond) = (.time, c, nil, unit.ticksPerSecond)
        default: throw SQLError(.typeMismatch, "expected a DATE, TIMESTAMP or TIME, found \(column.dataType)")
        }
    }

    /// Days since the epoch and ticks since midnight of `row`.
    @inline(__always)
    func split(_ row: Int) -> (days: Int, ticks: Int64) {
        switch kind {
        case .date: return (Int(dates!.values[row]), 0)
        case .time: return (0, values!.values[row])
        case .timestamp:
            let v = values!.values[row]
            var days = v / ticksPerDay
            if v % ticksPerDay < 0 { days -= 1 }
            return (Int(days), v - days * ticksPerDay)
        }
    }
}

/// The canonical name of a date part, or nil when unknown.
func _datePartName(_ text: String) -> String? {
    let name = text.lowercased()
    switch name {
    case "year", "years", "y", "yr", "yrs": return "year"
    case "quarter", "quarters": return "quarter"
    case "month", "months", "mon", "mons": return "month"
    case "day", "days", "d", "dayofmonth": return "day"
    case "dow", "dayofweek", "weekday": return "dow"
    case "isodow": return "isodow"
    case "doy", "dayofyear": return "doy"
    case "week", "weeks", "w", "weekofyear": return "week"
    case "isoyear": return "isoyear"
    case "yearweek": return "yearweek"
    case "hour", "hours", "h", "hr", "hrs": return "hour"
    case "minute", "minutes", "min", "mins", "m": return "minute"
    case "second", "seconds", "sec", "secs", "s": return "second"
    case "millisecond", "milliseconds", "ms", "msec", "msecs": return "millisecond"
    case "microsecond", "microseconds", "us", "usec", "usecs": return "microsecond"
    case "epoch": return "epoch"
    case "decade", "decades": return "decade"
    case "century", "centuries": return "century"
    case "millennium", "millennia": return "millennium"
    default: return nil
    }
}

private func _isoDayOfWeek(_ days: Int) -> Int { ((days % 7 + 7) % 7 + 3) % 7 + 1 }

private func _dayOfYear(_ days: Int, year: Int) -> Int { days - CivilDate.days(year: year, month: 1, day: 1) + 1 }

/// ISO 8601 week number and week-numbering year of a day.
private func _isoWeek(_ days: Int) -> (week: Int, year: Int) {
    let thursday = days - _isoDayOfWeek(days) + 4
    let year = CivilDate.date(fromDays: thursday).year
    return ((_dayOfYear(thursday, year: year) - 1) / 7 + 1, year)
}

/// `date_part(part, value)`: BIGINT for every part but `epoch` (DOUBLE).
func _datePart(_ part: String, _ column: Column, rows: Int) throws -> Column {
    let t = try _Temporal(column)
    if t.kind == .time, !["hour", "minute", "second", "millisecond", "microsecond", "epoch"].contains(part) {
        throw SQLError(.unsupported, "date_part '\(part)' of a TIME value")
    }
    let tps = t.ticksPerSecond
    if part == "epoch" {
        let values = ValueBuffer<Double>(unsafeUninitializedCount: rows) { out in
            for row in 0..<rows {
                let (days, ticks) = t.split(row)
                out[row] = Double(days) * 86_400 + Double(ticks) / Double(tps)
            }
        }
        return .float64(PrimitiveColumn(values: values, validity: t.validity))
    }
    let values = ValueBuffer<Int64>(unsafeUninitializedCount: rows) { out in
        for row in 0..<rows {
            let (days, ticks) = t.split(row)
            let result: Int
            switch part {
            case "hour": result = Int(ticks / (3_600 * tps))
            case "minute": result = Int(ticks / (60 * tps) % 60)
            case "second": result = Int(ticks / tps % 60)
            case "millisecond": result = Int(ticks % (60 * tps) * 1_000 / tps)
            case "microsecond": result = Int(ticks % (60 * tps) * 1_000_000 / tps)
            case "dow": result = _isoDayOfWeek(days) % 7
            case "isodow": result = _isoDayOfWeek(days)
            case "week": result = _isoWeek(days).week
            case "isoyear": result = _isoWeek(days).year
            case "yearweek":
                let iso = _isoWeek(days)
                result = iso.year * 100 + iso.week
            default:
                let (y, m, d) = CivilDate.date(fromDays: days)
                switch part {
                case "year": result = y
                case "quarter": result = (m - 1) / 3 + 1
                case "month": result = m
                case "day": result = d
                case "doy": result = _dayOfYear(days, year: y)
                case "decade": result = y >= 0 ? y / 10 : (y - 9) / 10
                case "century": result = y > 0 ? (y + 99) / 100 : -((-y + 100) / 100)
                default: result = y > 0 ? (y + 999) / 1_000 : -((-y + 1_000) / 1_000)  // millennium
                }
            }
            out[row] = Int64(result)
        }
    }
    return .int64(PrimitiveColumn(values: values, validity: t.validity))
}

/// The first day of the period `part` that contains `days`.
private func _truncateDays(_ days: Int, _ part: String) -> Int {
    let (y, m, _) = CivilDate.date(fromDays: days)
    switch part {
    case "millennium": return CivilDate.days(year: (y > 0 ? (y - 1) / 1_000 : (y - 1_000) / 1_000) * 1_000 + 1, month: 1, day: 1)
    case "century": return CivilDate.days(year: (y > 0 ? (y - 1) / 100 : (y - 100) / 100) * 100 + 1, month: 1, day: 1)
    case "decade": return CivilDate.days(year: y >= 0 ? y / 10 * 10 : (y - 9) / 10 * 10, month: 1, day: 1)
    case "year": return CivilDate.days(year: y, month: 1, day: 1)
    case "quarter": return CivilDate.days(year: y, month: (m - 1) / 3 * 3 + 1, day: 1)
    case "month": return CivilDate.days(year: y, month: m, day: 1)
    case "week": return days - _isoDayOfWeek(days) + 1
    default: return days
    }
}

/// `date_trunc(part, value)`: a DATE stays a DATE, a TIMESTAMP stays a TIMESTAMP.
func _dateTrunc(_ part: String, _ column: Column, rows: Int) throws -> Column {
    let t = try _Temporal(column)
    let tps = t.ticksPerSecond
    switch t.kind {
    case .date:
        let values = ValueBuffer<Int32>(unsafeUninitializedCount: rows) { out in
            for row in 0..<rows { out[row] = Int32(truncatingIfNeeded: _truncateDays(t.split(row).days, part)) }
        }
        return .date32(PrimitiveColumn(values: values, validity: t.validity))
    case .timestamp:
        let step: Int64
        switch part {
        case "hour": step = 3_600 * tps
        case "minute": step = 60 * tps
        case "second": step = tps
        case "millisecond": step = max(1, tps / 1_000)
        case "microsecond": step = max(1, tps / 1_000_000)
        default: step = 0
        }
        let values = ValueBuffer<Int64>(unsafeUninitializedCount: rows) { out in
            for row in 0..<rows {
                let (days, ticks) = t.split(row)
                let kept = step == 0 ? 0 : ticks - ticks % step
                out[row] = Int64(_truncateDays(days, part)) * t.ticksPerDay + kept
            }
        }
        return column.withValues(values, validity: t.validity)
    case .time:
        throw SQLError(.unsupported, "date_trunc of a TIME value")
    }
}

extension Column {
    /// A timestamp column like this one with other values.
    func withValues(_ values: ValueBuffer<Int64>, validity: Bitmap?) -> Column {
        if case .timestamp(_, let unit, let zone) = self { return .timestamp(PrimitiveColumn(values: values, validity: validity), unit, timeZone: zone) }
        return .int64(PrimitiveColumn(values: values, validity: validity))
    }
}

/// `days` moved by `months` calendar months, the day clamped to the last of the month.
func _addMonths(_ days: Int, _ months: Int) -> Int {
    guard months != 0 else { return days }
    let (y, m, d) = CivilDate.date(fromDays: days)
    let total = y * 12 + (m - 1) + months
    let year = total >= 0 ? total / 12 : (total - 11) / 12
    let month = total - year * 12 + 1
    var day = d
    while day > 28 && !CivilDate.isValid(year: year, month: month, day: day) { day -= 1 }
    return CivilDate.days(year: year, month: month, day: day)
}

/// `value + (months, days, microseconds)` for a DATE (no microseconds) or a TIMESTAMP.
func _addInterval(_ column: Column, months: Int, days: Int, microseconds: Int64, rows: Int) throws -> Column {
    let t = try _Temporal(column)
    var overflow = false
    switch t.kind {
    case .date:
        let values = ValueBuffer<Int32>(unsafeUninitializedCount: rows) { out in
            for row in 0..<rows {
                let moved = _addMonths(t.split(row).days, months) + days
                if let v = Int32(exactly: moved) { out[row] = v } else { out[row] = 0; overflow = overflow || !t.isNullRow(row) }
            }
        }
        if overflow { throw SQLError(.runtime, "date out of range") }
        return .date32(PrimitiveColumn(values: values, validity: t.validity))
    case .timestamp:
        let extra = microseconds.multipliedReportingOverflow(by: t.ticksPerSecond)
        let ticks = extra.partialValue / 1_000_000
        let values = ValueBuffer<Int64>(unsafeUninitializedCount: rows) { out in
            for row in 0..<rows {
                let (d, tod) = t.split(row)
                let moved = Int64(_addMonths(d, months) + days)
                let (a, o1) = moved.multipliedReportingOverflow(by: t.ticksPerDay)
                let (b, o2) = a.addingReportingOverflow(tod)
                let (c, o3) = b.addingReportingOverflow(ticks)
                out[row] = c
                if (o1 || o2 || o3) && !t.isNullRow(row) { overflow = true }
            }
        }
        if overflow || extra.overflow { throw SQLError(.runtime, "timestamp out of range") }
        return column.withValues(values, validity: t.validity)
    case .time:
        throw SQLError(.unsupported, "TIME ± INTERVAL")
    }
}

extension _Temporal {
    func isNullRow(_ row: Int) -> Bool { validity.map { !$0[row] } ?? false }
}

/// `date + n` days (n BIGINT).
func _addDays(_ dates: PrimitiveColumn<Int32>, _ n: PrimitiveColumn<Int64>, sign: Int64, rows: Int) throws -> Column {
    let validity = _validity([dates.validity, n.validity], count: rows)
    var overflow = false
    let values = ValueBuffer<Int32>(unsafeUninitializedCount: rows) { out in
        for row in 0..<rows {
            let (scaled, o1) = sign.multipliedReportingOverflow(by: n.values[row])
            let (moved, o2) = Int64(dates.values[row]).addingReportingOverflow(scaled)
            if !o1, !o2, abs(moved) <= 2_147_483_646, let v = Int32(exactly: moved) { out[row] = v } else { out[row] = 0; overflow = overflow || (validity.map { $0[row] } ?? true) }
        }
    }
    if overflow { throw SQLError(.runtime, "date out of range") }
    return .date32(PrimitiveColumn(values: values, validity: validity))
}

/// `a - b` in days for two DATE columns.
func _dayDifference(_ a: PrimitiveColumn<Int32>, _ b: PrimitiveColumn<Int32>, rows: Int) -> Column {
    let values = ValueBuffer<Int64>(unsafeUninitializedCount: rows) { out in
        for row in 0..<rows { out[row] = Int64(a.values[row]) - Int64(b.values[row]) }
    }
    return .int64(PrimitiveColumn(values: values, validity: _validity([a.validity, b.validity], count: rows)))
}

/// `make_date(year, month, day)`.
func _makeDate(_ y: PrimitiveColumn<Int64>, _ m: PrimitiveColumn<Int64>, _ d: PrimitiveColumn<Int64>, rows: Int) throws -> Column {
    let validity = _validity([y.validity, m.validity, d.validity], count: rows)
    var bad: String?
    let values = ValueBuffer<Int32>(unsafeUninitializedCount: rows) { out in
        for row in 0..<rows {
            out[row] = 0
            guard validity.map({ $0[row] }) ?? true else { continue }
            let (year, month, day) = (y.values[row], m.values[row], d.values[row])
            guard abs(year) < 5_000_000, CivilDate.isValid(year: Int(year), month: Int(clamping: month), day: Int(clamping: day)),
                  let v = Int32(exactly: CivilDate.days(year: Int(year), month: Int(month), day: Int(day))) else {
                if bad == nil { bad = "\(year)-\(month)-\(day)" }
                continue
            }
            out[row] = v
        }
    }
    if let bad { throw SQLError(.runtime, "make_date: date field value out of range: \(bad)") }
    return .date32(PrimitiveColumn(values: values, validity: validity))
}

/// An interval constant: months, days and microseconds, as PostgreSQL keeps them.
struct _Interval: Equatable {
    var months = 0
    var days = 0
    var microseconds: Int64 = 0

    var negated: _Interval { _Interval(months: -months, days: -days, microseconds: -microseconds) }
    var hasTime: Bool { microseconds != 0 }

    init(months: Int = 0, days: Int = 0, microseconds: Int64 = 0) {
        self.months = months
        self.days = days
        self.microseconds = microseconds
    }
}
