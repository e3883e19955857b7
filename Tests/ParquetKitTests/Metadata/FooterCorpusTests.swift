import Foundation
import ParquetKit
import Testing

/// The shared corpus of Parquet files written by other implementations, with the facts its
/// manifest records about each footer (read there by an independent Python reader).
enum ParquetCorpus {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/parquet-corpus")

    struct Entry: Decodable, Sendable, CustomTestStringConvertible {
        struct ColumnFacts: Decodable, Sendable {
            let path: String
            let physical_type: String?
            let codecs: [String]?
        }
        let file: String
        let tier: Int
        let num_rows: Int64?
        let num_row_groups: Int?
        let created_by: String?
        let row_group_num_rows: [Int64]?
        let tail_magic: String?
        let footer_error: String?
        let columns: [ColumnFacts]
        var testDescription: String { file }
    }

    static func entries() throws -> [Entry] {
        let data = try Data(contentsOf: root.appendingPathComponent("manifest.json"))
        return try JSONDecoder().decode([Entry].self, from: data)
    }

    static func path(_ entry: Entry) -> String { root.appendingPathComponent(entry.file).path }
}

@Suite struct FooterCorpusTests {
    @Test("every footer the manifest could read decodes to the same facts; the rest throw typed errors")
    func corpusFooters() throws {
        let entries = try ParquetCorpus.entries()
        #expect(entries.count == 248)
        var decoded = [Int: Int]()
        var rejected = [Int: Int]()
        for entry in entries {
            let source = try LocalFileByteSource(path: ParquetCorpus.path(entry))
            let metadata: FileMetadata
            do {
                metadata = try ParquetFooter.read(from: source)
            } catch {
                rejected[entry.tier, default: 0] += 1
                // Tier 4 (damaged and fuzzed files) may fail, always with a typed error.
                #expect(entry.tier == 4, "\(entry.file): \(error)")
                if entry.tail_magic == "PARE" { #expect(error.code == .unsupportedFeature, "\(entry.file): \(error)") }
                continue
            }
            decoded[entry.tier, default: 0] += 1
            // Fuzzed footers contradict themselves (schema vs chunk paths); compare sound ones.
            guard entry.tier < 4, let rows = entry.num_rows else { continue }
            #expect(metadata.numRows == rows, "\(entry.file)")
            #expect(metadata.rowGroups.count == entry.num_row_groups, "\(entry.file)")
            #expect(metadata.createdBy == entry.created_by, "\(entry.file)")
            if let perGroup = entry.row_group_num_rows {
                #expect(metadata.rowGroups.map(\.numRows) == perGroup, "\(entry.file)")
            }
            // Leaf columns: path and physical type agree with the manifest, in order.
            if let first = metadata.rowGroups.first, !entry.columns.isEmpty {
                #expect(first.columns.map { $0.pathInSchema.joined(separator: ".") } == entry.columns.map(\.path), "\(entry.file)")
                for (chunk, facts) in zip(first.columns, entry.columns) {
                    if let physical = facts.physical_type { #expect(chunk.type.description == physical, "\(entry.file) \(facts.path)") }
                }
                for (index, facts) in entry.columns.enumerated() {
                    guard let codecs = facts.codecs else { continue }
                    let ours = Set(metadata.rowGroups.compactMap { index < $0.columns.count ? $0.columns[index].codec?.description : nil })
                    #expect(ours == Set(codecs), "\(entry.file) \(facts.path)")
                }
            }
        }
        let tiers = Set(decoded.keys).union(rejected.keys).sorted()
        for tier in tiers {
            print("footers, tier \(tier): \(decoded[tier, default: 0]) decoded, \(rejected[tier, default: 0]) rejected with a typed error")
        }
        #expect(rejected[1, default: 0] + rejected[2, default: 0] + rejected[3, default: 0] == 0)
    }

    @Test("page headers of every readable chunk in tiers 1-3 decode, and dictionary pages come first")
    func pageHeaders() throws {
        for entry in try ParquetCorpus.entries() where entry.tier < 4 {
            let source = try LocalFileByteSource(path: ParquetCorpus.path(entry))
            let metadata = try ParquetFooter.read(from: source)
            for (groupIndex, group) in metadata.rowGroups.enumerated() {
                for chunk in group.columns {
                    let pages = try ParquetFooter.pageHeaders(of: chunk, in: source, rowGroup: groupIndex)
                    let dataPages = pages.filter { $0.header.type == .dataPage || $0.header.type == .dataPageV2 }
                    #expect(!dataPages.isEmpty || group.numRows == 0, "\(entry.file) \(chunk.pathInSchema)")
                    if let dictionary = pages.firstIndex(where: { $0.header.type == .dictionaryPage }) {
                        #expect(dictionary == 0, "\(entry.file) \(chunk.pathInSchema)")
                    }
                }
            }
        }
    }
}

@Suite struct FooterErrorTests {
    @Test("a file too small, with the wrong magic or an impossible footer length is corrupt")
    func badTails() throws {
        let cases: [[UInt8]] = [
            Array("PAR1".utf8),
            Array("PAR1".utf8) + [0, 0, 0, 0] + Array("NOPE".utf8),
            Array("PAR1".utf8) + [0xFF, 0xFF, 0xFF, 0x7F] + Array("PAR1".utf8),
        ]
        for bytes in cases {
            #expect {
                try ParquetFooter.read(from: MemoryByteSource(bytes))
            } throws: { ($0 as? ParquetError)?.code == .corruptFile }
        }
    }

    @Test("a footer cut short names the byte offset where the metadata ended")
    func truncatedMetadata() throws {
        // FileMetaData { 1: version = 1 } then the bytes stop before STOP.
        let metadata: [UInt8] = [0x15, 0x02]
        let bytes = Array("PAR1".utf8) + metadata + [UInt8(metadata.count), 0, 0, 0] + Array("PAR1".utf8)
        do {
            _ = try ParquetFooter.read(from: MemoryByteSource(bytes, name: "cut.parquet"))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .corruptFile)
            #expect(error.context.filePath == "cut.parquet")
            #expect(error.context.byteOffset == 6)
        }
    }

    @Test("a metadata list claiming more elements than bytes is rejected before allocating")
    func hostileListLength() throws {
        // FileMetaData { 1: version = 1, 2: schema = list<struct> of 2^31-1 elements }.
        let metadata: [UInt8] = [0x15, 0x02, 0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07]
        let bytes = Array("PAR1".utf8) + metadata + [UInt8(metadata.count), 0, 0, 0] + Array("PAR1".utf8)
        #expect {
            try ParquetFooter.read(from: MemoryByteSource(bytes))
        } throws: { ($0 as? ParquetError)?.code == .corruptFile }
    }

    @Test("structures nested without end hit the depth limit instead of the stack")
    func deepNesting() throws {
        // Field 2 of type struct, repeated: each opens another struct inside the last.
        let metadata = [UInt8](repeating: 0x1C, count: 10_000)
        let bytes = Array("PAR1".utf8) + metadata + withUnsafeBytes(of: UInt32(metadata.count).littleEndian, Array.init) + Array("PAR1".utf8)
        #expect {
            try ParquetFooter.read(from: MemoryByteSource(bytes))
        } throws: { ($0 as? ParquetError)?.code == .corruptFile }
    }
}
