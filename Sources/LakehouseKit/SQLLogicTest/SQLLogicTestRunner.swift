import Foundation

/// Runs sqllogictest files (the format of `../shared/sql-corpus/README.md`) against a fresh
/// ``SQLSession`` per file: statement and query records, `skipif`/`onlyif`, `halt`, loops,
/// sort modes, hashed results and the three result-rendering dialects.
public struct SQLLogicTestRunner {
    /// How expected results are written.
    public enum Dialect: String, Sendable { case sqlite, duckdb, datafusion }

    /// One record that did not pass.
    public struct Failure: Sendable {
        public var line: Int
        public var sql: String
        public var expected: String
        public var actual: String
    }

    /// The outcome of one file.
    public struct FileResult: Sendable {
        public var path: String
        public var passed = 0
        public var failed = 0
        /// Records skipped by their own conditions (and EXPLAIN / engine settings).
        public var skipped = 0
        public var failures: [Failure] = []
    }

    /// The engine names this runner answers to in `skipif`/`onlyif`.
    public static let engineName = "lakehouse"

    /// The dialect of a file, from its folder or extension.
    public static func dialect(of path: String) -> Dialect {
        if path.hasSuffix(".slt") || path.contains("/datafusion/") { return .datafusion }
        if path.contains("/sqlite/") { return .sqlite }
        return .duckdb
    }

