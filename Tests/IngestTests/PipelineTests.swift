import Catalog
import ColumnarCore
import Ingest
import Testing

/// The whole ingest: one commit per file, idempotence by content hash, schema evolution on
/// appends, and the same rows whatever the window size or parallelism.
@Suite struct PipelineTests {
    // MARK: Commits and idempotence

    @Test("a new dataset is exactly version 0, with one commit")
    func newDatasetIsVersionZero() throws {
        let lake = try Workspace()
        let body = "id,name\n1,a\n2,b\n"
        let path = try lake.file("people.csv", body)
        let result = try lake.ingest(path, into: "people", options { $0.description = "staff"; $0.primaryKey = ["id"] })
        #expect(result.dataset == "people")
        #expect(result.version == 0)
        #expect(result.rows == 2)
        #expect(result.skippedRows == 0)
        #expect(result.bytes == Int64(body.utf8.count))
        #expect(result.createdDataset)
        #expect(!result.alreadyIngested)
        let table = try lake.catalog.table("people")
        #expect(try table.latestVersion() == 0)
        #expect(try table.history().count == 1)
        let snapshot = try table.snapshot()
        #expect(snapshot.version == 0)
        #expect(snapshot.rowCount == 2)
        let info = try #require(try lake.catalog.dataset("people"))
        #expect(info.description == "staff")
        #expect(info.primaryKey == ["id"])
        #expect(info.sources.map(\.contentHash) == [result.contentHash])
        #expect(info.sources.map(\.size) == [Int64(body.utf8.count)])
    }

    @Test("each further file is exactly one more version")
    func oneVersionPerFile() throws {
        let lake = try Workspace()
        for k in 0..<3 {
            let path = try lake.file("part\(k).csv", "id,name\n\(k),n\(k)\n")
            let result = try lake.ingest(path, into: "parts")
            #expect(result.version == Int64(k))
            #expect(result.createdDataset == (k == 0))
        }
        #expect(try lake.catalog.table("parts").history().count == 3)
        #expect(try lake.rows("parts", orderBy: "id") == [[int(0), text("n0")], [int(1), text("n1")], [int(2), text("n2")]])
    }

    @Test("ingesting the same bytes again does nothing and reports the version holding them")
    func idempotentReingest() throws {
        let lake = try Workspace()
        let body = "id,name\n1,a\n2,b\n"
        let path = try lake.file("people.csv", body)
        let first = try lake.ingest(path, into: "people")
        let again = try lake.ingest(path, into: "people")
        #expect(again.alreadyIngested)
        #expect(!again.createdDataset)
        #expect(again.version == first.version)
        #expect(again.version == 0)
        #expect(again.rows == 0)
        #expect(again.contentHash == first.contentHash)
        #expect(again.schema.pairs == first.schema.pairs)
        // The same bytes under another name are the same content.
        let copy = try lake.file("copy.csv", body)
        let third = try lake.ingest(copy, into: "people")
        #expect(third.alreadyIngested)
        #expect(third.version == 0)
        #expect(try lake.catalog.table("people").latestVersion() == 0)
        #expect(try lake.rows("people", orderBy: "id") == [[int(1), text("a")], [int(2), text("b")]])
    }

    @Test("a file ingested once, then another, then the first again: still no new version")
    func idempotentAfterOtherFiles() throws {
        let lake = try Workspace()
        let a = try lake.file("a.csv", "id,name\n1,a\n")
        let b = try lake.file("b.csv", "id,name\n2,b\n")
        try lake.ingest(a, into: "people")
        try lake.ingest(b, into: "people")
        let again = try lake.ingest(a, into: "people")
        #expect(again.alreadyIngested)
        #expect(try lake.catalog.table("people").latestVersion() == 1)
        #expect(try lake.rows("people", orderBy: "id") == [[int(1), text("a")], [int(2), text("b")]])
    }

    @Test("the same file into two datasets is ingested into each")
    func sameFileTwoDatasets() throws {
        let lake = try Workspace()
        let path = try lake.file("people.csv", "id\n1\n")
        #expect(try !lake.ingest(path, into: "one").alreadyIngested)
        #expect(try !lake.ingest(path, into: "two").alreadyIngested)
        #expect(try lake.rows("two") == [[int(1)]])
    }

    // MARK: Schema evolution

