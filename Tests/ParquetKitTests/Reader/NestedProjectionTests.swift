import ColumnarCore
import Foundation
import ParquetKit
import Testing

/// Projection by nested path: `a.b.c` reads the top-level field `a` pruned to the named
/// branches (as pyarrow's `columns=` does). Expected rows are the corpus's golden rows of
/// `nullable.impala.parquet` (written by pyarrow) with the other branches removed by hand.
@Suite struct NestedProjectionTests {
    static let file = "files/parquet-testing/data/nullable.impala.parquet"
    static let golden = "expected/parquet-testing/data/nullable.impala.parquet.jsonl"

    static func reader() throws -> ParquetFileReader {
        try ParquetFileReader(source: LocalFileByteSource(path: ParquetCorpus.root.appendingPathComponent(file).path))
    }

    static func goldenRows() throws -> [NSDictionary] {
        let text = try String(contentsOf: ParquetCorpus.root.appendingPathComponent(golden), encoding: .utf8)
        return try text.split(separator: "\n").map { try GoldenValueTests.parse(String($0)) }
    }

    /// Keeps `keys` of a JSON object (null stays null).
    static func keep(_ value: Any?, _ keys: [String], _ transform: [String: (Any) -> Any] = [:]) -> Any {
        guard let object = value as? NSDictionary else { return NSNull() }
        let result = NSMutableDictionary()
        for key in keys { result[key] = transform[key].map { $0(object[key] as Any) } ?? object[key] }
        return result
    }

    /// Applies `transform` to each element of a JSON array (null stays null).
    static func each(_ value: Any, _ transform: (Any) -> Any) -> Any {
        guard let array = value as? [Any] else { return NSNull() }
        return array.map(transform)
    }

    @Test("paths into a struct, through lists of lists of structs, read only the named branches")
    func prunedStruct() throws {
        let reader = try Self.reader()
        let paths = ["nested_struct.A", "nested_struct.C.d.list.element.list.element.F", "id"]
        let batch = try reader.readRowGroup(0, columns: paths)
        #expect(batch.schema.fields.map(\.name) == ["nested_struct", "id"], "one field per top-level name, in first-mention order")
        guard case .struct(let fields) = batch.schema.fields[0].dataType else {
            Issue.record("nested_struct is not a struct")
            return
        }
        #expect(fields.map(\.name) == ["A", "C"])
        let golden = try Self.goldenRows()
        #expect(batch.count == golden.count)
        for row in 0..<Swift.min(batch.count, golden.count) {
            let line = CanonicalJSON.row(batch, row, leaves: reader.leaves)
            let actual = try GoldenValueTests.parse(line)
            let source = golden[row]
            let onlyF: (Any) -> Any = { element in Self.keep(element, ["F"]) }
            let expected: NSDictionary = [
                "id": source["id"] as Any,
                "nested_struct": Self.keep(source["nested_struct"], ["A", "C"], [
                    "C": { c in Self.keep(c, ["d"], ["d": { d in Self.each(d) { inner in Self.each(inner, onlyF) } }]) },
                ]),
            ]
            #expect(actual == expected, "row \(row): \(line)")
        }
    }

    @Test("the same projection through the batch stream and through page pruning")
    func otherReadPaths() async throws {
        let reader = try Self.reader()
        let direct = try reader.readRowGroup(0, columns: ["nested_struct.A", "int_array"])
        var streamed: [RecordBatch] = []
        for try await batch in try reader.batches(columns: ["nested_struct.A", "int_array"]) { streamed.append(batch) }
        #expect(streamed.first?.schema == direct.schema)
        let rows = { (batch: RecordBatch) in (0..<batch.count).map { CanonicalJSON.row(batch, $0, leaves: reader.leaves) } }
        #expect(streamed.flatMap(rows) == rows(direct))
    }

    @Test("a path naming a missing field throws invalidArgument naming the field and its siblings")
    func missingField() throws {
        let reader = try Self.reader()
        let error = try #require(throws: ParquetError.self) { try reader.readRowGroup(0, columns: ["nested_struct.Z"]) }
        #expect(error.code == .invalidArgument)
        #expect(error.message.contains("no field Z in nested_struct"))
        #expect(error.message.contains("A, b, C, g"))
        let beyondLeaf = try #require(throws: ParquetError.self) { try reader.readRowGroup(0, columns: ["id.x"]) }
        #expect(beyondLeaf.code == .invalidArgument)
        let unknownRoot = try #require(throws: ParquetError.self) { try reader.readRowGroup(0, columns: ["nope.A"]) }
        #expect(unknownRoot.message.contains("no column nope.A"))
    }
}
