import ArgumentParser
import Foundation
import LakehouseKit

/// `lakehouse demo`: the product's on-ramp end to end — generate the staffing dataset, ingest its
/// seven files into a lakehouse, run the four queries the product was proven on, with timings.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate the staffing data, ingest all seven files, and run the four reference queries with timings.",
        discussion: """
            The queries are read from --queries (TestData/staffing/queries in the repository); when a \
            <query>.expected.csv is there (DuckDB's answer at scale 1, seed 42), the result is checked against it.
            """
    )

    @Option(name: .long, help: "Scale of the generated data (1 = 286,500 rows).") var scale: Double = 1
    @Option(name: .long, help: "Seed of the generator.") var seed: UInt64 = 42
    @Option(name: .long, help: "Where to write the files (default: a new temporary folder).") var data: String?
    @Option(name: .long, help: "The lakehouse to ingest into (default: a new temporary folder).") var root: String?
    @Option(name: .long, help: "Folder of the query .sql files.") var queries = "TestData/staffing/queries"
    @Option(name: .long, help: "Warm runs per query (the median is reported).") var runs = 5
    @Option(name: .long, help: "Result rows shown per query.") var rows = 8
    @Option(name: .long, help: "Output format for the result tables: table, csv or jsonl.") var format: OutputFormat = .table
    @Option(name: .long, help: "Also write the timings as JSON to this file.") var timings: String?

    /// The product's original latencies (ms) for the four queries, before this engine.
    static let original: [String: Double] = ["candidate_search": 80, "revenue_by_client": 142, "cold_leads": 94, "margin_by_vertical": 53]
    static let order = ["candidate_search", "revenue_by_client", "cold_leads", "margin_by_vertical"]

    func run() throws {
        let dataDir = data ?? temporaryFolder("lakehouse-demo-data")
        let rootDir = root ?? temporaryFolder("lakehouse-demo-lake")
        var report: [String: Any] = ["scale": scale, "seed": seed]

        print("1. Generating the staffing dataset (scale \(scale), seed \(seed)) in \(dataDir)")
        let generator = StaffingGenerator(scale: scale, seed: seed)
        let generated = try measure { try generator.write(to: dataDir) }
        for file in generated.value {
            print("   \(file.table.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(file.rows).leftPad(8)) rows  \(formatBytes(Int64(file.bytes)).leftPad(10))")
        }
        print(String(format: "   %d rows in %.2f s", generated.value.reduce(0) { $0 + $1.rows }, generated.seconds))

        print("\n2. Ingesting into the lakehouse at \(rootDir)")
        let lake: Lakehouse
        do { lake = try Lakehouse.open(at: rootDir) } catch { fail("\(error)") }
        var ingestTimes: [String: Double] = [:]
        var totalBytes: Int64 = 0
        var totalSeconds = 0.0
        for file in generated.value {
            do {
                let result = try measure { () throws(IngestError) in try lake.ingest(file.path, into: file.table) }
                let r = result.value
                ingestTimes[file.table] = result.seconds
                totalBytes += r.bytes
                totalSeconds += result.seconds
                let types = r.schema.fields.map { "\($0.name) \($0.dataType)" }.prefix(4).joined(separator: ", ")
                print(String(format: "   %@ %8lld rows %3d cols %7.1f MB/s  %6.3f s  %@%@", file.table.padding(toLength: 12, withPad: " ", startingAt: 0),
                             r.rows, r.schema.fields.count, Double(r.bytes) / 1e6 / max(result.seconds, 1e-9), result.seconds,
                             r.alreadyIngested ? "(already ingested) " : "", types + (r.schema.fields.count > 4 ? ", …" : "")))
            } catch {
                fail("\(error)")
            }
        }
        print(String(format: "   %.1f MB in %.2f s (%.1f MB/s)", Double(totalBytes) / 1e6, totalSeconds, Double(totalBytes) / 1e6 / max(totalSeconds, 1e-9)))
        report["ingestSeconds"] = ingestTimes

        print("\n3. The four queries (\(runs) warm runs each, median)")
        var queryTimes: [String: [String: Double]] = [:]
        var mismatches = 0
        for name in Self.order {
            let path = (queries as NSString).appendingPathComponent(name + ".sql")
            guard let sql = try? String(contentsOfFile: path, encoding: .utf8) else {
                fail("cannot read \(path); run from the repository root or pass --queries DIR")
            }
            let cold: (value: QueryResult, seconds: Double)
            do { cold = try measure { () throws(SQLError) in try lake.sql(sql) } } catch { fail("\(name): \(error)") }
            var warm: [Double] = []
            for _ in 0..<max(1, runs) {
                do { warm.append(try measure { () throws(SQLError) in try lake.sql(sql) }.seconds) } catch { fail("\(name): \(error)") }
            }
            warm.sort()
            let median = warm[warm.count / 2]
            queryTimes[name] = ["cold_ms": cold.seconds * 1000, "warm_ms": median * 1000, "original_ms": Self.original[name] ?? 0]
            var check = ""
            let expectedPath = (queries as NSString).appendingPathComponent(name + ".expected.csv")
            if scale == 1 && seed == 42, let expected = try? String(contentsOfFile: expectedPath, encoding: .utf8) {
                let same = Self.sameCSV(BatchPrinter.csv([cold.value.batch]), expected)
                check = same ? "  matches DuckDB's answer" : "  DIFFERS from DuckDB's answer (\(expectedPath))"
                if !same { mismatches += 1 }
            }
            print(String(format: "\n   %@: %d rows; cold %.1f ms, warm %.1f ms (the product's original: %.0f ms)%@", name, cold.value.count,
                         cold.seconds * 1000, median * 1000, Self.original[name] ?? 0, check))
            let shown = cold.value.batch.slice(0..<min(rows, cold.value.count))
            switch format {
            case .table: print(BatchPrinter.table([shown]), terminator: "")
            case .csv: print(BatchPrinter.csv([shown]), terminator: "")
            case .jsonl: print(BatchPrinter.jsonLines([shown]), terminator: "")
            }
        }
        report["queries"] = queryTimes
        if let timings {
            let json = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
            try json.write(to: URL(fileURLWithPath: timings))
        }
        print("\nThe lakehouse stays at \(rootDir): try `lakehouse sql --root \(rootDir) 'SELECT vertical, count(*) FROM clients GROUP BY 1'`.")
        if mismatches > 0 { fail("\(mismatches) queries differ from DuckDB's answers") }
    }

    /// Compares CSV texts cell by cell, numbers to 1e-6 relative.
    static func sameCSV(_ a: String, _ b: String) -> Bool {
        let x = TPCH.parseCSV(a), y = TPCH.parseCSV(b)
        guard x.count == y.count else { return false }
        for (r, s) in zip(x, y) {
            guard r.count == s.count else { return false }
            for (u, v) in zip(r, s) where u != v {
                guard let p = Double(u), let q = Double(v), abs(p - q) <= 1e-6 * abs(q) + 1e-6 else { return false }
            }
        }
        return true
    }

    func temporaryFolder(_ prefix: String) -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Runs `body` and returns its value with the seconds it took.
func measure<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> (value: T, seconds: Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

/// How result tables are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, jsonl
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
