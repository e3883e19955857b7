import ColumnarCore
import SQLPlanner
import Testing

/// MERGE INTO on memory tables, with every expected table worked out by hand from the SQL
/// standard's rules: a matched target row takes the first WHEN MATCHED clause whose condition
/// holds, an unmatched source row the first WHEN NOT MATCHED one, an unmatched target row the
/// first WHEN NOT MATCHED BY SOURCE one.
@Suite struct MergeTests {
    static func rows(_ session: SQLSession, _ sql: String) throws -> [String] { try StatementTests.rows(session, sql) }
    static func failure(_ session: SQLSession, _ sql: String) -> SQLError? { StatementTests.failure(session, sql) }

    /// people(id, name, city): 1 ann Oslo, 2 bob Rome, 3 cy Paris, 4 di NULL;
    /// changes(id, name, city, op): 2 bob Milan U, 3 cy - D, 5 ed Lyon I, 6 fay Nice I.
    static func session() throws -> SQLSession {
        let s = SQLSession()
        try s.execute("""
            CREATE TABLE people (id INTEGER, name VARCHAR, city VARCHAR);
            INSERT INTO people VALUES (1, 'ann', 'Oslo'), (2, 'bob', 'Rome'), (3, 'cy', 'Paris'), (4, 'di', NULL);
            CREATE TABLE changes (id INTEGER, name VARCHAR, city VARCHAR, op VARCHAR);
            INSERT INTO changes VALUES (2, 'bob', 'Milan', 'U'), (3, 'cy', NULL, 'D'), (5, 'ed', 'Lyon', 'I'), (6, 'fay', 'Nice', 'I');
            """)
        return s
    }

    @Test("WHEN MATCHED UPDATE / DELETE by condition, WHEN NOT MATCHED INSERT; the count is every row changed")
    func upsertAndDelete() throws {
        let s = try Self.session()
        let count = try Self.rows(s, """
            MERGE INTO people AS p USING changes AS c ON p.id = c.id
            WHEN MATCHED AND c.op = 'D' THEN DELETE
            WHEN MATCHED THEN UPDATE SET city = c.city
            WHEN NOT MATCHED AND c.id < 6 THEN INSERT (id, name, city) VALUES (c.id, upper(c.name), c.city)
            """)
        #expect(count == ["3"])  // bob updated, cy deleted, ed inserted; fay matches no clause
        #expect(try Self.rows(s, "SELECT * FROM people ORDER BY id") == ["1|ann|Oslo", "2|bob|Milan", "4|di|NULL", "5|ED|Lyon"])
    }

    @Test("the first clause whose condition holds wins; DO NOTHING keeps the row")
    func clauseOrder() throws {
        let s = try Self.session()
        try s.execute("""
            MERGE INTO people p USING changes c ON p.id = c.id
            WHEN MATCHED AND c.id = 2 THEN DO NOTHING
            WHEN MATCHED AND c.id >= 2 THEN UPDATE SET name = p.name || '+' || c.op
            WHEN NOT MATCHED THEN DO NOTHING
            """)
        #expect(try Self.rows(s, "SELECT * FROM people ORDER BY id") == ["1|ann|Oslo", "2|bob|Rome", "3|cy+D|Paris", "4|di|NULL"])
    }

    @Test("UPDATE SET * and INSERT * take the source's columns by name; USING (id) joins on equal ids")
    func starsAndUsing() throws {
        let s = try Self.session()
        try s.execute("CREATE TABLE fresh AS SELECT id, name, city FROM changes WHERE op <> 'D'")
        try s.execute("MERGE INTO people AS p USING fresh AS f USING (id) WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *")
        #expect(try Self.rows(s, "SELECT * FROM people ORDER BY id")
            == ["1|ann|Oslo", "2|bob|Milan", "3|cy|Paris", "4|di|NULL", "5|ed|Lyon", "6|fay|Nice"])
    }

    @Test("WHEN NOT MATCHED BY SOURCE acts on target rows no source row matches")
    func notMatchedBySource() throws {
        let s = try Self.session()
        try s.execute("""
            MERGE INTO people p USING (SELECT * FROM changes WHERE op = 'U') AS c ON p.id = c.id
            WHEN MATCHED THEN UPDATE SET city = c.city
            WHEN NOT MATCHED BY SOURCE AND p.city IS NULL THEN DELETE
            WHEN NOT MATCHED BY SOURCE THEN UPDATE SET city = p.city || '!'
            """)
        #expect(try Self.rows(s, "SELECT * FROM people ORDER BY id") == ["1|ann|Oslo!", "2|bob|Milan", "3|cy|Paris!"])
    }

    @Test("a source given as VALUES, and a NULL key, which matches nothing")
    func valuesSource() throws {
        let s = try Self.session()
        try s.execute("""
            MERGE INTO people USING (VALUES (1, 'Bergen'), (NULL, 'Nowhere')) AS v(id, city) ON people.id = v.id
            WHEN MATCHED THEN UPDATE SET city = v.city
            WHEN NOT MATCHED THEN INSERT (id, city) VALUES (v.id, v.city)
            """)
        #expect(try Self.rows(s, "SELECT * FROM people ORDER BY id NULLS LAST")
            == ["1|ann|Bergen", "2|bob|Rome", "3|cy|Paris", "4|di|NULL", "NULL|NULL|Nowhere"])
    }

    @Test("errors: a target row matched twice, unknown columns, a target column in INSERT, a missing clause")
    func errors() throws {
        let s = try Self.session()
        try s.execute("INSERT INTO changes VALUES (2, 'bob', 'Turin', 'U')")
        let twice = Self.failure(s, "MERGE INTO people p USING changes c ON p.id = c.id WHEN MATCHED THEN UPDATE SET city = c.city")
        #expect(twice?.code == .runtime)
        #expect(twice?.message.contains("more than one") == true)
        #expect(try Self.rows(s, "SELECT city FROM people WHERE id = 2") == ["Rome"])  // nothing changed
        #expect(Self.failure(s, "MERGE INTO people p USING changes c ON p.id = c.nope WHEN MATCHED THEN DELETE")?.code == .unknownName)
        #expect(Self.failure(s, "MERGE INTO people p USING changes c ON p.id = c.id WHEN NOT MATCHED THEN INSERT VALUES (c.id, p.name, c.city)")?.code == .unknownName)
        #expect(Self.failure(s, "MERGE INTO people p USING changes c ON p.id = c.id")?.code == .syntax)
        #expect(Self.failure(s, "MERGE INTO people p USING changes c ON p.id = c.id WHEN NOT MATCHED THEN DELETE")?.code == .syntax)
        #expect(Self.failure(s, "MERGE INTO nobody p USING changes c ON p.id = c.id WHEN MATCHED THEN DELETE")?.code == .unknownName)
    }
}
