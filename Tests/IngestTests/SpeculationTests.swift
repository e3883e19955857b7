import Catalog
import ColumnarCore
import Ingest
import Testing

/// A file larger than a window is typed from its first window and converted in one pass; a
/// value further on that does not fit those types makes the ingest start over over the whole
/// file. Either way the dataset is what one window over the whole file gives.
@Suite("Typing from the first window") struct SpeculationTests {
    /// 400 rows of `id,code,amount,day`: the first rows are integers, ISO dates and 2-decimal amounts.
    static func rows(lateCode: String, lateAmount: String, lateDay: String) -> String {
        var text = "id,code,amount,day\n"
        for i in 1...400 {
            let late = i == 390
            text += "\(i),\(late ? lateCode : String(100 + i)),\(late ? lateAmount : "\(i).25"),\(late ? lateDay : "2026-03-0\(1 + i % 9)")\n"
        }
        return text
    }

    static func smallWindows() -> IngestOptions {
        var options = IngestOptions()
        options.windowBytes = 256
        return options
    }

    @Test("late values that fit keep the first window's types", arguments: [false, true])
    func lateValuesFit(parallel: Bool) throws {
        let lake = try Workspace()
        let path = try lake.file("fit.csv", Self.rows(lateCode: "7", lateAmount: "0.50", lateDay: "2026-12-31"))
        var options = Self.smallWindows()
        options.parallel = parallel
        let result = try lake.ingest(path, into: "fit", options)
        #expect(result.rows == 400)
        #expect(try lake.columns("fit") == schema(("id", .int64), ("code", .int64), ("amount", .decimal128(precision: 18, scale: 2)), ("day", .date32)))
        let late = try lake.rows("fit", orderBy: "id")[389]
        #expect(late == [.int64(390), .int64(7), .decimal128(50, precision: 18, scale: 2), .date32(20_818)])
    }

    @Test("a late leading zero, a late scale and a late US date: the whole file is typed again")
    func lateValuesDoNotFit() throws {
        let lake = try Workspace()
        let text = Self.rows(lateCode: "0042", lateAmount: "1.5", lateDay: "12/31/2026")
        let path = try lake.file("late.csv", text)
        let result = try lake.ingest(path, into: "late", Self.smallWindows())
        // Typed over every value: the zip-like code is text, two scales make DOUBLE, two date
        // forms make text — as one window over the whole file gives.
        let expected = schema(("id", .int64), ("code", .utf8), ("amount", .float64), ("day", .utf8))
        #expect(result.schema.pairs == expected)
        #expect(try lake.columns("late") == expected)
        let rows = try lake.rows("late", orderBy: "id")
        #expect(rows.count == 400)
        #expect(rows[389] == [.int64(390), .utf8("0042"), .float64(1.5), .utf8("12/31/2026")])
        #expect(rows[0] == [.int64(1), .utf8("101"), .float64(1.25), .utf8("2026-03-02")])
        // One commit, and no data file of the abandoned attempt left behind.
        #expect(result.version == 0)
        #expect(try lake.catalog.table("late").snapshot().files.count == (try lake.dataObjects()).count)

        let whole = try Workspace()
        let same = try whole.file("late.csv", text)
        #expect(try whole.ingest(same, into: "late").schema.pairs == expected)
    }

    @Test("a column empty in the first window is typed over the whole file")
    func emptyFirstWindowColumn() throws {
        var text = "id,note\n"
        for i in 1...300 { text += "\(i),\(i > 250 ? String(i * 2) : "")\n" }
        let lake = try Workspace()
        let path = try lake.file("sparse.csv", text)
        try lake.ingest(path, into: "sparse", Self.smallWindows())
        #expect(try lake.columns("sparse") == schema(("id", .int64), ("note", .int64)))
        #expect(try lake.rows("sparse", orderBy: "id")[299] == [.int64(300), .int64(600)])
    }
}
