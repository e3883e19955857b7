/// A span of calendar time kept in three parts, as PostgreSQL and DuckDB keep it: months, days
/// and microseconds. The parts are not normalised (`'36 hours'` stays 36 hours, not a day and
/// 12 hours) because a month has no fixed number of days and a day may not have 24 hours.
///
/// Comparison, equality and hashing treat a month as 30 days and a day as 24 hours, as DuckDB
/// does, so `INTERVAL '1 month' = INTERVAL '30 days'`.
///
/// ```swift
/// let i = Interval(parsing: "1 year 2 days 03:00:00")!
/// i.months          // 12
/// i.description     // "1 year 2 days 03:00:00"
/// ```
@frozen
public struct Interval: Sendable, BitwiseCopyable {
    /// Whole months (a year is 12).
    public var months: Int32
    /// Whole days.
    public var days: Int32
    /// Microseconds.
    public var microseconds: Int64

    /// Microseconds in a day, and days in a month for comparisons.
    public static let microsecondsPerDay: Int64 = 86_400_000_000
    public static let daysPerMonth: Int64 = 30

    @inlinable
    public init(months: Int32 = 0, days: Int32 = 0, microseconds: Int64 = 0) {
        self.months = months
        self.days = days
        self.microseconds = microseconds
    }

    /// The length in microseconds with a day of 24 hours and a month of 30 days: the key that
    /// comparisons, equality and hashing use (`'1 month' - '4 days'` equals `'26 days'`).
    @inlinable
    public var totalMicroseconds: Int128 {
        (Int128(months) * Int128(Interval.daysPerMonth) + Int128(days)) * Int128(Interval.microsecondsPerDay) + Int128(microseconds)
    }

    /// The negation, or nil when a part is at its minimum and cannot be negated.
    public var negated: Interval? {
        guard months != .min, days != .min, microseconds != .min else { return nil }
        return Interval(months: -months, days: -days, microseconds: -microseconds)
    }

    /// Whether the interval has a time-of-day part (hours, minutes, seconds).
    @inlinable public var hasTime: Bool { microseconds != 0 }
}

extension Interval: Hashable, Comparable {
    @inlinable
    public static func == (a: Interval, b: Interval) -> Bool { a.totalMicroseconds == b.totalMicroseconds }

    @inlinable
    public static func < (a: Interval, b: Interval) -> Bool { a.totalMicroseconds < b.totalMicroseconds }

    public func hash(into hasher: inout Hasher) { hasher.combine(totalMicroseconds) }
}

extension Interval: FixedWidthValue {
    @inlinable public static var zero: Interval { Interval() }
}

extension Interval: _HashableBits {
    @inlinable static var _hashBitsAreInjective: Bool { false }
    @inlinable var _hashBits: UInt64 { totalMicroseconds._hashBits }
}

// MARK: Text

extension Interval: CustomStringConvertible {
    /// DuckDB's rendering: `2 years 1 month -3 days 05:01:03.020016`, `00:00:00` for zero.
    public var description: String {
        var parts: [String] = []
        func word(_ n: Int64, _ unit: String) {
            parts.append("\(n) \(unit)" + (n == 1 || n == -1 ? "" : "s"))
        }
        let years = Int64(months) / 12
        let restMonths = Int64(months) % 12
        if years != 0 { word(years, "year") }
        if restMonths != 0 { word(restMonths, "month") }
        if days != 0 { word(Int64(days), "day") }
        if microseconds != 0 || parts.isEmpty {
            let negative = microseconds < 0
            let magnitude = microseconds.magnitude
            let hours = magnitude / 3_600_000_000
            let minutes = magnitude / 60_000_000 % 60
            let seconds = magnitude / 1_000_000 % 60
            let fraction = magnitude % 1_000_000
            func two(_ v: UInt64) -> String { v < 10 ? "0\(v)" : "\(v)" }
            var clock = (negative ? "-" : "") + two(hours) + ":" + two(minutes) + ":" + two(seconds)
            if fraction != 0 {
                var digits = String(fraction)
                digits = String(repeating: "0", count: 6 - digits.count) + digits
                while digits.hasSuffix("0") { digits.removeLast() }
                clock += "." + digits
            }
            parts.append(clock)
        }
        return parts.joined(separator: " ")
    }

    /// Parses DuckDB's and PostgreSQL's interval text: numbers with units (`'2 years 3 mons'`,
    /// `'2Y 1M 3S 20ms'`, `'1.5 days'`), a clock part (`'05:12:34.5'`, hours may exceed 24),
    /// a leading `@` and a trailing `ago` (negates the whole). Nil when the text is not an
    /// interval or a part overflows.
    public init?(parsing text: String) {
        var builder = _IntervalBuilder()
        guard builder.parse(Array(text.utf8)), let value = builder.value else { return nil }
        self = value
    }

