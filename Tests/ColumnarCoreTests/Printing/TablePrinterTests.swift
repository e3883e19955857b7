import ColumnarCore
import Testing

@Suite struct TablePrinterTests {
    @Test("a box with centred names, a type row and right-aligned numbers")
    func layout() throws {
        let batch = try RecordBatch(schema: Schema([Field("id", .int64), Field("name", .utf8)]), columns: [.i64([7, 1234]), .text(["ada", "grace"])])
        let expected = """
        ┌────────┬─────────┐
        │   id   │  name   │
        │ bigint │ varchar │
        ├────────┼─────────┤
        │      7 │ ada     │
        │   1234 │ grace   │
        └────────┴─────────┘
        2 rows

        """
        #expect(BatchPrinter.table([batch]) == expected)
    }

    @Test("nulls print as NULL and decimals and dates are right- and left-aligned by type")
    func nullsAndTypes() throws {
        let schema = Schema([Field("price", .decimal128(precision: 6, scale: 2)), Field("day", .date32)])
        let batch = try RecordBatch(schema: schema, columns: [.decimals([5, nil], precision: 6, scale: 2), .dates([nil, 0])])
        let lines = BatchPrinter.table([batch]).split(separator: "\n").map(String.init)
        #expect(lines[2] == "│ decimal(6,2) │    date    │")
        #expect(lines[4] == "│         0.05 │ NULL       │")
        #expect(lines[5] == "│         NULL │ 1970-01-01 │")
        #expect(lines.last == "2 rows")
    }

    @Test("past the row limit, the first and last rows frame an elision row")
    func elision() throws {
        let batch = try RecordBatch(schema: Schema([Field("n", .int64)]), columns: [.i64((0..<10).map { Int64($0) })])
        let lines = BatchPrinter.table([batch], maxRows: 4).split(separator: "\n").map(String.init)
        let body = lines.filter { $0.hasPrefix("│") }.dropFirst(2).map { $0.filter { $0 != "│" && $0 != " " } }
        #expect(body == ["0", "1", "·", "8", "9"])
        #expect(lines.last == "10 rows (4 shown)")
    }

    @Test("the row limit counts across batches")
    func elisionAcrossBatches() throws {
        let schema = Schema([Field("n", .int64)])
        let batches = try (0..<3).map { b in try RecordBatch(schema: schema, columns: [.i64((0..<4).map { Int64(b * 4 + $0) })]) }
        let lines = BatchPrinter.table(batches, maxRows: 5).split(separator: "\n").map(String.init)
        let body = lines.filter { $0.hasPrefix("│") }.dropFirst(2).map { $0.filter { $0 != "│" && $0 != " " } }
        #expect(body == ["0", "1", "·", "9", "10", "11"])
        #expect(lines.last == "12 rows (5 shown)")
    }

    @Test("long cells are cut and line breaks escaped")
    func cells() throws {
        let batch = try RecordBatch(schema: Schema([Field("t", .utf8)]), columns: [.text(["abcdefghij", "a\nb"])])
        let table = BatchPrinter.table([batch], maxWidth: 5)
        // The column is as wide as its type name, "varchar".
        #expect(table.contains("│ abcd…   │"))
        #expect(table.contains("│ a\\nb    │"))
        #expect(!table.contains("abcde"))
    }

    @Test("one row, zero rows and no batches")
    func counts() throws {
        let schema = Schema([Field("n", .int64)])
        #expect(BatchPrinter.table([try RecordBatch(schema: schema, columns: [.i64([1])])]).hasSuffix("\n1 row\n"))
        #expect(BatchPrinter.table([try RecordBatch.empty(schema)]).hasSuffix("\n0 rows\n"))
        #expect(BatchPrinter.table([]) == "(no columns)\n")
    }
}