    /// Runs one file; never throws (a file that cannot be read counts one failure).
    ///
    /// - Parameter stackBudget: The parser's stack budget; only raise it on a thread with a
    ///   large stack.
    public static func run(file path: String, stackBudget: Int = StackGuard.defaultBudget) -> FileResult {
        var result = FileResult(path: path)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            result.failed = 1
            result.failures.append(Failure(line: 0, sql: "", expected: "a readable file", actual: "unreadable"))
            return result
        }
        let dialect = dialect(of: path)
        // "\r\n" is one Character in Swift: normalise line ends before splitting.
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n")
        let lines = expandLoops(normalised.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }.enumerated().map { (number: $0.offset + 1, text: $0.element) })
        let engines: Set<String> = dialect == .sqlite ? [engineName, "postgresql"] : [engineName]
        let session = SQLSession.lakehouse()
        // SQLite's and DataFusion's files divide integers as integers; DuckDB's do not.
        session.integerDivision = dialect != .duckdb
        // Run on a thread with a large stack (the CLI's main thread): allow deep expressions.
        session.parserStackBudget = stackBudget
        var i = 0
        var skipConditions: [String] = []
        var onlyConditions: [String] = []
        func blank(_ s: String) -> Bool { s.trimmingCharacters(in: .whitespaces).isEmpty }
        while i < lines.count {
            let (number, line) = lines[i]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let tokens = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            i += 1
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if tokens[0] == "skipif", tokens.count > 1 { skipConditions.append(tokens[1]); continue }
            if tokens[0] == "onlyif", tokens.count > 1 { onlyConditions.append(tokens[1]); continue }
            let skip = skipConditions.contains(where: engines.contains) || (!onlyConditions.isEmpty && !onlyConditions.contains(where: engines.contains))
            skipConditions = []
            onlyConditions = []
            switch tokens[0] {
            case "halt":
                if skip { continue }
                return result
            case "hash-threshold", "require", "mode", "loop", "foreach", "endloop", "concurrentloop":
                continue
            case "statement", "query":
                break
            default:
                continue
            }
            // The record's SQL, then (after ----) its expected block.
            var sqlLines: [String] = []
            while i < lines.count, !blank(lines[i].text), lines[i].text != "----" {
                sqlLines.append(lines[i].text)
                i += 1
            }
            var expected: [String] = []
            if i < lines.count, lines[i].text == "----" {
                i += 1
                while i < lines.count, !blank(lines[i].text) {
                    expected.append(lines[i].text)
                    i += 1
                }
            }
            let sql = sqlLines.joined(separator: "\n")
            let upper = sql.trimmingCharacters(in: .whitespaces).uppercased()
            if skip || upper.hasPrefix("EXPLAIN") || upper.hasPrefix("SET ") || upper.hasPrefix("RESET ") {
                result.skipped += 1
                continue
            }
            if tokens[0] == "statement" {
                let expectError = tokens.count > 1 && tokens[1] == "error"
                do {
                    try session.execute(sql)
                    if expectError {
                        fail(&result, number, sql, expected: "an error", actual: "success")
                    } else {
                        result.passed += 1
                    }
                } catch {
                    if expectError {
                        result.passed += 1
                    } else {
                        fail(&result, number, sql, expected: "success", actual: error.description)
                    }
                }
                continue
            }
            // query <types> [sortmode] [label]  |  query error …
            if tokens.count > 1 && tokens[1] == "error" {
                if (try? session.execute(sql)) == nil { result.passed += 1 } else { fail(&result, number, sql, expected: "an error", actual: "success") }
                continue
            }
            let types = tokens.count > 1 ? Array(tokens[1]) : []
            let sortMode = tokens.count > 2 ? tokens[2] : "nosort"
            let batch: RecordBatch
            do {
                batch = try session.execute(sql)
            } catch {
                fail(&result, number, sql, expected: expected.joined(separator: "\n"), actual: error.description)
                continue
            }
            var rows: [[String]] = (0..<batch.count).map { row in
                batch.columns.enumerated().map { column, values in
                    render(values.scalar(at: row), type: column < types.count ? types[column] : "T", dialect: dialect)
                }
            }
            if sortMode == "rowsort" { rows.sort { $0.lexicographicallyPrecedes($1) } }
            var values = rows.flatMap { $0 }
            if sortMode == "valuesort" { values.sort() }
            if matches(rows: rows, values: values, expected: expected, columns: batch.columns.count, dialect: dialect) {
                result.passed += 1
            } else {
                fail(&result, number, sql, expected: expected.joined(separator: "\n"),
                     actual: rows.map { $0.joined(separator: dialect == .datafusion ? " " : "\t") }.joined(separator: "\n"))
            }
        }
        return result
    }

    static func fail(_ result: inout FileResult, _ line: Int, _ sql: String, expected: String, actual: String) {
        result.failed += 1
        result.failures.append(Failure(line: line, sql: sql, expected: expected, actual: actual))
    }

    /// Whether the rendered result equals the expected block in the file's layout.
    static func matches(rows: [[String]], values: [String], expected: [String], columns: Int, dialect: Dialect) -> Bool {
        if expected.count == 1, let hash = expected.first, hash.contains(" values hashing to ") {
            let parts = hash.split(separator: " ")
            guard let count = Int(parts[0]), count == values.count else { return false }
            return MD5.hex(Array(values.map { $0 + "\n" }.joined().utf8)) == String(parts.last ?? "")
        }
        switch dialect {
        case .sqlite:
            return values == expected
        case .datafusion:
            let actual = rows.map { $0.joined(separator: " ") }
            return actual.count == expected.count
                && zip(actual, expected).allSatisfy { $0.trimmingTrailingSpaces == $1.trimmingTrailingSpaces }
        case .duckdb:
            let rowWise = columns > 1 && (expected.count == rows.count || expected.allSatisfy { $0.contains("\t") })
            let expectedValues = rowWise ? expected.flatMap { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) } : expected
            guard expectedValues.count == values.count else { return false }
            return zip(values, expectedValues).allSatisfy { sameValue($0, $1) }
        }
    }

    /// DuckDB's harness: equal text, or equal numbers (floats within 1%; NaN equals NaN however
    /// it is spelled).
    static func sameValue(_ actual: String, _ expected: String) -> Bool {
        if actual == expected { return true }
        if actual.lowercased() == "nan" && expected.lowercased() == "nan" { return true }
        if (actual == "true" && expected == "1") || (actual == "false" && expected == "0") { return true }
        if actual == "true" || actual == "false" { return actual == expected.lowercased() }
        guard let a = Double(actual), let e = Double(expected) else { return false }
        return abs(a - e) <= 0.01 * abs(e) + 1e-8
    }

    /// A value as the dialect writes it.
    static func render(_ value: Scalar, type: Character, dialect: Dialect) -> String {
        if value.isNull { return "NULL" }
        switch dialect {
        case .sqlite:
            switch type {
            case "I":
                switch value {
                case .boolean(let b): return b ? "1" : "0"
                case .float32(let f): return f.isFinite ? String(Int64(f)) : "0"
                case .float64(let d): return d.isFinite && abs(d) < 9.2e18 ? String(Int64(d)) : "0"
                case .decimal128(let v, _, let scale):
                    var p: Int128 = 1
                    for _ in 0..<scale { p *= 10 }
                    return String(v / p)
                case .utf8(let s):
                    let digits = s.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber || $0 == "-" || $0 == "+" }
                    return Int(digits).map(String.init) ?? "0"
                default: return value.formatted
                }
            case "R":
                let number: Double? = switch value {
                case .float32(let f): Double(f)
                case .float64(let d): d
                case .boolean(let b): b ? 1 : 0
                default: Double(value.formatted)
                }
                guard let number else { return value.formatted }
                return String(format: "%.3f", number)
            default:
                var text = value.formatted
                if case .utf8(let s) = value { text = s }
                if text.isEmpty { return "(empty)" }
                return String(text.unicodeScalars.map { (0x20...0x7E).contains($0.value) ? Character($0) : "@" })
            }
        case .duckdb:
            if case .utf8(let s) = value, s.isEmpty { return "(empty)" }
            if case .utf8(let s) = value { return s }
            return value.formatted
        case .datafusion:
            switch value {
            case .utf8(let s): return s.isEmpty ? "(empty)" : (s.hasSuffix("\n") ? String(s.dropLast()) : s)
            case .float32(let f): return _datafusionFloat(Double(f))
            case .float64(let d): return _datafusionFloat(d)
            case .decimal128: return _datafusionFloat(Double(value.formatted) ?? 0)
            case .timestamp: return value.formatted.replacingOccurrences(of: " ", with: "T")
            default: return value.formatted
            }
        }
    }

    /// Expands `loop`/`foreach` … `endloop` blocks, substituting `{VAR}` and `${VAR}`.
    static func expandLoops(_ lines: [(number: Int, text: String)]) -> [(number: Int, text: String)] {
        var out: [(number: Int, text: String)] = []
        var i = 0
        while i < lines.count {
            let tokens = lines[i].text.trimmingCharacters(in: .whitespaces).split(separator: " ").map(String.init)
            guard let head = tokens.first, head == "loop" || head == "foreach" || head == "concurrentloop", tokens.count >= 2 else {
                out.append(lines[i])
                i += 1
                continue
            }
            // Find the matching endloop.
            var depth = 1
            var j = i + 1
            while j < lines.count {
                let first = lines[j].text.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
                if first == "loop" || first == "foreach" || first == "concurrentloop" { depth += 1 }
                if first == "endloop" { depth -= 1; if depth == 0 { break } }
                j += 1
            }
            let body = Array(lines[(i + 1)..<Swift.min(j, lines.count)])
            var bindings: [[(String, String)]] = []
            if head == "foreach" {
                let names = tokens[1].split(separator: ",").map(String.init)
                for value in tokens.dropFirst(2) {
                    let parts = value.split(separator: ",").map(String.init)
                    bindings.append(zip(names, parts).map { ($0, $1) })
                }
            } else if tokens.count >= 4, let start = Int(tokens[2]), let end = Int(tokens[3]), start <= end {
                bindings = (start..<end).map { [(tokens[1], String($0))] }
            }
            for binding in bindings {
                let substituted = body.map { line -> (number: Int, text: String) in
                    var text = line.text
                    for (name, value) in binding {
                        text = text.replacingOccurrences(of: "${" + name + "}", with: value).replacingOccurrences(of: "{" + name + "}", with: value)
                    }
                    return (line.number, text)
                }
                out.append(contentsOf: expandLoops(substituted))
            }
            i = j + 1
        }
        return out
    }
}

/// DataFusion's float display: 12 decimals, plain notation, no trailing zeros.
func _datafusionFloat(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
    var text = String(format: "%.12f", d)
    while text.contains(".") && (text.hasSuffix("0") || text.hasSuffix(".")) { text.removeLast() }
    return text == "-0" ? "0" : text
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
