import ColumnarCore
import Testing

@Suite struct CSVPrinterTests {
    func batch(_ texts: [String?], numbers: [Int64?]) throws -> RecordBatch {
        try RecordBatch(schema: Schema([Field("text", .utf8), Field("n", .int64)]), columns: [.text(texts), .i64(numbers)])
    }

    @Test("a header line, then one line per row")
    func plain() throws {
        #expect(BatchPrinter.csv([try batch(["a", "b"], numbers: [1, -2])]) == "text,n\na,1\nb,-2\n")
    }

    @Test("fields with a comma, a quote or a line break are quoted, quotes doubled", arguments: [
        ("x,y", "\"x,y\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""),
        ("cr\rhere", "\"cr\rhere\""), ("plain", "plain"), ("", "\"\""), ("'single'", "'single'"),
        ("windows\r\nline", "\"windows\r\nline\""), ("accent \"\u{301}", "\"accent \"\"\u{301}\""),
        ("a,\u{301}b", "\"a,\u{301}b\""),
    ])
    func quoting(value: String, expected: String) throws {
        #expect(BatchPrinter.csv([try batch([value], numbers: [1])]) == "text,n\n\(expected),1\n")
    }

    @Test("an empty string is written as \"\" so it reads back differently from NULL")
    func emptyVersusNull() throws {
        #expect(BatchPrinter.csv([try batch(["", nil], numbers: [1, 2])]) == "text,n\n\"\",1\n,2\n")
    }

    @Test("nulls are empty fields")
    func nulls() throws {
        #expect(BatchPrinter.csv([try batch([nil, "a"], numbers: [nil, nil])]) == "text,n\n,\na,\n")
    }

    @Test("a custom delimiter is the one that forces quotes")
    func delimiter() throws {
        let csv = BatchPrinter.csv([try batch(["a;b", "c,d"], numbers: [1, 2])], delimiter: ";")
        #expect(csv == "text;n\n\"a;b\";1\nc,d;2\n")
    }

    @Test("header names are quoted too, and can be left out")
    func header() throws {
        let odd = try RecordBatch(schema: Schema([Field("a,b", .int8)]), columns: [.i8([1])])
        #expect(BatchPrinter.csv([odd]) == "\"a,b\"\n1\n")
        #expect(BatchPrinter.csv([odd], header: false) == "1\n")
    }

    @Test("several batches share one header; no batches print nothing")
    func batches() throws {
        let first = try batch(["a"], numbers: [1])
        let second = try batch(["b"], numbers: [2])
        #expect(BatchPrinter.csv([first, second]) == "text,n\na,1\nb,2\n")
        #expect(BatchPrinter.csv([]) == "")
        #expect(BatchPrinter.csv([try batch([], numbers: [])]) == "text,n\n")
    }

    @Test("values are formatted as text casts format them")
    func formatting() throws {
        let schema = Schema([Field("d", .date32), Field("p", .decimal128(precision: 5, scale: 2)), Field("f", .float64), Field("b", .boolean)])
        let row = try RecordBatch(schema: schema, columns: [.dates([19_782]), .decimals([-150], precision: 5, scale: 2), .f64([.nan]), .bools([true])])
        #expect(BatchPrinter.csv([row]) == "d,p,f,b\n2024-02-29,-1.50,nan,true\n")
    }
}
