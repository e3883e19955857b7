import Catalog
import ColumnarCore
import Ingest
import Testing

/// JSON files: newline-delimited or one top-level array of objects; nested objects become dotted
/// columns, arrays of agreeing scalars become list columns.
@Suite struct JSONTests {
    static let people = """
        {"id":1,"name":"alice","score":1.5,"active":true}
        {"id":2,"name":"bob","score":2.5,"active":false}

        """

    @Test("newline-delimited JSON")
    func ndjson() throws {
        let lake = try Workspace()
        let path = try lake.file("people.jsonl", Self.people)
        let result = try lake.ingest(path, into: "people")
        #expect(result.rows == 2)
        let expected = schema(("id", .int64), ("name", .utf8), ("score", .decimal128(precision: 18, scale: 1)), ("active", .boolean))
        #expect(result.schema.pairs == expected)
        #expect(try lake.columns("people") == expected)
        #expect(try lake.rows("people", orderBy: "id") == [
            [int(1), text("alice"), .decimal128(15, precision: 18, scale: 1), .boolean(true)],
            [int(2), text("bob"), .decimal128(25, precision: 18, scale: 1), .boolean(false)],
        ])
    }

    @Test("a top-level array of objects reads the same rows", arguments: [
        "[{\"id\":1,\"name\":\"alice\",\"score\":1.5,\"active\":true},{\"id\":2,\"name\":\"bob\",\"score\":2.5,\"active\":false}]",
        "[\n  {\"id\": 1, \"name\": \"alice\", \"score\": 1.5, \"active\": true},\n  {\"id\": 2, \"name\": \"bob\", \"score\": 2.5, \"active\": false}\n]\n",
        "\u{FEFF}[\r\n{\"id\":1,\"name\":\"alice\",\"score\":1.5,\"active\":true}\r\n,\r\n{\"id\":2,\"name\":\"bob\",\"score\":2.5,\"active\":false}\r\n]",
    ])
    func topLevelArray(_ body: String) throws {
        let lake = try Workspace()
        let path = try lake.file("people.json", body)
        try lake.ingest(path, into: "array")
        try lake.ingest(try lake.file("people.jsonl", Self.people), into: "lines")
        #expect(try lake.columns("array") == lake.columns("lines"))
        #expect(try lake.rows("array", orderBy: "id") == lake.rows("lines", orderBy: "id"))
    }

    @Test("blank lines and CRLF between records are fine")
    func blankLinesAndCRLF() throws {
        let lake = try Workspace()
        let path = try lake.file("spaced.jsonl", "\r\n{\"id\":1}\r\n\r\n  {\"id\":2}  \r\n\n")
        let result = try lake.ingest(path, into: "spaced")
        #expect(result.rows == 2)
        #expect(try lake.rows("spaced", orderBy: "id") == [[int(1)], [int(2)]])
    }

    @Test("nested objects are flattened to dotted columns; missing parts are null")
    func nestedFlattening() throws {
        let lake = try Workspace()
        let path = try lake.file("places.jsonl", """
            {"id":1,"address":{"city":"Paris","geo":{"lat":48.8}}}
            {"id":2,"address":{"city":"Rome","geo":{"lat":41.9}}}
            {"id":3,"address":{"city":"Oslo"}}
            {"id":4}

            """)
        try lake.ingest(path, into: "places")
        #expect(try lake.columns("places") == schema(("id", .int64), ("address.city", .utf8), ("address.geo.lat", .decimal128(precision: 18, scale: 1))))
        #expect(try lake.rows("places", orderBy: "id") == [
            [int(1), text("Paris"), .decimal128(488, precision: 18, scale: 1)],
            [int(2), text("Rome"), .decimal128(419, precision: 18, scale: 1)],
            [int(3), text("Oslo"), .null],
            [int(4), .null, .null],
        ])
    }

    @Test("a null in place of a nested object makes its columns null, and adds no column of its own")
    func nullObject() throws {
        let lake = try Workspace()
        let path = try lake.file("places.jsonl", "{\"id\":1,\"address\":{\"city\":\"Paris\"}}\n{\"id\":2,\"address\":null}\n")
        try lake.ingest(path, into: "places")
        #expect(try lake.columns("places") == schema(("id", .int64), ("address.city", .utf8)))
        #expect(try lake.rows("places", orderBy: "id") == [[int(1), text("Paris")], [int(2), .null]])
    }

    @Test("missing keys are null; key order does not matter; columns come in order of first appearance")
    func missingKeysAndOrder() throws {
        let lake = try Workspace()
        let path = try lake.file("keys.jsonl", """
            {"b":2,"a":"x"}
            {"a":"y"}
            {"c":true,"a":"z","b":4}
            {"a":"w","b":null,"c":false}

            """)
        try lake.ingest(path, into: "keys")
        #expect(try lake.columns("keys") == schema(("b", .int64), ("a", .utf8), ("c", .boolean)))
        #expect(try lake.rows("keys") == [
            [int(2), text("x"), .null],
            [.null, text("y"), .null],
            [int(4), text("z"), .boolean(true)],
            [.null, text("w"), .boolean(false)],
        ])
    }

    @Test("a key given twice in one object: the last value wins")
    func duplicateKey() throws {
        let lake = try Workspace()
        let path = try lake.file("dup.jsonl", "{\"a\":1,\"a\":2}\n{\"a\":3}\n")
        try lake.ingest(path, into: "dup")
        #expect(try lake.rows("dup") == [[int(2)], [int(3)]])
    }

    @Test("arrays of agreeing scalars are list columns")
    func listColumns() throws {
        let lake = try Workspace()
        let path = try lake.file("lists.jsonl", """
            {"id":1,"tags":["x","y"],"nums":[1,2,3],"vals":[1.5,2],"flags":[true,false],"empty":[]}
            {"id":2,"tags":[],"nums":[4,null],"vals":[3],"flags":[false],"empty":[]}
            {"id":3}

            """)
        try lake.ingest(path, into: "lists")
        func list(_ type: DataType) -> DataType { .list(Field("element", type)) }
        #expect(try lake.columns("lists") == schema(("id", .int64), ("tags", list(.utf8)), ("nums", list(.int64)), ("vals", list(.float64)),
                                                     ("flags", list(.boolean)), ("empty", list(.utf8))))
        #expect(try lake.rows("lists", orderBy: "id") == [
            [int(1), .list([text("x"), text("y")]), .list([int(1), int(2), int(3)]), .list([.float64(1.5), .float64(2)]),
             .list([.boolean(true), .boolean(false)]), .list([])],
            [int(2), .list([]), .list([int(4), .null]), .list([.float64(3)]), .list([.boolean(false)]), .list([])],
            [int(3), .null, .null, .null, .null, .null],
        ])
    }

    @Test("arrays of mixed kinds, nested arrays and arrays of objects stay JSON text, as written")
    func mixedArraysAsText() throws {
        let lake = try Workspace()
        let path = try lake.file("mixed.jsonl", """
            {"id":1,"m":[1,"a"],"v":[1,2]}
            {"id":2,"m":[[1,2],[3]],"v":5}
            {"id":3,"m":[{"k":1}],"v":"five"}

            """)
        try lake.ingest(path, into: "mixed")
        #expect(try lake.columns("mixed") == schema(("id", .int64), ("m", .utf8), ("v", .utf8)))
        #expect(try lake.rows("mixed", orderBy: "id") == [
            [int(1), text("[1,\"a\"]"), text("[1,2]")],
            [int(2), text("[[1,2],[3]]"), text("5")],
            [int(3), text("[{\"k\":1}]"), text("five")],
        ])
    }

    @Test("string escapes: \\n, \\\", \\\\, \\/, \\t, \\u00e9 and surrogate pairs")
    func escapes() throws {
        let lake = try Workspace()
        let path = try lake.file("escapes.jsonl", #"""
            {"id":1,"s":"line1\nline2"}
            {"id":2,"s":"say \"hi\""}
            {"id":3,"s":"caf\u00e9"}
            {"id":4,"s":"\ud83d\ude00 grin"}
            {"id":5,"s":"tab\there \\ slash\/"}
            {"id":6,"s":"\u00C9t\u00E9"}

            """#)
        try lake.ingest(path, into: "escapes")
        #expect(try lake.columns("escapes") == schema(("id", .int64), ("s", .utf8)))
        #expect(try lake.rows("escapes", orderBy: "id") == [
            [int(1), text("line1\nline2")],
            [int(2), text("say \"hi\"")],
            [int(3), text("café")],
            [int(4), text("\u{1F600} grin")],
            [int(5), text("tab\there \\ slash/")],
            [int(6), text("Été")],
        ])
    }

    @Test("escapes in keys and in list elements are undone")
    func escapesInKeysAndLists() throws {
        let lake = try Workspace()
        let path = try lake.file("keys.jsonl", #"{"caf\u00e9":1,"words":["a\"b","\u00e9t\u00e9"]}"# + "\n")
        try lake.ingest(path, into: "keys")
        #expect(try lake.columns("keys") == schema(("café", .int64), ("words", .list(Field("element", .utf8)))))
        #expect(try lake.rows("keys") == [[int(1), .list([text("a\"b"), text("été")])]])
    }

    @Test("strings are inferred like CSV text: dates become DATE, leading zeros stay text")
    func stringInference() throws {
        let lake = try Workspace()
        let path = try lake.file("strings.jsonl", "{\"d\":\"2026-03-07\",\"zip\":\"02134\"}\n{\"d\":\"2026-03-08\",\"zip\":\"10001\"}\n")
        try lake.ingest(path, into: "strings")
        #expect(try lake.columns("strings") == schema(("d", .date32), ("zip", .utf8)))
        #expect(try lake.rows("strings") == [[.date32(20_519), text("02134")], [.date32(20_520), text("10001")]])
    }

    @Test("numbers: integers, exponents and negative values")
    func numbers() throws {
        let lake = try Workspace()
        let path = try lake.file("numbers.jsonl", "{\"i\":-7,\"e\":1e3}\n{\"i\":9223372036854775807,\"e\":-2.5E-2}\n")
        try lake.ingest(path, into: "numbers")
        #expect(try lake.columns("numbers") == schema(("i", .int64), ("e", .float64)))
        #expect(try lake.rows("numbers") == [[int(-7), .float64(1000)], [int(.max), .float64(-0.025)]])
    }

    @Test("malformed JSON is malformedJSON naming the line and byte", arguments: [
        // `{"id":2,}`: the `}` where a key belongs is byte 9 + 8 = 17.
        ("{\"id\":1}\n{\"id\":2,}\n", 2, 17),
        // `{"id" 2}`: the `2` where a ':' belongs is byte 9 + 6 = 15.
        ("{\"id\":1}\n{\"id\" 2}\n", 2, 15),
        // `tru` starts at byte 9 + 6 = 15.
        ("{\"id\":1}\n{\"id\":tru}\n", 2, 15),
        // An array where an object belongs, at byte 9.
        ("{\"id\":1}\n[1,2]\n", 2, 9),
        // A raw line break inside a string: byte 14 (`{"id":1,"s":"a` is 14 bytes).
        ("{\"id\":1,\"s\":\"a\nb\"}\n", 1, 14),
    ])
    func malformed(_ body: String, _ line: Int, _ offset: Int) throws {
        let lake = try Workspace()
        let path = try lake.file("bad.jsonl", body)
        let error = try #require(lake.failure(path, into: "bad"))
        #expect(error.code == .malformedJSON)
        #expect(error.file == path)
        #expect(error.line == line)
        #expect(error.byteOffset == offset)
        try lake.expectNothingCommitted()
    }

    @Test("an error inside a pretty-printed array names the line it is on")
    func malformedPrettyArray() throws {
        let lake = try Workspace()
        // Line 4 lacks the comma after `"id": 2`: the `"` of "x" is where it fails.
        let body = "[\n  {\"id\": 1},\n  {\"id\": 2\n   \"x\": 3}\n]\n"
        let path = try lake.file("pretty.json", body)
        let error = try #require(lake.failure(path, into: "pretty"))
        #expect(error.code == .malformedJSON)
        #expect(error.line == 4)
        // The `"` of "x" is followed by the 9 bytes `x": 3}\n]\n`.
        #expect(error.byteOffset == body.utf8.count - 10)
        try lake.expectNothingCommitted()
    }

    @Test("a truncated file is malformedJSON", arguments: [
        "{\"id\":1}\n{\"id\":2,\"name\":\"b",
        "{\"id\":1}\n{\"id\":2",
        "[{\"id\":1},{\"id\":2}",
        "[{\"id\":1},{\"id\":",
        "[{\"id\":1},",
    ])
    func truncated(_ body: String) throws {
        let lake = try Workspace()
        let path = try lake.file("cut.json", body)
        let error = try #require(lake.failure(path, into: "cut"))
        #expect(error.code == .malformedJSON)
        #expect(error.file == path)
        try lake.expectNothingCommitted()
    }

    @Test("a truncated object is named by its line and starting byte")
    func truncatedObjectPosition() throws {
        let lake = try Workspace()
        let path = try lake.file("cut.jsonl", "{\"id\":1}\n{\"id\":2,\"name\":\"b")
        let error = try #require(lake.failure(path, into: "cut"))
        #expect(error.code == .malformedJSON)
        #expect(error.line == 2)
        #expect(error.byteOffset == 9)
    }

    @Test("a truncated file read in small windows is malformedJSON too")
    func truncatedInWindows() throws {
        let lake = try Workspace()
        var body = ""
        for k in 1...30 { body += "{\"id\":\(k),\"name\":\"n\(k)\"}\n" }
        body += "{\"id\":31,\"name\":\"cut"
        let path = try lake.file("cut.jsonl", body)
        let error = try #require(lake.failure(path, into: "cut", options { $0.windowBytes = 64 }))
        #expect(error.code == .malformedJSON)
        #expect(error.line == 31)
        try lake.expectNothingCommitted()
    }

    @Test("JSON with no keys is .empty", arguments: ["[]", "{}\n{}\n", "\n"])
    func noKeys(_ body: String) throws {
        let lake = try Workspace()
        let path = try lake.file("empty.json", body)
        let error = try #require(lake.failure(path, into: "empty"))
        #expect(error.code == .empty)
        try lake.expectNothingCommitted()
    }

    @Test("invalid UTF-8 in JSON names the byte offset and line; .replace reads U+FFFD")
    func invalidUTF8() throws {
        let lake = try Workspace()
        // `{"id":1,"s":"ok"}\n` is 18 bytes, `{"id":2,"s":"caf` 16: the 0xE9 is byte 34, on line 2.
        let bytes = Array("{\"id\":1,\"s\":\"ok\"}\n{\"id\":2,\"s\":\"caf".utf8) + [0xE9] + Array("\"}\n".utf8)
        let path = try lake.file("latin1.jsonl", bytes: bytes)
        let error = try #require(lake.failure(path, into: "latin1"))
        #expect(error.code == .invalidUTF8)
        #expect(error.line == 2)
        #expect(error.byteOffset == 34)
        try lake.expectNothingCommitted()
        try lake.ingest(path, into: "replaced", options { $0.invalidUTF8 = .replace })
        #expect(try lake.rows("replaced", orderBy: "id") == [[int(1), text("ok")], [int(2), text("caf\u{FFFD}")]])
    }

    @Test("a type override that a JSON value does not fit names its line and column")
    func overrideMismatch() throws {
        let lake = try Workspace()
        let path = try lake.file("t.jsonl", "{\"id\":1,\"n\":\"5\"}\n{\"id\":2,\"n\":\"x\"}\n")
        let error = try #require(lake.failure(path, into: "t", options { $0.columnTypes = ["n": .int64] }))
        #expect(error.code == .typeMismatch)
        #expect(error.line == 2)
        #expect(error.column == "n")
        try lake.expectNothingCommitted()
    }
}
