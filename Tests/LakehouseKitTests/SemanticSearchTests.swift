import Catalog
import ColumnarCore
import Foundation
import LakehouseKit
import OllamaClient
import Testing
import VectorIndex

/// A lakehouse in a fresh folder with `TestData/semantic/candidates.csv` ingested and its `bio`
/// column embedded by the built-in embedder.
struct CandidateLake {
    let folder: String
    let lake: Lakehouse

    static let csv = "TestData/semantic/candidates.csv"

    init(semantic: SemanticOptions = SemanticOptions(), embedder: any Embedder = BuiltinEmbedder(), ollama: OllamaClient? = nil) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("semantic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        lake = try Lakehouse.open(at: folder + "/lake", embedder: embedder, ollama: ollama, semantic: semantic)
        let (ingested, embedded) = try await lake.ingest(Self.csv, into: "candidates", embed: ["bio"])
        #expect(ingested.rows == 20)
        #expect(embedded.embeddedRows == 20 && embedded.keptRows == 0 && embedded.table == "candidates__embeddings")
    }

    func reopen(semantic: SemanticOptions = SemanticOptions(), embedder: any Embedder = BuiltinEmbedder()) throws -> Lakehouse {
        try Lakehouse.open(at: folder + "/lake", embedder: embedder, semantic: semantic)
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}

func ids(_ results: SearchResults) -> [Int64] {
    results.hits.map { if case .int64(let v) = $0.id { v } else { -1 } }
}

@Suite("Semantic and hybrid search")
struct SemanticSearchTests {
    // Hand-labelled from the CSV: the three bios about moving services onto Kubernetes.
    static let kubernetesPeople: Set<Int64> = [3, 8, 15]

    @Test("the Kubernetes people rank first for a Kubernetes migration, with their rows and chunks")
    func ranksByMeaning() async throws {
        let fixture = try await CandidateLake()
        defer { fixture.remove() }
        let results = try await fixture.lake.search("who could handle our Kubernetes migration", in: "candidates", k: 5)
        #expect(results.hits.count == 5)
        #expect(Set(ids(results).prefix(3)) == Self.kubernetesPeople)
        #expect(results.hits.map(\.score) == results.hits.map(\.score).sorted(by: >))
        let first = try #require(results.hits.first)
        #expect(first.row["name"] != nil && first.chunk.contains("Kubernetes"))
        // The batch: the dataset's columns, then score and chunk_text, in rank order.
        #expect(results.batch.schema.fields.map(\.name) == ["id", "name", "city", "years", "title", "bio", "score", "chunk_text"])
        #expect(results.batch.count == 5)
        #expect(results.batch.columns[0].scalar(at: 0) == first.id)
    }

    @Test("a SQL predicate restricts the rows: Java developers in Chicago")
    func hybrid() async throws {
        let fixture = try await CandidateLake()
        defer { fixture.remove() }
        let results = try await fixture.lake.search("Java developer", in: "candidates", where: "city = 'Chicago'", k: 3)
        #expect(results.hits.allSatisfy { $0.row["city"] == .utf8("Chicago") })
        #expect(ids(results).first == 5)          // the only Java developer in Chicago
        #expect(results.strategy == .exactScan)
        // Without the filter the Denver Java developer (11) is among the top two.
        #expect(ids(try await fixture.lake.search("Java developer", in: "candidates", k: 2)).contains(11))
        // A predicate nothing meets, and a bad one (an SQL error with its position).
        #expect(try await fixture.lake.search("Java", in: "candidates", where: "years > 100", k: 3).hits.isEmpty)
        await #expect(throws: SQLError.self) { try await fixture.lake.search("Java", in: "candidates", where: "cty = 'x'", k: 3) }
    }

    @Test("vector_search is a table function that joins with the dataset")
    func sqlTableFunction() async throws {
        let fixture = try await CandidateLake()
        defer { fixture.remove() }
        let direct = try await fixture.lake.search("Kubernetes migration", in: "candidates", k: 4)
        let rows = try fixture.lake.sql("""
            SELECT c.name, v.score, v.rank FROM vector_search('candidates', 'Kubernetes migration', 4) v
            JOIN candidates c ON c.id = v.doc_id ORDER BY v.rank
            """).batch
        #expect(rows.count == 4)
        #expect((0..<4).map { rows.columns[0].scalar(at: $0) } == direct.hits.map { $0.row["name"]! })
        let filtered = try fixture.lake.sql("SELECT doc_id FROM vector_search('candidates', 'Java developer', 2, 'city = ''Chicago''')").batch
        #expect(filtered.columns[0].scalar(at: 0) == .int64(5))
        #expect(throws: SQLError.self) { try fixture.lake.sql("SELECT * FROM vector_search('candidates', 3)") }
        #expect(throws: SQLError.self) { try fixture.lake.sql("SELECT * FROM vector_search('nope', 'x', 3)") }
    }

