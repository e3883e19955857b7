import ColumnarCore
import Foundation
import ParquetKit
import Testing

/// Writes the files that `.ci/run` then reads with pyarrow and DuckDB
/// (`Scripts/interop_check.py`): every type (nested included) for every codec × page version ×
/// dictionary choice, each beside the canonical JSON of its rows as our reader sees them (which
/// the round-trip tests prove equal to what was written), plus a file for statistics pruning.
@Suite struct WriterInteropFilesTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/interop")

    /// Every type but INT96 (`wideTimestamp`): pyarrow wraps INT96 values outside 1677–2262 and
    /// DuckDB truncates them to microseconds, so neither can confirm them exactly.
    static let fields = WriterRoundTripTests.fields.filter { $0.dataType != .wideTimestamp(timeZone: nil) }

    static func batch(rows: Int, _ r: inout WriterRoundTripTests.Random) throws -> RecordBatch {
        let all = try WriterRoundTripTests.batch(rows: rows, &r, nullPercent: 20)
        let keep = WriterRoundTripTests.fields.indices.filter { fields.map(\.name).contains(WriterRoundTripTests.fields[$0].name) }
        return try RecordBatch(schema: Schema(fields), columns: keep.map { all.columns[$0] }, count: rows)
    }

    @Test("interop files for pyarrow and DuckDB: every type × codec × page version × dictionary, and a pruning file")
    func writeInteropFiles() throws {
        try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
        var written = 0
        for codec in [CompressionCodec.uncompressed, .snappy, .gzip, .zstd, .lz4Raw] {
            for pageVersion in [1, 2] {
                for dictionary in [true, false] {
                    var r = WriterRoundTripTests.Random(state: 99 + UInt64(codec.rawValue) * 7 + UInt64(pageVersion) * 3 + (dictionary ? 1 : 0))
                    var options = ParquetWriterOptions()
                    options.codec = codec
                    options.pageVersion = pageVersion
                    options.dictionary = dictionary
                    options.rowGroupRows = 40
                    options.maxRowsPerPage = 9
                    let name = "types_\(codec.description.lowercased())_v\(pageVersion)_\(dictionary ? "dict" : "plain")"
                    let path = Self.directory.appendingPathComponent(name + ".parquet").path
                    let writer = try ParquetFileWriter(path: path, schema: Schema(Self.fields), options: options)
                    for rows in [30, 0, 45, 6] { try writer.write(try Self.batch(rows: rows, &r)) }
                    try writer.close()
                    try Self.writeCanonical(path)
                    written += 1
                }
            }
        }
        // The other value encodings, pages v1 and v2.
        for textEncoding in [Encoding.deltaLengthByteArray, .deltaByteArray] {
            for pageVersion in [1, 2] {
                var r = WriterRoundTripTests.Random(state: 500 + UInt64(textEncoding.rawValue) + UInt64(pageVersion))
                var options = ParquetWriterOptions()
                options.pageVersion = pageVersion
                options.columnEncodings = WriterRoundTripTests.encodings(textEncoding: textEncoding)
                // DuckDB refuses BYTE_STREAM_SPLIT on FIXED_LEN_BYTE_ARRAY (the round-trip tests
                // cover it, and pyarrow reads it): these files keep the decimals PLAIN.
                options.columnEncodings["d38"] = nil
                options.columnEncodings["d60"] = nil
                options.rowGroupRows = 60
                options.maxRowsPerPage = 25
                let name = "encodings_\(textEncoding.description.lowercased())_v\(pageVersion)"
                let path = Self.directory.appendingPathComponent(name + ".parquet").path
                let writer = try ParquetFileWriter(path: path, schema: Schema(Self.fields), options: options)
                for rows in [50, 70] { try writer.write(try Self.batch(rows: rows, &r)) }
                try writer.close()
                try Self.writeCanonical(path)
                written += 1
            }
        }
        // Pruning: ids 0..<1000 in row groups of 100, so a filter on id can skip all but one.
        let schema = Schema([Field("id", .int64, nullable: false), Field("name", .utf8)])
        let ids = (0..<1000).map { Int64($0) }
        let batch = try RecordBatch(schema: schema, columns: [
            .int64(PrimitiveColumn(ids)), .utf8(BinaryColumn(ids.map { "name \($0 % 37)" })),
        ])
        var options = ParquetWriterOptions()
        options.rowGroupRows = 100
        let path = Self.directory.appendingPathComponent("pruning.parquet").path
        let writer = try ParquetFileWriter(path: path, schema: schema, options: options)
        try writer.write(batch)
        let footer = try writer.close()
        #expect(footer.rowGroups.count == 10)
        try Self.writeCanonical(path)
        // Page checksums, for pyarrow's page_checksum_verification.
        var checked = ParquetWriterOptions()
        checked.pageChecksums = true
        checked.maxRowsPerPage = 100
        let checksumPath = Self.directory.appendingPathComponent("checksums.parquet").path
        let checksummed = try ParquetFileWriter(path: checksumPath, schema: schema, options: checked)
        try checksummed.write(batch)
        try checksummed.close()
        try Self.writeCanonical(checksumPath)
        #expect(written == 24)
    }

    /// `file.jsonl`: the canonical JSON rows of `file` as ParquetKit reads them.
    static func writeCanonical(_ path: String) throws {
        var options = ParquetReadOptions()
        options.keepDictionaries = false
        let reader = try ParquetFileReader(source: LocalFileByteSource(path: path), options: options)
        var lines: [String] = []
        for batch in try reader.readRowGroups() {
            for row in 0..<batch.count { lines.append(CanonicalJSON.row(batch, row, leaves: reader.leaves)) }
        }
        try (lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).write(toFile: path + ".jsonl", atomically: true, encoding: .utf8)
    }
}
