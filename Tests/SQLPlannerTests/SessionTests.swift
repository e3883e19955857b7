import ColumnarCore
import SQLPlanner
import Testing

/// The first engine slice end to end: set-up statements, then SELECTs whose answers are worked
/// out by hand.
@Suite struct SessionTests {
    static func session() throws -> SQLSession {
        let session = SQLSession()
        try session.execute("""
            CREATE TABLE calls (id INTEGER NOT NULL, who VARCHAR, city VARCHAR, minutes DECIMAL(6,1), placed BOOLEAN);
            INSERT INTO calls VALUES
              (1, 'ada', 'Chicago', 12.5, false),
              (2, 'bob', 'Denver', 3.0, true),
              (3, 'ada', 'Chicago', 7.5, false),
              (4, 'cy', NULL, NULL, NULL),
              (5, 'bob', 'Chicago', 1.0, false);
            """)
        return session
    }

    static func rows(_ batch: RecordBatch) -> [[Scalar]] {
        (0..<batch.count).map { row in batch.columns.map { $0.scalar(at: row) } }
    }

    @Test("filter, project, order and limit")
    func simpleQuery() throws {
        let result = try Self.session().execute("SELECT id, who FROM calls WHERE city = 'Chicago' AND minutes > 5 ORDER BY id DESC LIMIT 5")
        #expect(result.schema.fields.map(\.name) == ["id", "who"])
        #expect(Self.rows(result) == [[.int32(3), .utf8("ada")], [.int32(1), .utf8("ada")]])
    }

    @Test("ORDER BY an input column that is not selected; an ordinal past the select list is an error")
    func hiddenOrderKeys() throws {
        let session = try Self.session()
        #expect(Self.rows(try session.execute("SELECT who FROM calls WHERE minutes IS NOT NULL ORDER BY minutes DESC")) ==
                [[.utf8("ada")], [.utf8("ada")], [.utf8("bob")], [.utf8("bob")]])
        #expect(throws: SQLError.self) { try session.execute("SELECT who FROM calls ORDER BY 2") }
    }

    @Test("group by with count, sum, min, max, avg and HAVING; nulls form their own group")
    func aggregates() throws {
        let result = try Self.session().execute("""
            SELECT city, count(*) AS n, count(minutes), sum(minutes), min(who), max(id), avg(id)
            FROM calls GROUP BY city HAVING count(*) >= 1 ORDER BY n DESC, city NULLS FIRST
            """)
        #expect(Self.rows(result) == [
            [.utf8("Chicago"), .int64(3), .int64(3), .decimal128(210, precision: 38, scale: 1), .utf8("ada"), .int32(5), .float64(3)],
            [.null, .int64(1), .int64(0), .null, .utf8("cy"), .int32(4), .float64(4)],
            [.utf8("Denver"), .int64(1), .int64(1), .decimal128(30, precision: 38, scale: 1), .utf8("bob"), .int32(2), .float64(2)],
        ])
    }

    @Test("constant SELECTs: literal types, arithmetic, IN, BETWEEN, IS NULL, CAST")
    func constants() throws {
        let session = SQLSession()
        let result = try session.execute("SELECT 1 + 2 * 3, 7 / 2, 1.5 + 1, 3 IN (1, 2, 3), 5 BETWEEN 6 AND 9, NULL IS NULL, CAST('42' AS BIGINT), DATE '2024-02-29' = '2024-02-29'")
        #expect(Self.rows(result)[0].map(\.formatted) == ["7", "3.5", "2.5", "true", "false", "true", "42", "true"])
        // `//` divides integers; with integer division on (SQLite, PostgreSQL), `/` does too.
        #expect(Self.rows(try session.execute("SELECT 7 // 2, -7 // 2"))[0].map(\.formatted) == ["3", "-3"])
        session.integerDivision = true
        #expect(Self.rows(try session.execute("SELECT 7 / 2, 7.0 / 2"))[0].map(\.formatted) == ["3", "3.5"])
    }

    @Test("DISTINCT, VALUES, CREATE TABLE AS, INSERT with named columns, DROP")
    func setUp() throws {
        let session = try Self.session()
        #expect(Self.rows(try session.execute("SELECT DISTINCT who FROM calls ORDER BY 1")) == [[.utf8("ada")], [.utf8("bob")], [.utf8("cy")]])
        try session.execute("CREATE TABLE long AS SELECT id, minutes FROM calls WHERE minutes >= 7.5")
        try session.execute("INSERT INTO calls (id, who) VALUES (6, 'dee')")
        #expect(Self.rows(try session.execute("SELECT count(*) FROM long")) == [[.int64(2)]])
        #expect(Self.rows(try session.execute("SELECT who, city FROM calls WHERE id = 6")) == [[.utf8("dee"), .null]])
        try session.execute("DROP TABLE long")
        #expect(throws: SQLError.self) { try session.execute("SELECT * FROM long") }
    }

    @Test("errors: unknown names list the closest ones; type errors name the operator; NOT NULL is enforced")
    func errors() throws {
        let session = try Self.session()
        let unknown = try #require(throws: SQLError.self) { try session.execute("SELECT minuts FROM calls") }
        #expect(unknown.code == .unknownName)
        #expect(unknown.validNames.first == "calls.minutes")
        #expect(unknown.position?.column == 8)
        let table = try #require(throws: SQLError.self) { try session.execute("SELECT * FROM cals") }
        #expect(table.validNames.first == "calls")
        let type = try #require(throws: SQLError.self) { try session.execute("SELECT who + 1 FROM calls") }
        #expect(type.code == .typeMismatch)
        let grouped = try #require(throws: SQLError.self) { try session.execute("SELECT who, count(*) FROM calls GROUP BY city") }
        #expect(grouped.message.contains("GROUP BY"))
        #expect(throws: SQLError.self) { try session.execute("INSERT INTO calls (who) VALUES ('x')") }
        let division = try #require(throws: SQLError.self) { try session.execute("SELECT 1 / 0") }
        #expect(division.code == .runtime)
    }
}

