import Catalog
import ColumnarCore
import Ingest
import Testing

/// Malformed CSV: each error names its code, file, line, column and byte where known, and leaves
/// the lakehouse as it was.
@Suite struct CSVErrorTests {
    @Test("a row with an extra field is an error naming its line and byte")
    func raggedLongRow() throws {
        let lake = try Workspace()
        // "id,name\n" is 8 bytes, "1,a\n" 4: the bad row starts at byte 12, on line 3.
        let path = try lake.file("ragged.csv", "id,name\n1,a\n2,b,extra\n3,c\n")
        let error = try #require(lake.failure(path, into: "ragged"))
        #expect(error.code == .raggedRow)
        #expect(error.file == path)
        #expect(error.line == 3)
        #expect(error.byteOffset == 12)
        #expect(error.column == "#3")        // the first field the header has no column for
        try lake.expectNothingCommitted()
    }

    @Test("a row with a missing field is an error naming its line and byte")
    func raggedShortRow() throws {
        let lake = try Workspace()
        // "id,name,score\n" is 14 bytes, "1,a,5\n" 6: the short row starts at byte 20, on line 3.
        let path = try lake.file("short.csv", "id,name,score\n1,a,5\n2,b\n3,c,7\n")
        let error = try #require(lake.failure(path, into: "short"))
        #expect(error.code == .raggedRow)
        #expect(error.line == 3)
        #expect(error.byteOffset == 20)
        #expect(error.column == "score")     // the first column the row lacks
        try lake.expectNothingCommitted()
    }

