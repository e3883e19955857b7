import Foundation
import SQLPlanner
import Testing

@Suite struct LexerTests {
    @Test("tokens carry kinds, unescaped text and line/column positions")
    func tokens() throws {
        let tokens = try SQLLexer.tokenize("SELECT 'it''s', \"Odd Name\", 1.5e3, 42\n  FROM t -- comment\n/* block */ WHERE a<>b")
        #expect(tokens.map(\.kind) == [.word, .string, .symbol, .quotedIdentifier, .symbol, .decimal, .symbol, .integer,
                                       .word, .word, .word, .word, .symbol, .word, .end])
        #expect(tokens[1].text == "it's")
        #expect(tokens[3].text == "Odd Name")
        #expect(tokens[8].position == SourcePosition(offset: 40, line: 2, column: 3))
        #expect(tokens[11].position.line == 3)
        #expect(tokens[12].text == "<>")
    }

    @Test("columns count characters, not bytes")
    func unicodeColumns() throws {
        let tokens = try SQLLexer.tokenize("SELECT 'ünï' , x")
        #expect(tokens.last { $0.text == "x" }?.position.column == 16)
    }

    @Test("an unterminated string is a syntax error with its position")
    func unterminated() {
        let error = #expect(throws: SQLError.self) { try SQLLexer.tokenize("SELECT 'abc") }
        #expect(error?.code == .syntax)
        #expect(error?.position?.column == 8)
    }
}

