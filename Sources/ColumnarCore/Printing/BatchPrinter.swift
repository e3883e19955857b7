/// Renders record batches as text: an aligned table for people, CSV and JSON lines for programs.
///
/// ```swift
/// print(BatchPrinter.table([batch]))
/// let csv = BatchPrinter.csv([batch])
/// ```
public enum BatchPrinter {
    /// An aligned box-drawn table with a header of names and types; numbers are right-aligned.
    ///
    /// - Parameters:
    ///   - batches: Batches with one schema (the first one's is used).
    ///   - maxRows: Above this many rows, the first and last halves are shown around a `…` row.
    ///   - maxWidth: Cells longer than this are cut with `…`.
    public static func table(_ batches: [RecordBatch], maxRows: Int = 40, maxWidth: Int = 40) -> String {
        guard let schema = batches.first?.schema else { return "(no columns)\n" }
        // Batches of another width than the first cannot share its columns; they are left out.
        let batches = batches.filter { $0.columns.count == schema.count }
        let maxRows = max(maxRows, 2)
        let maxWidth = max(maxWidth, 2)
        let total = batches.reduce(0) { $0 + $1.count }
        var rows: [[String]] = []
        var skipped = 0
        let keepHead = total > maxRows ? maxRows / 2 : total
        let keepTail = total > maxRows ? maxRows - keepHead : 0
        var index = 0
        for batch in batches {
            for r in 0..<batch.count {
                defer { index += 1 }
                guard index < keepHead || index >= total - keepTail else { skipped += 1; continue }
                rows.append(batch.columns.map { cell($0.scalar(at: r), maxWidth) })
            }
        }
        let headers = schema.fields.map(\.name)
        let types = schema.fields.map { $0.dataType.description.lowercased() }
        var widths = zip(headers, types).map { max($0.count, $1.count) }
        for row in rows { for (i, value) in row.enumerated() { widths[i] = max(widths[i], value.count) } }
        let rightAligned = schema.fields.map { $0.dataType.isNumeric }

        func line(_ left: String, _ middle: String, _ right: String) -> String {
            left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right + "\n"
        }
        func centered(_ text: String, _ width: Int) -> String {
            let space = width - text.count
            return String(repeating: " ", count: space / 2) + text + String(repeating: " ", count: space - space / 2)
        }
        func row(_ cells: [String], aligned: Bool) -> String {
            "│" + cells.enumerated().map { i, value in
                let pad = String(repeating: " ", count: widths[i] - value.count)
                if !aligned { return " " + centered(value, widths[i]) + " " }
                return " " + (rightAligned[i] ? pad + value : value + pad) + " "
            }.joined(separator: "│") + "│\n"
        }
        var out = line("┌", "┬", "┐")
        out += row(headers, aligned: false)
        out += row(types, aligned: false)
        out += line("├", "┼", "┤")
        for (i, cells) in rows.enumerated() {
            if skipped > 0 && i == keepHead { out += row(widths.map { _ in "·" }, aligned: false) }
            out += row(cells, aligned: true)
        }
        out += line("└", "┴", "┘")
        out += "\(total) row\(total == 1 ? "" : "s")" + (skipped > 0 ? " (\(rows.count) shown)" : "") + "\n"
        return out
    }

    /// RFC 4180 CSV with a header line; nulls are empty fields, fields with the delimiter, a quote
    /// or a line break are quoted with doubled quotes.
    public static func csv(_ batches: [RecordBatch], delimiter: Character = ",", header: Bool = true) -> String {
        guard let schema = batches.first?.schema else { return "" }
        let batches = batches.filter { $0.columns.count == schema.count }
        // Test scalars, not Characters: "\r\n" or "," + a combining mark is one Character.
        let special = Set(String(delimiter).unicodeScalars).union(["\"", "\n", "\r"])
        func quote(_ text: String) -> String {
            guard text.unicodeScalars.contains(where: special.contains) else { return text }
            var quoted = "\""
            for scalar in text.unicodeScalars {
                if scalar == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(scalar) }
            }
            return quoted + "\""
        }
        var out = header ? schema.fields.map { quote($0.name) }.joined(separator: String(delimiter)) + "\n" : ""
        for batch in batches {
            for r in 0..<batch.count {
                out += batch.columns.map { column in
                    let value = column.scalar(at: r)
                    if value.isNull { return "" }
                    let text = value.formatted
                    // An empty string is written "" so it reads back differently from NULL.
                    return text.isEmpty ? "\"\"" : quote(text)
                }.joined(separator: String(delimiter)) + "\n"
            }
        }
        return out
    }

    /// One JSON object per row, keys in schema order. Numbers are JSON numbers (NaN and
    /// infinities, which JSON lacks, are strings); decimals are exact numbers; dates and times are
    /// ISO-8601 strings; lists are arrays and structs objects.
    public static func jsonLines(_ batches: [RecordBatch]) -> String {
        var out = ""
        for batch in batches {
            for r in 0..<batch.count {
                out += "{" + zip(batch.schema.fields, batch.columns).map { field, column in
                    jsonString(field.name) + ":" + json(column.scalar(at: r))
                }.joined(separator: ",") + "}\n"
            }
        }
        return out
    }

    static func cell(_ value: Scalar, _ maxWidth: Int) -> String {
        var text = value.formatted.replacingAll("\n", with: "\\n")
        if text.count > maxWidth { text = String(text.prefix(maxWidth - 1)) + "…" }
        return text
    }

    /// One value as JSON text.
    public static func json(_ value: Scalar) -> String {
        switch value {
        case .null: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .decimal128: return value.formatted
        case .float32(let f): return f.isFinite ? value.formatted : jsonString(value.formatted)
        case .float64(let f): return f.isFinite ? value.formatted : jsonString(value.formatted)
        case .list(let items): return "[" + items.map(json).joined(separator: ",") + "]"
        case .struct(let fields):
            return "{" + fields.sorted { $0.key < $1.key }.map { jsonString($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
        default: return jsonString(value.formatted)
        }
    }

    /// `text` as a JSON string literal with the required escapes.
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
