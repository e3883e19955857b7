import ColumnarCore

/// INTERVAL values: arithmetic (`+`, `-`, `*`, `/`, negation), intervals added to dates and
/// timestamps, the difference of two timestamps, `extract`/`date_part`, `date_trunc` and the
/// `to_<unit>` constructors. Parts stay separate (months, days, microseconds) as DuckDB keeps
/// them; every overflow is a run-time error, never a wrap.
func _intervalFunction(_ name: String, _ values: [Column], type: DataType, rows: Int) throws -> Column? {
    switch name {
    case "interval_add", "interval_sub":
        let a = try _intervals(values[0]), b = try _intervals(values[1])
        let subtract = name == "interval_sub"
        return try _makeIntervals(rows: rows, validity: _validity([a.validity, b.validity], count: rows)) { row in
            let x = a.values[row], y = b.values[row]
            func combine<T: FixedWidthInteger>(_ p: T, _ q: T) -> T? {
                let (v, o) = subtract ? p.subtractingReportingOverflow(q) : p.addingReportingOverflow(q)
                return o ? nil : v
            }
            guard let m = combine(x.months, y.months), let d = combine(x.days, y.days),
                  let u = combine(x.microseconds, y.microseconds) else { return nil }
            return Interval(months: m, days: d, microseconds: u)
        }
    case "interval_neg":
        let a = try _intervals(values[0])
        return try _makeIntervals(rows: rows, validity: a.validity) { a.values[$0].negated }
    case "interval_mul_int":
        let a = try _intervals(values[0]), n = try _int64(values[1])
        return try _makeIntervals(rows: rows, validity: _validity([a.validity, n.validity], count: rows)) { row in
            let x = a.values[row], k = n.values[row]
            let (m, o1) = Int64(x.months).multipliedReportingOverflow(by: k)
            let (d, o2) = Int64(x.days).multipliedReportingOverflow(by: k)
            let (u, o3) = x.microseconds.multipliedReportingOverflow(by: k)
            guard !o1, !o2, !o3, let months = Int32(exactly: m), let days = Int32(exactly: d) else { return nil }
            return Interval(months: months, days: days, microseconds: u)
        }
    case "interval_mul_double", "interval_div_double":
        let a = try _intervals(values[0])
        var f = try _float64(values[1])
        let divide = name == "interval_div_double"
        if divide {
            // Division by zero is NULL, as in DuckDB.
            let nonZero = Bitmap((0..<rows).lazy.map { f.values[$0] != 0 })
            f = PrimitiveColumn(values: f.values, validity: _validity([f.validity, nonZero], count: rows))
        }
        return try _makeIntervals(rows: rows, validity: _validity([a.validity, f.validity], count: rows)) { row in
            _scaleInterval(a.values[row], divide ? 1 / f.values[row] : f.values[row])
        }
    case "interval_part":
        guard rows > 0, case .utf8(let partColumn) = values[0], let part = partColumn.string(at: 0) else { return try Column.nulls(type, count: rows) }
        return try _intervalPart(part, try _intervals(values[1]), rows: rows)
    case "interval_trunc":
        guard rows > 0, case .utf8(let partColumn) = values[0], let part = partColumn.string(at: 0) else { return try Column.nulls(type, count: rows) }
        return try _intervalTrunc(part, try _intervals(values[1]), rows: rows)
    case "to_interval":
        // to_<unit>(n): the unit is the first (constant) argument.
        guard rows > 0, case .utf8(let unitColumn) = values[0], let unit = unitColumn.string(at: 0) else { return try Column.nulls(.interval, count: rows) }
        let n = try _float64(values[1])
        return try _makeIntervals(rows: rows, validity: n.validity) { Interval(n.values[$0], unit: unit) }
    case "temporal_add_interval", "temporal_sub_interval":
        return try _addIntervalColumn(values[0], try _intervals(values[1]), subtract: name == "temporal_sub_interval", rows: rows)
    case "time_add_interval", "time_sub_interval":
        guard case .time64(let times, let unit) = values[0] else { throw SQLError(.internalError, "\(name) of \(values[0].dataType)") }
        let intervals = try _intervals(values[1])
        let validity = _validity([times.validity, intervals.validity], count: rows)
        let perDay = 86_400 * unit.ticksPerSecond
        let sign: Int64 = name == "time_add_interval" ? 1 : -1
        let out = ValueBuffer<Int64>(unsafeUninitializedCount: rows) { out in
            for row in 0..<rows {
                // Microseconds to ticks of the column's unit, reduced modulo a day first.
                let micros = intervals.values[row].microseconds % Interval.microsecondsPerDay
                let ticks = unit.ticksPerSecond >= 1_000_000 ? micros * (unit.ticksPerSecond / 1_000_000) : micros / (1_000_000 / unit.ticksPerSecond)
                var t = (times.values[row] + sign * ticks) % perDay
                if t < 0 { t += perDay }
                out[row] = t
            }
        }
        return .time64(PrimitiveColumn(values: out, validity: validity), unit)
    case "timestamp_difference":
        guard case .timestamp(let a, let unitA, _) = values[0], case .timestamp(let b, let unitB, _) = values[1] else {
            throw SQLError(.internalError, "timestamp_difference of \(values[0].dataType) and \(values[1].dataType)")
        }
        let validity = _validity([a.validity, b.validity], count: rows)
        var failed = false
        let out = ValueBuffer<Interval>(unsafeUninitializedCount: rows) { out in
            for row in 0..<rows {
                out[row] = .zero
                guard validity.map({ $0[row] }) ?? true,
                      let x = _rescale(a.values[row], unitA), let y = _rescale(b.values[row], unitB) else { continue }
                let (micros, o) = x.subtractingReportingOverflow(y)
                if o { failed = true; continue }
                // Whole days and the rest, as DuckDB subtracts timestamps.
                let days = micros / Interval.microsecondsPerDay
                out[row] = Interval(months: 0, days: Int32(days), microseconds: micros % Interval.microsecondsPerDay)
            }
        }
        if failed { throw SQLError(.runtime, "interval out of range") }
        return .interval(PrimitiveColumn(values: out, validity: validity))
    default:
        return nil
    }
}

