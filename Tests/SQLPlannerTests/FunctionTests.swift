import ColumnarCore
import Testing
@testable import SQLPlanner

/// Scalar functions, LIKE, `||` and date arithmetic through SQL, with answers worked out by hand
/// (PostgreSQL semantics unless a test says otherwise).
@Suite struct FunctionTests {
    /// The first row of `SELECT …` as printed values.
    static func row(_ sql: String, session: SQLSession = SQLSession()) throws -> [String] {
        let result = try session.execute(sql)
        return result.columns.map { $0.scalar(at: 0).formatted }
    }

    /// One column of a query as printed values.
    static func column(_ sql: String, session: SQLSession) throws -> [String] {
        let result = try session.execute(sql)
        return (0..<result.count).map { result.columns[0].scalar(at: $0).formatted }
    }

    static func words() throws -> SQLSession {
        let session = SQLSession()
        try session.execute("""
            CREATE TABLE words (id INTEGER, w VARCHAR, p VARCHAR);
            INSERT INTO words VALUES
              (1, 'apple', 'a%'), (2, 'banana', '%an%'), (3, 'cherry', '_herr_'), (4, NULL, '%'),
              (5, 'Ärger', '_r%'), (6, 'a_b', 'a\\_b'), (7, '', ''), (8, 'abcabd', '%ab_');
            """)
        return session
    }

    static func error(_ sql: String, session: SQLSession = SQLSession()) -> SQLError? {
        do {
            _ = try session.execute(sql)
            return nil
        } catch {
            return error
        }
    }

    // MARK: LIKE

