import ArgumentParser
import LakehouseKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `lakehouse demo`: builds a small candidates table in memory and runs the kernels on it.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Show the columnar engine at work on a small in-memory table."
    )

    @Option(name: .long, help: "Output format for the result tables: table, csv or jsonl.")
    var format: OutputFormat = .table

    func run() throws {
        let candidates = try DemoData.candidates()
        section("Candidates (\(candidates.count) rows)")
        emit([candidates])

        // WHERE city = 'Chicago' AND rate > 60 (rate is DECIMAL(8,2): 60.00 is 6000 unscaled).
        let city = candidates.column(named: "city")!
        let rate = candidates.column(named: "hourly_rate")!
        let inChicago = try Kernels.compare(city, .equal, .utf8("Chicago"))
        let wellPaid = try Kernels.compare(rate, .greater, .decimal128(6000, precision: 8, scale: 2))
        let mask = try Kernels.and(inChicago, wellPaid)
        let selection = SelectionVector(mask)
        var filtered = try RecordBatch(
            schema: candidates.schema,
            columns: candidates.columns.map { try Kernels.take($0, selection) }
        )
        // ORDER BY hourly_rate DESC NULLS LAST, name
        let order = try Kernels.sortIndices([
            SortKey(filtered.column(named: "hourly_rate")!, descending: true),
            SortKey(filtered.column(named: "name")!),
        ])
        filtered = try RecordBatch(schema: filtered.schema, columns: filtered.columns.map { try Kernels.take($0, SelectionVector(indices: order)) })
        section("WHERE city = 'Chicago' AND hourly_rate > 60 ORDER BY hourly_rate DESC, name")
        emit([filtered])

        // GROUP BY city: count, sum and max of the rates.
        let groups = try Kernels.groupIDs([city])
        var cityNames = BinaryColumnBuilder()
        var counts = PrimitiveColumnBuilder<Int64>()
        var totals: [Scalar] = []
        var maxima: [Scalar] = []
        for group in 0..<groups.groupCount {
            let members = SelectionVector(groups.ids.enumerated().filter { Int($0.element) == group }.map { UInt32($0.offset) })
            let rates = try Kernels.take(rate, members)
            cityNames.append(city.scalar(at: Int(groups.representatives[group])).formatted)
            counts.append(Int64(members.count))
            totals.append(try Kernels.sum(rates))
            maxima.append(try Kernels.max(rates))
        }
        let summary = try RecordBatch(
            schema: Schema([
                Field("city", .utf8), Field("candidates", .int64),
                Field("total_rate", .decimal128(precision: 38, scale: 2)), Field("max_rate", .decimal128(precision: 8, scale: 2)),
            ]),
            columns: [
                .utf8(cityNames.finish()), .int64(counts.finish()),
                try Column(.decimal128(precision: 38, scale: 2), totals), try Column(.decimal128(precision: 8, scale: 2), maxima),
            ]
        )
        section("GROUP BY city")
        emit([summary])

        // Casting text the way an ingest would.
        let raw = Column.utf8(BinaryColumn(["2024-03-01", " 2024-02-29 ", "2023-02-29"]))
        section("CAST('2023-02-29' AS DATE) is an error, not a guess")
        do {
            _ = try Kernels.cast(raw, to: .date32)
        } catch let error as ColumnarError {
            print("error: \(error)")
        }

        section("Compression codecs over the name column's bytes")
        guard case .utf8(let names) = candidates.column(named: "name")! else { return }
        let bytes = Array(names.bytes)
        for codec in [CompressionCodec.snappy, .gzip, .zstd, .lz4Raw] {
            let compressed = try codec.compress(bytes)
            let restored = try codec.decompress(compressed, uncompressedSize: bytes.count)
            print("\(codec): \(bytes.count) → \(compressed.count) bytes, round trip \(restored == bytes ? "exact" : "BROKEN")")
        }
    }

    /// Section titles go to stdout with the table format and to stderr otherwise, so CSV and
    /// JSON-lines output stays machine-readable.
    func section(_ title: String) {
        if format == .table {
            print("\n\(title)")
        } else {
            let line = "\n\(title)\n"
            _ = line.withCString { write(2, $0, strlen($0)) }
        }
    }

    func emit(_ batches: [RecordBatch]) {
        switch format {
        case .table: print(BatchPrinter.table(batches), terminator: "")
        case .csv: print(BatchPrinter.csv(batches), terminator: "")
        case .jsonl: print(BatchPrinter.jsonLines(batches), terminator: "")
        }
    }
}

/// How result tables are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, jsonl
}

/// A small, fixed sample of the staffing data the product was designed on.
enum DemoData {
    static func candidates() throws -> RecordBatch {
        let names = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov",
                     "Donald Knuth", "Frances Allen", "Ken Thompson", "Margaret Hamilton", "John Backus"]
        let cities = ["Chicago", "Denver", "Chicago", "Austin", "Chicago", "Denver", "Chicago", "Austin", "Chicago", "Chicago"]
        let rates: [Int128?] = [8500, 9200, 7000, 6100, nil, 12000, 5800, 9900, 6100, 6100]
        let available = ["2026-12-01", "2027-01-15", "2026-11-30", "2027-02-01", "2026-12-15",
                         "2027-03-01", "2026-12-01", "2027-01-04", "2026-12-20", "2027-01-10"]
        let availableFrom = try Kernels.cast(.utf8(BinaryColumn(available)), to: .date32)
        return try RecordBatch(
            schema: Schema([
                Field("id", .int64, nullable: false), Field("name", .utf8), Field("city", .utf8),
                Field("hourly_rate", .decimal128(precision: 8, scale: 2)), Field("available_from", .date32),
            ]),
            columns: [
                .int64(PrimitiveColumn((1...Int64(names.count)).map { $0 })),
                .utf8(BinaryColumn(names)),
                .utf8(BinaryColumn(cities)),
                .decimal128(PrimitiveColumn(rates), precision: 8, scale: 2),
                availableFrom,
            ]
        )
    }
}