@Suite struct ParserTests {
    @Test("a SELECT with every clause parses into the expected parts")
    func fullSelect() throws {
        let statement = try SQLParser.parseStatement("""
            WITH big AS (SELECT * FROM orders WHERE total > 100)
            SELECT DISTINCT c.name AS customer, count(*) FILTER (WHERE o.total > 5) n, sum(o.total)
            FROM customers c LEFT JOIN big o ON o.customer_id = c.id
            WHERE c.city IN ('Chicago', 'Denver') AND NOT c.banned
            GROUP BY 1 HAVING count(*) >= 5
            ORDER BY n DESC NULLS LAST, customer
            LIMIT 10 OFFSET 20;
            """)
        guard case .query(let query) = statement, case .select(let select) = query.body else {
            Issue.record("not a select: \(statement)")
            return
        }
        #expect(query.with.map(\.name) == ["big"])
        #expect(select.distinct)
        #expect(select.items.count == 3)
        if case .expression(_, let alias) = select.items[1] { #expect(alias == "n") }
        if case .expression(.function(let call), _) = select.items[1] {
            #expect(call.name == "count")
            #expect(call.filter != nil)
        } else {
            Issue.record("count(*) FILTER not parsed")
        }
        guard case .join(.left, .table(["customers"], let alias, _), .table(["big"], _, _), .on) = select.from[0] else {
            Issue.record("join not parsed: \(select.from)")
            return
        }
        #expect(alias?.name == "c")
        if case .literal(.integer("1"), let position)? = select.groupBy.first, select.groupBy.count == 1 {
            #expect(position.line == 5 && position.column == 10)
        } else {
            Issue.record("GROUP BY 1: \(select.groupBy)")
        }
        #expect(query.orderBy.map(\.descending) == [true, false])
        #expect(query.orderBy.first?.nullsFirst == false)
        #expect(query.limit == .literal(.integer("10"), query.limit!.position))
        #expect(query.offset != nil)
    }

    @Test("operator precedence follows PostgreSQL: AND over OR, * over +, || between + and =")
    func precedence() throws {
        let expression = try SQLParser.parseExpression("a OR b AND c = 1 + 2 * 3")
        guard case .binary(.or, .column(["a"], _), .binary(.and, .column(["b"], _), .binary(.equal, .column(["c"], _),
              .binary(.add, .literal(.integer("1"), _), .binary(.multiply, _, _, _), _), _), _), _) = expression else {
            Issue.record("wrong tree: \(expression)")
            return
        }
        guard case .binary(.equal, .binary(.concat, _, .binary(.add, _, _, _), _), _, _) = try SQLParser.parseExpression("x || y + 1 = z") else {
            Issue.record("|| should bind looser than + and tighter than =")
            return
        }
        guard case .unary(.not, .between(_, _, _, negated: false, _), _) = try SQLParser.parseExpression("NOT x BETWEEN 1 AND 2") else {
            Issue.record("NOT x BETWEEN")
            return
        }
        guard case .literal(.integer("-9223372036854775808"), _) = try SQLParser.parseExpression("-9223372036854775808") else {
            Issue.record("negative literal folded")
            return
        }
    }

    @Test("predicates: IS [NOT] DISTINCT FROM, NOT IN, ILIKE ESCAPE, casts, CASE, EXISTS, scalar subqueries")
    func predicates() throws {
        let cases: [(String, (SQLExpression) -> Bool)] = [
            ("a IS NOT DISTINCT FROM b", { if case .isDistinctFrom(_, _, negated: true, _) = $0 { return true }; return false }),
            ("a NOT IN (1, 2, NULL)", { if case .inList(_, let items, negated: true, _) = $0 { return items.count == 3 }; return false }),
            ("name ILIKE 'a%' ESCAPE '!'", { if case .like(_, _, .some, caseInsensitive: true, negated: false, _) = $0 { return true }; return false }),
            ("x::DECIMAL(12, 2)", { if case .cast(_, let t, false, _) = $0 { return t == SQLTypeName(name: "DECIMAL", parameters: [12, 2]) }; return false }),
            ("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END", { if case .caseWhen(nil, let b, .some, _) = $0 { return b.count == 2 }; return false }),
            ("NOT EXISTS (SELECT 1 FROM t WHERE t.a = u.a)", { if case .exists(_, negated: true, _) = $0 { return true }; return false }),
            ("(SELECT max(x) FROM t) + 1", { if case .binary(.add, .subquery, _, _) = $0 { return true }; return false }),
            ("x = ANY (SELECT y FROM t)", { if case .quantified(.equal, _, all: false, _, _) = $0 { return true }; return false }),
            ("DATE '2024-01-31' + INTERVAL '3' DAY", { if case .binary(.add, .literal(.typed(_, "2024-01-31"), _), .literal(.interval("3", unit: "DAY"), _), _) = $0 { return true }; return false }),
            ("extract(year FROM d)", { if case .function(let f) = $0 { return f.name == "date_part" && f.arguments.count == 2 }; return false }),
            ("substring(s FROM 2 FOR 3)", { if case .function(let f) = $0 { return f.arguments.count == 3 }; return false }),
            ("position('a' IN s)", { if case .function(let f) = $0 { return f.name == "strpos" }; return false }),
            ("string_agg(name, ',' ORDER BY name)", { if case .function(let f) = $0 { return f.orderBy.count == 1 }; return false }),
            ("row_number() OVER (PARTITION BY a ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", {
                if case .function(let f) = $0 { return f.over?.frame?.unit == .rows && f.over?.partitionBy.count == 1 }; return false }),
        ]
        for (sql, check) in cases {
            let expression = try SQLParser.parseExpression(sql)
            #expect(check(expression), "\(sql) → \(expression)")
        }
    }

    @Test("set operations: INTERSECT binds tighter than UNION; VALUES; set-up statements")
    func statements() throws {
        guard case .query(let q) = try SQLParser.parseStatement("SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 3"),
              case .setOperation(.union, all: true, .select, .setOperation(.intersect, all: false, _, _)) = q.body else {
            Issue.record("set operation precedence")
            return
        }
        let script = try SQLParser.parse("""
            CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL, price DECIMAL(10,2), tags TEXT[]);
            INSERT INTO t VALUES (1, 'a', 1.5, NULL), (2, 'b', 2, NULL);
            INSERT INTO t (id, name) SELECT id + 10, name FROM t;
            CREATE VIEW v AS SELECT * FROM t;
            CREATE TABLE u AS SELECT id FROM t;
            UPDATE t SET price = price * 2 WHERE id = 1;
            DELETE FROM t WHERE id > 5;
            DROP TABLE IF EXISTS u;
            EXPLAIN ANALYZE SELECT * FROM t;
            """)
        #expect(script.count == 9)
        guard case .createTable(_, let columns, _, _, nil) = script[0] else {
            Issue.record("create table")
            return
        }
        #expect(columns.map(\.name) == ["id", "name", "price", "tags"])
        #expect(columns.map(\.notNull) == [true, true, false, false])
        #expect(columns[2].type == SQLTypeName(name: "DECIMAL", parameters: [10, 2]))
        #expect(columns[3].type.isArray)
        if case .insert(_, let names, let source) = script[1], case .values(let rows) = source.body {
            #expect(names.isEmpty)
            #expect(rows.count == 2)
        } else {
            Issue.record("insert values")
        }
        if case .explain(.query, analyze: true) = script[8] {} else { Issue.record("explain analyze") }
    }

    @Test("syntax errors name line and column and draw a caret under the token")
    func errors() {
        let error = #expect(throws: SQLError.self) { try SQLParser.parse("SELECT a,\n  FROM t") }
        #expect(error?.code == .syntax)
        #expect(error?.position?.line == 2)
        #expect(error?.position?.column == 3)
        #expect(error?.description.contains("  FROM t\n    ^") == true, "\(error?.description ?? "")")
        for bad in ["SELECT (1", "SELECT * FROM", "SELECT 1 +", "INSERT t VALUES (1)", "SELECT CASE END", "SELECT a NOT 1", "@"] {
            #expect(throws: SQLError.self, "\(bad)") { try SQLParser.parse(bad) }
        }
    }

    @Test("absurd nesting is refused with an error, never a crash")
    func depth() {
        let deep = String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
        let error = #expect(throws: SQLError.self) { try SQLParser.parse("SELECT " + deep) }
        #expect(error?.message.contains("deeper") == true)
        let negations = "SELECT " + String(repeating: "NOT ", count: 5_000) + "TRUE"
        #expect(throws: SQLError.self) { try SQLParser.parse(negations) }
        let subqueries = "SELECT " + String(repeating: "(SELECT ", count: 2_000) + "1" + String(repeating: ")", count: 2_000)
        #expect(throws: SQLError.self) { try SQLParser.parse(subqueries) }
    }

    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")

    @Test("all 22 TPC-H queries parse")
    func tpch() throws {
        let directory = Self.shared.appendingPathComponent("tpch/queries")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.count == 22)
        for file in files {
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            do {
                _ = try SQLParser.parse(sql)
            } catch {
                Issue.record("\(file): \(error)")
            }
        }
    }
}

