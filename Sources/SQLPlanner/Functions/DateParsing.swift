import ColumnarCore

// `strptime(text, format)` and `try_strptime(text, format)`: text read as a TIMESTAMP by a C-style
// format. Supported specifiers: %Y %y %m %d %e %j %H %I %M %S %f %p %b %B %h %a %A %%; a space in
// the format matches any run of white space (also none), other characters match themselves.
// Fields the format leaves out default to 1900-01-01 00:00:00, as in DuckDB. `strptime` fails on
// text that does not match; `try_strptime` gives NULL.

/// Evaluates `strptime` and `try_strptime`; nil for any other name.
func _dateParsingFunction(_ name: String, _ values: [Column], rows: Int) throws -> Column? {
    guard name == "strptime" || name == "try_strptime" else { return nil }
    let texts = try _text(values[0])
    let formats = try _text(values[1])
    let validity = _validity([texts.validity, formats.validity], count: rows)
    var parsed = [Bool](repeating: true, count: rows)
    let micros = try _withRows(texts) { textRows in
        try _withRows(formats) { formatRows in
            try ValueBuffer<Int64>(unsafeUninitializedCount: rows) { out in
                for row in 0..<rows {
                    out[row] = 0
                    guard validity.map({ $0[row] }) ?? true else { continue }
                    if let value = _parseTimestamp(textRows.row(row), format: formatRows.row(row)) {
                        out[row] = value
                    } else if name == "strptime" {
                        let text = String(decoding: textRows.row(row), as: UTF8.self)
                        let format = String(decoding: formatRows.row(row), as: UTF8.self)
                        throw SQLError(.runtime, "could not parse '\(text)' with format '\(format)'")
                    } else {
                        parsed[row] = false
                    }
                }
            }
        }
    }
    let resultValidity = parsed.allSatisfy({ $0 }) ? validity : _bitmap(count: rows) { words in
        for row in 0..<rows where parsed[row] && (validity.map { $0[row] } ?? true) { _setBit(words, row) }
    }
    return .timestamp(PrimitiveColumn(values: micros, validity: resultValidity), .microsecond, timeZone: nil)
}

private let _monthNames = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
private let _weekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

/// Microseconds since the epoch of `text` read by `format`, or nil when it does not match.
func _parseTimestamp(_ text: UnsafeBufferPointer<UInt8>, format: UnsafeBufferPointer<UInt8>) -> Int64? {
    var (year, month, day, dayOfYear) = (1900, 1, 1, 0)
    var (hour, minute, second, micros) = (0, 0, 0, 0)
    var (twelveHour, afternoon): (Bool, Bool?) = (false, nil)
    var i = 0
    var f = 0

    /// Reads up to `maxDigits` digits (at least one), with a sign when `signed`.
    func number(_ maxDigits: Int, signed: Bool = false) -> Int? {
        var negative = false
        if signed, i < text.count, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
            negative = text[i] == UInt8(ascii: "-")
            i += 1
        }
        var value = 0
        var digits = 0
        while digits < maxDigits, i < text.count, text[i] &- UInt8(ascii: "0") < 10 {
            value = value * 10 + Int(text[i] &- UInt8(ascii: "0"))
            i += 1
            digits += 1
        }
        return digits == 0 ? nil : (negative ? -value : value)
    }
    /// Reads one of `names` (case-insensitive), in full or as its first three letters; its index.
    func name(_ names: [String]) -> Int? {
        for (index, candidate) in names.enumerated() {
            for length in [candidate.utf8.count, 3] {
                let prefix = candidate.utf8.prefix(length)
                guard i + length <= text.count else { continue }
                if zip(prefix, text[i..<(i + length)]).allSatisfy({ $0 == ($1 | 0x20) }) {
                    i += length
                    return index
                }
            }
        }
        return nil
    }
    func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    while f < format.count {
        let c = format[f]
        f += 1
        if isSpace(c) {
            while i < text.count, isSpace(text[i]) { i += 1 }
            continue
        }
        guard c == UInt8(ascii: "%"), f < format.count else {
            guard i < text.count, text[i] == c else { return nil }
            i += 1
            continue
        }
        let specifier = format[f]
        f += 1
        switch specifier {
        case UInt8(ascii: "Y"): guard let v = number(6, signed: true) else { return nil }; year = v
        case UInt8(ascii: "y"): guard let v = number(2) else { return nil }; year = v < 69 ? 2000 + v : 1900 + v
        case UInt8(ascii: "m"): guard let v = number(2), (1...12).contains(v) else { return nil }; month = v
        case UInt8(ascii: "d"), UInt8(ascii: "e"): guard let v = number(2), (1...31).contains(v) else { return nil }; day = v
        case UInt8(ascii: "j"): guard let v = number(3), (1...366).contains(v) else { return nil }; dayOfYear = v
        case UInt8(ascii: "H"): guard let v = number(2), v < 24 else { return nil }; hour = v
        case UInt8(ascii: "I"): guard let v = number(2), (1...12).contains(v) else { return nil }; hour = v; twelveHour = true
        case UInt8(ascii: "M"): guard let v = number(2), v < 60 else { return nil }; minute = v
        case UInt8(ascii: "S"): guard let v = number(2), v < 60 else { return nil }; second = v
        case UInt8(ascii: "f"):
            let start = i
            guard let v = number(6) else { return nil }
            var scaled = v
            for _ in (i - start)..<6 { scaled *= 10 }
            micros = scaled
        case UInt8(ascii: "p"):
            guard i + 2 <= text.count, text[i + 1] | 0x20 == UInt8(ascii: "m") else { return nil }
            switch text[i] | 0x20 {
            case UInt8(ascii: "a"): afternoon = false
            case UInt8(ascii: "p"): afternoon = true
            default: return nil
            }
            i += 2
        case UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "h"): guard let v = name(_monthNames) else { return nil }; month = v + 1
        case UInt8(ascii: "a"), UInt8(ascii: "A"): guard name(_weekdayNames) != nil else { return nil }
        case UInt8(ascii: "%"): guard i < text.count, text[i] == UInt8(ascii: "%") else { return nil }; i += 1
        default: return nil
        }
    }
    guard i == text.count else { return nil }
    // With %p, 12 AM is midnight and 12 PM noon; %I alone reads 1 to 12 as they are.
    if let afternoon, twelveHour { hour = hour % 12 + (afternoon ? 12 : 0) }
    var days: Int
    if dayOfYear > 0 {
        days = CivilDate.days(year: year, month: 1, day: 1) + dayOfYear - 1
    } else {
        guard CivilDate.isValid(year: year, month: month, day: day) else { return nil }
        days = CivilDate.days(year: year, month: month, day: day)
    }
    let seconds = Int64(days) * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
    let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
    guard !overflow else { return nil }
    let (value, overflow2) = scaled.addingReportingOverflow(Int64(micros))
    return overflow2 ? nil : value
}