/// Joins (as filtered cross products for now), set operations, views and CASE-family functions.
@Suite struct SessionFeatureTests {
    static func session() throws -> SQLSession {
        let session = SQLSession()
        try session.execute("""
            CREATE TABLE a (id INTEGER, x VARCHAR);
            CREATE TABLE b (id INTEGER, y INTEGER);
            INSERT INTO a VALUES (1, 'one'), (2, 'two'), (3, 'three');
            INSERT INTO b VALUES (1, 10), (1, 11), (3, 30), (4, 40);
            """)
        return session
    }

    static func rows(_ batch: RecordBatch) -> [[String]] {
        (0..<batch.count).map { row in batch.columns.map { $0.scalar(at: row).formatted } }
    }

    @Test("inner joins: comma with WHERE, JOIN … ON, JOIN … USING")
    func joins() throws {
        let session = try Self.session()
        let expected = [["1", "one", "10"], ["1", "one", "11"], ["3", "three", "30"]]
        #expect(Self.rows(try session.execute("SELECT a.id, x, y FROM a, b WHERE a.id = b.id ORDER BY y")) == expected)
        #expect(Self.rows(try session.execute("SELECT a.id, x, y FROM a JOIN b ON a.id = b.id ORDER BY y")) == expected)
        #expect(Self.rows(try session.execute("SELECT id, x, y FROM a JOIN b USING (id) ORDER BY y")) == expected)
        #expect(Self.rows(try session.execute("SELECT count(*) FROM a CROSS JOIN b")) == [["12"]])
    }

    @Test("UNION [ALL], INTERSECT and EXCEPT with set semantics")
    func setOperations() throws {
        let session = try Self.session()
        #expect(Self.rows(try session.execute("SELECT id FROM a UNION SELECT id FROM b ORDER BY 1")) == [["1"], ["2"], ["3"], ["4"]])
        #expect(Self.rows(try session.execute("SELECT id FROM a UNION ALL SELECT id FROM b ORDER BY 1")).count == 7)
        #expect(Self.rows(try session.execute("SELECT id FROM b INTERSECT SELECT id FROM a ORDER BY 1")) == [["1"], ["3"]])
        #expect(Self.rows(try session.execute("SELECT id FROM b EXCEPT SELECT id FROM a")) == [["4"]])
    }

    @Test("views and subqueries in FROM")
    func views() throws {
        let session = try Self.session()
        try session.execute("CREATE VIEW big (k, v) AS SELECT id, y FROM b WHERE y > 10")
        #expect(Self.rows(try session.execute("SELECT k, v FROM big ORDER BY v")) == [["1", "11"], ["3", "30"], ["4", "40"]])
        #expect(Self.rows(try session.execute("SELECT max(t.v) FROM (SELECT y AS v FROM b) AS t")) == [["40"]])
        try session.execute("DROP VIEW big")
        #expect(throws: SQLError.self) { try session.execute("SELECT * FROM big") }
    }

    @Test("CASE, COALESCE, NULLIF, ABS")
    func caseFunctions() throws {
        let session = try Self.session()
        let result = try session.execute("""
            SELECT CASE WHEN y > 20 THEN 'big' WHEN y > 10 THEN 'mid' ELSE 'small' END,
                   CASE id WHEN 1 THEN 'first' END, coalesce(NULL, y), nullif(y, 10), abs(-y)
            FROM b ORDER BY y
            """)
        #expect(Self.rows(result) == [
            ["small", "first", "10", "NULL", "10"], ["mid", "first", "11", "11", "11"],
            ["big", "NULL", "30", "30", "30"], ["big", "NULL", "40", "40", "40"],
        ])
    }

    @Test("GROUP BY a CASE expression matches the same CASE in the select list, and no other")
    func groupByCase() throws {
        let session = try Self.session()
        let result = try session.execute("""
            SELECT CASE WHEN y > 20 THEN 'big' ELSE 'small' END, count(*) FROM b
            GROUP BY CASE WHEN y > 20 THEN 'big' ELSE 'small' END ORDER BY 1
            """)
        #expect(Self.rows(result) == [["big", "2"], ["small", "2"]])
        #expect(throws: SQLError.self) {
            try session.execute("SELECT CASE WHEN y > 30 THEN 1 END, count(*) FROM b GROUP BY CASE WHEN y > 20 THEN 1 END")
        }
    }

    @Test("DELETE and UPDATE: rows where the condition is NULL are left alone")
    func deleteAndUpdate() throws {
        let session = try Self.session()
        try session.execute("INSERT INTO b VALUES (NULL, 50)")
        #expect(Self.rows(try session.execute("DELETE FROM b WHERE id > 1")) == [["2"]])
        #expect(Self.rows(try session.execute("SELECT id, y FROM b ORDER BY y")) == [["1", "10"], ["1", "11"], ["NULL", "50"]])
        #expect(Self.rows(try session.execute("UPDATE b SET y = y * 2, id = 7 WHERE y < 11")) == [["1"]])
        #expect(Self.rows(try session.execute("SELECT id, y FROM b ORDER BY y")) == [["1", "11"], ["7", "20"], ["NULL", "50"]])
        try session.execute("DELETE FROM b")
        #expect(Self.rows(try session.execute("SELECT count(*) FROM b")) == [["0"]])
    }
}
