extension Scalar {
    /// The value as text, the way DuckDB prints it: `2024-01-31`, `2024-01-31 08:00:00.5`,
    /// `12.50` for DECIMAL(4,2), `nan`/`inf` for floats, `NULL` for null.
    public var formatted: String {
        switch self {
        case .null: return "NULL"
        case .boolean(let b): return b ? "true" : "false"
        case .int8(let v): return String(v)
        case .int16(let v): return String(v)
        case .int32(let v): return String(v)
        case .int64(let v): return String(v)
        case .uint8(let v): return String(v)
        case .uint16(let v): return String(v)
        case .uint32(let v): return String(v)
        case .uint64(let v): return String(v)
        case .float32(let v): return Scalar.formatFloat(Double(v), shortest: v.description)
        case .float64(let v): return Scalar.formatFloat(v, shortest: v.description)
        case .decimal128(let v, _, let scale): return Scalar.formatDecimal(v, scale: scale)
        case .decimal256(let v, _, let scale):
            return Scalar.formatDecimal(magnitude: String(v.description.drop { $0 == "-" }), negative: v.isNegative, scale: scale)
        case .wideTimestamp(let nanos, let zone):
            let perDay = Int128(86_400_000_000_000)
            var days = nanos / perDay
            var rest = nanos % perDay
            if rest < 0 { rest += perDay; days -= 1 }
            return Scalar.formatDate(Int(days)) + " " + Scalar.formatTime(Int64(rest), .nanosecond) + (zone == nil ? "" : "+00")
        case .interval(let v): return v.description
        case .utf8(let s): return s
        case .binary(let bytes):
            return bytes.map { b in
                (32..<127).contains(b) && b != 0x5C ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16, uppercase: true).leftPadded(to: 2)
            }.joined()
        case .date32(let days): return Scalar.formatDate(Int(days))
        case .time64(let ticks, let unit): return Scalar.formatTime(ticks, unit)
        case .timestamp(let ticks, let unit, let zone):
            let perDay = Int64(86_400) * unit.ticksPerSecond
            var days = ticks / perDay
            var rest = ticks % perDay
            if rest < 0 { rest += perDay; days -= 1 }
            return Scalar.formatDate(Int(days)) + " " + Scalar.formatTime(rest, unit) + (zone == nil ? "" : "+00")
        case .list(let items): return "[" + items.map(\.formatted).joined(separator: ", ") + "]"
        case .struct(let fields):
            return "{" + fields.sorted { $0.key < $1.key }.map { "'\($0.key)': \($0.value.formatted)" }.joined(separator: ", ") + "}"
        }
    }

    static func formatFloat(_ value: Double, shortest: String) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return shortest
    }

    static func formatDecimal(_ value: Int128, scale: Int) -> String {
        formatDecimal(magnitude: String(value.magnitude), negative: value < 0, scale: scale)
    }

    /// `digits` (the unscaled magnitude) with a point `scale` digits from the right.
    static func formatDecimal(magnitude: String, negative: Bool, scale: Int) -> String {
        var digits = magnitude
        guard scale > 0 else { return (negative ? "-" : "") + digits }
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let split = digits.index(digits.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + digits[..<split] + "." + digits[split...]
    }

    static func formatDate(_ days: Int) -> String {
        let (y, m, d) = CivilDate.date(fromDays: days)
        // Years before 1 print as DuckDB prints them: the astronomical year 0 is 1 (BC).
        let year = String(y <= 0 ? 1 - y : y).leftPadded(to: 4)
        return year + "-" + String(m).leftPadded(to: 2) + "-" + String(d).leftPadded(to: 2) + (y <= 0 ? " (BC)" : "")
    }

    static func formatTime(_ ticks: Int64, _ unit: TimeUnit) -> String {
        let perSecond = unit.ticksPerSecond
        let seconds = ticks / perSecond
        let fraction = ticks % perSecond
        let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        var text = String(h).leftPadded(to: 2) + ":" + String(m).leftPadded(to: 2) + ":" + String(s).leftPadded(to: 2)
        if fraction != 0 {
            var digits = String(fraction).leftPadded(to: unit.fractionDigits)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