    @Test("LIKE fast paths on constant patterns: prefix, suffix, contains, multi-segment, exact; NULL stays NULL")
    func likeConstantPatterns() throws {
        let s = try Self.words()
        #expect(try Self.column("SELECT w LIKE 'a%' FROM words ORDER BY id", session: s)
                == ["true", "false", "false", "NULL", "false", "true", "false", "true"])
        #expect(try Self.column("SELECT w LIKE '%a' FROM words ORDER BY id", session: s)
                == ["false", "true", "false", "NULL", "false", "false", "false", "false"])
        #expect(try Self.column("SELECT w LIKE '%an%' FROM words ORDER BY id", session: s)
                == ["false", "true", "false", "NULL", "false", "false", "false", "false"])
        #expect(try Self.column("SELECT w LIKE '%a%a%a%' FROM words ORDER BY id", session: s)
                == ["false", "true", "false", "NULL", "false", "false", "false", "false"])
        #expect(try Self.column("SELECT w LIKE 'a%e' FROM words ORDER BY id", session: s)
                == ["true", "false", "false", "NULL", "false", "false", "false", "false"])
        #expect(try Self.column("SELECT w LIKE '' FROM words ORDER BY id", session: s)
                == ["false", "false", "false", "NULL", "false", "false", "true", "false"])
        #expect(try Self.column("SELECT id FROM words WHERE w NOT LIKE '%a%' ORDER BY id", session: s) == ["3", "5", "7"])
        // 'a%a' must not match 'a' (prefix and suffix may not overlap).
        #expect(try Self.row("SELECT 'a' LIKE 'a%a', 'aa' LIKE 'a%a', 'abc' LIKE 'abc', 'abc' LIKE 'ab'")
                == ["false", "true", "true", "false"])
    }

    @Test("LIKE with _ counts characters, per-row patterns, ESCAPE, ILIKE")
    func likeGeneral() throws {
        let s = try Self.words()
        #expect(try Self.column("SELECT w LIKE p FROM words ORDER BY id", session: s)
                == ["true", "true", "true", "NULL", "true", "false", "true", "true"])
        #expect(try Self.column("SELECT w LIKE p ESCAPE '\\' FROM words ORDER BY id", session: s)
                == ["true", "true", "true", "NULL", "true", "true", "true", "true"])
        #expect(try Self.row("SELECT 'Ä' LIKE '_', 'Äb' LIKE '__', 'Äb' LIKE '___', '100%' LIKE '100!%' ESCAPE '!', '1000' LIKE '100!%' ESCAPE '!'")
                == ["true", "true", "false", "true", "false"])
        #expect(try Self.row("SELECT 'Apple' ILIKE 'aP%', 'Apple' LIKE 'aP%', 'ÄRGER' ILIKE 'är%', 'x' NOT ILIKE 'X'")
                == ["true", "false", "true", "false"])
        #expect(try Self.row("SELECT NULL LIKE 'a', 'a' LIKE NULL") == ["NULL", "NULL"])
    }

    @Test("LIKE errors: pattern ending in the escape, escape of two characters")
    func likeErrors() {
        let ending = Self.error("SELECT 'a' LIKE 'a!' ESCAPE '!'")
        #expect(ending?.code == .syntax)
        #expect(ending?.message.contains("escape") == true)
        #expect(ending?.position?.column == 12)
        #expect(Self.error("SELECT 'a' LIKE 'a' ESCAPE '!!'")?.code == .syntax)
    }

    // MARK: Concatenation

    @Test("|| is NULL with a NULL operand and casts numbers; concat skips NULLs; concat_ws")
    func concatenation() throws {
        #expect(try Self.row("SELECT 'a' || 'b' || 'c', 'a' || NULL, 'n=' || 42, 1.5 || 'x', concat('a', NULL, 'b', 3), concat(NULL), concat_ws('-', 'a', NULL, 'b')")
                == ["abc", "NULL", "n=42", "1.5x", "ab3", "", "a-b"])
        let s = try Self.words()
        #expect(try Self.column("SELECT w || '!' FROM words WHERE id <= 4 ORDER BY id", session: s) == ["apple!", "banana!", "cherry!", "NULL"])
    }

    // MARK: Strings

    @Test("case, length in characters and bytes, reverse, repeat")
    func basicStrings() throws {
        #expect(try Self.row("SELECT lower('HeLLo Ä'), upper('straße'), length('Ärger'), char_length(''), octet_length('Ärger'), reverse('abÄ'), repeat('ab', 3), repeat('x', 0), upper(NULL)")
                == ["hello ä", "STRASSE", "5", "0", "6", "Äba", "ababab", "", "NULL"])
    }

    @Test("substring with SQL start and length rules")
    func substrings() throws {
        #expect(try Self.row("SELECT substring('hello', 2, 3), substring('hello', 0, 3), substring('hello', -5, 3), substring('hello', 3), substr('héllo', 2, 2), substring('hello' FROM 2 FOR 2), substring('hello', 9)")
                == ["ell", "he", "", "llo", "él", "el", ""])
        #expect(try Self.row("SELECT substring('hello', NULL, 2), substring(NULL, 1, 2)") == ["NULL", "NULL"])
        #expect(Self.error("SELECT substring('hello', 1, -1)")?.message.contains("negative substring length") == true)
    }

    @Test("trim family with and without characters")
    func trims() throws {
        #expect(try Self.row("SELECT trim('  a b  '), ltrim('  a '), rtrim('  a '), trim('xxaxx', 'x'), ltrim('ééaé', 'é'), btrim('xyaxy', 'yx'), trim(BOTH 'x' FROM 'xax'), trim(LEADING FROM '  a ')")
                == ["a b", "a ", "  a", "a", "aé", "a", "a", "a "])
    }

    @Test("replace, strpos and position, split_part, starts_with, ends_with, left, right, lpad, rpad")
    func searchingStrings() throws {
        #expect(try Self.row("SELECT replace('banana', 'an', 'AN'), replace('aaa', '', 'x'), replace('aaa', 'a', ''), strpos('hello', 'll'), strpos('héllo', 'l'), position('z' IN 'abc'), strpos('abc', '')")
                == ["bANANa", "aaa", "", "3", "3", "0", "1"])
        #expect(try Self.row("SELECT split_part('a,b,,c', ',', 2), split_part('a,b,,c', ',', 3), split_part('a,b', ',', 5), split_part('a,b,c', ',', -1), split_part('abc', '', 1), split_part('a--b', '--', 2)")
                == ["b", "", "", "c", "abc", "b"])
        #expect(try Self.row("SELECT starts_with('apple', 'app'), starts_with('apple', 'pp'), ends_with('apple', 'le'), ends_with('a', 'apple')")
                == ["true", "false", "true", "false"])
        #expect(try Self.row("SELECT \"left\"('héllo', 2), \"left\"('hello', -2), \"right\"('héllo', 3), \"right\"('hello', -3), \"left\"('ab', 10)")
                == ["hé", "hel", "llo", "lo", "ab"])
        #expect(try Self.row("SELECT lpad('7', 3, '0'), rpad('ab', 5, 'xy'), lpad('hello', 2), lpad('a', 3), rpad('a', 3, '')")
                == ["007", "abxyx", "he", "  a", "a"])
        #expect(Self.error("SELECT split_part('a', ',', 0)")?.message.contains("zero") == true)
    }

    @Test("regexp_matches searches anywhere; anchors, classes, groups, alternation, counted repetition, flags")
    func regularExpressions() throws {
        #expect(try Self.row("SELECT regexp_matches('hello world', 'o w'), regexp_matches('hello', '^h.l+o$'), regexp_matches('hello', '^ello'), regexp_matches('abc123', '[0-9]{3}$'), regexp_matches('abc12', '[0-9]{3}')")
                == ["true", "true", "false", "true", "false"])
        #expect(try Self.row("SELECT regexp_matches('gray', 'gr(a|e)y'), regexp_matches('grey', 'gr(?:a|e)y'), regexp_matches('groy', 'gr(a|e)y'), regexp_matches('x_1', '^\\w+$'), regexp_matches('a b', '\\s'), regexp_matches('Ärger', '^.r'), regexp_matches('ABC', 'abc', 'i'), regexp_matches('cat', '\\bcat\\b'), regexp_matches('concat', '\\bcat')")
                == ["true", "true", "false", "true", "true", "true", "true", "true", "false"])
        #expect(try Self.row("SELECT regexp_matches('aaaaaaaaaaaaaaaaaaaaaaaaaaaaab', '(a*)*c'), regexp_matches('', 'x*'), regexp_matches('b', '[^a-c]'), regexp_matches(NULL, 'a')")
                == ["false", "true", "false", "NULL"])
    }

    @Test("regexp_matches: unsupported features are a clear .unsupported error at the call")
    func regularExpressionErrors() {
        let backReference = Self.error("SELECT regexp_matches('aa', '(a)\\1')")
        #expect(backReference?.code == .unsupported)
        #expect(backReference?.message.contains("back-references") == true)
        #expect(backReference?.position?.column == 8)
        #expect(Self.error("SELECT regexp_matches('a', '(?=a)')")?.code == .unsupported)
        #expect(Self.error("SELECT regexp_matches('a', 'a', 'x')")?.code == .unsupported)
        #expect(Self.error("SELECT regexp_matches('a', '(a')")?.code == .runtime)
    }

    // MARK: Math

    @Test("round, floor and ceil keep DECIMAL; half away from zero; integers pass through")
    func rounding() throws {
        #expect(try Self.row("SELECT round(2.5), round(-2.5), round(2.345, 2), round(2.344, 2), round(1234.5, -2), floor(-1.5), ceil(1.2), ceiling(-1.2), round(7), floor(7)")
                == ["3", "-3", "2.35", "2.34", "1200", "-2", "2", "-1", "7", "7"])
        #expect(try Self.row("SELECT round(CAST(2.5 AS DOUBLE)), round(CAST(-0.125 AS DOUBLE), 2), floor(CAST(-0.5 AS DOUBLE)), round(1250, -2), round(-1250, -2), round(NULL)")
                == ["3.0", "-0.13", "-1.0", "1300", "-1300", "NULL"])
        #expect(try Self.row("SELECT round(2.5, -2147483647), round(2.5, 2147483647), round(CAST(2.5 AS DOUBLE), -400)") == ["0", "2.5", "0.0"])
        let result = try SQLSession().execute("SELECT round(2.345, 2), floor(2.5), round(CAST(1 AS DOUBLE))")
        #expect(result.columns.map(\.dataType) == [.decimal128(precision: 4, scale: 2), .decimal128(precision: 2, scale: 0), .float64])
    }

    @Test("sqrt, power, logarithms, exp, mod, sign, pi, abs")
    func transcendental() throws {
        #expect(try Self.row("SELECT sqrt(16), power(2, 10), pow(2.0, -1), ln(1), log10(1000), log(100), log(2, 8), exp(0), mod(7, 3), mod(-7, 3), sign(-4.2), sign(0), sign(3), abs(-3)")
                == ["4.0", "1024.0", "0.5", "0.0", "3.0", "2.0", "3.0", "1.0", "1", "-1", "-1", "0", "1", "3"])
        #expect(try Self.row("SELECT round(pi(), 4), sqrt(NULL), power(NULL, 2)") == ["3.1416", "NULL", "NULL"])
        #expect(Self.error("SELECT sqrt(-1)")?.message == "cannot take square root of a negative number")
        #expect(Self.error("SELECT ln(0)")?.message == "cannot take logarithm of zero")
        #expect(Self.error("SELECT power(0, -1)")?.code == .runtime)
    }

    @Test("greatest and least ignore NULLs and find a common type")
    func extremes() throws {
        #expect(try Self.row("SELECT greatest(1, 5, 3), least(4, 2.5, 3), greatest(NULL, 2), least(NULL, NULL), greatest('b', 'a', 'c')")
                == ["5", "2.5", "2", "NULL", "c"])
        let s = try Self.words()
        #expect(try Self.column("SELECT greatest(id, 3) FROM words WHERE id <= 4 ORDER BY id", session: s) == ["3", "3", "3", "4"])
    }

    // MARK: Dates

    @Test("date_part and extract: fields of dates and timestamps, ISO week, epoch")
    func dateParts() throws {
        #expect(try Self.row("SELECT extract(year FROM DATE '2024-02-29'), date_part('month', DATE '2024-02-29'), extract(day FROM DATE '2024-02-29'), extract(quarter FROM DATE '2024-08-01'), extract(dow FROM DATE '2024-03-03'), extract(doy FROM DATE '2024-12-31'), extract(week FROM DATE '2021-01-03'), extract(week FROM DATE '2024-12-30')")
                == ["2024", "2", "29", "3", "0", "366", "53", "1"])
        #expect(try Self.row("SELECT extract(hour FROM TIMESTAMP '2024-01-02 13:45:30.25'), extract(minute FROM TIMESTAMP '2024-01-02 13:45:30.25'), extract(second FROM TIMESTAMP '2024-01-02 13:45:30.25'), extract(epoch FROM TIMESTAMP '1970-01-02 00:00:01.5'), extract(epoch FROM DATE '1970-01-03'), year(DATE '1999-12-31'), extract(hour FROM DATE '2024-01-01')")
                == ["13", "45", "30", "86401.5", "172800.0", "1999", "0"])
        #expect(try Self.row("SELECT extract(year FROM DATE '1969-12-31'), extract(dow FROM DATE '1969-12-31'), extract(year FROM NULL), DATE '2024-01-01' + INTERVAL '1' DAY IS NULL, NULL + INTERVAL '1' DAY") == ["1969", "3", "NULL", "false", "NULL"])
        let result = try SQLSession().execute("SELECT extract(year FROM DATE '2024-01-01'), extract(epoch FROM DATE '2024-01-01')")
        #expect(result.columns.map(\.dataType) == [.int64, .float64])
        let unknown = Self.error("SELECT date_part('fortnight', DATE '2024-01-01')")
        #expect(unknown?.code == .syntax)
        #expect(unknown?.message.contains("fortnight") == true)
        #expect(Self.error("SELECT extract(year FROM 42)")?.code == .typeMismatch)
    }

    @Test("date_trunc keeps DATE a DATE and TIMESTAMP a TIMESTAMP; make_date")
    func truncation() throws {
        #expect(try Self.row("SELECT date_trunc('month', DATE '2024-02-29'), date_trunc('year', DATE '2024-02-29'), date_trunc('quarter', DATE '2024-05-15'), date_trunc('week', DATE '2024-03-03'), date_trunc('day', DATE '2024-03-03')")
                == ["2024-02-01", "2024-01-01", "2024-04-01", "2024-02-26", "2024-03-03"])
        #expect(try Self.row("SELECT date_trunc('hour', TIMESTAMP '2024-01-02 13:45:30'), date_trunc('minute', TIMESTAMP '2024-01-02 13:45:30'), date_trunc('month', TIMESTAMP '2024-01-02 13:45:30')")
                == ["2024-01-02 13:00:00", "2024-01-02 13:45:00", "2024-01-01 00:00:00"])
        #expect(try Self.row("SELECT make_date(2024, 2, 29), make_date(NULL, 1, 1)") == ["2024-02-29", "NULL"])
        #expect(Self.error("SELECT make_date(2023, 2, 29)")?.message.contains("out of range") == true)
    }

    @Test("current_date() and now() are today")
    func today() throws {
        let result = try SQLSession().execute("SELECT current_date(), now(), today()")
        #expect(result.columns.map(\.dataType) == [.date32, .timestamp(.microsecond, timeZone: nil), .date32])
        guard case .date32(let days) = result.columns[0].scalar(at: 0) else { Issue.record("not a date"); return }
        #expect(days > 19_700)  // after 2023-12-09
    }

    @Test("date ± INTERVAL: months clamp to the month's end; weeks, days; timestamps take time units")
    func intervals() throws {
        #expect(try Self.row("SELECT DATE '2024-01-31' + INTERVAL '1' MONTH, DATE '2024-03-31' - INTERVAL '1 month', DATE '2024-02-29' + INTERVAL '1 year', DATE '2024-01-01' + INTERVAL 3 DAY, DATE '2024-01-01' - INTERVAL '2 weeks', INTERVAL '1 day' + DATE '2024-12-31'")
                == ["2024-02-29", "2024-02-29", "2025-02-28", "2024-01-04", "2023-12-18", "2025-01-01"])
        #expect(try Self.row("SELECT TIMESTAMP '2024-01-31 10:00:00' + INTERVAL '1 month 2 hours', TIMESTAMP '2024-01-01 00:00:00' - INTERVAL '90' MINUTE, DATE '2024-01-01' + INTERVAL '36 hours', TIMESTAMP '2024-01-01 00:00:00' + INTERVAL '1 day 01:30:00'")
                == ["2024-02-29 12:00:00", "2023-12-31 22:30:00", "2024-01-02 12:00:00", "2024-01-02 01:30:00"])
        let types = try SQLSession().execute("SELECT DATE '2024-01-01' + INTERVAL '1' DAY, DATE '2024-01-01' + INTERVAL '1' HOUR")
        #expect(types.columns.map(\.dataType) == [.date32, .timestamp(.microsecond, timeZone: nil)])
    }

    @Test("date - date is BIGINT days; date ± integer is a DATE; works on columns and in WHERE")
    func dateArithmetic() throws {
        #expect(try Self.row("SELECT DATE '2024-03-01' - DATE '2024-02-01', DATE '2024-02-28' + 2, 1 + DATE '2024-02-28', DATE '2024-01-01' - 1")
                == ["29", "2024-03-01", "2024-02-29", "2023-12-31"])
        let s = SQLSession()
        try s.execute("CREATE TABLE ev (id INTEGER, d DATE); INSERT INTO ev VALUES (1, DATE '2024-01-31'), (2, DATE '2024-02-15'), (3, nullif(DATE '2024-01-01', DATE '2024-01-01'))")
        #expect(try Self.column("SELECT d + INTERVAL '1' MONTH FROM ev ORDER BY id", session: s) == ["2024-02-29", "2024-03-15", "NULL"])
        #expect(try Self.column("SELECT id FROM ev WHERE d + 10 > DATE '2024-02-20' ORDER BY id", session: s) == ["2"])
        #expect(try Self.column("SELECT d - DATE '2024-01-01' + 1 FROM ev ORDER BY id", session: s) == ["31", "46", "NULL"])
    }

    @Test("INTERVAL errors: added to a number, subtracted from, malformed (a conversion error), out of range")
    func intervalErrors() {
        // An interval on its own is a value now (IntervalTests covers them).
        #expect(Self.error("SELECT INTERVAL '1' DAY") == nil)
        #expect(Self.error("SELECT 1 + INTERVAL '1' DAY")?.code == .typeMismatch)
        #expect(Self.error("SELECT INTERVAL '1' DAY - DATE '2024-01-01'")?.code == .typeMismatch)
        #expect(Self.error("SELECT DATE '2024-01-01' + INTERVAL 'soon'")?.code == .runtime)
        #expect(Self.error("SELECT TIMESTAMP '2024-01-01 00:00:00' + INTERVAL '99999999999 hours'")?.code == .runtime)
        #expect(Self.error("SELECT DATE '2024-01-01' + INTERVAL '3000000000' DAY")?.code == .runtime)
    }

    // MARK: Argument checks

    @Test("wrong argument counts and types name the function and point at the call")
    func argumentErrors() {
        let count = Self.error("SELECT 1, lower('a', 'b')")
        #expect(count?.code == .syntax)
        #expect(count?.message.contains("lower") == true)
        #expect(count?.position?.column == 11)
        let type = Self.error("SELECT sqrt('x')")
        #expect(type?.code == .typeMismatch)
        #expect(type?.message.contains("sqrt") == true)
        #expect(Self.error("SELECT substring('abc', 'x')")?.code == .typeMismatch)
        #expect(Self.error("SELECT repeat('a', 1.5)")?.code == .typeMismatch)
        #expect(Self.error("SELECT pi(1)")?.code == .syntax)
        #expect(Self.error("SELECT no_such_function(1)")?.code == .unsupported)
    }

    // MARK: Kernels directly

    @Test("LIKE and text kernels over many rows and a sliced column")
    func kernelsOnBatches() throws {
        let texts = (0..<5_000).map { $0 % 7 == 0 ? nil : "row-\($0)-é" }
        let column = BinaryColumn(texts).slice(10..<4_010)
        let matched = try _like([.utf8(column), .utf8(BinaryColumn([String](repeating: "row-%5-_", count: 4_000)))], caseInsensitive: false, rows: 4_000)
        guard case .boolean(let bits) = matched else { Issue.record("not boolean"); return }
        for i in 0..<4_000 {
            let text = texts[i + 10]
            #expect(bits[i] == text.map { $0.hasPrefix("row-") && $0.dropLast(2).hasSuffix("5") })
        }
        let upper = _upper(column)
        #expect(upper.string(at: 1) == "ROW-11-É")
        #expect(upper.isNull(4))
    }
}
