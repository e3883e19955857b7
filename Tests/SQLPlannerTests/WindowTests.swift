import ColumnarCore
import SQLPlanner
import Testing

/// Window functions, with answers worked out by hand (PostgreSQL/DuckDB semantics).
@Suite struct WindowTests {
    /// Six sales in two regions; one amount and one region are NULL.
    static func session() throws -> SQLSession {
        let session = SQLSession()
        try session.execute("""
            CREATE TABLE sales (id INTEGER, region VARCHAR, amount INTEGER, price DOUBLE);
            INSERT INTO sales VALUES
              (1, 'east', 10, 1.5),
              (2, 'west', 20, 2.5),
              (3, 'east', 10, NULL),
              (4, 'east', 30, 3.0),
              (5, 'west', NULL, 0.5),
              (6, NULL, 40, 4.0);
            """)
        return session
    }

    /// The values of one column per row, formatted.
    static func column(_ session: SQLSession, _ sql: String) throws -> [String] {
        let batch = try session.execute(sql)
        return (0..<batch.count).map { batch.columns[batch.columns.count - 1].scalar(at: $0).formatted }
    }

    @Test("row_number, rank, dense_rank with ties; rows keep the input order")
    func ranking() throws {
        let s = try Self.session()
        let over = "OVER (PARTITION BY region ORDER BY amount)"
        #expect(try Self.column(s, "SELECT row_number() \(over) FROM sales") == ["1", "1", "2", "3", "2", "1"])
        #expect(try Self.column(s, "SELECT rank() \(over) FROM sales") == ["1", "1", "1", "3", "2", "1"])
        #expect(try Self.column(s, "SELECT dense_rank() \(over) FROM sales") == ["1", "1", "1", "2", "2", "1"])
        // Without ORDER BY every row is a peer of every other.
        #expect(try Self.column(s, "SELECT rank() OVER (PARTITION BY region) FROM sales") == ["1", "1", "1", "1", "1", "1"])
        let types = try s.execute("SELECT row_number() OVER (), rank() OVER (), percent_rank() OVER () FROM sales").schema.fields.map(\.dataType)
        #expect(types == [.int64, .int64, .float64])
    }

