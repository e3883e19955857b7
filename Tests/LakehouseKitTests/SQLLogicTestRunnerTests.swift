import Foundation
import LakehouseKit
import Testing

/// The sqllogictest runner on a hand-written file whose outcome is known record by record.
@Suite struct SQLLogicTestRunnerTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("TestData/sqllogictest/sample.test").path

    @Test("records pass, fail and skip as written; loops expand; halt stops the file")
    func sampleFile() {
        let result = SQLLogicTestRunner.run(file: Self.sample)
        // Passing: CREATE, INSERT, rowsort query, ordered query, hashed query, statement error.
        // Failing: the two loop iterations (their expected "1expected"/"2expected" is wrong on
        // purpose) and the deliberately wrong query. Skipped: skipif and onlyif records.
        #expect(result.passed == 6, "\(result.failures.map(\.sql))")
        #expect(result.failed == 3)
        #expect(result.skipped == 2)
        #expect(result.failures.last?.actual == "NULL")
    }

    @Test("dialects come from the folder or extension")
    func dialects() {
        #expect(SQLLogicTestRunner.dialect(of: "x/sqlite/select1.test") == .sqlite)
        #expect(SQLLogicTestRunner.dialect(of: "x/duckdb/a.test") == .duckdb)
        #expect(SQLLogicTestRunner.dialect(of: "x/y.slt") == .datafusion)
    }
}
