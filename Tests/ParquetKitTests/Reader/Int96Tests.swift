import ColumnarCore
import Foundation
import ParquetKit
import Testing

/// INT96 timestamps: exact in any year with `.wide`, 64-bit by default with a typed error (never
/// a wrap-around) for values the unit cannot hold. Expected values are the corpus's golden
/// rows (decoded from the pages by the corpus's own tool, not by pyarrow) and hand arithmetic.
@Suite struct Int96Tests {
    static func reader(_ file: String, _ int96: ParquetReadOptions.Int96Representation) throws -> ParquetFileReader {
        var options = ParquetReadOptions()
        options.int96 = int96
        return try ParquetFileReader(source: LocalFileByteSource(path: ParquetCorpus.root.appendingPathComponent(file).path), options: options)
    }

    static func golden(_ file: String) throws -> [String] {
        try String(contentsOf: ParquetCorpus.root.appendingPathComponent(file), encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    @Test("in-range INT96 reads the same as a 64-bit nanosecond timestamp and as a wide one")
    func inRange() throws {
        let file = "files/parquet-testing/data/alltypes_plain.parquet"
        let narrow = try Self.reader(file, .timestamp(.nanosecond))
        let wide = try Self.reader(file, .wide)
        let a = try narrow.readRowGroup(0, columns: ["timestamp_col"])
        let b = try wide.readRowGroup(0, columns: ["timestamp_col"])
        #expect(a.schema.fields[0].dataType == .timestamp(.nanosecond, timeZone: nil))
        #expect(b.schema.fields[0].dataType == .wideTimestamp(timeZone: nil))
        let golden = try Self.golden("expected/parquet-testing/data/alltypes_plain.parquet.jsonl")
        for row in 0..<a.count {
            let expected = try GoldenValueTests.parse(golden[row])["timestamp_col"] as? String
            #expect(CanonicalJSON.value(a.columns[0].scalar(at: row), leaf: nil) == "\"\(expected ?? "?")\"")
            #expect(CanonicalJSON.value(b.columns[0].scalar(at: row), leaf: nil) == "\"\(expected ?? "?")\"")
        }
    }

    @Test("years 1 to 9999 and Spark's overflowed day read exactly when wide")
    func wideIsExact() throws {
        for (file, golden) in [
            ("files/parquet-testing/data/int96_from_spark.parquet", "expected/parquet-testing/data/int96_from_spark.parquet.jsonl"),
            ("generated/g05_int96_timestamps.parquet", "generated/expected/g05_int96_timestamps.parquet.jsonl"),
        ] {
            let reader = try Self.reader(file, .wide)
            let batch = try reader.readRowGroup(0)
            let expected = try Self.golden(golden)
            #expect(batch.count == expected.count, "\(file)")
            for row in 0..<Swift.min(batch.count, expected.count) {
                #expect(try GoldenValueTests.parse(CanonicalJSON.row(batch, row, leaves: reader.leaves)) == GoldenValueTests.parse(expected[row]), "\(file) row \(row)")
            }
        }
        // By hand: 9999-12-31T03:00 is 2,932,896 days after 1970-01-01 plus 3 hours.
        let spark = try Self.reader("files/parquet-testing/data/int96_from_spark.parquet", .wide).readRowGroup(0)
        #expect(spark.columns[0].scalar(at: 2) == .wideTimestamp(Int128(2_932_896) * 86_400_000_000_000 + 3 * 3_600_000_000_000, timeZone: nil))
    }

    @Test("by default a value beyond 64-bit nanoseconds throws valueOutOfRange naming it, never wraps")
    func outOfRangeThrows() throws {
        let reader = try Self.reader("files/parquet-testing/data/int96_from_spark.parquet", .timestamp(.nanosecond))
        let error = try #require(throws: ParquetError.self) { try reader.readRowGroup(0) }
        #expect(error.code == .valueOutOfRange)
        #expect(error.message.contains("9999-12-31T03:00:00.000000000"))
        #expect(error.context.columnPath == ["a"])
        #expect(error.context.rowGroup == 0)
    }

    @Test("a coarser unit drops sub-unit digits toward the past, and microseconds still overflow for year -294554")
    func coarserUnits() throws {
        let micros = try Self.reader("generated/g05_int96_timestamps.parquet", .timestamp(.microsecond))
        let batch = try micros.readRowGroup(0)
        let wide = try Self.reader("generated/g05_int96_timestamps.parquet", .wide).readRowGroup(0)
        for column in 0..<batch.columns.count {
            for row in 0..<batch.count {
                guard case .wideTimestamp(let nanos, _) = wide.columns[column].scalar(at: row) else {
                    #expect(batch.columns[column].isNull(row))
                    continue
                }
                var (q, r) = nanos.quotientAndRemainder(dividingBy: 1_000)
                if r < 0 { q -= 1; r += 1_000 }
                #expect(batch.columns[column].scalar(at: row) == .timestamp(Int64(q), .microsecond, timeZone: nil))
            }
        }
        let spark = try Self.reader("files/parquet-testing/data/int96_from_spark.parquet", .timestamp(.microsecond))
        let error = try #require(throws: ParquetError.self) { try spark.readRowGroup(0) }
        #expect(error.code == .valueOutOfRange)
        #expect(error.message.contains("-294554-12-13T14:58:10.448384000"))
    }
}
