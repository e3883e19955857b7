import ColumnarCore
import Foundation
import ParquetKit
import Testing

/// Pruning against expectations computed from the golden rows of a 40-row-group file: a group
/// may match exactly when its rows' [min, max] range (or null presence) allows it.
@Suite struct RowGroupPruningTests {
    let file = "generated/g01_many_row_groups.parquet"

    func goldenGroups() throws -> [[[String: Any]]] {
        let lines = try String(contentsOf: ParquetCorpus.root.appendingPathComponent("generated/expected/g01_many_row_groups.parquet.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        let rows = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        return stride(from: 0, to: rows.count, by: 250).map { Array(rows[$0..<min($0 + 250, rows.count)]) }
    }

    func expected(_ groups: [[[String: Any]]], _ test: ([[String: Any]]) -> Bool) -> [Int] {
        groups.indices.filter { test(groups[$0]) }
    }

    @Test("range, equality, IN, AND, OR and IS NULL predicates keep exactly the groups their statistics allow")
    func pruning() throws {
        let reader = try ParquetFileReader(source: LocalFileByteSource(path: ParquetCorpus.root.appendingPathComponent(file).path))
        #expect(reader.metadata.rowGroups.count == 40)
        let groups = try goldenGroups()
        func ids(_ rows: [[String: Any]]) -> [Int] { rows.compactMap { $0["id"] as? Int } }
        func categories(_ rows: [[String: Any]]) -> [String] { rows.compactMap { $0["category"] as? String } }

        #expect(try reader.rowGroups(matching: .compare("id", .greater, .int64(9000))) == expected(groups) { ids($0).max()! > 9000 })
        #expect(try reader.rowGroups(matching: .compare("id", .equal, .int64(1234))) == expected(groups) { ids($0).contains(1234) })
        #expect(try reader.rowGroups(matching: .inList("id", [.int64(10), .int64(5000)])) == expected(groups) { ids($0).contains(10) || ids($0).contains(5000) })
        #expect(try reader.rowGroups(matching: .or([.compare("id", .less, .int64(250)), .compare("id", .greaterOrEqual, .int64(9750))]))
                == expected(groups) { ids($0).min()! < 250 || ids($0).max()! >= 9750 })
        let red = ParquetPredicate.and([.compare("category", .equal, .utf8("red")), .compare("id", .less, .int64(500))])
        #expect(try reader.rowGroups(matching: red) == expected(groups) { rows in
            let c = categories(rows)
            return ids(rows).min()! < 500 && !c.isEmpty && c.min()! <= "red" && c.max()! >= "red"
        })
        #expect(try reader.rowGroups(matching: .isNull("flag")) == expected(groups) { rows in rows.contains { $0["flag"] is NSNull } })
        #expect(try reader.rowGroups(matching: .compare("id", .less, .int64(0))).isEmpty)
    }

    @Test("an unknown column is an invalid argument")
    func unknownColumn() throws {
        let reader = try ParquetFileReader(source: LocalFileByteSource(path: ParquetCorpus.root.appendingPathComponent(file).path))
        #expect(throws: ParquetError.self) { try reader.rowGroups(matching: .isNull("nope")) }
    }
}
