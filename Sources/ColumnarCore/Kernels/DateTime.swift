/// Calendar arithmetic on the proleptic Gregorian calendar, days counted from 1970-01-01.
/// (Howard Hinnant's civil-date algorithms, re-derived: eras of 400 years, March-based years.)
public enum CivilDate {
    /// Days since 1970-01-01 of the date `year-month-day`.
    ///
    /// - Precondition: `month` in 1...12, `day` in 1...31.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The `(year, month, day)` of a day count since 1970-01-01.
    public static func date(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Whether `day` exists in `month` of `year`.
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return day <= (month == 2 && leap ? 29 : lengths[month - 1])
    }
}

/// A tiny cursor over ASCII bytes for the date, time and number parsers.
struct _ByteCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }
    var current: UInt8? { atEnd ? nil : bytes[position] }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    mutating func skipSpaces() {
        while let c = current, _ByteCursor.isSpace(c) { position += 1 }
    }

    /// Advances to the next space (or the end) and returns the bytes passed over.
    mutating func token() -> String {
        let start = position
        while let c = current, !_ByteCursor.isSpace(c) { position += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        position += 1
        return true
    }

    /// Reads between `minDigits` and `maxDigits` decimal digits.
    mutating func digits(min minDigits: Int, max maxDigits: Int) -> (value: Int, count: Int)? {
        var value = 0
        var count = 0
        while count < maxDigits, let c = current, c >= 0x30, c <= 0x39 {
            value = value * 10 + Int(c - 0x30)
            count += 1
            position += 1
        }
        return count >= minDigits ? (value, count) : nil
    }
}

enum _TemporalParser {
    /// `YYYY-MM-DD` (year may have a sign and more digits) → days since the epoch.
    static func date(_ cursor: inout _ByteCursor) -> Int? {
        let negative = cursor.consume(0x2D)
        guard let year = cursor.digits(min: 4, max: 7), cursor.consume(0x2D),
              let month = cursor.digits(min: 1, max: 2), cursor.consume(0x2D),
              let day = cursor.digits(min: 1, max: 2) else { return nil }
        var y = negative ? -year.value : year.value
        // DuckDB's era suffix: `0001-01-01 (BC)` is the astronomical year 0.
        let mark = cursor.position
        cursor.skipSpaces()
        if cursor.consume(0x28), let b = cursor.current, b | 0x20 == 0x62, cursor.consume(b),
           let c = cursor.current, c | 0x20 == 0x63, cursor.consume(c), cursor.consume(0x29), !negative {
            y = 1 - y
        } else {
            cursor.position = mark
        }
        guard CivilDate.isValid(year: y, month: month.value, day: day.value) else { return nil }
        return CivilDate.days(year: y, month: month.value, day: day.value)
    }

    /// `HH:MM[:SS[.fffffffff]]` → nanoseconds since midnight.
    static func time(_ cursor: inout _ByteCursor) -> Int64? {
        // DuckDB reads `11:` as 11:00:00 and `11:1` as 11:01:00: empty or one-digit fields.
        guard let hour = cursor.digits(min: 1, max: 2), cursor.consume(0x3A),
              let minute = cursor.digits(min: 0, max: 2) else { return nil }
        var second = 0
        var nanos: Int64 = 0
        if cursor.consume(0x3A) {
            guard let s = cursor.digits(min: minute.count == 0 ? 2 : 0, max: 2) else { return nil }
            second = s.value
            if cursor.consume(0x2E) {
                guard let fraction = cursor.digits(min: 1, max: 9) else { return nil }
                nanos = Int64(fraction.value)
                for _ in fraction.count..<9 { nanos *= 10 }
                // Finer digits are truncated: skip them without accumulating (no overflow).
                while let c = cursor.current, c >= 0x30, c <= 0x39 { cursor.position += 1 }
            }
        }
        guard hour.value < 24 || (hour.value == 24 && minute.value == 0 && second == 0 && nanos == 0),
              minute.value < 60, second < 60 else { return nil }
        return Int64(hour.value * 3600 + minute.value * 60 + second) * 1_000_000_000 + nanos
    }

    /// A date, optionally followed by `T` or a space and a time, and an optional `Z` or
    /// `±HH[:MM]` offset → nanoseconds since the epoch in UTC (exact in 128 bits).
    static func timestamp(_ cursor: inout _ByteCursor) -> Int128? {
        guard let days = date(&cursor) else { return nil }
        var nanos: Int64 = 0
        var offsetSeconds = 0
        let spaceThenDigit = cursor.current == 0x20 && cursor.position + 1 < cursor.bytes.count
            && (0x30...0x39).contains(cursor.bytes[cursor.position + 1])
        if cursor.consume(0x54) || cursor.consume(0x74) || (spaceThenDigit && cursor.consume(0x20)) {
            guard let t = time(&cursor) else { return nil }
            nanos = t
            cursor.skipSpaces()
            if cursor.consume(0x5A) || cursor.consume(0x7A) {
                offsetSeconds = 0
            } else if let sign = cursor.current, sign == 0x2B || sign == 0x2D {
                cursor.position += 1
                guard let hours = cursor.digits(min: 2, max: 2) else { return nil }
                var minutes = 0
                _ = cursor.consume(0x3A)
                if let m = cursor.digits(min: 2, max: 2) { minutes = m.value }
                offsetSeconds = (hours.value * 3600 + minutes * 60) * (sign == 0x2D ? -1 : 1)
            }
        }
        return Int128(days) * 86_400_000_000_000 + Int128(nanos) - Int128(offsetSeconds) * 1_000_000_000
    }
}
