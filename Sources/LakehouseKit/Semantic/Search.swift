import Catalog
import ColumnarCore
import OllamaClient
import SQLPlanner
import VectorIndex

/// One row found by ``Lakehouse/search(_:in:where:k:)``.
public struct SearchHit: Sendable {
    /// The row's id (the value of the dataset's id column).
    public var id: Scalar
    /// Cosine similarity of the query and the row's best chunk (1 is identical).
    public var score: Float
    /// The best-matching chunk of the row's text, and its number.
    public var chunk: String
    public var chunkNumber: Int
    /// Every column of the row.
    public var row: [String: Scalar]
}

/// Rows ranked by meaning: the hits, and the same as a batch (the dataset's columns, then
/// `score` and `chunk_text`) for printing or SQL.
public struct SearchResults: Sendable {
    public var dataset: String
    public var hits: [SearchHit]
    public var batch: RecordBatch
    /// How the filter was applied, when there was one.
    public var strategy: FilteredSearchStrategy?
}

/// The chunks nearest a query vector, best chunk per row.
struct RankedDocuments {
    var nodes: [Int]
    var scores: [Float]
    var strategy: FilteredSearchStrategy?
}

extension Lakehouse {
    /// Hybrid search: the `k` rows of `dataset` whose embedded text is nearest in meaning to
    /// `text`, among the rows meeting the SQL predicate `where` when given (`"city = 'Chicago'
    /// AND years >= 5"`). Each row counts once, by its best chunk.
    ///
    /// A selective predicate is answered by comparing the query with every passing row's vectors;
    /// a broad one by walking the HNSW graph with the predicate as a filter, so recall holds at
    /// any selectivity.
    ///
    /// - Throws: ``LakehouseError`` `.notEmbedded` (embed the dataset first), `.embedderMismatch`;
    ///   ``SQLError`` for a bad predicate (with its position); errors of the embedder.
    public func search(_ text: String, in dataset: String, where predicate: String? = nil, k: Int = 10) async throws -> SearchResults {
        let spec = try searchSpec(dataset)
        let vector = try await queryVector(text, spec: spec)
        return try search(vector: vector, in: dataset, where: predicate, k: k)
    }

    /// ``search(_:in:where:k:)`` with an already embedded query.
    public func search(vector: [Float], in dataset: String, where predicate: String? = nil, k: Int = 10) throws -> SearchResults {
        guard k > 0 else { throw LakehouseError(.invalidArgument, "k must be at least 1, not \(k)") }
        let spec = try searchSpec(dataset)
        let name = try catalog.dataset(dataset)?.name ?? dataset
        let ranked = try rank(vector: vector, spec: spec, dataset: name, where: predicate, k: k)
        let index = try vectorIndex(for: spec)
        // The rows themselves.
        var hits: [SearchHit] = []
        let rows: RecordBatch
        if !ranked.nodes.isEmpty {
            let ids = ranked.nodes.map { index.docIDs.scalar(at: $0) }
            let list = ids.map(sqlLiteral).joined(separator: ", ")
            let found = try sql("SELECT * FROM \(quotedIdentifier(name)) WHERE \(quotedIdentifier(spec.idColumn)) IN (\(list))").batch
            guard let idColumn = found.schema.fields.firstIndex(where: { $0.name.lowercased() == spec.idColumn.lowercased() }) else {
                throw LakehouseError(.invalidArgument, "dataset \(name) has no column \(spec.idColumn) any more: embed it again")
            }
            var rowOf: [String: Int] = [:]
            for row in 0..<found.count { rowOf[scalarKey(found.columns[idColumn].scalar(at: row))] = row }
            var order: [UInt32] = []
            for (node, score) in zip(ranked.nodes, ranked.scores) {
                // A row deleted since it was embedded has vectors but no row: skip it.
                guard let row = rowOf[index.docKeys[node]] else { continue }
                order.append(UInt32(row))
                var values: [String: Scalar] = [:]
                for (c, field) in found.schema.fields.enumerated() { values[field.name] = found.columns[c].scalar(at: row) }
                hits.append(SearchHit(id: index.docIDs.scalar(at: node), score: score, chunk: index.chunkTexts[node],
                                      chunkNumber: Int(index.chunkNumbers[node]), row: values))
            }
            let selection = SelectionVector(indices: ValueBuffer(order))
            var columns = try found.columns.map { try Kernels.take($0, selection) }
            columns.append(.float64(PrimitiveColumn(hits.map { Double($0.score) })))
            columns.append(.utf8(BinaryColumn(hits.map { Optional($0.chunk) })))
            rows = try RecordBatch(schema: Schema(found.schema.fields + [Field("score", .float64), Field("chunk_text", .utf8)]), columns: columns)
        } else {
            let schema = try catalog.table(name).snapshot().schema
            rows = try RecordBatch.empty(Schema(schema.fields + [Field("score", .float64), Field("chunk_text", .utf8)]))
        }
        return SearchResults(dataset: name, hits: hits, batch: rows, strategy: ranked.strategy)
    }

