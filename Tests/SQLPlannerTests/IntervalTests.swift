import ColumnarCore
import SQLPlanner
import Testing

/// INTERVAL values through SQL, with answers worked out by hand from DuckDB's rules: three parts
/// (months, days, microseconds) kept apart, compared by length with a month of 30 days.
@Suite struct IntervalTests {
    static func value(_ sql: String, _ session: SQLSession = SQLSession()) throws -> String {
        let batch = try session.execute(sql)
        return batch.columns[0].scalar(at: 0).formatted
    }

    static func error(_ sql: String, _ session: SQLSession = SQLSession()) -> SQLError? {
        do {
            _ = try session.execute(sql)
            return nil
        } catch {
            return error
        }
    }

    @Test("interval text parses into separate parts and prints as DuckDB prints it")
    func parsingAndPrinting() throws {
        #expect(try Self.value("SELECT INTERVAL '1 year 2 months 3 days'") == "1 year 2 months 3 days")
        // `M` is a minute, `mon` a month; `ms` a millisecond, `us` a microsecond.
        #expect(try Self.value("SELECT INTERVAL '2Y 1 mon 1 M 3S 20mS 16uS'") == "2 years 1 month 00:01:03.020016")
        #expect(try Self.value("SELECT INTERVAL '36 hours'") == "36:00:00")
        #expect(try Self.value("SELECT INTERVAL '-1 month 4 days'") == "-1 month 4 days")
        #expect(try Self.value("SELECT INTERVAL '1 day 02:30' ") == "1 day 02:30:00")
        #expect(try Self.value("SELECT INTERVAL '3 days 1 hour ago'") == "-3 days -01:00:00")
        #expect(try Self.value("SELECT INTERVAL '0 days'") == "00:00:00")
        // A bare number counts seconds; 1.5 months is a month and 15 days.
        #expect(try Self.value("SELECT '100'::INTERVAL") == "00:01:40")
        #expect(try Self.value("SELECT INTERVAL '1.5 months'") == "1 month 15 days")
        #expect(try Self.value("SELECT INTERVAL '7' QUARTER") == "1 year 9 months")
        #expect(try Self.value("SELECT INTERVAL (2 + 1) DAY") == "3 days")
        #expect(try Self.value("SELECT CAST(INTERVAL '1 year' AS VARCHAR)") == "1 year")
    }

    @Test("bad interval text is an error, or NULL under TRY_CAST")
    func badText() throws {
        let error = try #require(Self.error("SELECT '3 fortnights'::INTERVAL"))
        #expect(error.code == .runtime)
        #expect(Self.error("SELECT INTERVAL '2147483648 months'") != nil)
        #expect(try Self.value("SELECT TRY_CAST('3 fortnights' AS INTERVAL)") == "NULL")
        #expect(try Self.value("SELECT TRY_CAST('2147483648 days' AS INTERVAL)") == "NULL")
    }

    @Test("arithmetic keeps the parts apart; overflow is an error")
    func arithmetic() throws {
        #expect(try Self.value("SELECT INTERVAL '2 months' - INTERVAL '1 month 3 days'") == "1 month -3 days")
        #expect(try Self.value("SELECT INTERVAL '1 year 2 days 2 seconds' * 2") == "2 years 4 days 00:00:04")
        #expect(try Self.value("SELECT 3 * INTERVAL '1 hour'") == "03:00:00")
        #expect(try Self.value("SELECT INTERVAL '1 day' / 2") == "12:00:00")
        #expect(try Self.value("SELECT INTERVAL '1 day' / 0") == "NULL")
        #expect(try Self.value("SELECT -INTERVAL '1 month 1 day'") == "-1 month -1 day")
        #expect(Self.error("SELECT INTERVAL '2000000000 months' * 2") != nil)
        #expect(Self.error("SELECT INTERVAL '1 day' * INTERVAL '1 day'")?.code == .typeMismatch)
    }