/// How much of the conformance corpus the parser accepts (the engine's pass rate comes later;
/// this measures the front end alone and guards it against regressions).
@Suite struct CorpusParseTests {
    /// The SQL of every `statement ok` and `query` record of a sqllogictest file (a light reading
    /// of the format: the header line, then SQL lines up to `----` or a blank line).
    static func statements(_ text: String) -> [String] {
        var result: [String] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        lines.append("")
        var i = 0
        while i < lines.count {
            let header = lines[i].trimmingCharacters(in: .whitespaces)
            i += 1
            guard header.hasPrefix("statement ok") || header.hasPrefix("query ") else { continue }
            var sql: [String] = []
            while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).isEmpty, lines[i] != "----" {
                sql.append(lines[i])
                i += 1
            }
            let joined = sql.joined(separator: "\n")
            // Skip records that use the runner's loop variables (${i}) or DuckDB-only pragmas.
            if !joined.contains("${"), !joined.uppercased().hasPrefix("PRAGMA"), !joined.isEmpty { result.append(joined) }
        }
        return result
    }

    @Test("share of corpus statements the parser accepts, per suite", arguments: [("sqlite", 0.99), ("duckdb", 0.88), ("datafusion", 0.89)])
    func corpus(suite: String, floor: Double) throws {
        let root = ParserTests.shared.appendingPathComponent("sql-corpus/" + suite)
        guard let walker = FileManager.default.enumerator(atPath: root.path) else {
            Issue.record("no corpus at \(root.path)")
            return
        }
        var total = 0
        var parsed = 0
        var failures: [String: Int] = [:]
        for case let file as String in walker where file.hasSuffix(".test") || file.hasSuffix(".slt") {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for sql in Self.statements(text) {
                total += 1
                do {
                    _ = try SQLParser.parse(sql)
                    parsed += 1
                } catch {
                    failures[String(error.message.prefix(60)), default: 0] += 1
                }
            }
        }
        let rate = Double(parsed) / Double(max(total, 1))
        print("parser, \(suite): \(parsed) of \(total) statements (\(String(format: "%.1f", rate * 100))%)")
        for (message, count) in failures.sorted(by: { $0.value > $1.value }).prefix(5) { print("  \(count) × \(message)") }
        #expect(total > 0)
        #expect(rate >= floor, "\(suite): \(rate)")
    }
}
