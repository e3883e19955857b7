import ColumnarCore
import Foundation
import ParquetKit
import Testing

/// Reads corpus files with ParquetKit and compares every row with the corpus's golden values
/// (written by pyarrow or DuckDB), structurally, as the corpus README prescribes.
@Suite struct GoldenValueTests {
    struct Expected: Decodable {
        let jsonl: String?
        let rows_in_jsonl: Int?
        let complete: Bool?
    }
    struct Entry: Decodable {
        let file: String
        let tier: Int
        let expected: Expected?
        let has_nested: Bool?
    }

    static func entries() throws -> [Entry] {
        let data = try Data(contentsOf: ParquetCorpus.root.appendingPathComponent("manifest.json"))
        return try JSONDecoder().decode([Entry].self, from: data)
    }

    /// Every row of every row group in canonical JSON, or the first error.
    static func readAll(_ reader: ParquetFileReader) -> Result<[String], ParquetError> {
        var lines: [String] = []
        for group in 0..<reader.metadata.rowGroups.count {
            switch Result(catching: { () throws(ParquetError) in try reader.readRowGroup(group) }) {
            case .success(let batch):
                for row in 0..<batch.count { lines.append(CanonicalJSON.row(batch, row, leaves: reader.leaves)) }
            case .failure(let error):
                return .failure(error)
            }
        }
        return .success(lines)
    }

    /// Parses one JSON line into Foundation objects for a structural comparison.
    static func parse(_ line: String) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed]) as? NSDictionary)
    }

    @Test("files of tiers 1 to 3 read back exactly as their golden rows; the rest are named unsupported")
    func goldenFiles() throws {
        var matched = 0
        var unsupported: [String: Int] = [:]
        var total = 0
        var matchedNested = 0
        for entry in try Self.entries() where entry.tier <= 3 {
            guard let jsonl = entry.expected?.jsonl, entry.expected?.complete == true else { continue }
            total += 1
            // The canonical form shows INT96 exactly, whatever the year: read it wide.
            var options = ParquetReadOptions()
            options.int96 = .wide
            let reader = try ParquetFileReader(source: LocalFileByteSource(path: ParquetCorpus.path(.init(file: entry.file))), options: options)
            let lines: [String]
            switch Self.readAll(reader) {
            case .success(let rows): lines = rows
            case .failure(let error) where error.code == .unsupportedFeature || error.code == .unsupportedCodec:
                unsupported[error.message, default: 0] += 1
                continue
            case .failure(let error):
                Issue.record("\(entry.file): \(error)")
                continue
            }
            let golden = try String(contentsOf: ParquetCorpus.root.appendingPathComponent(jsonl), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            #expect(lines.count == golden.count, "\(entry.file): \(lines.count) rows, golden has \(golden.count)")
            var same = lines.count == golden.count
            for (index, (ours, theirs)) in zip(lines, golden).enumerated() {
                let equal = try Self.parse(ours).isEqual(try Self.parse(theirs))
                if !equal {
                    Issue.record("\(entry.file) row \(index):\n ours   \(ours)\n golden \(theirs)")
                    same = false
                    break
                }
            }
            if same {
                matched += 1
                if entry.has_nested == true { matchedNested += 1 }
            }
        }
        print("golden files (tiers 1-3): \(matched) of \(total) match exactly (\(matchedNested) nested); unsupported so far: \(unsupported.values.reduce(0, +))")
        for (reason, count) in unsupported.sorted(by: { $0.value > $1.value }) { print("  \(count) × \(reason)") }
        #expect(matched == total, "every golden file of tiers 1-3 reads back exactly")
        #expect(unsupported.isEmpty)
    }
}

extension ParquetCorpus.Entry {
    init(file: String) {
        self.init(file: file, tier: 0, num_rows: nil, num_row_groups: nil, created_by: nil, row_group_num_rows: nil,
                  tail_magic: nil, footer_error: nil, columns: [])
    }
}
