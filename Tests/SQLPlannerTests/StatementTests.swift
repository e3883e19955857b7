import ColumnarCore
import SQLPlanner
import Testing

/// Prepared statements, LIMIT expressions, ALTER TABLE, UPDATE/DELETE aliases, DISTINCT ON,
/// TRY_CAST and INSERT typing, with answers worked out by hand.
@Suite struct StatementTests {
    static func rows(_ session: SQLSession, _ sql: String) throws -> [String] {
        let batch = try session.execute(sql)
        return (0..<batch.count).map { row in batch.columns.map { $0.scalar(at: row).formatted }.joined(separator: "|") }
    }

    static func failure(_ session: SQLSession, _ sql: String) -> SQLError? {
        do {
            _ = try session.execute(sql)
            return nil
        } catch {
            return error
        }
    }

    static func numbers() throws -> SQLSession {
        let s = SQLSession()
        try s.execute("CREATE TABLE n (i INTEGER, j INTEGER); INSERT INTO n VALUES (2, 3), (2, 7), (4, 5), (1, NULL)")
        return s
    }

    @Test("PREPARE and EXECUTE bind ? and $n to the values given")
    func prepared() throws {
        let s = try Self.numbers()
        try s.execute("PREPARE q AS SELECT i FROM n WHERE i >= ? ORDER BY i LIMIT ?")
        #expect(try Self.rows(s, "EXECUTE q(2, 2)") == ["2", "2"])
        #expect(try Self.rows(s, "EXECUTE q(3, 10)") == ["4"])
        try s.execute("PREPARE r AS SELECT $2 || $1")
        #expect(try Self.rows(s, "EXECUTE r('b', 'a')") == ["ab"])
        #expect(Self.failure(s, "EXECUTE q(1)")?.code == .syntax)  // the LIMIT parameter has no value
        try s.execute("DEALLOCATE q")
        #expect(Self.failure(s, "EXECUTE q(1, 1)")?.code == .unknownName)
    }

    @Test("LIMIT and OFFSET take constant expressions and scalar subqueries; negatives are errors")
    func limits() throws {
        let s = try Self.numbers()
        #expect(try Self.rows(s, "SELECT i FROM n ORDER BY i LIMIT 1 + 1") == ["1", "2"])
        #expect(try Self.rows(s, "SELECT i FROM n ORDER BY i LIMIT (SELECT min(i) FROM n) OFFSET 2") == ["2"])
        #expect(try Self.rows(s, "SELECT i FROM n ORDER BY i LIMIT NULL").count == 4)
        #expect(Self.failure(s, "SELECT i FROM n LIMIT -1") != nil)
        #expect(Self.failure(s, "SELECT i FROM n LIMIT 1 OFFSET (SELECT -1)") != nil)
    }

    @Test("ALTER TABLE adds, drops and renames columns and tables")
    func alter() throws {
        let s = try Self.numbers()
        try s.execute("ALTER TABLE n ADD COLUMN flag BOOLEAN DEFAULT true")
        #expect(try Self.rows(s, "SELECT i, flag FROM n WHERE i = 4") == ["4|true"])
        try s.execute("ALTER TABLE n ADD COLUMN IF NOT EXISTS flag INTEGER")  // already there: nothing happens
        try s.execute("ALTER TABLE n RENAME COLUMN j TO k")
        #expect(try Self.rows(s, "SELECT k FROM n WHERE i = 4") == ["5"])
        try s.execute("ALTER TABLE n DROP COLUMN flag")
        try s.execute("ALTER TABLE n RENAME TO m")
        #expect(try Self.rows(s, "SELECT * FROM m WHERE i = 4") == ["4|5"])
        #expect(Self.failure(s, "SELECT * FROM n")?.code == .unknownName)
        #expect(Self.failure(s, "ALTER TABLE m DROP COLUMN nope")?.code == .unknownName)
    }

    @Test("UPDATE and DELETE with an alias, and SET (a, b) = (x, y)")
    func aliases() throws {
        let s = try Self.numbers()
        try s.execute("UPDATE n AS t SET j = t.j * 10 WHERE t.i = 2")
        #expect(try Self.rows(s, "SELECT j FROM n WHERE i = 2 ORDER BY j") == ["30", "70"])
        // Subqueries in SET and WHERE, correlated through the alias.
        try s.execute("UPDATE n AS t SET j = (SELECT max(j) FROM n WHERE n.i = t.i) + 1 WHERE t.i = 2")
        #expect(try Self.rows(s, "SELECT j FROM n WHERE i = 2 ORDER BY j") == ["71", "71"])
        try s.execute("UPDATE n AS t SET j = 0 WHERE t.j = (SELECT min(j) FROM n)")
        #expect(try Self.rows(s, "SELECT i, j FROM n WHERE j = 0") == ["4|0"])
        try s.execute("UPDATE n SET j = 5 WHERE i = 4")
        try s.execute("UPDATE n SET (i, j) = (9, 9) WHERE j IS NULL")
        #expect(try Self.rows(s, "SELECT i, j FROM n WHERE i = 9") == ["9|9"])
        try s.execute("DELETE FROM n x WHERE x.i > 3")
        #expect(try Self.rows(s, "SELECT count(*) FROM n") == ["2"])
        try s.execute("CREATE TABLE gone (k INTEGER); INSERT INTO gone VALUES (2), (8); INSERT INTO n VALUES (5, 1)")
        try s.execute("DELETE FROM n USING gone WHERE n.i = gone.k")
        #expect(try Self.rows(s, "SELECT i, j FROM n") == ["5|1"])
    }

