import ColumnarCore
import Testing
@testable import SQLPlanner

/// Statistical, two-argument and ordered aggregates, with answers worked out by hand (or with
/// Python's `statistics` module) under DuckDB's semantics.
@Suite struct StatisticalAggregateTests {
    /// Five (y, x) points of the textbook line fit y ≈ 2.2 + 0.6x, plus rows where y or x is NULL
    /// (which two-argument aggregates skip), in two groups.
    static func session() throws -> SQLSession {
        let session = SQLSession()
        try session.execute("""
            CREATE TABLE points (g INTEGER, y INTEGER, x INTEGER);
            INSERT INTO points VALUES
              (1, 2, 1), (1, 4, 2), (1, 5, 3), (1, 4, 4), (1, 5, 5),
              (1, NULL, 6), (1, 7, NULL), (2, NULL, 1);
            CREATE TABLE sample (v INTEGER);
            INSERT INTO sample VALUES (1), (2), (3), (4), (10), (NULL);
            """)
        return session
    }

    /// The values of the first row, formatted.
    static func row(_ session: SQLSession, _ sql: String) throws -> [String] {
        let batch = try session.execute(sql)
        return batch.columns.map { $0.scalar(at: 0).formatted }
    }

    /// The first row's values as doubles (nil for NULL).
    static func doubles(_ session: SQLSession, _ sql: String) throws -> [Double?] {
        let batch = try session.execute(sql)
        return batch.columns.map { column in
            if case .float64(let d) = column.scalar(at: 0) { return d }
            return nil
        }
    }

