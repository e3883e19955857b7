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

    struct Entry: Decodable {
        struct Expected: Decodable {
            let jsonl: String?
            let complete: Bool?
        }
        let file: String
        let tier: Int
        let expected: Expected?
    }

    @Test("parquet cat --format jsonl agrees with the golden rows of every complete golden file of tiers 1-3")
    func catMatchesGolden() throws {
        let entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: Self.corpus.appendingPathComponent("manifest.json")))
        var checked = 0
        for entry in entries where entry.tier <= 3 {
            guard let jsonl = entry.expected?.jsonl, entry.expected?.complete == true else { continue }
            checked += 1
            let ours = try run(["parquet", "cat", Self.corpus.appendingPathComponent(entry.file).path, "--format", "jsonl"])
                .split(separator: "\n")
            let golden = try String(contentsOf: Self.corpus.appendingPathComponent(jsonl), encoding: .utf8)
                .split(separator: "\n")
            #expect(ours.count == golden.count, "\(entry.file)")
            for (a, b) in zip(ours, golden) {
                let left = try JSONSerialization.jsonObject(with: Data(a.utf8)) as? NSDictionary
                let right = try JSONSerialization.jsonObject(with: Data(b.utf8)) as? NSDictionary
                #expect(left != nil && left == right, "\(entry.file)\nours \(a)\ngolden \(b)")
                if left != right { break }
            }
        }
        #expect(checked == 86)
    }

    @Test("--columns takes dotted paths into nested fields")
    func nestedColumns() throws {
        let file = Self.corpus.appendingPathComponent("files/parquet-testing/data/nullable.impala.parquet").path
        let lines = try run(["parquet", "cat", file, "--columns", "id,nested_struct.A", "--format", "jsonl", "--limit", "2"])
            .split(separator: "\n")
        #expect(lines == [#"{"id":1,"nested_struct":{"A":1}}"#, #"{"id":2,"nested_struct":{"A":null}}"#])
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
