import Foundation
import LakehouseKit
import Testing

@Suite("Chunking a dataset's text") struct ChunkTests {
    @Test("lake.chunk stores (doc_id, chunk_no, text) rows with the id's type, replacing earlier chunks")
    func chunksADataset() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chunk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let csv = folder + "/notes.csv"
        try "id,note\n7,\"Ada writes Swift. She ships on Fridays. Bo reviews.\"\n9,Short.\n11,\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let lake = try Lakehouse.open(at: folder + "/lake")
        try lake.ingest(csv, into: "notes")

        let count = try lake.chunk("notes", textColumn: "note", idColumn: "id", into: "note_chunks", chunker: TextChunker(size: 40, overlap: 10))
        #expect(count == 3)   // two chunks for id 7, one for id 9, none for the null note of id 11
        struct Chunk: Decodable, Equatable { let doc_id: Int64; let chunk_no: Int; let text: String }
        let rows = try lake.sql("SELECT doc_id, chunk_no, text FROM note_chunks ORDER BY doc_id, chunk_no").decode(Chunk.self)
        #expect(rows == [
            Chunk(doc_id: 7, chunk_no: 0, text: "Ada writes Swift. She ships on Fridays."),
            Chunk(doc_id: 7, chunk_no: 1, text: "Fridays. Bo reviews."),
            Chunk(doc_id: 9, chunk_no: 0, text: "Short."),
        ])
        let described = try lake.describe("note_chunks")
        #expect(described.schema.fields.map(\.dataType) == [.int64, .int64, .utf8])
        #expect(described.info.primaryKey == ["doc_id", "chunk_no"])
        let first = described.version

        // Chunking again with other sizes replaces the rows (a new version of the same table).
        let again = try lake.chunk("notes", textColumn: "note", idColumn: "id", into: "note_chunks", chunker: TextChunker(size: 1000, overlap: 0))
        #expect(again == 2)
        #expect(try lake.sql("SELECT count(*) AS n FROM note_chunks").batch.columns[0].scalar(at: 0) == .int64(2))
        #expect(try lake.describe("note_chunks").version == first + 1)   // one overwrite commit
    }
}