    @Test("raggedRows = .pad fills short rows with nulls", arguments: [",", ";"])
    func padShortRows(_ delimiter: String) throws {
        let lake = try Workspace()
        let lines = [["id", "name", "score"], ["1", "a", "5"], ["2", "b"], ["3"], ["4", "d", "8"]]
        let path = try lake.file("padded.csv", lines.map { $0.joined(separator: delimiter) }.joined(separator: "\n") + "\n")
        let result = try lake.ingest(path, into: "padded", options { $0.csv.raggedRows = .pad })
        #expect(result.rows == 4)
        #expect(result.skippedRows == 0)
        #expect(try lake.columns("padded") == schema(("id", .int64), ("name", .utf8), ("score", .int64)))
        #expect(try lake.rows("padded", orderBy: "id") == [
            [int(1), text("a"), int(5)],
            [int(2), text("b"), .null],
            [int(3), .null, .null],
            [int(4), text("d"), int(8)],
        ])
    }

    @Test("raggedRows = .pad still refuses a row with extra fields")
    func padRefusesLongRows() throws {
        let lake = try Workspace()
        let path = try lake.file("padded.csv", "id,name\n1,a\n2\n3,c,extra\n")
        let error = try #require(lake.failure(path, into: "padded", options { $0.csv.raggedRows = .pad }))
        #expect(error.code == .raggedRow)
        #expect(error.line == 4)
        try lake.expectNothingCommitted()
    }

    @Test("raggedRows = .skip drops rows of the wrong width and counts them")
    func skipRaggedRows() throws {
        let lake = try Workspace()
        let path = try lake.file("skipped.csv", "id,name\n1,a\n2,b,c\n3\n4,d\n5,e,f,g\n6,f\n")
        let result = try lake.ingest(path, into: "skipped", options { $0.csv.raggedRows = .skip })
        #expect(result.rows == 3)
        #expect(result.skippedRows == 3)
        #expect(try lake.rows("skipped", orderBy: "id") == [[int(1), text("a")], [int(4), text("d")], [int(6), text("f")]])
    }

    @Test("an unterminated quote is malformedCSV naming the line, column and the quote's byte", arguments: [",", ";"])
    func unterminatedQuote(_ delimiter: String) throws {
        let lake = try Workspace()
        // "id,note\n" 8 bytes + "1,ok\n" 5 + "2,": the quote is byte 15, on line 3.
        let path = try lake.file("open.csv", "id\(delimiter)note\n1\(delimiter)ok\n2\(delimiter)\"never closed\n3\(delimiter)x\n")
        let error = try #require(lake.failure(path, into: "open"))
        #expect(error.code == .malformedCSV)
        #expect(error.line == 3)
        #expect(error.column == "note")
        #expect(error.byteOffset == 15)
        try lake.expectNothingCommitted()
    }

    @Test("text after a closing quote is malformedCSV naming the line, column and byte")
    func textAfterClosingQuote() throws {
        let lake = try Workspace()
        // "id,note\n" 8 bytes + `1,"ab"`: the stray `c` is byte 14, on line 2.
        let path = try lake.file("stray.csv", "id,note\n1,\"ab\"c\n2,x\n")
        let error = try #require(lake.failure(path, into: "stray"))
        #expect(error.code == .malformedCSV)
        #expect(error.line == 2)
        #expect(error.column == "note")
        #expect(error.byteOffset == 14)
        try lake.expectNothingCommitted()
    }

    @Test("invalid UTF-8 is an error naming its byte offset and line")
    func invalidUTF8Error() throws {
        let lake = try Workspace()
        // "id,name\n" 8 + "1,ok\n" 5 + "2,caf" 5: the lone 0xE9 (Latin-1 é) is byte 18, on line 3.
        let path = try lake.file("latin1.csv", bytes: Array("id,name\n1,ok\n2,caf".utf8) + [0xE9] + Array("\n3,z\n".utf8))
        let error = try #require(lake.failure(path, into: "latin1"))
        #expect(error.code == .invalidUTF8)
        #expect(error.line == 3)
        #expect(error.byteOffset == 18)
        try lake.expectNothingCommitted()
    }

    @Test("invalidUTF8 = .replace reads bad bytes as U+FFFD")
    func invalidUTF8Replaced() throws {
        let lake = try Workspace()
        let path = try lake.file("latin1.csv", bytes: Array("id,name\n1,ok\n2,caf".utf8) + [0xE9] + Array("\n3,z\n".utf8))
        let result = try lake.ingest(path, into: "latin1", options { $0.invalidUTF8 = .replace })
        #expect(result.rows == 3)
        #expect(try lake.rows("latin1", orderBy: "id") == [[int(1), text("ok")], [int(2), text("caf\u{FFFD}")], [int(3), text("z")]])
    }

    /// 40 rows `k,vk` after a header, then `41,bad` with a lone 0xFF, then `42,v42`.
    private func latin1AfterManyRows() -> (bytes: [UInt8], badOffset: Int) {
        var bytes = Array("id,value\n".utf8)
        for k in 1...40 { bytes += Array("\(k),v\(k)\n".utf8) }
        bytes += Array("41,b".utf8)
        let badOffset = bytes.count
        bytes += [0xFF] + Array("d\n42,v42\n".utf8)
        return (bytes, badOffset)
    }

    @Test("invalid UTF-8 far into a file read in small windows names the file's byte offset and line")
    func invalidUTF8InLaterWindow() throws {
        let lake = try Workspace()
        let (bytes, badOffset) = latin1AfterManyRows()
        let path = try lake.file("late.csv", bytes: bytes)
        let error = try #require(lake.failure(path, into: "late", options { $0.windowBytes = 64 }))
        #expect(error.code == .invalidUTF8)
        #expect(error.line == 42)
        #expect(error.byteOffset == badOffset)
        try lake.expectNothingCommitted()
    }

    @Test("invalidUTF8 = .replace in a file read in small windows keeps every row")
    func invalidUTF8ReplacedInLaterWindow() throws {
        let lake = try Workspace()
        let (bytes, _) = latin1AfterManyRows()
        let path = try lake.file("late.csv", bytes: bytes)
        let result = try lake.ingest(path, into: "late", options { $0.windowBytes = 64; $0.invalidUTF8 = .replace })
        #expect(result.rows == 42)
        var expected = (1...40).map { [int(Int64($0)), text("v\($0)")] }
        expected.append([int(41), text("b\u{FFFD}d")])
        expected.append([int(42), text("v42")])
        #expect(try lake.rows("late", orderBy: "id") == expected)
    }

    @Test("an empty file, or one of blank lines only, is .empty", arguments: ["", "\n\n\n", "\r\n\r\n"])
    func emptyFile(_ body: String) throws {
        let lake = try Workspace()
        let path = try lake.file("empty.csv", body)
        let error = try #require(lake.failure(path, into: "empty"))
        #expect(error.code == .empty)
        #expect(error.file == path)
        try lake.expectNothingCommitted()
    }

    @Test("a header-only file has no rows: .empty, and no dataset of text columns is created")
    func headerOnly() throws {
        let lake = try Workspace()
        let path = try lake.file("header.csv", "id,name,joined\n")
        let error = try #require(lake.failure(path, into: "header"))
        #expect(error.code == .empty)
        try lake.expectNothingCommitted()
    }

    @Test("a file that does not exist, or a folder, is an io error")
    func unreadable() throws {
        let lake = try Workspace()
        let missing = lake.path("missing.csv")
        let error = try #require(lake.failure(missing, into: "missing"))
        #expect(error.code == .io)
        #expect(error.file == missing)
        let folder = try #require(lake.failure(lake.folder, into: "folder"))
        #expect(folder.code == .io)
        try lake.expectNothingCommitted()
    }

    @Test("an invalid dataset name is an invalidOption error", arguments: ["", "a/b", "../up", "1abc"])
    func badDatasetName(_ name: String) throws {
        let lake = try Workspace()
        let path = try lake.file("ok.csv", "id\n1\n")
        let error = try #require(lake.failure(path, into: name))
        #expect(error.code == .invalidOption)
        try lake.expectNothingCommitted()
    }

    @Test("a failure after batches were written leaves no data file in the store")
    func failureAfterStagedBatches() throws {
        let lake = try Workspace()
        var body = "id,amount\n"
        for k in 1...9 { body += "\(k),\(k * 10)\n" }
        body += "10,ten\n"
        let path = try lake.file("late.csv", body)
        // Batches of two rows: four batches are written before row 10 fails.
        let error = try #require(lake.failure(path, into: "late", options {
            $0.batchRows = 2
            $0.columnTypes = ["amount": .int64]
        }))
        #expect(error.code == .typeMismatch)
        #expect(error.line == 11)
        #expect(error.column == "amount")
        try lake.expectNothingCommitted()
    }

    @Test("a failed append to an existing dataset adds no version and no data file")
    func failedAppendChangesNothing() throws {
        let lake = try Workspace()
        let first = try lake.file("first.csv", "id,name\n1,a\n2,b\n")
        try lake.ingest(first, into: "people")
        let files = try lake.dataObjects()
        let bad = try lake.file("bad.csv", "id,name\n3,c\n4,d,extra\n")
        let error = try #require(lake.failure(bad, into: "people"))
        #expect(error.code == .raggedRow)
        #expect(error.line == 3)
        #expect(try lake.catalog.table("people").snapshot().version == 0)
        #expect(try lake.dataObjects() == files)
        #expect(try lake.rows("people", orderBy: "id") == [[int(1), text("a")], [int(2), text("b")]])
    }
}
