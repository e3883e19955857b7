import ColumnarCore

// `format_bytes` (alias `pg_size_pretty`, `formatReadableSize`) and
// `formatReadableDecimalSize`: a byte count as text in binary (KiB, MiB, …) or decimal (kB, MB, …)
// units, with one digit after the point, cut rather than rounded, as DuckDB prints them.

/// The formatted byte counts of a BIGINT column; `base` is 1024 or 1000.
func _formatBytes(_ counts: PrimitiveColumn<Int64>, base: UInt64, rows: Int) throws -> BinaryColumn {
    var out = _TextBuilder(rows: rows, bytes: rows * 10)
    for row in 0..<rows {
        if counts.isNull(row) { out.appendNull(); continue }
        let value = counts.values[row]
        var text = _formatByteCount(value.magnitude, base: base)
        if value < 0 { text = "-" + text }
        text.withUTF8 { out.append($0) }
        out.endRow()
    }
    return out.finish()
}

/// `bytes` in the largest unit (up to peta) of which it holds at least one, e.g. "1.5 MiB";
/// below one kilo it is "1 byte" or "N bytes".
func _formatByteCount(_ bytes: UInt64, base: UInt64) -> String {
    let units = base == 1024 ? ["KiB", "MiB", "GiB", "TiB", "PiB"] : ["kB", "MB", "GB", "TB", "PB"]
    guard bytes >= base else { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
    // Divide down while a next unit is available; `remainder` is what the last division left.
    var whole = bytes
    var remainder: UInt64 = 0
    var unit = -1
    while unit + 1 < units.count, whole >= base {
        remainder = whole % base
        whole /= base
        unit += 1
    }
    return "\(whole).\(remainder * 10 / base) \(units[unit])"
}