    @Test("a re-ingest adds new columns; old rows read them as null; missing columns are null in new rows")
    func schemaEvolution() throws {
        let lake = try Workspace()
        try lake.ingest(try lake.file("v1.csv", "id,name\n1,a\n"), into: "people")
        let second = try lake.ingest(try lake.file("v2.csv", "id,name,email\n2,b,b@x.org\n"), into: "people")
        #expect(second.version == 1)
        #expect(!second.createdDataset)
        #expect(try lake.columns("people") == schema(("id", .int64), ("name", .utf8), ("email", .utf8)))
        // Columns in another order, and one left out.
        try lake.ingest(try lake.file("v3.csv", "email,id\nc@x.org,3\n"), into: "people")
        #expect(try lake.columns("people") == schema(("id", .int64), ("name", .utf8), ("email", .utf8)))
        #expect(try lake.rows("people", orderBy: "id") == [
            [int(1), text("a"), .null],
            [int(2), text("b"), text("b@x.org")],
            [int(3), .null, text("c@x.org")],
        ])
    }

    @Test("existing columns keep their types: numbers into a text column stay text")
    func existingTypesKept() throws {
        let lake = try Workspace()
        try lake.ingest(try lake.file("v1.csv", "id,code,price\n1,ab,1.25\n"), into: "items")
        // `code` would be BIGINT and `price` DECIMAL(18,1) on their own.
        try lake.ingest(try lake.file("v2.csv", "id,code,price\n2,123,2.5\n"), into: "items")
        #expect(try lake.columns("items") == schema(("id", .int64), ("code", .utf8), ("price", .decimal128(precision: 18, scale: 2))))
        #expect(try lake.rows("items", orderBy: "id") == [
            [int(1), text("ab"), .decimal128(125, precision: 18, scale: 2)],
            [int(2), text("123"), .decimal128(250, precision: 18, scale: 2)],
        ])
    }

    @Test("a value that does not fit an existing column is typeMismatch naming line and column; nothing changes")
    func conflictWithExistingType() throws {
        let lake = try Workspace()
        try lake.ingest(try lake.file("v1.csv", "id,joined\n1,2026-03-07\n"), into: "people")
        let files = try lake.dataObjects()
        let bad = try lake.file("v2.csv", "id,joined\n2,2026-03-08\n3,2026-03-09\nx4,2026-03-10\n")
        let error = try #require(lake.failure(bad, into: "people"))
        #expect(error.code == .typeMismatch)
        #expect(error.line == 4)
        #expect(error.column == "id")
        #expect(error.file == bad)
        let badDate = try lake.file("v3.csv", "id,joined\n2,tomorrow\n")
        let dateError = try #require(lake.failure(badDate, into: "people"))
        #expect(dateError.code == .typeMismatch)
        #expect(dateError.line == 2)
        #expect(dateError.column == "joined")
        #expect(try lake.catalog.table("people").latestVersion() == 0)
        #expect(try lake.dataObjects() == files)
        #expect(try lake.rows("people") == [[int(1), .date32(20_519)]])
    }

    // MARK: Streaming

    /// 200 rows: every third has a quoted note with a line break, a comma and doubled quotes;
    /// every third has no note (null). `amount` is `k.25`, a DECIMAL(18,2).
    static func quotedCSV() -> (body: String, rows: [[Scalar]]) {
        var body = "id,note,amount\n"
        var rows: [[Scalar]] = []
        for k in 1...200 {
            let note: Scalar
            switch k % 3 {
            case 0:
                body += "\(k),\"row \(k)\nsecond line, with \"\"quotes\"\"\",\(k).25\n"
                note = text("row \(k)\nsecond line, with \"quotes\"")
            case 1:
                body += "\(k),plain \(k),\(k).25\n"
                note = text("plain \(k)")
            default:
                body += "\(k),,\(k).25\n"
                note = .null
            }
            rows.append([int(Int64(k)), note, .decimal128(Int128(k * 100 + 25), precision: 18, scale: 2)])
        }
        return (body, rows)
    }

    @Test("CSV with quoted line breaks streamed in small windows gives exactly the rows of one window", arguments: [48, 64, 97, 200, 1000])
    func csvWindows(_ windowBytes: Int) throws {
        let lake = try Workspace()
        let (body, expected) = Self.quotedCSV()
        let path = try lake.file("notes.csv", body)
        let whole = try lake.ingest(path, into: "whole")
        let streamed = try lake.ingest(path, into: "streamed", options { $0.windowBytes = windowBytes })
        #expect(whole.rows == 200)
        #expect(streamed.rows == 200)
        #expect(streamed.contentHash == whole.contentHash)
        let columns = schema(("id", .int64), ("note", .utf8), ("amount", .decimal128(precision: 18, scale: 2)))
        #expect(try lake.columns("whole") == columns)
        #expect(try lake.columns("streamed") == columns)
        #expect(try lake.rows("whole") == expected)
        #expect(try lake.rows("streamed") == expected)
    }

    @Test("an error in a later window names the file's line and byte")
    func csvErrorInLaterWindow() throws {
        let lake = try Workspace()
        let (body, _) = Self.quotedCSV()
        // Rows take 1 line, or 2 when quoted (every third row): 200 rows span 1 + 200 + 66 lines.
        let bad = body + "201,too,many,fields\n"
        let path = try lake.file("bad.csv", bad)
        let error = try #require(lake.failure(path, into: "bad", options { $0.windowBytes = 64 }))
        #expect(error.code == .raggedRow)
        #expect(error.line == 268)
        #expect(error.byteOffset == body.utf8.count)
        try lake.expectNothingCommitted()
    }

    /// 200 records, with a nested object, a list, a key that appears once at record 150, and
    /// an escaped string.
    static func records() -> (body: String, rows: [[Scalar]]) {
        var body = ""
        var rows: [[Scalar]] = []
        for k in 1...200 {
            let late = k == 150 ? ",\"late\":\"yes\"" : ""
            body += "{\"id\":\(k),\"user\":{\"name\":\"u\\\"\(k)\\u00e9\"},\"tags\":[\"t\(k)\",\"x\"]\(late)}\n"
            rows.append([int(Int64(k)), text("u\"\(k)é"), .list([text("t\(k)"), text("x")]), k == 150 ? text("yes") : .null])
        }
        return (body, rows)
    }

    @Test("JSON streamed in small windows gives exactly the rows of one window", arguments: [48, 64, 97, 200, 333])
    func jsonWindows(_ windowBytes: Int) throws {
        let lake = try Workspace()
        let (body, expected) = Self.records()
        let lines = try lake.file("records.jsonl", body)
        let array = try lake.file("records.json", "[\n" + body.split(separator: "\n").joined(separator: ",\n") + "\n]\n")
        let columns = schema(("id", .int64), ("user.name", .utf8), ("tags", .list(Field("element", .utf8))), ("late", .utf8))
        for (path, name) in [(lines, "lines"), (array, "array")] {
            let whole = try lake.ingest(path, into: name + "whole")
            let streamed = try lake.ingest(path, into: name + "streamed", options { $0.windowBytes = windowBytes })
            #expect(whole.rows == 200)
            #expect(streamed.rows == 200)
            #expect(try lake.columns(name + "whole") == columns)
            #expect(try lake.columns(name + "streamed") == columns)
            #expect(try lake.rows(name + "whole") == expected)
            #expect(try lake.rows(name + "streamed") == expected)
        }
    }

    @Test("a record longer than the window grows the window", arguments: ["csv", "jsonl"])
    func recordLongerThanWindow(_ format: String) throws {
        let lake = try Workspace()
        let long = String(repeating: "abcdefghij", count: 500)
        var body = format == "csv" ? "id,text\n" : ""
        var expected: [[Scalar]] = []
        for k in 1...20 {
            let value = k == 10 ? long : "short \(k)"
            body += format == "csv" ? "\(k),\"\(value)\"\n" : "{\"id\":\(k),\"text\":\"\(value)\"}\n"
            expected.append([int(Int64(k)), text(value)])
        }
        let path = try lake.file("long.\(format)", body)
        let result = try lake.ingest(path, into: "long", options { $0.windowBytes = 64 })
        #expect(result.rows == 20)
        #expect(try lake.columns("long") == schema(("id", .int64), ("text", .utf8)))
        #expect(try lake.rows("long") == expected)
    }

    @Test("a first record longer than the window: a top-level array's first element, a CSV header", arguments: ["json", "csv"])
    func firstRecordLongerThanWindow(_ format: String) throws {
        let lake = try Workspace()
        let body: String
        let columns: [NamedType]
        let expected: [[Scalar]]
        if format == "json" {
            let long = String(repeating: "abcdefghij", count: 50)
            body = "[{\"id\":1,\"text\":\"\(long)\"},\n{\"id\":2,\"text\":\"b\"},\n{\"id\":3,\"text\":\"c\"}]\n"
            columns = schema(("id", .int64), ("text", .utf8))
            expected = [[int(1), text(long)], [int(2), text("b")], [int(3), text("c")]]
        } else {
            // A header of 20 names, 290 bytes: five windows of 64 bytes.
            let names = (1...20).map { "column_name_\($0)" }
            body = names.joined(separator: ",") + "\n" + (1...20).map { "\($0)" }.joined(separator: ",") + "\n"
                + (1...20).map { "\($0 * 2)" }.joined(separator: ",") + "\n"
            columns = names.map { NamedType(name: $0, type: .int64) }
            expected = [(1...20).map { int(Int64($0)) }, (1...20).map { int(Int64($0 * 2)) }]
        }
        let path = try lake.file("first.\(format)", body)
        let whole = try lake.ingest(path, into: "whole")
        #expect(whole.rows == Int64(expected.count))
        #expect(try lake.columns("whole") == columns)
        #expect(try lake.rows("whole") == expected)
        let streamed = try lake.ingest(path, into: "streamed", options { $0.windowBytes = 64 })
        #expect(streamed.rows == Int64(expected.count))
        #expect(try lake.columns("streamed") == columns)
        #expect(try lake.rows("streamed") == expected)
    }

    @Test("a parallel ingest of a 5 MB file gives the same rows as a serial one")
    func parallelMatchesSerial() throws {
        let lake = try Workspace()
        var body = "id,name,score\n"
        var expected: [[Scalar]] = []
        body.reserveCapacity(6 << 20)
        expected.reserveCapacity(160_000)
        var k = 0
        while body.utf8.count < 5 << 20 {
            k += 1
            if k % 7 == 0 {
                body += "\(k),\"name \(k)\nline two, \"\"q\"\"\",\(k).5\n"
                expected.append([int(Int64(k)), text("name \(k)\nline two, \"q\""), .decimal128(Int128(k * 10 + 5), precision: 18, scale: 1)])
            } else {
                body += "\(k),name \(k),\(k).5\n"
                expected.append([int(Int64(k)), text("name \(k)"), .decimal128(Int128(k * 10 + 5), precision: 18, scale: 1)])
            }
        }
        let path = try lake.file("big.csv", body)
        let parallel = try lake.ingest(path, into: "parallel", options { $0.parallel = true })
        let serial = try lake.ingest(path, into: "serial", options { $0.parallel = false })
        #expect(parallel.rows == Int64(k))
        #expect(serial.rows == Int64(k))
        #expect(parallel.schema.pairs == serial.schema.pairs)
        // Compared row by row so a failure names the first differing row, not 150 000 of them.
        let parallelRows = try lake.rows("parallel"), serialRows = try lake.rows("serial")
        #expect(parallelRows.count == expected.count)
        #expect(serialRows.count == expected.count)
        let parallelDiff = (0..<min(parallelRows.count, expected.count)).first { parallelRows[$0] != expected[$0] }
        let serialDiff = (0..<min(serialRows.count, expected.count)).first { serialRows[$0] != expected[$0] }
        #expect(parallelDiff == nil, "first differing row: \(parallelDiff.map { "\(parallelRows[$0]) vs \(expected[$0])" } ?? "")")
        #expect(serialDiff == nil, "first differing row: \(serialDiff.map { "\(serialRows[$0]) vs \(expected[$0])" } ?? "")")
    }

    // MARK: Content hash

    @Test("the content hash is the SHA-256 of the file's bytes", arguments: [nil, 64])
    func contentHash(_ windowBytes: Int?) throws {
        let lake = try Workspace()
        let (body, _) = Self.quotedCSV()
        let path = try lake.file("notes.csv", body)
        let result = try lake.ingest(path, into: "notes", options { if let windowBytes { $0.windowBytes = windowBytes } })
        #expect(result.contentHash == sha256Hex(Array(body.utf8)))
        // The re-ingest check hashes the whole file in one go: the same hash.
        let again = try lake.ingest(path, into: "notes", options { if let windowBytes { $0.windowBytes = windowBytes } })
        #expect(again.alreadyIngested)
        #expect(again.contentHash == result.contentHash)
    }

    @Test("the content hash of a small file matches a hash computed by hand")
    func contentHashSmall() throws {
        let lake = try Workspace()
        let bytes = Array("id,name\n1,a\n".utf8)
        let path = try lake.file("small.csv", bytes: bytes)
        let result = try lake.ingest(path, into: "small")
        #expect(result.contentHash == sha256Hex(bytes))
        #expect(result.contentHash.count == 64)
        #expect(result.contentHash == result.contentHash.lowercased())
        let json = Array("{\"abc\":1}\n".utf8)
        let jsonPath = try lake.file("small.jsonl", bytes: json)
        #expect(try lake.ingest(jsonPath, into: "smalljson").contentHash == sha256Hex(json))
    }
}
