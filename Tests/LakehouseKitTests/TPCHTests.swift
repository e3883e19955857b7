import Foundation
import LakehouseKit
import TestSupport
import Testing

/// The 22 TPC-H queries over SF 0.1 Parquet files made by `tpchgen-cli parquet -s 0.1` (the
/// test script makes them in `.build/tpch-sf0.1`, or set `TPCH_SF01_DIR`), checked against the
/// answers DuckDB computed (`../shared/tpch/answers/sf0.1`) with the README's rule.
@Suite("TPC-H SF 0.1", .serialized)
struct TPCHTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = root.appendingPathComponent("../shared/tpch").standardized.path
    static let data = ProcessInfo.processInfo.environment["TPCH_SF01_DIR"] ?? root.appendingPathComponent(".build/tpch-sf0.1").path

    @Test("query answers", arguments: 1...22)
    func query(_ number: Int) async throws {
        let lineitem = Self.data + "/lineitem.parquet"
        try #require(FileManager.default.fileExists(atPath: lineitem),
                     "no TPC-H data at \(Self.data): run `tpchgen-cli parquet -s 0.1 --output-dir=\(Self.data)` (Scripts/test.sh does)")
        let name = String(format: "q%02d", number)
        let sql = try String(contentsOfFile: Self.shared + "/queries/" + name + ".sql", encoding: .utf8)
        let expected = try String(contentsOfFile: Self.shared + "/answers/sf0.1/" + name + ".csv", encoding: .utf8)
        let directory = Self.data
        let comparison = try await offCooperativePool {
            TPCH.compare(try TPCH.session(dataDirectory: directory).execute(sql), expectedCSV: expected)
        }
        #expect(comparison.matches, "\(name): \(comparison.message)")
    }

    @Test("the comparison rule rejects a wrong value, a wrong row count and wrong text")
    func comparisonRule() throws {
        let session = SQLSession()
        let batch = try session.execute("SELECT 'a,b' AS s, 1.5::DOUBLE AS x, 3 AS n")
        #expect(TPCH.compare(batch, expectedCSV: "s,x,n\n\"a,b\",1.5,3\n").matches)
        #expect(TPCH.compare(batch, expectedCSV: "s,x,n\n\"a,b\",1.5000000001,3\n").matches)
        #expect(!TPCH.compare(batch, expectedCSV: "s,x,n\n\"a,b\",1.6,3\n").matches)
        #expect(!TPCH.compare(batch, expectedCSV: "s,x,n\n\"a,b\",1.5,4\n").matches)
        #expect(!TPCH.compare(batch, expectedCSV: "s,x,n\na,1.5,3\n").matches)
        #expect(!TPCH.compare(batch, expectedCSV: "s,x,n\n\"a,b\",1.5,3\n\"a,b\",1.5,3\n").matches)
    }
}