    @Test("embedding again only embeds new and changed rows and drops removed ones")
    func incremental() async throws {
        let fixture = try await CandidateLake()
        defer { fixture.remove() }
        let lake = fixture.lake
        let unchanged = try await lake.embed("candidates")
        #expect(unchanged.embeddedRows == 0 && unchanged.keptRows == 20)
        let version = unchanged.version
        // Change one bio, drop one row, add one: rewrite the dataset keeping its settings.
        let info = try #require(try lake.catalog.dataset("candidates"))
        try lake.sql("CREATE TABLE changed AS SELECT id, name, city, years, title, CASE WHEN id = 6 THEN 'Kubernetes operator and cluster migration expert' ELSE bio END AS bio FROM candidates WHERE id <> 20 UNION ALL SELECT 21, 'Uma Park', 'Austin', 4, 'Platform Engineer', 'Terraform and Kubernetes platform migrations'")
        let rows = try lake.sql("SELECT * FROM changed ORDER BY id").batch
        try lake.catalog.createDataset("candidates", rows: [rows], primaryKey: info.primaryKey, embedding: info.embedding, replace: true)
        let again = try await lake.embed("candidates")
        #expect(again.embeddedRows == 2)        // id 6 changed, id 21 new
        #expect(again.keptRows == 18 && again.removedRows == 1)
        #expect(again.version == version + 1)
        let count = try lake.sql("SELECT count(DISTINCT doc_id) FROM candidates__embeddings").batch.columns[0].scalar(at: 0)
        #expect(count == .int64(20))
        let results = try await lake.search("Kubernetes cluster migration", in: "candidates", k: 5)
        #expect(Set(ids(results)).isSuperset(of: [6, 21]))
        #expect(!ids(results).contains(20))
    }

    @Test("vectors from another embedder are refused, not mixed")
    func embedderMismatch() async throws {
        let fixture = try await CandidateLake()
        defer { fixture.remove() }
        let other = try fixture.reopen(embedder: BuiltinEmbedder(dimension: 128))
        await #expect { try await other.search("Kubernetes", in: "candidates") } throws: { ($0 as? LakehouseError)?.code == .embedderMismatch }
        await #expect { try await other.embed("candidates") } throws: { ($0 as? LakehouseError)?.code == .embedderMismatch }
        await #expect { try await other.search("x", in: "candidates__embeddings") } throws: { ($0 as? LakehouseError)?.code == .notEmbedded }
        await #expect { try await fixture.lake.embed("candidates", columns: ["nope"]) } throws: { ($0 as? LakehouseError)?.code == .invalidArgument }
    }

    @Test("the HNSW graph is cached next to the table, reused by a new process, and rebuilt when stale or damaged")
    func graphCache() async throws {
        var options = SemanticOptions()
        options.graphThreshold = 1          // use the graph even for 20 rows
        options.graph = HNSWConfiguration(m: 8, efConstruction: 40)
        let fixture = try await CandidateLake(semantic: options)
        defer { fixture.remove() }
        let first = try await fixture.lake.search("Kubernetes migration", in: "candidates", k: 3)
        #expect(Set(ids(first)) == Self.kubernetesPeople)
        let tables = fixture.folder + "/lake/tables"
        let folders = try FileManager.default.contentsOfDirectory(atPath: tables).filter { $0.hasPrefix("candidates__embeddings") }
        let file = tables + "/" + folders[0] + "/_lakehouse/hnsw.lkhnsw"
        let saved = try HNSWIndex.load(fromFile: file)
        #expect(saved.count == 20 && saved.fingerprint.hasPrefix("v"))
        let modified = try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date

        // A new lakehouse object reads the file instead of rebuilding (same answer, file untouched).
        let reopened = try fixture.reopen(semantic: options)
        #expect(ids(try await reopened.search("Kubernetes migration", in: "candidates", k: 3)) == ids(first))
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date == modified)

        // Damaged: rebuilt from the Parquet vectors and rewritten.
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: file))
        let repaired = try fixture.reopen(semantic: options)
        #expect(ids(try await repaired.search("Kubernetes migration", in: "candidates", k: 3)) == ids(first))
        #expect(try HNSWIndex.load(fromFile: file).count == 20)

        // Stale: new rows change the embeddings table, so the fingerprint no longer matches.
        try "id,name,city,years,title,bio\n30,Vic Stone,Austin,6,Cloud Engineer,\"Kubernetes migration lead for banking workloads\"\n"
            .write(toFile: fixture.folder + "/more.csv", atomically: true, encoding: .utf8)
        _ = try await repaired.ingest(fixture.folder + "/more.csv", into: "candidates", embed: ["bio"])
        #expect(try HNSWIndex.load(fromFile: file).count == 20)          // not rebuilt until searched
        #expect(ids(try await repaired.search("Kubernetes migration lead", in: "candidates", k: 4)).contains(30))
        #expect(try HNSWIndex.load(fromFile: file).count == 21)
    }
}
