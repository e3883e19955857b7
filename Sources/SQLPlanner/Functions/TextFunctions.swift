import ColumnarCore

// Text kernels: each runs over the UTF-8 bytes of a batch's text columns and builds its result
// column directly; characters are Unicode scalars, as PostgreSQL counts them.

/// Builds a text column from `text` row by row; rows where `text` or any of `also` is NULL are NULL.
func _mapText(
    _ text: BinaryColumn, rows: Int, also: [Bitmap?] = [],
    _ body: (Int, UnsafeBufferPointer<UInt8>, inout _TextBuilder) throws -> Void
) throws -> BinaryColumn {
    let validity = _validity([text.validity] + also, count: rows)
    var out = _TextBuilder(rows: rows, bytes: text.bytes.count)
    try _withRows(text) { r in
        for row in 0..<rows {
            if let validity, !validity[row] { out.appendNull(); continue }
            try body(row, r.row(row), &out)
            out.endRow()
        }
    }
    return out.finish()
}

/// A BIGINT per row of `text` (NULL where `text` or any of `also` is NULL).
func _mapTextToInt64(
    _ text: BinaryColumn, rows: Int, also: [Bitmap?] = [], _ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Int64
) throws -> Column {
    let validity = _validity([text.validity] + also, count: rows)
    let values = try _withRows(text) { r in
        try ValueBuffer<Int64>(unsafeUninitializedCount: rows) { out in
            for row in 0..<rows {
                out[row] = validity.map({ $0[row] }) ?? true ? try body(row, r.row(row)) : 0
            }
        }
    }
    return .int64(PrimitiveColumn(values: values, validity: validity))
}

/// A BOOLEAN per row of `text` (NULL where `text` or any of `also` is NULL).
func _mapTextToBool(
    _ text: BinaryColumn, rows: Int, also: [Bitmap?] = [], _ body: (Int, UnsafeBufferPointer<UInt8>) -> Bool
) -> Column {
    let validity = _validity([text.validity] + also, count: rows)
    let bits = _withRows(text) { r in
        _bitmap(count: rows) { words in
            for row in 0..<rows where validity.map({ $0[row] }) ?? true {
                if body(row, r.row(row)) { _setBit(words, row) }
            }
        }
    }
    return .boolean(BooleanColumn(values: bits, validity: validity))
}

/// Calls `body` with row views of all of `columns`.
func _withAllRows<R>(_ columns: [BinaryColumn], _ body: ([_TextRows]) throws -> R) rethrows -> R {
    func nest(_ index: Int, _ views: [_TextRows]) throws -> R {
        if index == columns.count { return try body(views) }
        return try _withRows(columns[index]) { try nest(index + 1, views + [$0]) }
    }
    return try nest(0, [])
}

// MARK: - Case

func _lower(_ text: BinaryColumn) -> BinaryColumn { _mapCase(text, upper: false) }
func _upper(_ text: BinaryColumn) -> BinaryColumn { _mapCase(text, upper: true) }

/// Lower or upper case: ASCII bytes are mapped in place (same offsets); a row with other
/// characters goes through `String` (the rare slow path).
func _mapCase(_ text: BinaryColumn, upper: Bool) -> BinaryColumn {
    let low: UInt8 = upper ? UInt8(ascii: "a") : UInt8(ascii: "A")
    @inline(__always) func map(_ b: UInt8) -> UInt8 { b &- low < 26 ? b ^ 0x20 : b }
    let allASCII = text.bytes.withUnsafeBufferPointer { _isASCII($0) }
    if allASCII {
        let bytes = text.bytes.withUnsafeBufferPointer { source in
            ValueBuffer<UInt8>(unsafeUninitializedCount: source.count) { out in
                for i in 0..<source.count { out[i] = map(source[i]) }
            }
        }
        return BinaryColumn(offsets: text.offsets, bytes: bytes, validity: text.validity)
    }
    // Non-throwing body: try! cannot fail.
    return try! _mapText(text, rows: text.count) { _, s, out in
        if _isASCII(s) {
            for b in s { out.append(byte: map(b)) }
        } else {
            var mapped = upper ? String(decoding: s, as: UTF8.self).uppercased() : String(decoding: s, as: UTF8.self).lowercased()
            mapped.withUTF8 { out.append($0) }
        }
    }
}

// MARK: - Pieces of strings

