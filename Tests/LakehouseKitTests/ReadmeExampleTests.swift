import Foundation
import LakehouseKit
import Testing

/// The README's Swift example, verbatim between the markers: this test compiles it, runs it,
/// and checks that the README still shows exactly this code.
func readmeExample() throws -> (Scalar, String) {
    // README-EXAMPLE-BEGIN
    let batch = try RecordBatch(
        schema: Schema([Field("city", .utf8), Field("rate", .float64)]),
        columns: [
            .utf8(BinaryColumn(["Chicago", "Denver", "Chicago"])),
            .float64(PrimitiveColumn([85.0, 92.5, nil])),
        ])
    let inChicago = try Kernels.compare(batch.column(named: "city")!, .equal, .utf8("Chicago"))
    let rates = try Kernels.filter(batch.column(named: "rate")!, inChicago)
    let total = try Kernels.sum(rates)     // .float64(85.0): the null rate is skipped
    let table = BatchPrinter.table([batch])
    // README-EXAMPLE-END
    return (total, table)
}

@Suite struct ReadmeExampleTests {
    @Test("the README example runs and gives the documented answer")
    func exampleRuns() throws {
        let (total, table) = try readmeExample()
        #expect(total == .float64(85.0))
        #expect(table.contains("Chicago"))
        #expect(table.contains("3 rows"))
    }

    @Test("the README shows the example exactly as compiled here")
    func readmeMatchesCompiledExample() throws {
        let testFile = try String(contentsOfFile: #filePath, encoding: .utf8)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(testFile.range(of: "// README-EXAMPLE-BEGIN\n"))
        let end = try #require(testFile.range(of: "    // README-EXAMPLE-END"))
        let snippet = testFile[begin.upperBound..<end.lowerBound]
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }
            .joined(separator: "\n")
        #expect(readme.contains(snippet), "README.md must contain the example verbatim:\n\(snippet)")
    }
}
