import ColumnarCore
import Foundation
import ParquetKit
import Testing

@Suite struct BatchStreamTests {
    func reader() throws -> ParquetFileReader {
        try ParquetFileReader(source: LocalFileByteSource(path: ParquetCorpus.root.appendingPathComponent("generated/g01_many_row_groups.parquet").path))
    }

    @Test("batches are bounded, know their schema, and concatenate to every row in order")
    func boundedBatches() async throws {
        let reader = try reader()
        let stream = try reader.batches(columns: ["id", "category"], batchSize: 100)
        #expect(stream.schema.fields.map(\.name) == ["id", "category"])
        var ids: [Int64] = []
        var batches = 0
        for try await batch in stream {
            #expect(batch.count <= 100 && batch.count > 0)
            #expect(batch.schema.fields.map(\.name) == ["id", "category"])
            for row in 0..<batch.count {
                if case .int64(let id) = batch.columns[0].scalar(at: row) { ids.append(id) }
            }
            batches += 1
        }
        // 40 row groups of 250 rows: each splits into 100 + 100 + 50.
        #expect(batches == 120)
        #expect(ids == (0..<10_000).map(Int64.init))
    }

    @Test("a stream can be limited to the row groups pruning kept")
    func prunedStream() async throws {
        let reader = try reader()
        let groups = try reader.rowGroups(matching: .compare("id", .greaterOrEqual, .int64(9_500)))
        var rows = 0
        for try await batch in try reader.batches(columns: ["id"], rowGroups: groups) { rows += batch.count }
        #expect(rows == groups.count * 250)
        #expect(groups == [38, 39])
    }

    @Test("a non-positive batch size or an unknown column is refused up front")
    func badArguments() throws {
        let reader = try reader()
        #expect(throws: ParquetError.self) { try reader.batches(batchSize: 0) }
        #expect(throws: ParquetError.self) { try reader.batches(columns: ["nope"]) }
    }
}

@Suite struct PrunedStreamTests {
    @Test("a stream with a predicate skips pages and keeps every matching row")
    func pageSkippingStream() async throws {
        let reader = try ParquetFileReader(source: LocalFileByteSource(
            path: ParquetCorpus.root.appendingPathComponent("files/parquet-testing/data/alltypes_tiny_pages.parquet").path))
        let predicate = ParquetPredicate.and([.compare("id", .greaterOrEqual, .int32(1000)), .compare("id", .less, .int32(1050))])
        var ids: Set<Int32> = []
        var rows = 0
        for try await batch in try reader.batches(columns: ["id", "string_col"], batchSize: 64, pruningBy: predicate) {
            #expect(batch.count <= 64)
            rows += batch.count
            for row in 0..<batch.count { if case .int32(let id) = batch.columns[0].scalar(at: row) { ids.insert(id) } }
        }
        #expect(rows < 730, "kept \(rows) of 7300 rows")
        #expect((1000..<1050).allSatisfy { ids.contains(Int32($0)) })
    }
}