/// `substring(s, start[, length])` with SQL semantics: characters from `start` (1-based) for
/// `length` characters, where positions before 1 count against the length.
func _substring(_ text: BinaryColumn, _ start: PrimitiveColumn<Int64>, _ length: PrimitiveColumn<Int64>?, rows: Int) throws -> BinaryColumn {
    try _mapText(text, rows: rows, also: [start.validity, length?.validity]) { row, s, out in
        let first = start.values[row]
        var end = Int64.max
        if let length {
            let n = length.values[row]
            guard n >= 0 else { throw SQLError(.runtime, "negative substring length not allowed") }
            let (sum, overflow) = first.addingReportingOverflow(n)
            end = overflow ? Int64.max : sum
        }
        let from = max(first, 1)
        guard end > from else { return }
        let lo = _byteOffset(ofCharacter: Int(clamping: from - 1), in: s)
        let hi = end == Int64.max ? s.count : _byteOffset(ofCharacter: Int(clamping: end - 1), in: s)
        if hi > lo { out.append(UnsafeBufferPointer(rebasing: s[lo..<hi])) }
    }
}

/// `left(s, n)` / `right(s, n)`: a negative `n` drops that many characters from the other end.
func _leftRight(_ text: BinaryColumn, _ count: PrimitiveColumn<Int64>, right: Bool, rows: Int) throws -> BinaryColumn {
    try _mapText(text, rows: rows, also: [count.validity]) { row, s, out in
        let n = Int(clamping: count.values[row])
        let total = _characterCount(s)
        let keep = n >= 0 ? min(n, total) : max(0, total + n)
        let range = right ? _byteOffset(ofCharacter: total - keep, in: s)..<s.count : 0..<_byteOffset(ofCharacter: keep, in: s)
        out.append(UnsafeBufferPointer(rebasing: s[range]))
    }
}

/// `reverse(s)` by characters.
func _reverse(_ text: BinaryColumn, rows: Int) throws -> BinaryColumn {
    try _mapText(text, rows: rows) { _, s, out in
        var end = s.count
        while end > 0 {
            var start = end - 1
            while start > 0 && !_isLead(s[start]) { start -= 1 }
            out.append(UnsafeBufferPointer(rebasing: s[start..<end]))
            end = start
        }
    }
}

/// `repeat(s, n)`; `n <= 0` gives the empty string.
func _repeat(_ text: BinaryColumn, _ count: PrimitiveColumn<Int64>, rows: Int) throws -> BinaryColumn {
    try _mapText(text, rows: rows, also: [count.validity]) { row, s, out in
        let n = count.values[row]
        guard n > 0, !s.isEmpty else { return }
        guard n <= Int64(1 << 28) / Int64(s.count) else { throw SQLError(.runtime, "repeat result is too large") }
        for _ in 0..<n { out.append(s) }
    }
}

/// `lpad`/`rpad(s, length[, fill])` as PostgreSQL: longer strings are cut to `length`
/// characters; an empty fill leaves a short string as it is.
func _pad(_ text: BinaryColumn, _ length: PrimitiveColumn<Int64>, _ fill: BinaryColumn?, left: Bool, rows: Int) throws -> BinaryColumn {
    try _withRows(fill ?? BinaryColumn([" "])) { fills in
        try _mapText(text, rows: rows, also: [length.validity, fill?.validity]) { row, s, out in
            let target = Int(clamping: max(0, min(length.values[row], 1 << 28)))
            let have = _characterCount(s)
            if have >= target {
                out.append(UnsafeBufferPointer(rebasing: s[0..<_byteOffset(ofCharacter: target, in: s)]))
                return
            }
            let f = fills.row(fill == nil ? 0 : row)
            if !left { out.append(s) }
            if !f.isEmpty {
                var missing = target - have
                var i = 0
                while missing > 0 {
                    let next = min(f.count, i + _sequenceLength(f[i]))
                    out.append(UnsafeBufferPointer(rebasing: f[i..<next]))
                    i = next == f.count ? 0 : next
                    missing -= 1
                }
            }
            if left { out.append(s) }
        }
    }
}

/// `trim`/`ltrim`/`rtrim(s[, characters])`: removes any of `characters` (default a space).
func _trim(_ text: BinaryColumn, _ characters: BinaryColumn?, leading: Bool, trailing: Bool, rows: Int) throws -> BinaryColumn {
    var set: [UInt32] = []
    return try _withRows(characters ?? BinaryColumn([" "])) { chars in
        try _mapText(text, rows: rows, also: [characters?.validity]) { row, s, out in
            set.removeAll(keepingCapacity: true)
            let c = chars.row(characters == nil ? 0 : row)
            var i = 0
            while i < c.count {
                let (scalar, next) = _decodeScalar(c, i)
                set.append(scalar)
                i = next
            }
            var lo = 0
            var hi = s.count
            if leading {
                while lo < hi {
                    let (scalar, next) = _decodeScalar(s, lo)
                    guard set.contains(scalar) else { break }
                    lo = next
                }
            }
            if trailing {
                while hi > lo {
                    var start = hi - 1
                    while start > lo && !_isLead(s[start]) { start -= 1 }
                    guard set.contains(_decodeScalar(s, start).0) else { break }
                    hi = start
                }
            }
            out.append(UnsafeBufferPointer(rebasing: s[lo..<hi]))
        }
    }
}