    func searchSpec(_ dataset: String) throws -> EmbeddingSpec {
        guard let spec = try embeddingSpec(dataset) else {
            throw LakehouseError(.notEmbedded, "dataset \(dataset) has no embeddings: run `lakehouse embed \(dataset) --column TEXT_COLUMN` (or ingest with --embed)")
        }
        guard spec.embedder == embedder.identity else {
            throw LakehouseError(.embedderMismatch, "dataset \(dataset) was embedded by \(spec.embedder); the lakehouse uses \(embedder.identity): search with that embedder (--embedder), or embed the dataset again")
        }
        return spec
    }

    func queryVector(_ text: String, spec: EmbeddingSpec) async throws -> [Float] {
        let vectors = try await embedder.embed([text])
        guard let vector = vectors.first, vector.count == spec.embedder.dimension else {
            throw LakehouseError(.embedderMismatch, "the embedder returned no \(spec.embedder.dimension)-d vector for the query")
        }
        return vector
    }

    /// The nearest chunks, one per row, best first.
    func rank(vector: [Float], spec: EmbeddingSpec, dataset: String, where predicate: String?, k: Int) throws -> RankedDocuments {
        let index = try vectorIndex(for: spec)
        guard index.count > 0 else { return RankedDocuments(nodes: [], scores: []) }
        var filter: VectorFilter?
        if let predicate {
            let passing = try sql("SELECT \(quotedIdentifier(spec.idColumn)) FROM \(quotedIdentifier(dataset)) WHERE \(predicate)").batch
            var keys = Set<String>()
            for row in 0..<passing.count { keys.insert(scalarKey(passing.columns[0].scalar(at: row))) }
            filter = VectorFilter(count: index.count) { keys.contains(index.docKeys[$0]) }
        }
        if let filter, filter.passingCount == 0 { return RankedDocuments(nodes: [], scores: [], strategy: .exactScan) }
        // Rows have several chunks: fetch more chunks until k distinct rows are found.
        var fetch = min(index.count, max(k * 3, 30))
        var strategy: FilteredSearchStrategy?
        while true {
            let neighbors: [Neighbor]
            if let graph = index.graph {
                neighbors = try graph.search(vector, k: fetch, ef: max(semantic.ef, fetch), filter: filter)
                if let filter { strategy = graph.plan(filter: filter, k: fetch, ef: max(semantic.ef, fetch)) }
            } else {
                neighbors = try index.exact!.search(vector, k: fetch, filter: filter)
                if filter != nil { strategy = .exactScan }
            }
            var seen = Set<String>()
            var nodes: [Int] = [], scores: [Float] = []
            for neighbor in neighbors where seen.insert(index.docKeys[neighbor.id]).inserted {
                nodes.append(neighbor.id)
                scores.append(VectorMetric.cosine.score(distance: neighbor.distance))
                if nodes.count == k { break }
            }
            let available = filter?.passingCount ?? index.count
            if nodes.count == k || neighbors.count < fetch || fetch >= available {
                return RankedDocuments(nodes: nodes, scores: scores, strategy: strategy)
            }
            fetch = min(available, fetch * 4)
        }
    }
}
