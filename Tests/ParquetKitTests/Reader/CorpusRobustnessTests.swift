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

/// The issue's rule for damaged files: a tier-4 file either reads as its golden values or
/// throws a typed error. A file that reads must therefore have golden rows, and match them.
@Suite struct DamagedFileTests {
    @Test("every tier-4 file that reads matches its golden rows; the rest throw")
    func damagedFilesReadExactlyOrThrow() throws {
        var read = 0
        var thrown = 0
        for entry in try GoldenValueTests.entries() where entry.tier == 4 {
            var options = ParquetReadOptions()
            options.int96 = .wide
            let lines: [String]
            do {
                let reader = try ParquetFileReader(source: LocalFileByteSource(path: ParquetCorpus.path(.init(file: entry.file))), options: options)
                guard case .success(let rows) = GoldenValueTests.readAll(reader) else { thrown += 1; continue }
                lines = rows
            } catch {
                thrown += 1
                continue
            }
            read += 1
            guard let jsonl = entry.expected?.jsonl else {
                Issue.record("\(entry.file) reads \(lines.count) rows but has no golden values: it should throw")
                continue
            }
            let golden = try String(contentsOf: ParquetCorpus.root.appendingPathComponent(jsonl), encoding: .utf8)
                .split(separator: "\n").map(String.init)
            if entry.expected?.complete == true {
                #expect(lines.count == golden.count, "\(entry.file)")
            } else {
                #expect(lines.count >= golden.count, "\(entry.file)")
            }
            for (index, (ours, theirs)) in zip(lines, golden).enumerated() where try GoldenValueTests.parse(ours) != GoldenValueTests.parse(theirs) {
                Issue.record("\(entry.file) row \(index):\n ours   \(ours)\n golden \(theirs)")
                break
            }
        }
        print("damaged files (tier 4): \(read) read exactly as their golden rows, \(thrown) threw typed errors")
        #expect(read + thrown == 159)
    }
}
