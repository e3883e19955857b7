import ColumnarCore
import Foundation
@testable import ParquetKit
import Testing

/// The writer's file-level promises: atomic local files, statistics and page indexes that our
/// own pruning uses, field ids and key-value metadata, options, checksums.
@Suite struct WriterBehaviourTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lakehouse-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let schema = Schema([Field("id", .int64, nullable: false), Field("name", .utf8)],
                               metadata: ["origin": "test", "owner": "lakehouse"])

    static func batch(_ ids: Range<Int>) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: [
            .int64(PrimitiveColumn(ids.map { Int64($0) })),
            .utf8(BinaryColumn(ids.map { $0 % 10 == 0 ? nil : "name \($0 % 7)" })),
        ])
    }

    @Test("a local file appears only when closed; an abandoned or failed writer leaves nothing")
    func atomicFiles() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("t.parquet").path
        do {
            let writer = try ParquetFileWriter(path: path, schema: Self.schema)
            try writer.write(try Self.batch(0..<100))
            #expect(!FileManager.default.fileExists(atPath: path), "nothing under the final name before close()")
            // Released without close().
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "no temporary file left behind")
        let failing = try ParquetFileWriter(path: path, schema: Self.schema)
        let other = try RecordBatch(schema: Schema([Field("x", .int32)]), columns: [.int32(PrimitiveColumn([1]))])
        #expect(throws: ParquetError.self) { try failing.write(other) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        let writer = try ParquetFileWriter(path: path, schema: Self.schema)
        try writer.write(try Self.batch(0..<100))
        try writer.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["t.parquet"])
        let read = try ParquetFileReader(source: LocalFileByteSource(path: path)).readRowGroup(0)
        #expect(read.count == 100)
    }

    @Test("statistics and the page index let our reader skip row groups and pages")
    func pruningOnOurFiles() throws {
        var options = ParquetWriterOptions()
        options.rowGroupRows = 1_000
        options.maxRowsPerPage = 100
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: Self.schema, options: options)
        try writer.write(try Self.batch(0..<5_000))
        try writer.close()
        let reader = try ParquetFileReader(source: MemoryByteSource(sink.bytes))
        let predicate = ParquetPredicate.compare("id", .greaterOrEqual, .int64(2_950))
        let groups = try reader.rowGroups(matching: .and([predicate, .compare("id", .less, .int64(3_050))]))
        #expect(groups == [2, 3])
        let ranges = try #require(try reader.rowRanges(matching: .compare("id", .less, .int64(2_150)), rowGroup: 2))
        #expect(ranges == [0..<200], "pages of 100 rows: only the first two of row group 2 can match")
        let pruned = try reader.readRowGroup(2, pruningPagesBy: .compare("id", .less, .int64(2_150)))
        #expect(pruned.count == 200)
        let statistics = try #require(reader.metadata.rowGroups[0].columns[1].statistics)
        #expect(statistics.nullCount == 100)
        #expect(statistics.distinctCount == 7)
        #expect(statistics.minValue == Array("name 0".utf8))
        #expect(statistics.maxValue == Array("name 6".utf8))
    }

    @Test("field ids, schema key-value metadata and created_by reach the footer")
    func footerMetadata() throws {
        let schema = Schema([Field("a", .int32, metadata: ["field_id": "7"]), Field("b", .list(Field("element", .utf8)), metadata: ["field_id": "9"])],
                            metadata: ["k": "v"])
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: schema)
        try writer.write(try RecordBatch(schema: schema, columns: [.int32(PrimitiveColumn([1])), try Column(.list(Field("element", .utf8)), [.list([.utf8("x")])])]))
        try writer.close()
        let reader = try ParquetFileReader(source: MemoryByteSource(sink.bytes))
        let read = try reader.schema()
        #expect(read.fields.map { $0.metadata["field_id"] } == ["7", "9"])
        #expect(read.metadata["k"] == "v")
        #expect(reader.metadata.createdBy == ParquetWriterOptions.defaultCreatedBy)
        #expect(reader.metadata.createdBy?.hasPrefix("LakehouseKit version ") == true)
    }

    @Test("page checksums are the CRC-32 of each page's bytes")
    func checksums() throws {
        var options = ParquetWriterOptions()
        options.pageChecksums = true
        options.maxRowsPerPage = 100
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: Self.schema, options: options)
        try writer.write(try Self.batch(0..<300))
        try writer.close()
        let reader = try ParquetFileReader(source: MemoryByteSource(sink.bytes))
        for chunk in reader.metadata.rowGroups[0].columns {  // PLAIN ids; dictionary-encoded names
            let headers = try ParquetFooter.pageHeaders(of: chunk, in: MemoryByteSource(sink.bytes))
            #expect(headers.count > 1)
            let chunkEnd = Int(chunk.startOffset + chunk.totalCompressedSize)
            for (i, page) in headers.enumerated() {
                let end = i + 1 < headers.count ? headers[i + 1].offset : chunkEnd
                let body = Array(sink.bytes[(end - Int(page.header.compressedPageSize))..<end])
                #expect(page.header.crc == Int32(bitPattern: Self.crc32(body)), "page \(i)")
            }
        }
    }

    /// CRC-32 (IEEE, reflected, polynomial 0xEDB88320), written out here as the independent check.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test("row groups split by bytes as well as by rows")
    func rowGroupBytes() throws {
        var options = ParquetWriterOptions()
        options.rowGroupBytes = 20_000
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: Self.schema, options: options)
        for start in stride(from: 0, to: 10_000, by: 500) { try writer.write(try Self.batch(start..<(start + 500))) }
        let footer = try writer.close()
        #expect(footer.rowGroups.count > 5)
        #expect(footer.numRows == 10_000)
        let batches = try ParquetFileReader(source: MemoryByteSource(sink.bytes)).readRowGroups()
        #expect(batches.flatMap { $0.columns[0].scalars } == (0..<10_000).map { .int64(Int64($0)) })
    }
}