    /// `value` of `unit` (`year`, `months`, `h`, …) as an interval; fractions carry into the
    /// smaller parts (`1.5 months` is a month and 15 days). Nil for an unknown unit or overflow.
    public init?(_ value: Double, unit: String) {
        var builder = _IntervalBuilder()
        guard let u = _IntervalUnit(Array(unit.lowercased().utf8)), builder.add(value, u), let result = builder.value else { return nil }
        self = result
    }
}

/// The units an interval's text may name, with the factor that turns one of them into months,
/// days or microseconds.
enum _IntervalUnit {
    case millennium, century, decade, year, quarter, month, week, day, hour, minute, second, millisecond, microsecond

    init?(_ word: [UInt8]) {
        // `M` is a minute and `mon` a month, as DuckDB reads them; matching is case-insensitive
        // except that the caller lower-cases first.
        switch String(decoding: word, as: UTF8.self) {
        case "millennium", "millennia", "millenium", "millenniums", "mil", "mils": self = .millennium
        case "century", "centuries", "c", "cent", "cents": self = .century
        case "decade", "decades", "dec", "decs": self = .decade
        case "year", "years", "y", "yr", "yrs": self = .year
        case "quarter", "quarters", "q", "qtr", "qtrs": self = .quarter
        case "month", "months", "mon", "mons": self = .month
        case "week", "weeks", "w", "wk", "wks": self = .week
        case "day", "days", "d": self = .day
        case "hour", "hours", "h", "hr", "hrs": self = .hour
        case "minute", "minutes", "m", "min", "mins": self = .minute
        case "second", "seconds", "s", "sec", "secs": self = .second
        case "millisecond", "milliseconds", "ms", "msec", "msecs", "msecond", "mseconds": self = .millisecond
        case "microsecond", "microseconds", "us", "usec", "usecs", "usecond", "useconds": self = .microsecond
        default: return nil
        }
    }
}

/// Accumulates the parts of an interval in wide integers, checking the ranges at the end.
struct _IntervalBuilder {
    var months: Int64 = 0
    var days: Int64 = 0
    var microseconds: Int64 = 0
    var failed = false

    var value: Interval? {
        guard !failed, let m = Int32(exactly: months), let d = Int32(exactly: days) else { return nil }
        return Interval(months: m, days: d, microseconds: microseconds)
    }

    mutating func addMonths(_ n: Int64) {
        let (v, o) = months.addingReportingOverflow(n)
        if o { failed = true } else { months = v }
    }

    mutating func addDays(_ n: Int64) {
        let (v, o) = days.addingReportingOverflow(n)
        if o { failed = true } else { days = v }
    }

    mutating func addMicroseconds(_ x: Double) {
        guard x.isFinite, abs(x) < 9.2e18 else { failed = true; return }
        let (v, o) = microseconds.addingReportingOverflow(Int64(x.rounded()))
        if o { failed = true } else { microseconds = v }
    }

    /// Adds a whole number of units exactly (no rounding through floating point).
    mutating func addExactly(_ n: Int64, _ unit: _IntervalUnit) -> Bool {
        func scaled(_ factor: Int64) -> Int64? {
            let (v, o) = n.multipliedReportingOverflow(by: factor)
            return o ? nil : v
        }
        switch unit {
        case .millennium, .century, .decade, .year, .quarter, .month:
            let factor: Int64 = unit == .millennium ? 12_000 : unit == .century ? 1_200 : unit == .decade ? 120 : unit == .year ? 12 : unit == .quarter ? 3 : 1
            guard let m = scaled(factor) else { return false }
            addMonths(m)
        case .week, .day:
            guard let d = scaled(unit == .week ? 7 : 1) else { return false }
            addDays(d)
        case .hour, .minute, .second, .millisecond, .microsecond:
            let factor: Int64 = unit == .hour ? 3_600_000_000 : unit == .minute ? 60_000_000 : unit == .second ? 1_000_000 : unit == .millisecond ? 1_000 : 1
            guard let u = scaled(factor) else { return false }
            let (v, o) = microseconds.addingReportingOverflow(u)
            if o { return false }
            microseconds = v
        }
        return !failed
    }

