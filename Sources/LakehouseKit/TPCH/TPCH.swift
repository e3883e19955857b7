import ColumnarCore
import SQLPlanner

/// The TPC-H harness: a session over the eight tables' Parquet files and the comparison rule
/// of `../shared/tpch/README.md` (row count, exact text, dates and integers; other numbers to
/// 1e-6 relative; rows in order, or in another order where ORDER BY has ties).
public enum TPCH {
    public static let tables = ["customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"]

    /// A session with each table as a view over `read_parquet('<directory>/<table>.parquet')`.
    public static func session(dataDirectory: String) throws(SQLError) -> SQLSession {
        let session = SQLSession.lakehouse()
        for table in tables {
            let path = dataDirectory + "/" + table + ".parquet"
            try session.execute("CREATE VIEW \(table) AS SELECT * FROM read_parquet('\(path.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''"))')")
        }
        return session
    }

    /// How a result compares with an expected answer.
    public struct Comparison: Sendable {
        public var matches: Bool
        /// The rows match only after sorting (ties of ORDER BY came back in another order).
        public var orderDiffers: Bool
        /// What differs, when something does.
        public var message: String
    }

    /// Compares a result with an answer file's text (a header line, then RFC 4180 rows).
    public static func compare(_ result: RecordBatch, expectedCSV: String) -> Comparison {
        var expected = parseCSV(expectedCSV)
        guard !expected.isEmpty else { return Comparison(matches: false, orderDiffers: false, message: "empty answer file") }
        expected.removeFirst()
        let exact = result.schema.fields.map { field -> Bool in
            switch field.dataType {
            case .float32, .float64, .decimal128, .decimal256: return false
            default: return true
            }
        }
        var actual: [[String]] = []
        for row in 0..<result.count {
            actual.append(result.columns.map { column in
                let value = column.scalar(at: row)
                return value == .null ? "" : value.formatted
            })
        }
        guard actual.count == expected.count else {
            return Comparison(matches: false, orderDiffers: false, message: "\(actual.count) rows, expected \(expected.count)")
        }
        if let problem = firstDifference(actual, expected, exact: exact) {
            let sortedActual = actual.sorted { $0.lexicographicallyPrecedes($1) }
            let sortedExpected = expected.sorted { $0.lexicographicallyPrecedes($1) }
            if firstDifference(sortedActual, sortedExpected, exact: exact) == nil {
                return Comparison(matches: true, orderDiffers: true, message: "order differs")
            }
            return Comparison(matches: false, orderDiffers: false, message: problem)
        }
        return Comparison(matches: true, orderDiffers: false, message: "")
    }

    static func firstDifference(_ actual: [[String]], _ expected: [[String]], exact: [Bool]) -> String? {
        for (r, (a, e)) in zip(actual, expected).enumerated() {
            guard a.count == e.count else { return "row \(r + 1): \(a.count) columns, expected \(e.count)" }
            for c in a.indices where !cellMatches(a[c], e[c], exact: exact[c]) {
                return "row \(r + 1) column \(c + 1): \(a[c]), expected \(e[c])"
            }
        }
        return nil
    }

    /// The README's `cell_ok`: equal text, or numbers within 1e-6 relative (1e-6 absolute near
    /// zero), or else equal to 1% after rounding both to hundredths.
    static func cellMatches(_ a: String, _ e: String, exact: Bool) -> Bool {
        if a == e { return true }
        guard !exact, let x = Double(a), let y = Double(e) else { return false }
        if abs(x - y) <= 1e-6 * abs(y) + 1e-6 { return true }
        let rx = (x * 100).rounded() / 100, ry = (y * 100).rounded() / 100
        return abs(rx - ry) <= 0.01 * abs(ry)
    }

    /// RFC 4180 rows: fields split at commas, quoted fields may hold commas, quotes (doubled)
    /// and newlines.
    public static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)
        if chars.last != "\n" { chars.append("\n") }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 1 } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\n" || c == "\r" {
                if c == "\r", i + 1 < chars.count, chars[i + 1] == "\n" { i += 1 }
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
            i += 1
        }
        return rows
    }
}