/// Microseconds of a timestamp tick count in `unit`, or nil on overflow.
private func _rescale(_ ticks: Int64, _ unit: TimeUnit) -> Int64? {
    switch unit {
    case .microsecond: return ticks
    case .nanosecond: return ticks / 1_000
    case .millisecond: let (v, o) = ticks.multipliedReportingOverflow(by: 1_000); return o ? nil : v
    case .second: let (v, o) = ticks.multipliedReportingOverflow(by: 1_000_000); return o ? nil : v
    }
}

/// An interval column's payload.
func _intervals(_ column: Column) throws -> PrimitiveColumn<Interval> {
    if case .interval(let c) = column { return c }
    if column.dataType == .utf8 || column.dataType == .int32, case .interval(let c) = try Kernels.cast(column, to: .interval) { return c }
    throw SQLError(.internalError, "expected an INTERVAL column, found \(column.dataType)")
}

/// `x × factor` with fractions carried into the smaller parts (a month is 30 days).
func _scaleInterval(_ x: Interval, _ factor: Double) -> Interval? {
    guard factor.isFinite else { return nil }
    let months = Double(x.months) * factor
    let wholeMonths = months.rounded(.towardZero)
    let days = Double(x.days) * factor + (months - wholeMonths) * Double(Interval.daysPerMonth)
    let wholeDays = days.rounded(.towardZero)
    let micros = (Double(x.microseconds) * factor + (days - wholeDays) * Double(Interval.microsecondsPerDay)).rounded()
    guard let m = Int32(exactly: wholeMonths), let d = Int32(exactly: wholeDays), abs(micros) < 9.2e18 else { return nil }
    return Interval(months: m, days: d, microseconds: Int64(micros))
}

/// An INTERVAL column of `rows` built by `f(row)` where `validity` says the row is present; a nil
/// from `f` is an overflow error.
private func _makeIntervals(rows: Int, validity: Bitmap?, message: String = "interval out of range", _ f: (Int) -> Interval?) throws -> Column {
    var failed = false
    let out = ValueBuffer<Interval>(unsafeUninitializedCount: rows) { out in
        for row in 0..<rows {
            guard validity?[row] ?? true else { out[row] = .zero; continue }
            if let v = f(row) { out[row] = v } else { out[row] = .zero; failed = true }
        }
    }
    if failed { throw SQLError(.runtime, message) }
    return .interval(PrimitiveColumn(values: out, validity: validity))
}

/// `extract(part FROM interval)`: years, months and quarters from the months, days as they are,
/// the clock parts from the microseconds; `epoch` counts a year as 365.25 days and a month as 30.
func _intervalPart(_ part: String, _ a: PrimitiveColumn<Interval>, rows: Int) throws -> Column {
    if part == "epoch" {
        let out = ValueBuffer<Double>(unsafeUninitializedCount: rows) { out in
            for row in 0..<rows {
                let x = a.values[row]
                let years = Double(x.months / 12), months = Double(x.months % 12)
                out[row] = years * 365.25 * 86_400 + months * 30 * 86_400 + Double(x.days) * 86_400 + Double(x.microseconds) / 1_000_000
            }
        }
        return .float64(PrimitiveColumn(values: out, validity: a.validity))
    }
    let f: (Interval) -> Int64
    switch part {
    case "year": f = { Int64($0.months / 12) }
    case "month": f = { Int64($0.months % 12) }
    case "quarter": f = { Int64($0.months % 12 / 3 + 1) }
    case "decade": f = { Int64($0.months / 120) }
    case "century": f = { Int64($0.months / 1_200) }
    case "millennium": f = { Int64($0.months / 12_000) }
    case "day": f = { Int64($0.days) }
    case "hour": f = { $0.microseconds / 3_600_000_000 }
    case "minute": f = { $0.microseconds % 3_600_000_000 / 60_000_000 }
    case "second": f = { $0.microseconds % 60_000_000 / 1_000_000 }
    case "millisecond": f = { $0.microseconds % 60_000_000 / 1_000 }
    case "microsecond": f = { $0.microseconds % 60_000_000 }
    default: throw SQLError(.unsupported, "extract(\(part)) of an INTERVAL is not supported")
    }
    let out = ValueBuffer<Int64>(unsafeUninitializedCount: rows) { out in
        for row in 0..<rows { out[row] = f(a.values[row]) }
    }
    return .int64(PrimitiveColumn(values: out, validity: a.validity))
}