    /// Adds `n` units; a fractional amount carries into the next smaller part.
    mutating func add(_ n: Double, _ unit: _IntervalUnit) -> Bool {
        guard n.isFinite else { return false }
        func months(_ m: Double) {
            let whole = m.rounded(.towardZero)
            guard abs(whole) < 1e10 else { failed = true; return }
            addMonths(Int64(whole))
            let restDays = (m - whole) * Double(Interval.daysPerMonth)
            let wholeDays = restDays.rounded(.towardZero)
            addDays(Int64(wholeDays))
            addMicroseconds((restDays - wholeDays) * Double(Interval.microsecondsPerDay))
        }
        func days(_ d: Double) {
            let whole = d.rounded(.towardZero)
            guard abs(whole) < 1e10 else { failed = true; return }
            addDays(Int64(whole))
            addMicroseconds((d - whole) * Double(Interval.microsecondsPerDay))
        }
        switch unit {
        case .millennium: months(n * 12_000)
        case .century: months(n * 1_200)
        case .decade: months(n * 120)
        case .year: months(n * 12)
        case .quarter: months(n * 3)
        case .month: months(n)
        case .week: days(n * 7)
        case .day: days(n)
        case .hour: addMicroseconds(n * 3_600_000_000)
        case .minute: addMicroseconds(n * 60_000_000)
        case .second: addMicroseconds(n * 1_000_000)
        case .millisecond: addMicroseconds(n * 1_000)
        case .microsecond: addMicroseconds(n)
        }
        return !failed
    }

    /// Parses the whole text; false on anything it does not recognise.
    mutating func parse(_ bytes: [UInt8]) -> Bool {
        var i = 0
        let n = bytes.count
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        func skipSpaces() { while i < n && isSpace(bytes[i]) { i += 1 } }
        skipSpaces()
        if i < n && bytes[i] == UInt8(ascii: "@") { i += 1 }
        var sawPart = false
        var ago = false
        while true {
            skipSpaces()
            guard i < n else { break }
            if isLetter(bytes[i]) {
                // Only `ago` may stand alone, and only at the end.
                let start = i
                while i < n && isLetter(bytes[i]) { i += 1 }
                let word = bytes[start..<i].map { $0 | 0x20 }
                guard word == Array("ago".utf8), sawPart, !ago else { return false }
                ago = true
                continue
            }
            guard !ago else { return false }
            // A signed number, then a unit or a clock.
            let start = i
            if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
            let digitsStart = i
            while i < n && (isDigit(bytes[i]) || bytes[i] == UInt8(ascii: ".")) { i += 1 }
            guard i > digitsStart else { return false }
            if i < n && bytes[i] == UInt8(ascii: ":") {
                // A clock: [-]h:mm[:ss[.ffffff]]
                while i < n && (isDigit(bytes[i]) || bytes[i] == UInt8(ascii: ":") || bytes[i] == UInt8(ascii: ".")) { i += 1 }
                guard let micros = _IntervalBuilder.clock(bytes[start..<i]) else { return false }
                let (v, o) = microseconds.addingReportingOverflow(micros)
                if o { return false }
                microseconds = v
                sawPart = true
                continue
            }
            let numberText = String(decoding: bytes[start..<i], as: UTF8.self)
            skipSpaces()
            let unitStart = i
            while i < n && isLetter(bytes[i]) { i += 1 }
            // A number without a unit counts seconds (DuckDB: '100' is 00:01:40).
            let unit: _IntervalUnit
            if i == unitStart {
                unit = .second
            } else {
                // `M` alone (upper or lower case) is a minute; `mS`/`MS` is a millisecond.
                guard let named = _IntervalUnit(bytes[unitStart..<i].map { $0 | 0x20 }) else { return false }
                unit = named
            }
            if let whole = Int64(numberText) {
                guard addExactly(whole, unit) else { return false }
            } else {
                guard let number = Double(numberText), add(number, unit) else { return false }
            }
            sawPart = true
        }
        guard sawPart else { return false }
        if ago {
            guard months != Int64(Int32.min), days != Int64(Int32.min), microseconds != .min else { failed = true; return false }
            months = -months
            days = -days
            microseconds = -microseconds
        }
        return !failed
    }

    /// `[-|+]h:mm[:ss[.ffffff]]` in microseconds (hours up to 999,999,999).
    static func clock(_ text: ArraySlice<UInt8>) -> Int64? {
        var body = text
        var negative = false
        if let first = body.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        let parts = body.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty, parts[0].count <= 9, !parts[1].isEmpty,
              parts[0].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), parts[1].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let h = Int64(String(decoding: parts[0], as: UTF8.self)), let m = Int64(String(decoding: parts[1], as: UTF8.self)),
              m < 60 else { return nil }
        var micros: Int64 = 0
        if parts.count == 3 {
            let secondsText = parts[2]
            let pieces = secondsText.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
            guard let whole = pieces.first, whole.count <= 2, whole.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let s = whole.isEmpty ? 0 : Int64(String(decoding: whole, as: UTF8.self)), s < 60 else { return nil }
            micros = s * 1_000_000
            if pieces.count == 2 {
                let digits = pieces[1]
                guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
                var scale: Int64 = 100_000
                for d in digits.prefix(6) {
                    micros += Int64(d - 0x30) * scale
                    scale /= 10
                }
            }
        }
        let total = (h * 3_600 + m * 60) * 1_000_000 + micros
        return negative ? -total : total
    }
}
