import Foundation
import ParquetKit
import Testing

@Suite struct CorpusRobustnessTests {
    @Test("every corpus file, damaged and fuzzed ones included, reads or throws a typed error — never a crash")
    func wholeCorpus() throws {
        var outcomes: [Int: [String: Int]] = [:]
        for entry in try ParquetCorpus.entries() {
            var outcome = "read"
            do {
                let reader = try ParquetFileReader(source: LocalFileByteSource(path: ParquetCorpus.path(entry)))
                for group in 0..<reader.metadata.rowGroups.count { _ = try reader.readRowGroup(group) }
            } catch {
                outcome = error.code.description
                // Sound files (tiers 1-3) may hit an unsupported feature, never a "corrupt" verdict.
                if entry.tier < 4 { #expect(error.kind == .unsupportedFeature, "\(entry.file): \(error)") }
                // Every error names the file; one raised while decoding a row group also names
                // the byte offset (of the page, or else of the column chunk).
                #expect(error.context.filePath == ParquetCorpus.path(entry), "\(entry.file): \(error)")
                if error.context.rowGroup != nil { #expect(error.context.byteOffset != nil, "\(entry.file): \(error)") }
            }
            if entry.footer_error != nil { #expect(outcome != "read", "\(entry.file) has an unreadable footer yet read") }
            outcomes[entry.tier, default: [:]][outcome, default: 0] += 1
        }
        for tier in outcomes.keys.sorted() {
            let summary = outcomes[tier]!.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            print("corpus tier \(tier): \(summary)")
        }
    }
}
