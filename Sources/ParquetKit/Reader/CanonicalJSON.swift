import ColumnarCore

/// Renders values in the canonical JSON form of the shared Parquet corpus: each leaf is shown by
/// its Parquet type (logical, else converted, else physical) — e.g. decimals as exact strings,
/// unannotated bytes as lowercase hex, integers beyond 2^53 − 1 as strings, NaN and infinities
/// as `"NaN"`, `"Infinity"`, `"-Infinity"`.
public enum CanonicalJSON {
    /// One row of `batch` as a JSON object with keys in schema order.
    public static func row(_ batch: RecordBatch, _ row: Int, leaves: [LeafColumn]) -> String {
        var parts: [String] = []
        for (field, column) in zip(batch.schema.fields, batch.columns) {
            let leaf = leaves.first { $0.path == [field.name] }
            parts.append(BatchPrinter.jsonString(field.name) + ":" + typed(column.scalar(at: row), field.dataType, leaf: leaf))
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// One value of a known type: lists, maps (as `[key, value]` pairs) and structs recurse.
    public static func typed(_ scalar: Scalar, _ type: DataType, leaf: LeafColumn?) -> String {
        switch (scalar, type) {
        case (.list(let items), .list(let element)):
            if element.metadata["parquet.map"] == "true", case .struct(let fields) = element.dataType, fields.count == 2 {
                return "[" + items.map { item -> String in
                    guard case .struct(let pair) = item else { return typed(item, element.dataType, leaf: nil) }
                    return "[" + typed(pair[fields[0].name] ?? .null, fields[0].dataType, leaf: nil) + ","
                        + typed(pair[fields[1].name] ?? .null, fields[1].dataType, leaf: nil) + "]"
                }.joined(separator: ",") + "]"
            }
            return "[" + items.map { typed($0, element.dataType, leaf: nil) }.joined(separator: ",") + "]"
        case (.struct(let values), .struct(let fields)):
            return "{" + fields.map { field in
                BatchPrinter.jsonString(field.name) + ":" + typed(values[field.name] ?? .null, field.dataType, leaf: nil)
            }.joined(separator: ",") + "}"
        default:
            return value(scalar, leaf: leaf)
        }
    }

    /// One value.
    public static func value(_ scalar: Scalar, leaf: LeafColumn?) -> String {
        let limit: Int64 = 9_007_199_254_740_991
        func integer(_ text: String, magnitudeFits: Bool) -> String { magnitudeFits ? text : "\"" + text + "\"" }
        switch scalar {
        case .null: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .int8(let v): return String(v)
        case .int16(let v): return String(v)
        case .int32(let v): return String(v)
        case .uint8(let v): return String(v)
        case .uint16(let v): return String(v)
        case .uint32(let v): return String(v)
        case .int64(let v): return integer(String(v), magnitudeFits: v >= -limit && v <= limit)
        case .uint64(let v): return integer(String(v), magnitudeFits: v <= UInt64(limit))
        case .float32(let f): return float(Double(f))
        case .float64(let d): return float(d)
        case .decimal128, .decimal256, .interval: return "\"" + scalar.formatted + "\""
        case .utf8(let s): return BatchPrinter.jsonString(s)
        case .binary(let bytes):
            let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            if leaf?.element.logicalType == .uuid, hex.count == 32 {
                let c = Array(hex)
                return "\"" + String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32]) + "\""
            }
            return "\"" + hex + "\""
        case .date32(let days): return "\"" + date(Int(days)) + "\""
        case .time64(let ticks, let unit): return "\"" + time(ticks, unit) + "\""
        case .timestamp(let ticks, let unit, let zone):
            let perDay = 86_400 * unit.ticksPerSecond
            let (q, r) = ticks.quotientAndRemainder(dividingBy: perDay)
            let days = r < 0 ? q - 1 : q
            let rest = r < 0 ? r + perDay : r
            return "\"" + date(Int(days)) + "T" + time(rest, unit) + (zone == nil ? "" : "Z") + "\""
        case .wideTimestamp(let nanos, let zone):
            let perDay = Int128(86_400_000_000_000)
            let (q, r) = nanos.quotientAndRemainder(dividingBy: perDay)
            let days = r < 0 ? q - 1 : q
            let rest = r < 0 ? r + perDay : r
            return "\"" + date(Int(days)) + "T" + time(Int64(rest), .nanosecond) + (zone == nil ? "" : "Z") + "\""
        case .list(let items): return "[" + items.map { value($0, leaf: nil) }.joined(separator: ",") + "]"
        case .struct(let fields): return "{" + fields.map { BatchPrinter.jsonString($0.key) + ":" + value($0.value, leaf: nil) }.joined(separator: ",") + "}"
        }
    }

    static func float(_ d: Double) -> String {
        if d.isNaN { return "\"NaN\"" }
        if d.isInfinite { return d < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        return d.description
    }

    static func date(_ days: Int) -> String {
        let (y, m, d) = CivilDate.date(fromDays: days)
        func pad(_ v: Int, _ width: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, width - s.count)) + s }
        let year: String
        if y < 0 { year = "-" + pad(-y, 4) } else if y > 9999 { year = "+" + pad(y, 4) } else { year = pad(y, 4) }
        return year + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    static func time(_ ticks: Int64, _ unit: TimeUnit) -> String {
        func pad(_ v: Int64, _ width: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, width - s.count)) + s }
        let perSecond = unit.ticksPerSecond
        let seconds = ticks / perSecond
        var text = pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if unit != .second { text += "." + pad(ticks % perSecond, unit.fractionDigits) }
        return text
    }
}