    /// Whether `a` and `b` agree to about twelve significant digits.
    static func close(_ a: Double?, _ b: Double) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= 1e-12 * Swift.max(1, abs(b))
    }

    @Test("regr_* and covariances over the pairs where both values are present")
    func regression() throws {
        let s = try Self.session()
        // Σ(x-x̄)² = 10, Σ(y-ȳ)² = 6, Σ(x-x̄)(y-ȳ) = 6 over the five complete pairs.
        let values = try Self.doubles(s, """
            SELECT regr_slope(y, x), regr_intercept(y, x), regr_r2(y, x), regr_sxx(y, x), regr_syy(y, x), regr_sxy(y, x),
                   regr_avgx(y, x), regr_avgy(y, x), covar_pop(y, x), covar_samp(y, x), corr(y, x) FROM points
            """)
        let expected = [0.6, 2.2, 0.6, 10, 6, 6, 3, 4, 1.2, 1.5, 0.7745966692414834]
        for (value, want) in zip(values, expected) { #expect(Self.close(value, want), "\(String(describing: value)) ≠ \(want)") }
        // DISTINCT pairs: (4, 2) and (4, 4) are different pairs, the repeated (2, 1) counts once.
        #expect(try Self.row(s, "SELECT regr_count(DISTINCT y, x) FROM (SELECT y, x FROM points UNION ALL SELECT 2, 1)") == ["5"])
        let count = try s.execute("SELECT regr_count(y, x) FROM points")
        #expect(count.schema.fields[0].dataType == .int64)
        #expect(count.columns[0].scalar(at: 0) == .int64(5))
    }

    @Test("regr_* per group, over windows, and over no pairs")
    func regressionGroupsAndWindows() throws {
        let s = try Self.session()
        let grouped = try s.execute("SELECT g, regr_count(y, x), regr_slope(y, x) FROM points GROUP BY g ORDER BY g")
        #expect(grouped.columns[1].scalar(at: 1) == .int64(0))
        #expect(grouped.columns[2].scalar(at: 1).isNull)
        let windowed = try s.execute("SELECT g, regr_sxy(y, x) OVER (PARTITION BY g) FROM points ORDER BY g")
        #expect((0..<7).allSatisfy { windowed.columns[1].scalar(at: $0) == .float64(6) })
        #expect(windowed.columns[1].scalar(at: 7).isNull)
        // One pair: no spread in x, so no slope (0/0) and no r².
        #expect(try Self.row(s, "SELECT regr_r2(1, 1), regr_intercept(1, 1), regr_count(NULL, NULL)") == ["NULL", "NULL", "0"])
        #expect(try Self.doubles(s, "SELECT regr_sxx(1, 1)") == [0])
        #expect(try Self.doubles(s, "SELECT regr_slope(1, 1)")[0]?.isNaN == true)
        // y constant, x spread: r² is 1.
        #expect(try Self.doubles(s, "SELECT regr_r2(5, x) FROM points")[0] == 1)
    }

    @Test("two-argument aggregates reject * and a wrong number of arguments")
    func regressionErrors() throws {
        let s = try Self.session()
        #expect(throws: SQLError.self) { try s.execute("SELECT regr_slope(*) FROM points") }
        #expect(throws: SQLError.self) { try s.execute("SELECT regr_count(y) FROM points") }
        #expect(throws: SQLError.self) { try s.execute("SELECT corr() FROM points") }
        #expect(throws: SQLError.self) { try s.execute("SELECT COUNT(DISTINCT *) FROM points") }
    }

    @Test("skewness, kurtosis, kurtosis_pop, sem and geomean of 1, 2, 3, 4, 10")
    func moments() throws {
        let s = try Self.session()
        let values = try Self.doubles(s, "SELECT skewness(v), kurtosis(v), kurtosis_pop(v), sem(v), geomean(v) FROM sample")
        let expected = [1.6970562748477143, 3.152, -0.212, 1.4142135623730951, 2.9925557394776896]
        for (value, want) in zip(values, expected) { #expect(Self.close(value, want), "\(String(describing: value)) ≠ \(want)") }
        // Too few values, or no spread: NULL; sem of one value is 0.
        #expect(try Self.row(s, "SELECT skewness(v), kurtosis(v) FROM sample WHERE v < 3") == ["NULL", "NULL"])
        // sem of 1, 2: population deviation 0.5 over √2.
        #expect(Self.close(try Self.doubles(s, "SELECT sem(v) FROM sample WHERE v < 3")[0], 0.5 / 2.0.squareRoot()))
        #expect(try Self.row(s, "SELECT kurtosis(7), skewness(7) FROM sample") == ["NULL", "NULL"])
        #expect(try Self.doubles(s, "SELECT sem(7) FROM sample") == [0])
        #expect(try Self.row(s, "SELECT kurtosis(v), geomean(v), sem(v) FROM sample WHERE v > 100") == ["NULL", "NULL", "NULL"])
        // Sums of fourth powers overflow: an error, not a NaN.
        #expect(throws: SQLError.self) { try s.execute("SELECT kurtosis(i) FROM (VALUES (2e304), (2e305), (2e306), (2e307)) t(i)") }
    }

    @Test("median interpolates numbers and takes the lower middle of other types")
    func median() throws {
        let s = try Self.session()
        // 1, 2, 3, 4, 10: the third value; 1, 2, 3, 4: halfway between 2 and 3.
        #expect(try Self.doubles(s, "SELECT median(v) FROM sample") == [3])
        #expect(try Self.doubles(s, "SELECT median(v) FROM sample WHERE v < 10") == [2.5])
        // As text, '1' < '10' < '2' < '3' < '4'.
        #expect(try Self.row(s, "SELECT median(v::VARCHAR) FROM sample") == ["2"])
        #expect(try Self.row(s, "SELECT median(v) FROM sample WHERE v IS NULL") == ["NULL"])
        let windowed = try s.execute("SELECT median(v) FILTER (WHERE v > 1) OVER () FROM sample")
        #expect(windowed.columns[0].scalar(at: 0) == .float64(3.5))
    }

    @Test("fsum and favg keep the low bits a plain sum loses")
    func kahan() throws {
        let s = SQLSession()
        try s.execute("CREATE TABLE d (n DOUBLE); INSERT INTO d VALUES (9007199254740992), (1), (1), (0)")
        // 2^53 + 1 rounds back to 2^53; the compensation carries the lost 1 into the next add.
        #expect(try Self.doubles(s, "SELECT fsum(n), kahan_sum(n), sumkahan(n), favg(n), sum(n) FROM d")
            == [9007199254740994, 9007199254740994, 9007199254740994, 2251799813685248.5, 9007199254740992])
    }

    @Test("arg_min and arg_max skip rows whose value or key is NULL; ties keep the first row")
    func argExtremes() throws {
        let s = SQLSession()
        try s.execute("CREATE TABLE t (i INTEGER, k INTEGER); INSERT INTO t VALUES (1, NULL), (2, 3), (3, 2), (NULL, 1), (4, 3), (5, 2)")
        #expect(try Self.row(s, "SELECT arg_min(i, k), arg_max(i, k), min_by(i, k), max_by(i, k) FROM t") == ["3", "2", "3", "2"])
        #expect(try Self.row(s, "SELECT arg_min(i, k) FROM t WHERE k IS NULL") == ["NULL"])
    }

    @Test("first, last and any_value follow their ORDER BY, NULLs included")
    func orderedAggregates() throws {
        let s = SQLSession()
        try s.execute("CREATE TABLE t (i INTEGER, k INTEGER); INSERT INTO t VALUES (1, NULL), (2, 3), (3, 2), (NULL, 1)")
        #expect(try Self.row(s, "SELECT first(i ORDER BY k), first(i ORDER BY k NULLS FIRST), last(i ORDER BY k NULLS FIRST) FROM t")
            == ["NULL", "1", "2"])
        // FILTER drops rows (a NULL value of a kept row is still first): k < 3 keeps (3, 2), (NULL, 1).
        #expect(try Self.row(s, "SELECT first(i) FILTER (WHERE k > 1), first(i ORDER BY k) FILTER (WHERE k < 3), last(i ORDER BY k) FILTER (WHERE k < 3) FROM t")
            == ["2", "NULL", "3"])
        // any_value skips NULL values: the first non-null in the order.
        #expect(try Self.row(s, "SELECT any_value(i ORDER BY k), any_value(i ORDER BY k DESC) FROM t") == ["3", "2"])
        #expect(try Self.row(s, "SELECT string_agg(DISTINCT i::VARCHAR, '-' ORDER BY i::VARCHAR DESC) FROM (SELECT * FROM t UNION ALL SELECT * FROM t)")
            == ["3-2-1"])
    }

    @Test("bool_and, string_agg and the statistics as window functions")
    func windows() throws {
        let s = SQLSession()
        try s.execute("CREATE TABLE w (g INTEGER, b BOOLEAN, s VARCHAR); INSERT INTO w VALUES (1, true, 'a'), (1, false, 'b'), (2, true, 'c')")
        let batch = try s.execute("""
            SELECT g, bool_and(b) OVER (PARTITION BY g), bool_or(b) OVER (PARTITION BY g),
                   string_agg(s, '+') OVER (PARTITION BY g ORDER BY s), var_pop(g) OVER () FROM w ORDER BY g, s
            """)
        #expect((0..<3).map { batch.columns[1].scalar(at: $0) } == [.boolean(false), .boolean(false), .boolean(true)])
        #expect((0..<3).map { batch.columns[2].scalar(at: $0) } == [.boolean(true), .boolean(true), .boolean(true)])
        #expect((0..<3).map { batch.columns[3].scalar(at: $0).formatted } == ["a", "a+b", "c"])
        let distinct = try s.execute("SELECT count(DISTINCT g) OVER (), sum(DISTINCT g) OVER (ORDER BY s), string_agg(DISTINCT g::VARCHAR) OVER () FROM w ORDER BY s")
        #expect((0..<3).map { distinct.columns[0].scalar(at: $0) } == [.int64(2), .int64(2), .int64(2)])
        // Running frames: {1}, {1, 1}, {1, 1, 2}.
        #expect((0..<3).map { distinct.columns[1].scalar(at: $0).formatted } == ["1", "1", "3"])
        #expect(distinct.columns[2].scalar(at: 0).formatted == "1,2")
        // var_pop of 1, 1, 2: mean 4/3, squared deviations 1/9 + 1/9 + 4/9 = 2/3, over 3.
        if case .float64(let v) = batch.columns[4].scalar(at: 0) { #expect(Self.close(v, 2.0 / 9)) } else { Issue.record("var_pop is not DOUBLE") }
    }
}
