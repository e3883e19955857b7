import ColumnarCore
import Foundation
import ParquetKit
import Testing

/// Page pruning on a file with 325 tiny pages per column: the pruned read must return exactly
/// the full read's rows inside the kept ranges, keep every matching row, and skip most rows.
@Suite struct PagePruningTests {
    let reader: ParquetFileReader

    init() throws {
        reader = try ParquetFileReader(source: LocalFileByteSource(
            path: ParquetCorpus.root.appendingPathComponent("files/parquet-testing/data/alltypes_tiny_pages.parquet").path))
    }

    func ids(_ column: Column) -> [Int32] {
        (0..<column.count).compactMap { if case .int32(let v) = column.scalar(at: $0) { v } else { nil } }
    }

    @Test("a selective predicate reads a few pages, and every matching row is among them", arguments: [
        ParquetPredicate.compare("id", .equal, .int32(4321)),
        .and([.compare("id", .greaterOrEqual, .int32(100)), .compare("id", .less, .int32(160))]),
        .or([.compare("id", .less, .int32(5)), .compare("id", .greater, .int32(7290))]),
        .inList("id", [.int32(10), .int32(5000)]),
    ])
    func selective(predicate: ParquetPredicate) throws {
        let full = try reader.readRowGroup(0)
        let ranges = try #require(try reader.rowRanges(matching: predicate, rowGroup: 0))
        let pruned = try reader.readRowGroup(0, pruningPagesBy: predicate)
        let kept = ranges.flatMap { $0 }
        #expect(pruned.count == kept.count)
        #expect(pruned.count < full.count / 10, "pruning kept \(pruned.count) of \(full.count) rows")
        // Every column holds exactly the full read's rows at the kept positions.
        for (name, column) in zip(pruned.schema.fields.map(\.name), pruned.columns) {
            let reference = try #require(full.column(named: name))
            for (position, row) in kept.enumerated() where position % 7 == 0 {
                #expect(column.scalar(at: position) == reference.scalar(at: row), "\(name) row \(row)")
            }
        }
        // Every row that matches is kept (the filter itself is the engine's job).
        let allIDs = ids(full.column(named: "id")!)
        func matches(_ id: Int32, _ p: ParquetPredicate) -> Bool {
            switch p {
            case .compare(_, let op, .int32(let v)):
                switch op {
                case .equal: return id == v
                case .notEqual: return id != v
                case .less: return id < v
                case .lessOrEqual: return id <= v
                case .greater: return id > v
                case .greaterOrEqual: return id >= v
                }
            case .and(let parts): return parts.allSatisfy { matches(id, $0) }
            case .or(let parts): return parts.contains { matches(id, $0) }
            case .inList(_, let values): return values.contains { if case .int32(let v) = $0 { v == id } else { false } }
            default: return true
            }
        }
        let keptSet = Set(kept)
        for (row, id) in allIDs.enumerated() where matches(id, predicate) {
            #expect(keptSet.contains(row), "matching row \(row) (id \(id)) was pruned")
        }
    }
}
