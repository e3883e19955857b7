import ColumnarCore
import Foundation
import ParquetKit
import Testing

@Suite struct DictionaryOutputTests {
    func reader(_ file: String) throws -> ParquetFileReader {
        try ParquetFileReader(source: LocalFileByteSource(path: ParquetCorpus.root.appendingPathComponent(file).path))
    }

    @Test("a text chunk whose pages are all dictionary-encoded comes back as a dictionary column")
    func keptEncoded() throws {
        let batch = try reader("generated/g01_many_row_groups.parquet").readRowGroup(0, columns: ["category"])
        guard case .dictionary(let column) = batch.columns[0] else {
            Issue.record("expected a dictionary column, got \(batch.columns[0].dataType)")
            return
        }
        #expect(batch.schema.fields[0].dataType == .utf8)
        #expect(column.dictionary.count < column.count)
    }

    @Test("a chunk that falls back from the dictionary to PLAIN pages is materialised, in order")
    func fallback() throws {
        let reader = try reader("generated/g02_dict_fallback_plain.parquet")
        let batch = try reader.readRowGroup(0, columns: ["unique_str"])
        guard case .utf8 = batch.columns[0] else {
            Issue.record("expected plain text after the fallback, got a \(batch.columns[0])")
            return
        }
        // The golden rows (complete for this file) agree value for value.
        let golden = try String(contentsOf: ParquetCorpus.root.appendingPathComponent("generated/expected/g02_dict_fallback_plain.parquet.jsonl"), encoding: .utf8)
            .split(separator: "\n").prefix(batch.count)
        for (row, line) in golden.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(batch.columns[0].scalar(at: row) == .utf8(object["unique_str"] as? String ?? "<null>"), "row \(row)")
        }
    }

    @Test("with keepDictionaries off the same chunk is plain text with the same values")
    func materialisedOnRequest() throws {
        let file = ParquetCorpus.root.appendingPathComponent("generated/g01_many_row_groups.parquet").path
        var options = ParquetReadOptions()
        options.keepDictionaries = false
        let plain = try ParquetFileReader(source: LocalFileByteSource(path: file), options: options).readRowGroup(0, columns: ["category"])
        let kept = try reader("generated/g01_many_row_groups.parquet").readRowGroup(0, columns: ["category"])
        guard case .utf8 = plain.columns[0] else {
            Issue.record("expected plain text, got \(plain.columns[0].dataType)")
            return
        }
        #expect(plain.columns[0].scalars == kept.columns[0].scalars)
    }
}