/// `replace(s, from, to)`: every occurrence of `from`, left to right; an empty `from` changes nothing.
func _replace(_ text: BinaryColumn, _ from: BinaryColumn, _ to: BinaryColumn, rows: Int) throws -> BinaryColumn {
    try _withRows(from) { froms in
        try _withRows(to) { tos in
            try _mapText(text, rows: rows, also: [from.validity, to.validity]) { row, s, out in
                let needle = froms.row(row)
                let replacement = tos.row(row)
                guard !needle.isEmpty else { out.append(s); return }
                var position = 0
                while let found = _find(needle, in: s, from: position) {
                    out.append(UnsafeBufferPointer(rebasing: s[position..<found]))
                    out.append(replacement)
                    position = found + needle.count
                }
                out.append(UnsafeBufferPointer(rebasing: s[position...]))
            }
        }
    }
}

/// `split_part(s, delimiter, n)`: field `n` (1-based; negative counts from the end), or ''.
func _splitPart(_ text: BinaryColumn, _ delimiter: BinaryColumn, _ index: PrimitiveColumn<Int64>, rows: Int) throws -> BinaryColumn {
    try _withRows(delimiter) { delimiters in
        try _mapText(text, rows: rows, also: [delimiter.validity, index.validity]) { row, s, out in
            let d = delimiters.row(row)
            var n = index.values[row]
            guard n != 0 else { throw SQLError(.runtime, "split_part: field position must not be zero") }
            if d.isEmpty {
                if n == 1 || n == -1 { out.append(s) }
                return
            }
            if n < 0 {
                var fields: Int64 = 1
                var position = 0
                while let found = _find(d, in: s, from: position) { fields += 1; position = found + d.count }
                n = fields + n + 1
                guard n >= 1 else { return }
            }
            var start = 0
            var field: Int64 = 1
            while field < n {
                guard let found = _find(d, in: s, from: start) else { return }
                start = found + d.count
                field += 1
            }
            let end = _find(d, in: s, from: start) ?? s.count
            out.append(UnsafeBufferPointer(rebasing: s[start..<end]))
        }
    }
}

/// `strpos(s, sub)`: the character position of the first `sub` (1-based), 0 when absent.
func _strpos(_ text: BinaryColumn, _ needle: BinaryColumn, rows: Int) throws -> Column {
    try _withRows(needle) { needles in
        try _mapTextToInt64(text, rows: rows, also: [needle.validity]) { row, s in
            guard let found = _find(needles.row(row), in: s, from: 0) else { return 0 }
            return Int64(_characterCount(UnsafeBufferPointer(rebasing: s[0..<found])) + 1)
        }
    }
}

/// `starts_with(s, p)` / `ends_with(s, p)`.
func _startsEnds(_ text: BinaryColumn, _ affix: BinaryColumn, ends: Bool, rows: Int) -> Column {
    _withRows(affix) { affixes in
        _mapTextToBool(text, rows: rows, also: [affix.validity]) { row, s in
            let a = affixes.row(row)
            return _bytesEqual(s, at: ends ? s.count - a.count : 0, a)
        }
    }
}

/// `a || b || …` (NULL if any is NULL) or `concat(…)` (NULLs skipped; never NULL).
func _concat(_ texts: [BinaryColumn], skipNulls: Bool, separator: BinaryColumn? = nil, rows: Int) -> BinaryColumn {
    let validity = skipNulls ? separator?.validity : _validity(texts.map(\.validity), count: rows)
    let byteEstimate = texts.reduce(0) { $0 + $1.bytes.count }
    var out = _TextBuilder(rows: rows, bytes: byteEstimate)
    _withAllRows(texts + (separator.map { [$0] } ?? [])) { views in
        let parts = separator == nil ? views[...] : views.dropLast()
        let separatorRows = separator == nil ? nil : views.last
        for row in 0..<rows {
            if let validity, !validity[row] { out.appendNull(); continue }
            var first = true
            for part in parts where !part.isNull(row) {
                if !first, let separatorRows { out.append(separatorRows.row(row)) }
                out.append(part.row(row))
                first = false
            }
            out.endRow()
        }
    }
    return out.finish()
}