    @Test("dates and timestamps move by intervals, month ends clamped")
    func withDates() throws {
        let s = SQLSession()
        try s.execute("CREATE TABLE t (d DATE, i INTERVAL); INSERT INTO t VALUES ('2024-01-31', '1 month'), ('2023-12-31', '2 months 1 day 01:00:00'), (NULL, '1 day')")
        let batch = try s.execute("SELECT d + i FROM t")
        #expect(batch.columns[0].scalars.map(\.formatted) == ["2024-02-29 00:00:00", "2024-03-01 01:00:00", "NULL"])
        #expect(try Self.value("SELECT TIMESTAMP '2024-03-01 00:00:00' - TIMESTAMP '2024-02-28 12:00:00'") == "1 day 12:00:00")
        #expect(try Self.value("SELECT DATE '2024-03-31' - INTERVAL '1 month'") == "2024-02-29")
        // TIME ± INTERVAL keeps the clock part and wraps around midnight.
        #expect(try Self.value("SELECT TIME '23:30:00' + INTERVAL '1 day 01:00:00'") == "00:30:00")
        #expect(try Self.value("SELECT TIME '00:15:00' - INTERVAL '30 minutes'") == "23:45:00")
    }

    @Test("comparison, grouping and sorting treat a month as 30 days")
    func comparison() throws {
        #expect(try Self.value("SELECT INTERVAL '1 month' = INTERVAL '30 days'") == "true")
        #expect(try Self.value("SELECT INTERVAL '1 day' - INTERVAL '1 hour' = INTERVAL '23 hours'") == "true")
        #expect(try Self.value("SELECT INTERVAL '29 days' < INTERVAL '1 month'") == "true")
        let s = SQLSession()
        try s.execute("CREATE TABLE t (i INTERVAL); INSERT INTO t VALUES ('1 year'), ('30 days'), ('1 month'), ('2 days'), (NULL)")
        #expect(try Self.value("SELECT COUNT(DISTINCT i) FROM t", s) == "3")
        let sorted = try s.execute("SELECT i FROM t ORDER BY i DESC NULLS LAST")
        #expect(sorted.columns[0].scalars.map(\.formatted).first == "1 year")
        #expect(sorted.columns[0].scalars.map(\.formatted).last == "NULL")
        #expect(try Self.value("SELECT i FROM t ORDER BY i LIMIT 1", s) == "2 days")
    }

    @Test("extract and date_trunc read the parts of an interval")
    func parts() throws {
        let i = "INTERVAL '16 months 42 days 00:34:26.3434'"
        #expect(try Self.value("SELECT EXTRACT(year FROM \(i))") == "1")
        #expect(try Self.value("SELECT EXTRACT(month FROM \(i))") == "4")
        #expect(try Self.value("SELECT EXTRACT(quarter FROM \(i))") == "2")
        #expect(try Self.value("SELECT EXTRACT(day FROM \(i))") == "42")
        #expect(try Self.value("SELECT EXTRACT(minute FROM \(i))") == "34")
        #expect(try Self.value("SELECT EXTRACT(millisecond FROM \(i))") == "26343")
        // 1 year = 365.25 days; 4 months = 120 days; plus 42 days and 2066.3434 s.
        let days: Double = 365.25 + 120 + 42
        let epoch: Double = days * 86_400 + 2066.3434
        #expect(try Self.value("SELECT EXTRACT(epoch FROM \(i))") == String(epoch))
        #expect(Self.error("SELECT EXTRACT(dow FROM \(i))") != nil)
        #expect(try Self.value("SELECT date_trunc('year', INTERVAL '5 years 6 months 3 days')") == "5 years")
        #expect(try Self.value("SELECT date_trunc('hour', INTERVAL '1 day 12:34:56')") == "1 day 12:00:00")
        #expect(try Self.value("SELECT to_days(3) + to_hours(2)") == "3 days 02:00:00")
    }
}