/// Regressions from the review of the writer.
@Suite struct WriterReviewRegressionTests {
    static let schema = WriterBehaviourTests.schema

    @Test("a write that fails mid row group abandons the file: close() cannot commit it short")
    func failedWriteAbandons() throws {
        // Seconds are stored as milliseconds: Int64.max seconds overflows when the row group is encoded.
        let schema = Schema([Field("t", .timestamp(.second, timeZone: nil))])
        let sink = MemorySink()
        var options = ParquetWriterOptions()
        options.rowGroupRows = 2
        let writer = try ParquetFileWriter(sink: sink, schema: schema, options: options)
        try writer.write(try RecordBatch(schema: schema, columns: [.timestamp(PrimitiveColumn([1]), .second, timeZone: nil)]))
        let error = try #require(throws: ParquetError.self) {
            try writer.write(try RecordBatch(schema: schema, columns: [.timestamp(PrimitiveColumn([Int64.max]), .second, timeZone: nil)]))
        }
        #expect(error.code == .valueOutOfRange)
        #expect(throws: ParquetError.self) { try writer.close() }
        #expect(!sink.isFinished)
        #expect(sink.bytes.isEmpty)
    }

    @Test("maps built with default (nullable) fields round-trip; a null key is refused")
    func nullableMapFields() throws {
        let entry = Field("entries", .struct([Field("key", .utf8), Field("value", .int64)]), metadata: ["parquet.map": "true"])
        let schema = Schema([Field("m", .list(entry))])
        let rows: [Scalar] = [.list([.struct(["key": .utf8("a"), "value": .int64(1)]), .struct(["key": .utf8("b"), "value": .null])]),
                              .null, .list([])]
        let batch = try RecordBatch(schema: schema, columns: [try Column(.list(entry), rows)])
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: schema)
        try writer.write(batch)
        try writer.close()
        let read = try ParquetFileReader(source: MemoryByteSource(sink.bytes)).readRowGroup(0)
        #expect(read.columns[0].scalars == rows)
        let nullKey = try RecordBatch(schema: schema, columns: [try Column(.list(entry), [.list([.struct(["key": .null, "value": .int64(1)])])])])
        let second = try ParquetFileWriter(sink: MemorySink(), schema: schema)
        let error = try #require(throws: ParquetError.self) {
            try second.write(nullKey)  // buffered; the row group is encoded on close()
            try second.close()
        }
        #expect(error.message.contains("NOT NULL"))
    }

    @Test("a chunk with an all-NaN page gets no column index (it could not describe that page)")
    func allNaNPage() throws {
        let schema = Schema([Field("x", .float64)])
        var options = ParquetWriterOptions()
        options.maxRowsPerPage = 2
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: schema, options: options)
        try writer.write(try RecordBatch(schema: schema, columns: [.float64(PrimitiveColumn([1.0, 2.0, .nan, .nan, 3.0]))]))
        try writer.close()
        let reader = try ParquetFileReader(source: MemoryByteSource(sink.bytes))
        #expect(reader.metadata.rowGroups[0].columns[0].columnIndexOffset == nil)
        #expect(reader.metadata.rowGroups[0].columns[0].offsetIndexOffset != nil)
    }

    @Test("truncated text statistics stay valid UTF-8 and still bound the values")
    func utf8Truncation() throws {
        let long = String(repeating: "a", count: 62) + "é☃" + "zz"  // é is 2 bytes, ☃ 3: byte 64 falls inside ☃
        let schema = Schema([Field("t", .utf8)])
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: schema)
        try writer.write(try RecordBatch(schema: schema, columns: [.utf8(BinaryColumn([long, "b"]))]))
        try writer.close()
        let statistics = try #require(try ParquetFileReader(source: MemoryByteSource(sink.bytes)).metadata.rowGroups[0].columns[0].statistics)
        let minimum = try #require(statistics.minValue)
        let maximum = try #require(statistics.maxValue)
        #expect(String(validating: minimum, as: UTF8.self) != nil)
        #expect(String(validating: maximum, as: UTF8.self) != nil)
        #expect(maximum.count <= 64)
        #expect(!Array(long.utf8).lexicographicallyPrecedes(minimum), "min ≤ every value")
        #expect(!maximum.lexicographicallyPrecedes(Array("b".utf8)), "max ≥ every value")
        let bound = String(repeating: "a", count: 62) + "ê"  // é (U+00E9) rounded up to U+00EA
        #expect(String(decoding: ValueStatistics.truncatedUTF8UpperBound(Array(long.utf8)).0, as: UTF8.self) == bound)
    }

    @Test("dictionary-encoded input columns are written as text")
    func dictionaryInput() throws {
        let schema = Schema([Field("city", .utf8)])
        let column = Column.dictionary(DictionaryColumn(indices: PrimitiveColumn([Int32(1), 0, 1, nil]), dictionary: BinaryColumn(["Chicago", "Denver"])))
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: schema)
        try writer.write(try RecordBatch(schema: schema, columns: [column]))
        try writer.close()
        var options = ParquetReadOptions()
        options.keepDictionaries = false
        let read = try ParquetFileReader(source: MemoryByteSource(sink.bytes), options: options).readRowGroup(0)
        #expect(read.columns[0].scalars == [.utf8("Denver"), .utf8("Chicago"), .utf8("Denver"), .null])
    }

    @Test("one large batch is split into row groups by the byte limit")
    func byteLimitSplitsBatches() throws {
        var options = ParquetWriterOptions()
        options.rowGroupBytes = 64 * 1024
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: Self.schema, options: options)
        try writer.write(try WriterBehaviourTests.batch(0..<20_000))
        let footer = try writer.close()
        #expect(footer.rowGroups.count >= 4)
        #expect(footer.rowGroups.allSatisfy { $0.numRows < 20_000 })
        #expect(footer.numRows == 20_000)
    }

    @Test("an encoding that does not fit a column is refused when the writer is created")
    func encodingCheckedAtStart() {
        var options = ParquetWriterOptions()
        options.columnEncodings = ["name": .deltaBinaryPacked]
        #expect(throws: ParquetError.self) { try ParquetFileWriter(sink: MemorySink(), schema: Self.schema, options: options) }
    }
}
