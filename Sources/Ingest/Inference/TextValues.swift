#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ColumnarCore

/// Strict parsers from text to typed values, shared by type inference (a column keeps a type
/// only while every value parses) and conversion. Each takes the bytes of one value and accepts
/// only forms that round-trip: no leading zeros (`007` stays text), no `+` sign (phone numbers
/// stay text), no thousands separators.
enum TextValues {
    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Trims ASCII spaces and tabs around a value.
    @inline(__always)
    static func trim(_ p: UnsafePointer<UInt8>, _ n: Int) -> (UnsafePointer<UInt8>, Int) {
        var start = 0, end = n
        while start < end && (p[start] == 0x20 || p[start] == 0x09) { start += 1 }
        while end > start && (p[end - 1] == 0x20 || p[end - 1] == 0x09) { end -= 1 }
        return (p + start, end - start)
    }

    /// `true` or `false` in any case.
    static func boolean(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool? {
        func lower(_ k: Int) -> UInt8 { p[k] | 0x20 }
        if n == 4 && lower(0) == 0x74 && lower(1) == 0x72 && lower(2) == 0x75 && lower(3) == 0x65 { return true }
        if n == 5 && lower(0) == 0x66 && lower(1) == 0x61 && lower(2) == 0x6C && lower(3) == 0x73 && lower(4) == 0x65 { return false }
        return nil
    }

    /// An optional `-`, then `0` or digits not starting with `0`, within Int64.
    @inline(__always)
    static func int64(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        var k = 0
        let negative = n > 0 && p[0] == 0x2D
        if negative { k = 1 }
        let digits = n - k
        guard digits > 0, digits <= 19 else { return nil }
        if p[k] == 0x30 && digits > 1 { return nil }
        var value: UInt64 = 0
        while k < n {
            let d = p[k] &- 0x30
            guard d < 10 else { return nil }
            value = value &* 10 &+ UInt64(d)
            k += 1
        }
        if digits == 19 && value < 1_000_000_000_000_000_000 { return nil }   // wrapped
        if negative {
            guard value <= UInt64(Int64.max) + 1 else { return nil }
            return value == UInt64(Int64.max) + 1 ? Int64.min : -Int64(value)
        }
        guard value <= UInt64(Int64.max) else { return nil }
        return Int64(value)
    }

    /// `[-]digits[.digits]` with at most 38 digits: the unscaled value, the digits before the
    /// point and the scale (digits after it).
    static func decimal(_ p: UnsafePointer<UInt8>, _ n: Int) -> (value: Int128, integerDigits: Int, scale: Int)? {
        var k = 0
        let negative = n > 0 && p[0] == 0x2D
        if negative { k = 1 }
        let intStart = k
        while k < n && isDigit(p[k]) { k += 1 }
        let integerDigits = k - intStart
        guard integerDigits > 0, !(p[intStart] == 0x30 && integerDigits > 1) else { return nil }
        var scale = 0
        if k < n {
            guard p[k] == 0x2E else { return nil }
            k += 1
            let fracStart = k
            while k < n && isDigit(p[k]) { k += 1 }
            scale = k - fracStart
            guard scale > 0, k == n else { return nil }
        }
        guard integerDigits + scale <= 38 else { return nil }
        if integerDigits + scale <= 18 {
            // Fits 64 bits: accumulate there (Int128 arithmetic per digit is several times slower).
            var small: UInt64 = 0
            for j in intStart..<n where p[j] != 0x2E { small = small &* 10 &+ UInt64(p[j] &- 0x30) }
            let value = Int128(small)
            return (negative ? -value : value, integerDigits, scale)
        }
        var value: Int128 = 0
        for j in intStart..<n where p[j] != 0x2E { value = value * 10 + Int128(p[j] - 0x30) }
        return (negative ? -value : value, integerDigits, scale)
    }

    private static let exactPowers: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                                1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]