/// The parts `extract` accepts for an INTERVAL.
let _intervalParts: Set<String> = ["year", "month", "quarter", "decade", "century", "millennium", "day", "hour", "minute",
                                   "second", "millisecond", "microsecond", "epoch"]

/// `date_trunc(part, interval)`: the parts below `part` set to zero (toward zero).
func _intervalTrunc(_ part: String, _ a: PrimitiveColumn<Interval>, rows: Int) throws -> Column {
    let f: (Interval) -> Interval
    func months(_ n: Int32) -> (Interval) -> Interval { { Interval(months: $0.months / n * n) } }
    func micros(_ n: Int64) -> (Interval) -> Interval { { Interval(months: $0.months, days: $0.days, microseconds: $0.microseconds / n * n) } }
    switch part {
    case "millennium": f = months(12_000)
    case "century": f = months(1_200)
    case "decade": f = months(120)
    case "year": f = months(12)
    case "quarter": f = months(3)
    case "month": f = months(1)
    case "week": f = { Interval(months: $0.months, days: $0.days / 7 * 7) }
    case "day": f = { Interval(months: $0.months, days: $0.days) }
    case "hour": f = micros(3_600_000_000)
    case "minute": f = micros(60_000_000)
    case "second": f = micros(1_000_000)
    case "millisecond": f = micros(1_000)
    case "microsecond": f = { $0 }
    default: throw SQLError(.unsupported, "date_trunc(\(part)) of an INTERVAL is not supported")
    }
    let out = ValueBuffer<Interval>(unsafeUninitializedCount: rows) { out in
        for row in 0..<rows { out[row] = f(a.values[row]) }
    }
    return .interval(PrimitiveColumn(values: out, validity: a.validity))
}

/// A DATE or TIMESTAMP column plus (or minus) an INTERVAL column, as TIMESTAMP(us) (DATE
/// becomes midnight first): months first, the day clamped to the month's last, then days and
/// microseconds.
func _addIntervalColumn(_ column: Column, _ intervals: PrimitiveColumn<Interval>, subtract: Bool, rows: Int) throws -> Column {
    let micros: PrimitiveColumn<Int64>
    switch column {
    case .date32:
        guard case .timestamp(let c, _, _) = try Kernels.cast(column, to: .timestamp(.microsecond, timeZone: nil)) else {
            throw SQLError(.internalError, "DATE to TIMESTAMP")
        }
        micros = c
    case .timestamp(let c, let unit, _):
        if unit == .microsecond {
            micros = c
        } else {
            guard case .timestamp(let r, _, _) = try Kernels.cast(column, to: .timestamp(.microsecond, timeZone: nil)) else {
                throw SQLError(.internalError, "TIMESTAMP rescale")
            }
            micros = r
        }
    default:
        throw SQLError(.internalError, "INTERVAL added to \(column.dataType)")
    }
    let validity = _validity([micros.validity, intervals.validity], count: rows)
    var failed = false
    let perDay = Interval.microsecondsPerDay
    let out = ValueBuffer<Int64>(unsafeUninitializedCount: rows) { out in
        for row in 0..<rows {
            out[row] = 0
            guard validity?[row] ?? true else { continue }
            var i = intervals.values[row]
            if subtract {
                guard let n = i.negated else { failed = true; continue }
                i = n
            }
            let t = micros.values[row]
            var day = t / perDay
            var time = t % perDay
            if time < 0 { time += perDay; day -= 1 }
            guard abs(day) < 1_000_000_000 else { failed = true; continue }
            let moved = Int64(_addMonths(Int(day), Int(i.months))) + Int64(i.days)
            let (a, o1) = moved.multipliedReportingOverflow(by: perDay)
            let (b, o2) = a.addingReportingOverflow(time)
            let (c, o3) = b.addingReportingOverflow(i.microseconds)
            if o1 || o2 || o3 { failed = true; continue }
            out[row] = c
        }
    }
    if failed { throw SQLError(.runtime, "timestamp out of range") }
    return .timestamp(PrimitiveColumn(values: out, validity: validity), .microsecond, timeZone: nil)
}

/// `TRY_CAST(value AS type)`: the cast where it succeeds, NULL in the rows where it does not.
func _tryCast(_ column: Column, to type: DataType) throws -> Column {
    do {
        return try Kernels.cast(column, to: type)
    } catch {
        // Some row failed: convert row by row and keep the ones that convert.
        var scalars: [Scalar] = []
        scalars.reserveCapacity(column.count)
        for row in 0..<column.count {
            if let one = try? Kernels.cast(column.slice(row..<(row + 1)), to: type) {
                scalars.append(one.scalar(at: 0))
            } else {
                scalars.append(.null)
            }
        }
        return try Column(type, scalars)
    }
}