    @Test("percent_rank and cume_dist")
    func distribution() throws {
        let s = try Self.session()
        // amount order: 10, 10, 20, 30, 40, NULL (nulls last).
        #expect(try Self.column(s, "SELECT percent_rank() OVER (ORDER BY amount) FROM sales") == ["0.0", "0.4", "0.0", "0.6", "1.0", "0.8"])
        #expect(try Self.column(s, "SELECT cume_dist() OVER (ORDER BY amount) FROM sales").map { String($0.prefix(6)) } ==
                ["0.3333", "0.5", "0.3333", "0.6666", "1.0", "0.8333"])
    }

    @Test("NULL ordering: NULLS LAST by default, NULLS FIRST and DESC on request")
    func nullOrdering() throws {
        let s = try Self.session()
        #expect(try Self.column(s, "SELECT row_number() OVER (ORDER BY amount) FROM sales") == ["1", "3", "2", "4", "6", "5"])
        #expect(try Self.column(s, "SELECT row_number() OVER (ORDER BY amount NULLS FIRST) FROM sales") == ["2", "4", "3", "5", "1", "6"])
        #expect(try Self.column(s, "SELECT row_number() OVER (ORDER BY amount DESC, id) FROM sales") == ["4", "3", "5", "2", "6", "1"])
        #expect(try Self.column(s, "SELECT rank() OVER (ORDER BY amount DESC NULLS FIRST) FROM sales") == ["5", "4", "5", "3", "1", "2"])
    }

    @Test("partition by several expressions, including NULL keys")
    func partitions() throws {
        let s = try Self.session()
        #expect(try Self.column(s, "SELECT count(*) OVER (PARTITION BY region, amount > 15) FROM sales") == ["2", "1", "2", "1", "1", "1"])
        #expect(try Self.column(s, "SELECT row_number() OVER (PARTITION BY region IS NULL ORDER BY id DESC) FROM sales") ==
                ["5", "4", "3", "2", "1", "1"])
    }

    @Test("running sums with the default frame include peers; whole-partition aggregates without ORDER BY")
    func defaultFrames() throws {
        let s = try Self.session()
        #expect(try Self.column(s, "SELECT sum(amount) OVER (ORDER BY amount) FROM sales") == ["20", "40", "20", "70", "110", "110"])
        #expect(try Self.column(s, "SELECT sum(amount) OVER (PARTITION BY region) FROM sales") == ["50", "20", "50", "50", "20", "40"])
        #expect(try Self.column(s, "SELECT count(amount) OVER (PARTITION BY region) FROM sales") == ["3", "1", "3", "3", "1", "1"])
        #expect(try Self.column(s, "SELECT avg(amount) OVER (PARTITION BY region) FROM sales").map { String($0.prefix(5)) } ==
                ["16.66", "20.0", "16.66", "16.66", "20.0", "40.0"])
        let types = try s.execute("SELECT sum(amount) OVER (), avg(amount) OVER (), count(*) OVER (), min(price) OVER (), sum(price) OVER () FROM sales")
            .schema.fields.map(\.dataType)
        #expect(types == [.decimal128(precision: 38, scale: 0), .float64, .int64, .float64, .float64])
    }

    @Test("ROWS frames: sliding, leading, trailing and empty")
    func rowsFrames() throws {
        let s = try Self.session()
        #expect(try Self.column(s, "SELECT sum(amount) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM sales") ==
                ["30", "40", "60", "40", "70", "40"])
        #expect(try Self.column(s, "SELECT sum(amount) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM sales") ==
                ["110", "100", "80", "70", "40", "40"])
        #expect(try Self.column(s, "SELECT sum(price) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM sales") ==
                ["11.5", "10.0", "7.5", "7.5", "4.5", "4.0"])
        #expect(try Self.column(s, "SELECT count(*) OVER (ORDER BY id ROWS BETWEEN 2 FOLLOWING AND 3 FOLLOWING) FROM sales") ==
                ["2", "2", "2", "1", "0", "0"])
        #expect(try Self.column(s, "SELECT max(amount) OVER (ORDER BY id ROWS 2 PRECEDING) FROM sales") == ["10", "20", "20", "30", "30", "40"])
        #expect(try Self.column(s, "SELECT min(region) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) FROM sales") ==
                ["east", "east", "east", "west", "NULL", "NULL"])
        #expect(try Self.column(s, "SELECT avg(price) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM sales") ==
                ["1.5", "2.0", "2.5", "3.0", "1.75", "2.25"])
    }

    @Test("RANGE frames: peers, numeric offsets; GROUPS frames")
    func rangeAndGroups() throws {
        let s = try Self.session()
        #expect(try Self.column(s, "SELECT count(*) OVER (ORDER BY amount RANGE BETWEEN CURRENT ROW AND CURRENT ROW) FROM sales") ==
                ["2", "1", "2", "1", "1", "1"])
        #expect(try Self.column(s, "SELECT sum(amount) OVER (ORDER BY amount RANGE BETWEEN 10 PRECEDING AND CURRENT ROW) FROM sales") ==
                ["20", "40", "20", "50", "NULL", "70"])
        #expect(try Self.column(s, "SELECT sum(amount) OVER (ORDER BY amount DESC RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING) FROM sales") ==
                ["40", "70", "40", "90", "NULL", "70"])
        #expect(try Self.column(s, "SELECT sum(amount) OVER (ORDER BY amount GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM sales") ==
                ["20", "40", "20", "50", "40", "70"])
    }

    @Test("ROWS offsets that vary by row; count() counts rows")
    func rowOffsets() throws {
        let s = try Self.session()
        // id % 3: 1, 2, 0, 1, 2, 0 rows on each side.
        #expect(try Self.column(s, "SELECT sum(id) OVER (ORDER BY id ROWS BETWEEN id % 3 PRECEDING AND id % 3 FOLLOWING) FROM sales") ==
                ["3", "10", "3", "12", "18", "6"])
        #expect(try Self.column(s, "SELECT min(id) OVER (ORDER BY id ROWS BETWEEN id % 3 PRECEDING AND CURRENT ROW) FROM sales") ==
                ["1", "1", "3", "3", "3", "6"])
        #expect(try Self.column(s, "SELECT count() OVER (PARTITION BY region) FROM sales") == ["3", "2", "3", "3", "2", "1"])
        #expect(throws: SQLError.self) { try s.execute("SELECT sum(id) OVER (ORDER BY id ROWS BETWEEN amount - 25 PRECEDING AND CURRENT ROW) FROM sales") }
    }

    @Test("lag and lead: offsets, defaults, partitions")
    func lagLead() throws {
        let s = try Self.session()
        #expect(try Self.column(s, "SELECT lag(amount) OVER (ORDER BY id) FROM sales") == ["NULL", "10", "20", "10", "30", "NULL"])
        #expect(try Self.column(s, "SELECT lead(id, 2) OVER (ORDER BY id) FROM sales") == ["3", "4", "5", "6", "NULL", "NULL"])
        #expect(try Self.column(s, "SELECT lag(id, 1, 0) OVER (PARTITION BY region ORDER BY id) FROM sales") == ["0", "0", "1", "3", "2", "0"])
        #expect(try Self.column(s, "SELECT lead(id, 1, id * 100) OVER (PARTITION BY region ORDER BY id) FROM sales") == ["3", "5", "4", "400", "500", "600"])
        #expect(try Self.column(s, "SELECT lag(price, 1, 0) OVER (ORDER BY id) FROM sales") == ["0.0", "1.5", "2.5", "NULL", "3.0", "0.5"])
    }

    @Test("ntile distributes the remainder over the first buckets")
    func ntile() throws {
        let s = try Self.session()
        #expect(try Self.column(s, "SELECT ntile(4) OVER (ORDER BY id) FROM sales") == ["1", "1", "2", "2", "3", "4"])
        #expect(try Self.column(s, "SELECT ntile(10) OVER (ORDER BY id) FROM sales") == ["1", "2", "3", "4", "5", "6"])
        #expect(try Self.column(s, "SELECT ntile(2) OVER (PARTITION BY region ORDER BY id) FROM sales") == ["1", "1", "1", "2", "2", "1"])
        #expect(throws: SQLError.self) { try s.execute("SELECT ntile(0) OVER () FROM sales") }
    }

    @Test("first_value, last_value and nth_value follow the frame")
    func frameValues() throws {
        let s = try Self.session()
        #expect(try Self.column(s, "SELECT first_value(id) OVER (PARTITION BY region ORDER BY id) FROM sales") == ["1", "2", "1", "1", "2", "6"])
        // The default frame ends at the current row's last peer.
        #expect(try Self.column(s, "SELECT last_value(id) OVER (ORDER BY amount) FROM sales") == ["3", "2", "3", "4", "5", "6"])
        #expect(try Self.column(s, "SELECT last_value(id) OVER (PARTITION BY region ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM sales") ==
                ["4", "5", "4", "4", "5", "6"])
        #expect(try Self.column(s, "SELECT nth_value(id, 2) OVER (ORDER BY id) FROM sales") == ["NULL", "2", "2", "2", "2", "2"])
    }

    @Test("aggregates and ranks over windows after GROUP BY")
    func afterGroupBy() throws {
        let s = try Self.session()
        let result = try s.execute("""
            SELECT region, sum(amount) AS total, sum(sum(amount)) OVER () AS everything,
                   rank() OVER (ORDER BY region DESC) AS place
            FROM sales GROUP BY region ORDER BY region NULLS LAST
            """)
        let rows = (0..<result.count).map { r in result.columns.map { $0.scalar(at: r).formatted } }
        #expect(rows == [["east", "50", "110", "2"], ["west", "20", "110", "1"], ["NULL", "40", "110", "3"]])
        let ranked = try Self.column(s, """
            SELECT region, rank() OVER (ORDER BY total DESC) FROM (SELECT region, sum(amount) AS total FROM sales GROUP BY region) ORDER BY region
            """)
        #expect(ranked == ["1", "3", "2"])
    }

    @Test("an aggregate that appears only inside OVER (…) after GROUP BY")
    func aggregateOnlyInWindowOrder() throws {
        let s = try Self.session()
        let ranked = try Self.column(s, "SELECT rank() OVER (ORDER BY sum(amount) DESC) FROM sales GROUP BY region ORDER BY region")
        #expect(ranked == ["1", "3", "2"])
    }

    @Test("named windows: OVER w, OVER (w ORDER BY …), refinement rules")
    func namedWindows() throws {
        let s = try Self.session()
        let plain = try Self.column(s, "SELECT row_number() OVER w FROM sales WINDOW w AS (PARTITION BY region ORDER BY id)")
        #expect(plain == ["1", "1", "2", "3", "2", "1"])
        let refined = try Self.column(s, "SELECT sum(id) OVER (w ORDER BY id ROWS 1 PRECEDING) FROM sales WINDOW w AS (PARTITION BY region)")
        #expect(refined == ["1", "2", "4", "7", "7", "6"])
        #expect(throws: SQLError.self) { try s.execute("SELECT count(*) OVER w FROM sales WINDOW w AS (v), v AS (ORDER BY id)") }
        #expect(throws: SQLError.self) { try s.execute("SELECT count(*) OVER (w ORDER BY id) FROM sales WINDOW w AS (ORDER BY region)") }
    }

    @Test("FILTER on a window aggregate; window results in expressions and ORDER BY")
    func filterAndExpressions() throws {
        let s = try Self.session()
        #expect(try Self.column(s, "SELECT count(*) FILTER (WHERE amount > 10) OVER (ORDER BY id) FROM sales") == ["0", "1", "1", "2", "2", "3"])
        #expect(try Self.column(s, "SELECT id FROM sales ORDER BY row_number() OVER (ORDER BY id DESC)") == ["6", "5", "4", "3", "2", "1"])
        #expect(try Self.column(s, "SELECT 100 * amount / sum(amount) OVER (PARTITION BY region) FROM sales").map { String($0.prefix(4)) } ==
                ["20.0", "100.", "20.0", "60.0", "NULL", "100."])
    }

    @Test("errors name the problem and point at the call")
    func errors() throws {
        let s = try Self.session()
        func failure(_ sql: String) -> SQLError? {
            do { _ = try s.execute(sql); return nil } catch { return error }
        }
        let unknown = try #require(failure("SELECT row_numbr() OVER () FROM sales"))
        #expect(unknown.code == .unknownName)
        #expect(unknown.validNames.first == "row_number")
        #expect(unknown.position?.column == 8)
        #expect(failure("SELECT rank(id) OVER () FROM sales")?.code == .syntax)
        #expect(failure("SELECT lag() OVER () FROM sales")?.code == .syntax)
        #expect(failure("SELECT sum(rank() OVER ()) OVER () FROM sales")?.code == .syntax)
        #expect(failure("SELECT sum(amount) OVER (ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW) FROM sales")?.code == .syntax)
        #expect(failure("SELECT sum(amount) OVER (ORDER BY region RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM sales")?.code == .unsupported)
        // DISTINCT window aggregates are supported; DISTINCT elsewhere is not SQL.
        #expect(failure("SELECT lag(DISTINCT amount) OVER () FROM sales")?.code == .syntax)
        #expect(failure("SELECT id FROM sales WHERE rank() OVER () > 1") != nil)
    }

    @Test("a larger input: running sums and ranks agree with direct computation")
    func larger() throws {
        let s = SQLSession()
        let values = (0..<3000).map { "(\($0), \($0 % 7), \(($0 * 37) % 101))" }.joined(separator: ", ")
        try s.execute("CREATE TABLE big (i INTEGER, g INTEGER, v INTEGER); INSERT INTO big VALUES \(values)")
        let batch = try s.execute("SELECT i, g, v, sum(v) OVER (PARTITION BY g ORDER BY i ROWS BETWEEN 3 PRECEDING AND CURRENT ROW), max(v) OVER (PARTITION BY g ORDER BY i ROWS BETWEEN 5 PRECEDING AND 2 FOLLOWING) FROM big")
        var byGroup: [Int: [Int]] = [:]
        for i in 0..<3000 { byGroup[i % 7, default: []].append((i * 37) % 101) }
        var mismatches = 0
        for row in 0..<batch.count {
            let i = row, g = i % 7, k = i / 7
            let members = byGroup[g]!
            let sum = members[Swift.max(0, k - 3)...k].reduce(0, +)
            let max = members[Swift.max(0, k - 5)...Swift.min(members.count - 1, k + 2)].max()!
            if batch.columns[3].scalar(at: row).formatted != "\(sum)" || batch.columns[4].scalar(at: row).formatted != "\(max)" { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}