    /// `[-]digits[.digits][e[±]digits]` with at most 17 significant digits (so the text is what a
    /// double prints back), correctly rounded.
    static func double(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        var k = 0
        let negative = n > 0 && p[0] == 0x2D
        if negative { k = 1 }
        let intStart = k
        var mantissa: UInt64 = 0
        var significant = 0
        var leadingZeros = true
        while k < n && isDigit(p[k]) {
            let d = p[k] - 0x30
            if leadingZeros && d == 0 { k += 1; continue }
            leadingZeros = false
            if significant < 19 { mantissa = mantissa * 10 + UInt64(d) }
            significant += 1
            k += 1
        }
        let integerDigits = k - intStart
        guard integerDigits > 0, !(p[intStart] == 0x30 && integerDigits > 1) else { return nil }
        var exponent = 0
        if k < n && p[k] == 0x2E {
            k += 1
            let fracStart = k
            while k < n && isDigit(p[k]) {
                let d = p[k] - 0x30
                if !(leadingZeros && d == 0) {
                    leadingZeros = false
                    if significant < 19 { mantissa = mantissa * 10 + UInt64(d) }
                    significant += 1
                }
                exponent -= 1
                k += 1
            }
            guard k > fracStart else { return nil }
        }
        if k < n && (p[k] == 0x65 || p[k] == 0x45) {
            k += 1
            var expNegative = false
            if k < n && (p[k] == 0x2B || p[k] == 0x2D) { expNegative = p[k] == 0x2D; k += 1 }
            let expStart = k
            var e = 0
            while k < n && isDigit(p[k]) { if e < 100_000 { e = e * 10 + Int(p[k] - 0x30) }; k += 1 }
            guard k > expStart else { return nil }
            exponent += expNegative ? -e : e
        }
        guard k == n, significant <= 17 else { return nil }
        // Trailing zeros of the fraction were counted as significant digits; that only makes the
        // fast path less often taken, never wrong.
        if mantissa < (1 << 53) && exponent >= -22 && exponent <= 22 {
            let m = Double(mantissa)
            let v = exponent >= 0 ? m * exactPowers[exponent] : m / exactPowers[-exponent]
            return negative ? -v : v
        }
        // The slow path: strtod is correctly rounded.
        guard n < 64 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buffer in
            for j in 0..<n { buffer[j] = CChar(bitPattern: p[j]) }
            buffer[n] = 0
            let v = strtod(buffer.baseAddress!, nil)
            return v.isFinite ? v : nil
        }
    }

    // MARK: Dates and times

    /// How a date is written.
    enum DateForm: Int, CaseIterable, Sendable {
        /// `2026-03-07`
        case iso
        /// `2026/03/07`
        case ymdSlash
        /// `03/07/2026`, `3/7/2026`, `03-07-2026` (US)
        case mdy
        /// `07/03/2026`, `07.03.2026` (most of Europe)
        case dmy

        var bit: UInt8 { 1 << UInt8(rawValue) }
    }

    @inline(__always)
    private static func number(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ n: Int, minDigits: Int, maxDigits: Int) -> Int? {
        var value = 0
        let start = k
        while k < n && k - start < maxDigits && isDigit(p[k]) { value = value * 10 + Int(p[k] - 0x30); k += 1 }
        return k - start >= minDigits ? value : nil
    }

    /// Parses the date at the start of `p`; returns the days since 1970 and where it ended.
    static func datePrefix(_ p: UnsafePointer<UInt8>, _ n: Int, _ form: DateForm) -> (days: Int32, end: Int)? {
        // Cheap rejections first: most values are not dates.
        switch form {
        case .iso: guard n >= 10, p[4] == 0x2D else { return nil }
        case .ymdSlash: guard n >= 10, p[4] == 0x2F else { return nil }
        case .mdy, .dmy:
            guard n >= 8 else { return nil }
            let s1 = p[1], s2 = p[2]
            guard s1 == 0x2F || s1 == 0x2E || s1 == 0x2D || s2 == 0x2F || s2 == 0x2E || s2 == 0x2D else { return nil }
        }
        var k = 0
        let year: Int, month: Int, day: Int
        switch form {
        case .iso, .ymdSlash:
            let separator: UInt8 = form == .iso ? 0x2D : 0x2F
            guard let y = number(p, &k, n, minDigits: 4, maxDigits: 4), k < n, p[k] == separator else { return nil }
            k += 1
            guard let m = number(p, &k, n, minDigits: 2, maxDigits: 2), k < n, p[k] == separator else { return nil }
            k += 1
            guard let d = number(p, &k, n, minDigits: 2, maxDigits: 2) else { return nil }
            (year, month, day) = (y, m, d)
        case .mdy, .dmy:
            guard let a = number(p, &k, n, minDigits: 1, maxDigits: 2), k < n else { return nil }
            let separator = p[k]
            guard separator == 0x2F || separator == 0x2E || separator == 0x2D else { return nil }
            k += 1
            guard let b = number(p, &k, n, minDigits: 1, maxDigits: 2), k < n, p[k] == separator else { return nil }
            k += 1
            guard let y = number(p, &k, n, minDigits: 4, maxDigits: 4) else { return nil }
            if form == .mdy {
                guard separator != 0x2E else { return nil }   // dotted dates are day first
                (year, month, day) = (y, a, b)
            } else {
                (year, month, day) = (y, b, a)
            }
        }
        if k < n && isDigit(p[k]) { return nil }
        guard CivilDate.isValid(year: year, month: month, day: day) else { return nil }
        return (Int32(CivilDate.days(year: year, month: month, day: day)), k)
    }

    static func date(_ p: UnsafePointer<UInt8>, _ n: Int, _ form: DateForm) -> Int32? {
        guard let (days, end) = datePrefix(p, n, form), end == n else { return nil }
        return days
    }

    /// A parsed timestamp: seconds since 1970 (UTC when `zoned`, else wall-clock), nanoseconds,
    /// and how many fraction digits were written.
    struct Instant: Sendable {
        var seconds: Int64
        var nanoseconds: Int32
        var zoned: Bool
        var fractionDigits: Int
    }

    /// A date in `form`, then `T` or a space, then `HH:MM[:SS[.fraction]]`, an optional ` AM`/` PM`,
    /// and an optional `Z` or `±HH[:MM]` offset.
    static func timestamp(_ p: UnsafePointer<UInt8>, _ n: Int, _ form: DateForm) -> Instant? {
        guard let (days, dateEnd) = datePrefix(p, n, form), dateEnd < n, p[dateEnd] == 0x54 || p[dateEnd] == 0x20 else { return nil }
        var k = dateEnd + 1
        guard let hour = number(p, &k, n, minDigits: 1, maxDigits: 2), k < n, p[k] == 0x3A else { return nil }
        k += 1
        guard let minute = number(p, &k, n, minDigits: 2, maxDigits: 2), minute < 60 else { return nil }
        var second = 0
        var nanos = 0
        var fractionDigits = 0
        if k < n && p[k] == 0x3A {
            k += 1
            guard let s = number(p, &k, n, minDigits: 2, maxDigits: 2), s < 60 else { return nil }
            second = s
            if k < n && (p[k] == 0x2E || p[k] == 0x2C) {
                k += 1
                let start = k
                while k < n && isDigit(p[k]) {
                    if k - start < 9 { nanos = nanos * 10 + Int(p[k] - 0x30) }
                    k += 1
                }
                fractionDigits = k - start
                guard fractionDigits > 0, fractionDigits <= 9 else { return nil }
                for _ in fractionDigits..<9 { nanos *= 10 }
            }
        }
        var h = hour
        if k < n && p[k] == 0x20 {
            // " AM" / " PM"
            guard k + 3 <= n, p[k + 1] | 0x20 == 0x61 || p[k + 1] | 0x20 == 0x70, p[k + 2] | 0x20 == 0x6D, hour >= 1, hour <= 12 else { return nil }
            let pm = p[k + 1] | 0x20 == 0x70
            h = hour % 12 + (pm ? 12 : 0)
            k += 3
        }
        guard h < 24 else { return nil }
        var offset = 0
        var zoned = false
        if k < n {
            if p[k] == 0x5A && k + 1 == n {
                zoned = true
                k += 1
            } else if p[k] == 0x2B || p[k] == 0x2D {
                let sign = p[k] == 0x2D ? -1 : 1
                k += 1
                guard let oh = number(p, &k, n, minDigits: 2, maxDigits: 2), oh <= 18 else { return nil }
                var om = 0
                if k < n && p[k] == 0x3A { k += 1 }
                if k < n { guard let m = number(p, &k, n, minDigits: 2, maxDigits: 2), m < 60 else { return nil }; om = m }
                offset = sign * (oh * 3600 + om * 60)
                zoned = true
            }
        }
        guard k == n else { return nil }
        let seconds = Int64(days) * 86_400 + Int64(h * 3600 + minute * 60 + second) - Int64(offset)
        return Instant(seconds: seconds, nanoseconds: Int32(nanos), zoned: zoned, fractionDigits: fractionDigits)
    }
}
