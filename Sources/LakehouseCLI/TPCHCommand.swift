import ArgumentParser
import Foundation
import LakehouseKit

/// `lakehouse tpch --data DIR`: runs the TPC-H queries over the tables' Parquet files and
/// compares each result with its answer file.
struct TPCHCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tpch",
        abstract: "Run TPC-H queries over Parquet files and check the answers."
    )

    @Option(name: .long, help: "The folder with customer.parquet … supplier.parquet.")
    var data: String

    @Option(name: .long, help: "The folder of q01.sql … q22.sql.")
    var queries: String = "../shared/tpch/queries"

    @Option(name: .long, help: "The folder of the expected answers (qNN.csv); none to skip checking.")
    var answers: String?

    @Option(name: .long, help: "Only these queries (numbers, e.g. 1,6,14).")
    var only: String?

    @Option(name: .long, help: "Runs per query (the median time is printed).")
    var runs: Int = 1

    @Option(name: .long, help: "Untimed runs per query before the timed ones.")
    var warmup: Int = 0

    func run() throws {
        let session = try TPCH.session(dataDirectory: data)
        let numbers = only.map { $0.split(separator: ",").compactMap { Int($0) } } ?? Array(1...22)
        var failures = 0
        for n in numbers {
            let name = String(format: "q%02d", n)
            let sql = try String(contentsOfFile: queries + "/" + name + ".sql", encoding: .utf8)
            var times: [Double] = []
            var result: RecordBatch?
            var failure: String?
            for _ in 0..<max(0, warmup) { _ = try? session.execute(sql) }
            for _ in 0..<max(1, runs) {
                let start = DispatchTime.now().uptimeNanoseconds
                do {
                    result = try session.execute(sql)
                } catch {
                    failure = "\(error)"
                    break
                }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            let median = times.sorted()[safe: times.count / 2] ?? 0
            var status = failure.map { "ERROR " + $0 } ?? "ran"
            if failure == nil, let answers, let result {
                let expected = try String(contentsOfFile: answers + "/" + name + ".csv", encoding: .utf8)
                let comparison = TPCH.compare(result, expectedCSV: expected)
                status = comparison.matches ? (comparison.orderDiffers ? "ok (order differs)" : "ok") : "WRONG " + comparison.message
            }
            if !status.hasPrefix("ok") && status != "ran" { failures += 1 }
            print("\(name) \(String(format: "%9.1f", median)) ms  \(result?.count ?? 0) rows  \(status)")
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
