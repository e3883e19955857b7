import ColumnarCore
import Testing
@testable import SQLPlanner

/// DuckDB's extra scalar functions and operators (character codes, overlay, strip_accents,
/// byte sizes, factorial, binom, gcd/lcm, even, banker's rounding, constant_or_null, datediff,
/// `^`/`**`, `^@`, postfix `!`), with answers worked out by hand.
@Suite struct MoreFunctionTests {
    /// The first row of `SELECT …` as printed values.
    static func row(_ sql: String) throws -> [String] {
        let result = try SQLSession().execute(sql)
        return result.columns.map { $0.scalar(at: 0).formatted }
    }

    /// Whether `sql` fails.
    static func fails(_ sql: String) -> Bool {
        do {
            _ = try SQLSession().execute(sql)
            return false
        } catch {
            return true
        }
    }

    // MARK: Characters

    @Test func characterCodes() throws {
        #expect(try Self.row("SELECT ascii('A'), ascii('Ωx'), ascii(''), unicode(''), unicode('€'), unicode(NULL)")
            == ["65", "937", "0", "-1", "8364", "NULL"])
        #expect(try Self.row("SELECT chr(65), chr(937), chr(128512), chr(NULL)") == ["A", "Ω", "😀", "NULL"])
        #expect(Self.fails("SELECT chr(-1)"))
        #expect(Self.fails("SELECT chr(1114112)"))  // 0x110000, past Unicode
        #expect(Self.fails("SELECT chr(55296)"))  // 0xD800, a surrogate
        #expect(Self.fails("SELECT ascii()"))
        #expect(Self.fails("SELECT unicode('a', 'b')"))
    }

    @Test func overlay() throws {
        #expect(try Self.row("SELECT OVERLAY('abcdef' PLACING 'XX' FROM 3 FOR 0), overlay('abcdef', 'XX', 2), overlay('abc' PLACING 'X' FROM 9)")
            == ["abXXcdef", "aXXdef", "abcX"])
        // Positions count characters, not bytes; a start before 1 eats into the replaced length.
        #expect(try Self.row("SELECT overlay('日本語' PLACING 'x' FROM 2), overlay('abcd' PLACING 'XY' FROM 0 FOR 2)") == ["日x語", "XYbcd"])
        // A negative FOR means the length of the replacement.
        #expect(try Self.row("SELECT overlay('abcdef' PLACING 'XY' FROM 2 FOR -5)") == ["aXYdef"])
        #expect(try Self.row("SELECT overlay('abc' PLACING 'X' FROM 2 FOR NULL), overlay(NULL PLACING 'X' FROM 1)") == ["NULL", "NULL"])
        #expect(Self.fails("SELECT overlay('abc', 'X')"))
    }

    @Test func stripAccents() throws {
        #expect(try Self.row("SELECT strip_accents('Łódź Ærø çà'), strip_accents('plain'), strip_accents(NULL)")
            == ["Łodz Ærø ca", "plain", "NULL"])
        // A combining acute accent (U+0301) after a plain e is dropped.
        #expect(try Self.row("SELECT strip_accents('e' || chr(769) || 'x')") == ["ex"])
    }

    @Test func byteSizes() throws {
        #expect(try Self.row("SELECT format_bytes(0), format_bytes(1), format_bytes(1023), format_bytes(1536), format_bytes(-1024)")
            == ["0 bytes", "1 byte", "1023 bytes", "1.5 KiB", "-1.0 KiB"])
        // 2^60 bytes is 1024 PiB: peta is the largest unit.
        #expect(try Self.row("SELECT pg_size_pretty(1152921504606846976), formatReadableSize(1048575)") == ["1024.0 PiB", "1023.9 KiB"])
        #expect(try Self.row("SELECT formatReadableDecimalSize(1999), formatReadableDecimalSize(999), format_bytes(NULL)")
            == ["1.9 kB", "999 bytes", "NULL"])
    }

    // MARK: Numbers

    @Test func even() throws {
        #expect(try Self.row("SELECT even(2.5), even(-0.1), even(0), even(4), even(45), even(NULL)")
            == ["4.0", "-2.0", "0.0", "4.0", "46.0", "NULL"])
        #expect(Self.fails("SELECT even('x')"))
    }

    @Test func factorial() throws {
        #expect(try Self.row("SELECT factorial(0), factorial(5), 5!, factorial(20), factorial(NULL)")
            == ["1", "120", "120", "2432902008176640000", "NULL"])
        // 33! = 8683317618811886495518194401280000000 has 37 digits; 34! has 39.
        #expect(try Self.row("SELECT factorial(33)") == ["8683317618811886495518194401280000000"])
        #expect(Self.fails("SELECT factorial(34)"))
        #expect(Self.fails("SELECT factorial(-1)"))
    }

    @Test func binomial() throws {
        #expect(try Self.row("SELECT binom(52, 5), binom(3, 5), binom(7, 0), binom(7, 7), binom(NULL, 1)")
            == ["2598960", "0", "1", "1", "NULL"])
        #expect(Self.fails("SELECT binom(-1, 0)"))
        #expect(Self.fails("SELECT binom(131, 65)"))
    }

    @Test func gcdAndLcm() throws {
        #expect(try Self.row("SELECT gcd(12, -18), gcd(0, 0), lcm(4, 6), lcm(-4, 6), lcm(0, 5), gcd(NULL, 2)")
            == ["6", "0", "12", "12", "0", "NULL"])
        #expect(Self.fails("SELECT gcd(-9223372036854775808, 0)"))  // 2^63 does not fit
        #expect(Self.fails("SELECT lcm(4611686018427387904, 3)"))  // 3 · 2^62 does not fit
        #expect(Self.fails("SELECT gcd(1, 'a')"))
    }

    @Test func bankersRounding() throws {
        #expect(try Self.row("SELECT round_even(2.5, 0), round_even(3.5, 0), roundBankers(25, -1), roundBankers(35, -1), round_even(-0.125, 2)")
            == ["2", "4", "20", "40", "-0.12"])
        #expect(try Self.row("SELECT round_even(2.5::DOUBLE, 0), round_even(-3.5::DOUBLE, 0), roundBankers(NULL, 1)") == ["2.0", "-4.0", "NULL"])
    }

    // MARK: Operators

    @Test func powerOperators() throws {
        // Left-associative, tighter than * and /, looser than a unary minus.
        #expect(try Self.row("SELECT 2 ^ 3 ^ 2, 2 ** 4 / 2, 16 / 2 ** 4, -2 ^ 2, 1 + 2 ** 2") == ["64.0", "8.0", "1.0", "4.0", "5.0"])
    }

    @Test func startsWithOperator() throws {
        #expect(try Self.row("SELECT 'hello' ^@ 'he', 'hello' ^@ 'lo', 'hé' ^@ 'h', '' ^@ '', NULL ^@ 'a'") == ["true", "false", "true", "true", "NULL"])
    }

    @Test func likeOperators() throws {
        #expect(try Self.row("SELECT 'abc' ~~ 'a%', 'ABC' ~~* 'a%', 'abc' !~~ 'a%', 'ABC' !~~* 'x%', NULL ~~ 'a'")
            == ["true", "true", "false", "true", "NULL"])
    }

    // MARK: Generic and dates

    @Test func constantOrNull() throws {
        #expect(try Self.row("SELECT constant_or_null(1, 2, NULL), constant_or_null('k', 0), constant_or_null(7, 'x', 1)") == ["NULL", "k", "7"])
        #expect(Self.fails("SELECT constant_or_null(1)"))
    }

    @Test func dateDifference() throws {
        #expect(try Self.row("""
            SELECT datediff('month', DATE '2020-01-31', DATE '2020-03-01'), datediff('week', DATE '2024-01-01', DATE '2024-01-14'),
                   date_diff('year', DATE '2019-12-31', DATE '2020-01-01'), datediff('quarter', DATE '2020-03-31', DATE '2020-04-01'),
                   datediff('day', DATE '2020-03-01', DATE '2020-02-01')
            """) == ["2", "1", "1", "1", "-29"])
        #expect(try Self.row("""
            SELECT datediff('hour', TIMESTAMP '2020-01-01 23:59:00', TIMESTAMP '2020-01-02 00:01:00'),
                   datediff('microsecond', DATE '2000-01-01', DATE '2000-01-02'),
                   datediff('minute', DATE '2000-01-01', TIMESTAMP '2000-01-01 01:30:00'),
                   datediff('day', NULL, DATE '2000-01-01')
            """) == ["1", "86400000000", "90", "NULL"])
        #expect(Self.fails("SELECT datediff('fortnight', DATE '2000-01-01', DATE '2000-01-02')"))
        #expect(Self.fails("SELECT datediff('microsecond', make_date(-290000, 1, 1), make_date(290000, 1, 1))"))
    }

    @Test func dateAndStrptime() throws {
        #expect(try Self.row("SELECT date('2021-03-01'), date(TIMESTAMP '2021-03-01 23:59:59')") == ["2021-03-01", "2021-03-01"])
        // 12 PM is noon; day 60 of leap year 2024 is February 29.
        #expect(try Self.row("""
            SELECT strptime('2024-02-29 12:05:07.25 PM', '%Y-%m-%d %I:%M:%S.%f %p'), strptime('Tue, 5 Mar 24 00:00', '%a, %d %b %y %H:%M'),
                   strptime('2024 060', '%Y %j'), strptime('12 am', '%I %p')
            """) == ["2024-02-29 12:05:07.25", "2024-03-05 00:00:00", "2024-02-29 00:00:00", "1900-01-01 00:00:00"])
        // April has 30 days; 'Jüne' is no month; text left over does not match.
        #expect(try Self.row("SELECT try_strptime('31/04/2024', '%d/%m/%Y'), try_strptime('1 Jüne 2018', '%d %B %Y'), try_strptime('2024x', '%Y')")
            == ["NULL", "NULL", "NULL"])
        #expect(Self.fails("SELECT strptime('x', '%Y')"))
        #expect(Self.fails("SELECT strptime('2024', '%Q')"))
    }
}
