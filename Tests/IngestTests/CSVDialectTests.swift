import Catalog
import ColumnarCore
import Ingest
import Testing

/// The CSV dialect is found from the file: delimiter, quoting, escapes, header, line endings,
/// byte-order mark, blank and comment lines.
@Suite struct CSVDialectTests {
    @Test("the delimiter is sniffed: comma, semicolon, tab and pipe", arguments: [",", ";", "\t", "|"])
    func delimiter(_ delimiter: String) throws {
        let lake = try Workspace()
        let rows = [["id", "name", "score"], ["1", "alice", "1.5"], ["2", "bob", "2.5"], ["3", "carol", "3.5"]]
        let path = try lake.file("people.csv", rows.map { $0.joined(separator: delimiter) }.joined(separator: "\n") + "\n")
        let result = try lake.ingest(path, into: "people")
        #expect(result.rows == 3)
        #expect(result.schema.pairs == schema(("id", .int64), ("name", .utf8), ("score", .decimal128(precision: 18, scale: 1))))
        #expect(try lake.columns("people") == result.schema.pairs)
        #expect(try lake.rows("people", orderBy: "id") == [
            [int(1), text("alice"), .decimal128(15, precision: 18, scale: 1)],
            [int(2), text("bob"), .decimal128(25, precision: 18, scale: 1)],
            [int(3), text("carol"), .decimal128(35, precision: 18, scale: 1)],
        ])
    }

    @Test("a semicolon file with decimal commas: the semicolon wins, the comma decimals stay text")
    func semicolonWithDecimalCommas() throws {
        let lake = try Workspace()
        let path = try lake.file("amounts.csv", "id;amount\n1;1,5\n2;2,25\n3;10\n")
        try lake.ingest(path, into: "amounts")
        #expect(try lake.columns("amounts") == schema(("id", .int64), ("amount", .utf8)))
        #expect(try lake.rows("amounts", orderBy: "id") == [[int(1), text("1,5")], [int(2), text("2,25")], [int(3), text("10")]])
    }

    @Test("a pipe file whose values hold commas is split on the pipe")
    func pipeWithCommasInValues() throws {
        let lake = try Workspace()
        let path = try lake.file("names.psv", "id|name\n1|Smith, John\n2|Doe, Jane\n3|Roe, Richard\n")
        try lake.ingest(path, into: "names")
        #expect(try lake.columns("names") == schema(("id", .int64), ("name", .utf8)))
        #expect(try lake.rows("names", orderBy: "id") == [[int(1), text("Smith, John")], [int(2), text("Doe, Jane")], [int(3), text("Roe, Richard")]])
    }

    @Test("an explicit delimiter is used as given")
    func explicitDelimiter() throws {
        let lake = try Workspace()
        // Sniffing would pick the comma (three fields per line); the user says semicolon.
        let path = try lake.file("explicit.csv", "a,b;c,d\n1,2;3,4\n5,6;7,8\n")
        try lake.ingest(path, into: "explicit", options { $0.csv.delimiter = UInt8(ascii: ";") })
        #expect(try lake.columns("explicit") == schema(("a,b", .utf8), ("c,d", .utf8)))
        #expect(try lake.rows("explicit") == [[text("1,2"), text("3,4")], [text("5,6"), text("7,8")]])
    }

    @Test("quoted fields keep delimiters, doubled quotes and line breaks")
    func doubledQuotes() throws {
        let lake = try Workspace()
        let path = try lake.file("quotes.csv", """
            id,text
            1,"a ""quoted"" word, with comma"
            2,"two
            lines"
            3,plain

            """)
        try lake.ingest(path, into: "quotes")
        #expect(try lake.columns("quotes") == schema(("id", .int64), ("text", .utf8)))
        #expect(try lake.rows("quotes", orderBy: "id") == [
            [int(1), text("a \"quoted\" word, with comma")],
            [int(2), text("two\nlines")],
            [int(3), text("plain")],
        ])
    }

    @Test("single quotes are sniffed when the file has no double quotes")
    func singleQuotes() throws {
        let lake = try Workspace()
        let path = try lake.file("single.csv", "id,name\n1,'O''Brien, Pat'\n2,'Smith, Al'\n3,Lee\n")
        try lake.ingest(path, into: "single")
        #expect(try lake.rows("single", orderBy: "id") == [[int(1), text("O'Brien, Pat")], [int(2), text("Smith, Al")], [int(3), text("Lee")]])
    }

    @Test("backslash escapes inside quotes are sniffed and undone")
    func backslashEscapes() throws {
        let lake = try Workspace()
        let path = try lake.file("escaped.csv", #"""
            id,quote
            1,"she said \"hi\", then left"
            2,"a \\ backslash"
            3,"plain"

            """#)
        try lake.ingest(path, into: "escaped")
        #expect(try lake.columns("escaped") == schema(("id", .int64), ("quote", .utf8)))
        #expect(try lake.rows("escaped", orderBy: "id") == [
            [int(1), text("she said \"hi\", then left")],
            [int(2), text("a \\ backslash")],
            [int(3), text("plain")],
        ])
    }

    @Test("a header is detected when its values do not fit the column types below")
    func headerDetected() throws {
        let lake = try Workspace()
        let path = try lake.file("typed.csv", "id,name,joined\n1,alice,2026-03-07\n2,bob,2026-03-08\n")
        let result = try lake.ingest(path, into: "typed")
        #expect(result.rows == 2)
        #expect(try lake.columns("typed") == schema(("id", .int64), ("name", .utf8), ("joined", .date32)))
        #expect(try lake.rows("typed", orderBy: "id") == [[int(1), text("alice"), .date32(20_519)], [int(2), text("bob"), .date32(20_520)]])
    }

    @Test("a file whose first row fits the column types has no header: columns are named column1…")
    func noHeader() throws {
        let lake = try Workspace()
        let path = try lake.file("headless.csv", "1,alice,2026-03-07\n2,bob,2026-03-08\n")
        let result = try lake.ingest(path, into: "headless")
        #expect(result.rows == 2)
        #expect(try lake.columns("headless") == schema(("column1", .int64), ("column2", .utf8), ("column3", .date32)))
        #expect(try lake.rows("headless", orderBy: "column1") == [[int(1), text("alice"), .date32(20_519)], [int(2), text("bob"), .date32(20_520)]])
    }

    @Test("an all-text file has a header when its first row's values are distinct and non-empty")
    func allTextHeader() throws {
        let lake = try Workspace()
        let path = try lake.file("cities.csv", "name,city\nalice,paris\nbob,rome\n")
        try lake.ingest(path, into: "cities")
        #expect(try lake.columns("cities") == schema(("name", .utf8), ("city", .utf8)))
        #expect(try lake.rows("cities", orderBy: "name") == [[text("alice"), text("paris")], [text("bob"), text("rome")]])
    }

    @Test("header = false reads the first row as data")
    func headerForcedOff() throws {
        let lake = try Workspace()
        let path = try lake.file("cities.csv", "name,city\nalice,paris\n")
        try lake.ingest(path, into: "cities", options { $0.csv.header = false })
        #expect(try lake.columns("cities") == schema(("column1", .utf8), ("column2", .utf8)))
        #expect(try lake.rows("cities") == [[text("name"), text("city")], [text("alice"), text("paris")]])
    }

    @Test("LF, CRLF and CR line endings read the same rows", arguments: ["\n", "\r\n", "\r"])
    func lineEndings(_ newline: String) throws {
        let lake = try Workspace()
        let path = try lake.file("endings.csv", ["id,name", "1,a", "2,b", "3,c"].joined(separator: newline) + newline)
        let result = try lake.ingest(path, into: "endings")
        #expect(result.rows == 3)
        #expect(try lake.columns("endings") == schema(("id", .int64), ("name", .utf8)))
        #expect(try lake.rows("endings", orderBy: "id") == [[int(1), text("a")], [int(2), text("b")], [int(3), text("c")]])
    }

    @Test("the last line may lack its line break", arguments: ["\n", "\r\n", "\r"])
    func lastLineUnterminated(_ newline: String) throws {
        let lake = try Workspace()
        let path = try lake.file("open.csv", ["id,name", "1,a", "2,b"].joined(separator: newline))
        try lake.ingest(path, into: "open")
        #expect(try lake.rows("open", orderBy: "id") == [[int(1), text("a")], [int(2), text("b")]])
    }

    @Test("errors name the right line whatever the line endings", arguments: ["\n", "\r\n", "\r"])
    func errorLineWithEndings(_ newline: String) throws {
        let lake = try Workspace()
        let path = try lake.file("ragged.csv", ["id,name", "1,a", "2,b", "3,c,extra", "4,d"].joined(separator: newline) + newline)
        let error = try #require(lake.failure(path, into: "ragged"))
        #expect(error.code == .raggedRow)
        #expect(error.line == 4)
        #expect(error.file == path)
        try lake.expectNothingCommitted()
    }

    @Test("a UTF-8 byte-order mark is not part of the first column's name")
    func byteOrderMark() throws {
        let lake = try Workspace()
        let path = try lake.file("bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("id,name\n1,é\n2,b\n".utf8))
        try lake.ingest(path, into: "bom")
        #expect(try lake.columns("bom") == schema(("id", .int64), ("name", .utf8)))
        #expect(try lake.rows("bom", orderBy: "id") == [[int(1), text("é")], [int(2), text("b")]])
    }

    @Test("a byte-order mark before a headerless file is not part of the first value")
    func byteOrderMarkWithoutHeader() throws {
        let lake = try Workspace()
        let path = try lake.file("bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("1,2\n3,4\n".utf8))
        try lake.ingest(path, into: "bom")
        #expect(try lake.columns("bom") == schema(("column1", .int64), ("column2", .int64)))
        #expect(try lake.rows("bom", orderBy: "column1") == [[int(1), int(2)], [int(3), int(4)]])
    }

    @Test("quoted line breaks (LF and CRLF) stay in the value, and later errors name the right line")
    func quotedNewlinesKeepLineNumbers() throws {
        let lake = try Workspace()
        // Line 1 header; 2–3 row 1; 4–5 row 2; 6 row 3; 7 row 4 (ragged).
        let good = "id,note\n1,\"first\nsecond\"\n2,\"a\r\nb\"\n3,plain\n"
        let okPath = try lake.file("notes.csv", good)
        try lake.ingest(okPath, into: "notes")
        #expect(try lake.rows("notes", orderBy: "id") == [[int(1), text("first\nsecond")], [int(2), text("a\r\nb")], [int(3), text("plain")]])

        let badPath = try lake.file("bad.csv", good + "4,x,extra\n")
        let error = try #require(lake.failure(badPath, into: "bad"))
        #expect(error.code == .raggedRow)
        #expect(error.line == 7)
        // The bad row starts right after the good part (42 bytes).
        #expect(error.byteOffset == good.utf8.count)
        #expect(try lake.catalog.dataset("bad") == nil)
    }

    @Test("blank lines are skipped")
    func blankLines() throws {
        let lake = try Workspace()
        let path = try lake.file("blank.csv", "id,name\n\n1,a\n\n\n2,b\n\r\n3,c\n\n")
        let result = try lake.ingest(path, into: "blank")
        #expect(result.rows == 3)
        #expect(try lake.rows("blank", orderBy: "id") == [[int(1), text("a")], [int(2), text("b")], [int(3), text("c")]])
    }

    @Test("comment lines starting with # are skipped (sniffed from the first byte), and line numbers still count them")
    func commentLines() throws {
        let lake = try Workspace()
        let body = "# exported by tool 2.1\n# second comment\nid,name\n1,a\n# a comment between rows\n2,b\n"
        let path = try lake.file("comments.csv", body)
        let result = try lake.ingest(path, into: "comments")
        #expect(result.rows == 2)
        #expect(try lake.columns("comments") == schema(("id", .int64), ("name", .utf8)))
        #expect(try lake.rows("comments", orderBy: "id") == [[int(1), text("a")], [int(2), text("b")]])

        let badPath = try lake.file("bad.csv", body + "3,c,extra\n")
        let error = try #require(lake.failure(badPath, into: "bad"))
        #expect(error.code == .raggedRow)
        #expect(error.line == 7)
    }

    @Test("an explicit comment prefix skips lines starting with it")
    func explicitCommentPrefix() throws {
        let lake = try Workspace()
        let path = try lake.file("percent.csv", "id,name\n% a note\n1,a\n2,b\n% the end\n")
        let result = try lake.ingest(path, into: "percent", options { $0.csv.commentPrefix = UInt8(ascii: "%") })
        #expect(result.rows == 2)
        #expect(try lake.rows("percent", orderBy: "id") == [[int(1), text("a")], [int(2), text("b")]])
    }

    @Test("a 1 MiB field is read whole, quoted (with commas and line breaks inside) or not", arguments: [false, true])
    func veryLongField(_ quoted: Bool) throws {
        let lake = try Workspace()
        var blob = String(repeating: "x", count: 1 << 20)
        if quoted {
            // A comma every 1000 bytes and a line break in the middle.
            var bytes = Array(blob.utf8)
            for k in stride(from: 999, to: bytes.count, by: 1000) { bytes[k] = UInt8(ascii: ",") }
            bytes[bytes.count / 2] = 0x0A
            blob = String(decoding: bytes, as: UTF8.self)
        }
        let field = quoted ? "\"" + blob + "\"" : blob
        let path = try lake.file("long.csv", "id,blob\n1,\(field)\n2,short\n")
        let result = try lake.ingest(path, into: "long")
        #expect(result.rows == 2)
        #expect(try lake.columns("long") == schema(("id", .int64), ("blob", .utf8)))
        let rows = try lake.rows("long", orderBy: "id")
        try #require(rows.count == 2)
        #expect(rows[0][0] == int(1))
        #expect(rows[0][1] == text(blob))
        #expect(rows[1] == [int(2), text("short")])
    }

    @Test("a delimiter ending every line adds an empty last column of nulls", arguments: ["a,b,\n1,2,\n3,4,\n", "a,b,\n1,2,\n3,4,"])
    func trailingDelimiter(_ body: String) throws {
        let lake = try Workspace()
        let path = try lake.file("trailing.csv", body)
        let result = try lake.ingest(path, into: "trailing")
        #expect(result.rows == 2)
        #expect(try lake.columns("trailing") == schema(("a", .int64), ("b", .int64), ("column3", .utf8)))
        #expect(try lake.rows("trailing", orderBy: "a") == [[int(1), int(2), .null], [int(3), int(4), .null]])
    }

    @Test("the format is detected from the first bytes when the extension says nothing")
    func formatFromContent() throws {
        let lake = try Workspace()
        let csv = try lake.file("export.dat", "id,name\n1,a\n")
        let json = try lake.file("events.dat", "  {\"id\": 1, \"name\": \"a\"}\n")
        try lake.ingest(csv, into: "fromcsv")
        try lake.ingest(json, into: "fromjson")
        #expect(try lake.rows("fromcsv") == [[int(1), text("a")]])
        #expect(try lake.rows("fromjson") == [[int(1), text("a")]])
    }
}