    @Test("DISTINCT ON keeps the first row of each key in ORDER BY order")
    func distinctOn() throws {
        let s = try Self.numbers()
        #expect(try Self.rows(s, "SELECT DISTINCT ON (i) i, j FROM n ORDER BY i, j DESC") == ["1|NULL", "2|7", "4|5"])
        #expect(try Self.rows(s, "SELECT DISTINCT ON (1) i, j FROM n ORDER BY 1, 2") == ["1|NULL", "2|3", "4|5"])
    }

    @Test("TRY_CAST gives NULL where the cast fails; INSERT casts each value to its column")
    func casts() throws {
        let s = SQLSession()
        #expect(try Self.rows(s, "SELECT TRY_CAST('12' AS INTEGER), TRY_CAST('x' AS INTEGER), TRY_CAST(300 AS TINYINT)") == ["12|NULL|NULL"])
        #expect(Self.failure(s, "SELECT CAST('x' AS INTEGER)") != nil)
        try s.execute("CREATE TABLE f (x DOUBLE); INSERT INTO f VALUES ('inf'), (1), ('-inf')")
        #expect(try Self.rows(s, "SELECT x FROM f ORDER BY x") == ["-inf", "1.0", "inf"])
        #expect(try Self.rows(s, "SELECT true = 1, '0' = false, 42 IS TRUE, NULL IS UNKNOWN") == ["true|true|true|true"])
        #expect(Self.failure(s, "SELECT false = 'maybe'") != nil)
    }

    @Test("CHECK constraints reject rows that make them false; NULL passes; nothing is half-inserted")
    func checks() throws {
        let s = SQLSession()
        try s.execute("CREATE TABLE c (i INTEGER CHECK (i < 5), j INTEGER, CHECK (i + j < 10))")
        try s.execute("INSERT INTO c VALUES (3, 3), (NULL, 1)")
        #expect(Self.failure(s, "INSERT INTO c VALUES (7, 0)")?.code == .runtime)
        #expect(Self.failure(s, "INSERT INTO c VALUES (1, 1), (4, 6)")?.code == .runtime)
        #expect(Self.failure(s, "UPDATE c SET j = 9 WHERE i = 3")?.code == .runtime)
        #expect(try Self.rows(s, "SELECT i, j FROM c ORDER BY j") == ["NULL|1", "3|3"])
    }

    @Test("rowid numbers a memory table's rows from 0 and stays out of *")
    func rowid() throws {
        let s = try Self.numbers()
        #expect(try Self.rows(s, "SELECT rowid, i FROM n WHERE rowid >= 2") == ["2|4", "3|1"])
        #expect(try Self.rows(s, "SELECT * FROM n WHERE rowid = 0") == ["2|3"])
        #expect(try Self.rows(s, "SELECT count(*) FROM n a JOIN n b ON a.rowid = b.rowid") == ["4"])
    }

    @Test("FROM VALUES, t.a after USING, CREATE TABLE … WITH NO DATA and with fewer column names")
    func tableForms() throws {
        let s = SQLSession()
        try s.execute("CREATE TABLE v AS FROM VALUES (1, 'a'), (2, 'b') t(k, name)")
        #expect(try Self.rows(s, "SELECT name FROM v WHERE k = 2") == ["b"])
        #expect(try Self.rows(s, "SELECT count(*) FROM VALUES (1), (2) a(x), v") == ["4"])
        #expect(try Self.rows(s, "SELECT count(*) FROM (VALUES (1), (2),)") == ["2"])
        try s.execute("CREATE TABLE w AS SELECT 2 AS k, 'x' AS other")
        #expect(try Self.rows(s, "SELECT w.k, v.k FROM v JOIN w USING (k)") == ["2|2"])
        try s.execute("CREATE TABLE e AS SELECT 42 AS answer WITH NO DATA")
        #expect(try Self.rows(s, "SELECT count(*) FROM e") == ["0"])
        try s.execute("CREATE TABLE f(first) AS SELECT 4, 'rest'")
        #expect(try Self.rows(s, "SELECT first FROM f") == ["4"])
        #expect(Self.failure(s, "CREATE TABLE g(a, b, c) AS SELECT 1") != nil)
    }

    @Test("dates before year 1 print with (BC); integers accept exponents when exact")
    func textForms() throws {
        let s = SQLSession()
        #expect(try Self.rows(s, "SELECT DATE '0001-01-01' - 1") == ["0001-12-31 (BC)"])
        #expect(try Self.rows(s, "SELECT '1994-08-14 (BC)'::DATE + 1") == ["1994-08-15 (BC)"])
        #expect(Self.failure(s, "SELECT '5881580-07-11'::DATE") != nil)  // past DuckDB's last date
        #expect(try Self.rows(s, "SELECT CAST('1e1' AS INTEGER), CAST('250E-1' AS INTEGER)") == ["10|25"])
        #expect(Self.failure(s, "SELECT CAST('25e-1' AS INTEGER)") != nil)
        #expect(try Self.rows(s, "SELECT '11:'::TIME, '11:1'::TIME") == ["11:00:00|11:01:00"])
    }
}
