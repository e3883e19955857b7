import ColumnarCore

// Character-level text functions from DuckDB and PostgreSQL: `ascii`, `unicode`, `chr`,
// `overlay`, `strip_accents`, and the byte-size formatters of `TextFunctions+Bytes.swift`.

/// Evaluates the functions of this file and of `TextFunctions+Bytes.swift`; nil for any other name.
func _characterFunction(_ name: String, _ values: [Column], rows: Int) throws -> Column? {
    switch name {
    case "ascii", "unicode":
        // The code point of the first character; '' is 0 for ascii (PostgreSQL) and -1 for unicode.
        let empty: Int64 = name == "unicode" ? -1 : 0
        return try _mapTextToInt64(try _text(values[0]), rows: rows) { _, s in s.isEmpty ? empty : Int64(_decodeScalar(s, 0).0) }
    case "chr": return .utf8(try _chr(try _int64(values[0]), rows: rows))
    case "overlay":
        let count = values.count > 3 ? try _int64(values[3]) : nil
        return .utf8(try _overlay(try _text(values[0]), try _text(values[1]), try _int64(values[2]), count, rows: rows))
    case "strip_accents": return .utf8(try _stripAccents(try _text(values[0]), rows: rows))
    case "format_bytes", "format_decimal_bytes":
        return .utf8(try _formatBytes(try _int64(values[0]), base: name == "format_bytes" ? 1024 : 1000, rows: rows))
    default: return nil
    }
}

/// `chr(n)`: the character with code point `n`; surrogates and values outside Unicode are errors.
func _chr(_ codes: PrimitiveColumn<Int64>, rows: Int) throws -> BinaryColumn {
    var out = _TextBuilder(rows: rows, bytes: rows)
    for row in 0..<rows {
        if codes.isNull(row) { out.appendNull(); continue }
        let code = codes.values[row]
        guard let value = UInt32(exactly: code), let scalar = Unicode.Scalar(value) else {
            throw SQLError(.runtime, "Invalid Input Error: Invalid UTF8 Codepoint \(code)")
        }
        for unit in UTF8.encode(scalar)! { out.append(byte: unit) }
        out.endRow()
    }
    return out.finish()
}

/// `overlay(s PLACING r FROM start [FOR count])`: the first `start - 1` characters of `s`, then
/// `r`, then `s` after its first `start - 1 + count` characters. `count` defaults to the length
/// of `r` (also when negative, as DuckDB does); positions before 1 cut nothing from the front.
func _overlay(
    _ text: BinaryColumn, _ replacement: BinaryColumn, _ start: PrimitiveColumn<Int64>, _ count: PrimitiveColumn<Int64>?, rows: Int
) throws -> BinaryColumn {
    try _withRows(replacement) { replacements in
        try _mapText(text, rows: rows, also: [replacement.validity, start.validity, count?.validity]) { row, s, out in
            let r = replacements.row(row)
            var length = Int64(_characterCount(r))
            if let count, count.values[row] >= 0 { length = count.values[row] }
            let from = start.values[row]
            let keep = from > 1 ? Int(clamping: from - 1) : 0
            let (sum, overflow) = (from - 1).addingReportingOverflow(length)
            let skip = overflow ? Int.max : Int(clamping: Swift.max(0, sum))
            out.append(UnsafeBufferPointer(rebasing: s[0..<_byteOffset(ofCharacter: keep, in: s)]))
            out.append(r)
            out.append(UnsafeBufferPointer(rebasing: s[_byteOffset(ofCharacter: skip, in: s)...]))
        }
    }
}

/// `strip_accents(s)`: drops combining diacritical marks (U+0300–U+036F) and maps accented
/// Latin letters (U+00C0–U+017F) to their base letters. Other scripts pass unchanged.
func _stripAccents(_ text: BinaryColumn, rows: Int) throws -> BinaryColumn {
    try _mapText(text, rows: rows) { _, s, out in
        if _isASCII(s) { out.append(s); return }
        var i = 0
        while i < s.count {
            let (scalar, next) = _decodeScalar(s, i)
            if (0x300...0x36F).contains(scalar) {
                // A combining mark: dropped.
            } else if scalar >= 0xC0, scalar < 0xC0 + UInt32(_accentBases.count), _accentBases[Int(scalar - 0xC0)] != UInt8(ascii: "-") {
                out.append(byte: _accentBases[Int(scalar - 0xC0)])
            } else {
                out.append(UnsafeBufferPointer(rebasing: s[i..<next]))
            }
            i = next
        }
    }
}

/// The base letter of each character from U+00C0 to U+017F that decomposes canonically into a
/// Latin letter and combining marks; `-` where the character has no such decomposition (Æ, Ø, ß, Đ, Ł…).
private let _accentBases: [UInt8] = Array((
    "AAAAAA-CEEEEIIII" + "-NOOOOO--UUUUY--" + "aaaaaa-ceeeeiiii" + "-nooooo--uuuuy-y" +  // U+00C0–U+00FF
    "AaAaAaCcCcCcCcDd" + "--EeEeEeEeEeGgGg" + "GgGgHh--IiIiIiIi" + "I---JjKk-LlLlLl-" +  // U+0100–U+013F
    "---NnNnNn---OoOo" + "Oo--RrRrRrSsSsSs" + "SsTtTt--UuUuUuUu" + "UuUuWwYyYZzZzZz-"     // U+0140–U+017F
).utf8)
