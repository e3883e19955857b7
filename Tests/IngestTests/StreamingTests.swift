import Catalog
import ColumnarCore
import Ingest
import Testing

/// Window boundaries falling anywhere (inside a CRLF, a doubled quote, a backslash escape, a
/// multi-byte character, a comment) never change the rows read.
@Suite struct StreamingTests {
    /// Ingests `body` whole and then in windows of every size in `sizes`; each must give
    /// `expected`.
    private func expectSameRows(_ body: [UInt8], fileName: String, _ expected: [[Scalar]], columns: [NamedType], sizes: [Int],
                                _ change: (inout IngestOptions) -> Void = { _ in }, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let lake = try Workspace()
        let path = try lake.file(fileName, bytes: body)
        var k = 0
        for size in [nil] + sizes.map(Optional.some) {
            k += 1
            let name = "t\(k)"
            let result = try lake.ingest(path, into: name, options { if let size { $0.windowBytes = size }; change(&$0) })
            #expect(result.rows == Int64(expected.count), "windowBytes \(size.map(String.init) ?? "default")", sourceLocation: sourceLocation)
            #expect(try lake.columns(name) == columns, "windowBytes \(size.map(String.init) ?? "default")", sourceLocation: sourceLocation)
            let rows = try lake.rows(name)
            let first = (0..<min(rows.count, expected.count)).first { rows[$0] != expected[$0] }
            #expect(rows.count == expected.count && first == nil,
                    "windowBytes \(size.map(String.init) ?? "default"): first difference at row \(first.map(String.init) ?? "-")",
                    sourceLocation: sourceLocation)
        }
    }

    @Test("CRLF files, with CRLF inside quotes, read the same in windows of every size from 40 to 90 bytes")
    func crlfAnyBoundary() throws {
        var body = "id,note\r\n"
        var expected: [[Scalar]] = []
        for k in 1...40 {
            if k % 4 == 0 {
                body += "\(k),\"a\r\nb \"\"\(k)\"\"\"\r\n"
                expected.append([int(Int64(k)), text("a\r\nb \"\(k)\"")])
            } else {
                body += "\(k),n\(k)\r\n"
                expected.append([int(Int64(k)), text("n\(k)")])
            }
            if k % 10 == 0 { body += "\r\n" }   // a blank line
        }
        try expectSameRows(Array(body.utf8), fileName: "crlf.csv", expected, columns: schema(("id", .int64), ("note", .utf8)),
                           sizes: Array(40...90))
    }

    @Test("backslash-escaped files read the same in windows of every size from 40 to 90 bytes")
    func backslashAnyBoundary() throws {
        var body = "id,quote\n"
        var expected: [[Scalar]] = []
        for k in 1...40 {
            body += "\(k),\"say \\\"\(k)\\\" \\\\ done\"\n"
            expected.append([int(Int64(k)), text("say \"\(k)\" \\ done")])
        }
        try expectSameRows(Array(body.utf8), fileName: "escaped.csv", expected, columns: schema(("id", .int64), ("quote", .utf8)),
                           sizes: Array(40...90))
    }

    @Test("multi-byte characters cut by a window's end are read whole (CSV and JSON)", arguments: ["csv", "jsonl"])
    func multiByteAnyBoundary(_ format: String) throws {
        var body = format == "csv" ? "id,word\n" : ""
        var expected: [[Scalar]] = []
        for k in 1...40 {
            let word = "é\(k)€😀ü"
            body += format == "csv" ? "\(k),\(word)\n" : "{\"id\":\(k),\"word\":\"\(word)\"}\n"
            expected.append([int(Int64(k)), text(word)])
        }
        try expectSameRows(Array(body.utf8), fileName: "words.\(format)", expected, columns: schema(("id", .int64), ("word", .utf8)),
                           sizes: Array(40...90))
    }

    @Test("comment and blank lines cut by a window's end are skipped")
    func commentsAnyBoundary() throws {
        var body = "# generated\nid,name\n"
        var expected: [[Scalar]] = []
        for k in 1...40 {
            body += "\(k),n\(k)\n"
            expected.append([int(Int64(k)), text("n\(k)")])
            if k % 5 == 0 { body += "# comment after row \(k), long enough to cross windows\n\n" }
        }
        try expectSameRows(Array(body.utf8), fileName: "comments.csv", expected, columns: schema(("id", .int64), ("name", .utf8)),
                           sizes: Array(40...90))
    }

    @Test("rows skipped for their width are counted once across windows")
    func skippedAcrossWindows() throws {
        let lake = try Workspace()
        var body = "id,name\n"
        for k in 1...60 { body += k % 6 == 0 ? "\(k),n\(k),extra\n" : "\(k),n\(k)\n" }
        let path = try lake.file("skip.csv", body)
        let whole = try lake.ingest(path, into: "whole", options { $0.csv.raggedRows = .skip })
        let streamed = try lake.ingest(path, into: "streamed", options { $0.csv.raggedRows = .skip; $0.windowBytes = 64 })
        #expect(whole.rows == 50)
        #expect(whole.skippedRows == 10)
        #expect(streamed.rows == 50)
        #expect(streamed.skippedRows == 10)
        #expect(try lake.rows("streamed") == lake.rows("whole"))
    }

    @Test("invalid UTF-8 with CR or CRLF line endings names the right line", arguments: ["\r\n", "\r"])
    func invalidUTF8LineWithCR(_ newline: String) throws {
        let lake = try Workspace()
        let bytes = Array("id,name\(newline)1,ok\(newline)2,caf".utf8) + [0xE9] + Array("\(newline)3,z\(newline)".utf8)
        let path = try lake.file("latin1.csv", bytes: bytes)
        let error = try #require(lake.failure(path, into: "latin1"))
        #expect(error.code == .invalidUTF8)
        #expect(error.line == 3)
        #expect(error.byteOffset == 16 + 2 * newline.utf8.count)
    }

    @Test("a value that does not fit an existing column, far into a file read in windows, names its line")
    func mismatchInLaterWindow() throws {
        let lake = try Workspace()
        try lake.ingest(try lake.file("v1.csv", "id,n\n0,0\n"), into: "numbers")
        var body = "id,n\n"
        for k in 1...100 { body += k == 90 ? "\(k),ninety\n" : "\(k),\(k)\n" }
        let error = try #require(lake.failure(try lake.file("v2.csv", body), into: "numbers", options { $0.windowBytes = 64 }))
        #expect(error.code == .typeMismatch)
        #expect(error.line == 91)
        #expect(error.column == "n")
        #expect(try lake.catalog.table("numbers").latestVersion() == 0)
    }

    @Test("re-ingest is recognised by a new catalog over the same folder store")
    func idempotentAcrossCatalogs() throws {
        let lake = try Workspace()
        let root = lake.path("lakehouse")
        let path = try lake.file("people.csv", "id,name\n1,a\n")
        let first = try Ingester(catalog: DatasetCatalog(store: try LocalFileSystemStore(root: root))).ingest(file: path, into: "people")
        let again = try Ingester(catalog: DatasetCatalog(store: try LocalFileSystemStore(root: root))).ingest(file: path, into: "people")
        #expect(first.version == 0)
        #expect(again.alreadyIngested)
        #expect(again.version == 0)
        #expect(try DatasetCatalog(store: try LocalFileSystemStore(root: root)).table("people").latestVersion() == 0)
    }

    @Test("values that do not fit an existing DECIMAL's scale, or a naive column's lack of zone, are typeMismatch")
    func existingDecimalAndZone() throws {
        let lake = try Workspace()
        try lake.ingest(try lake.file("v1.csv", "id,price,at\n1,1.25,2026-03-07 10:30:00\n"), into: "items")
        #expect(try lake.columns("items") == schema(("id", .int64), ("price", .decimal128(precision: 18, scale: 2)),
                                                     ("at", .timestamp(.microsecond, timeZone: nil))))
        let scale = try #require(lake.failure(try lake.file("v2.csv", "id,price,at\n2,1.125,2026-03-07 11:00:00\n"), into: "items"))
        #expect(scale.code == .typeMismatch)
        #expect(scale.line == 2)
        #expect(scale.column == "price")
        let zone = try #require(lake.failure(try lake.file("v3.csv", "id,price,at\n3,1.50,2026-03-07T11:00:00Z\n"), into: "items"))
        #expect(zone.code == .typeMismatch)
        #expect(zone.line == 2)
        #expect(zone.column == "at")
        #expect(try lake.catalog.table("items").latestVersion() == 0)
    }
}
