import Foundation
import Testing

/// Runs the built `lakehouse` tool: `parquet cat --format jsonl` must print the corpus's golden
/// rows (compared structurally, as the corpus README prescribes).
@Suite struct ParquetCatCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = root.deletingLastPathComponent().appendingPathComponent("shared/parquet-corpus")

    /// The tool that `swift build --build-tests` puts next to the test bundle.
    static func tool() throws -> URL {
        let candidates = [
            root.appendingPathComponent(".build/debug/lakehouse"),
            Bundle.main.bundleURL.appendingPathComponent("lakehouse"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("lakehouse"),
        ]
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "build the lakehouse product first (swift build --build-tests builds it)")
    }

    func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = try Self.tool()
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "lakehouse \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }

    @Test("parquet cat --format jsonl agrees with the golden rows", arguments: [
        "parquet-testing/data/alltypes_plain.parquet",
        "parquet-testing/data/nested_lists.snappy.parquet",
        "parquet-testing/data/nested_maps.snappy.parquet",
        "parquet-testing/data/delta_byte_array.parquet",
    ])
    func catMatchesGolden(file: String) throws {
        let ours = try run(["parquet", "cat", Self.corpus.appendingPathComponent("files/" + file).path, "--format", "jsonl"])
            .split(separator: "\n")
        let golden = try String(contentsOf: Self.corpus.appendingPathComponent("expected/" + file + ".jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(ours.count == golden.count)
        for (a, b) in zip(ours, golden) {
            let left = try JSONSerialization.jsonObject(with: Data(a.utf8)) as? NSDictionary
            let right = try JSONSerialization.jsonObject(with: Data(b.utf8)) as? NSDictionary
            #expect(left != nil && left == right, "ours \(a)\ngolden \(b)")
        }
    }

    @Test("a file that is not Parquet fails with a message naming it, not a crash")
    func badFile() throws {
        let process = Process()
        process.executableURL = try Self.tool()
        process.arguments = ["parquet", "cat", #filePath]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(message.contains("not a Parquet file") && message.contains("ParquetCatCommandTests.swift"))
    }
}
