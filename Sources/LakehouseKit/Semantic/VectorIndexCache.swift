import Catalog
import ColumnarCore
import OllamaClient
import SQLPlanner
import Synchronization
import VectorIndex

/// A dataset's chunk vectors ready to search: the graph (or, for few chunks, the exact index)
/// and what each node stands for.
struct CachedVectorIndex: @unchecked Sendable {
    /// The embeddings table version it was built from, and the rest of the fingerprint.
    var fingerprint: String
    var docIDs: Column
    var docKeys: [String]
    var chunkNumbers: [Int64]
    var chunkTexts: [String]
    var graph: HNSWIndex?
    var exact: ExactIndex?
    var count: Int { docKeys.count }
}

extension Lakehouse {
    /// The searchable index of `spec`'s vectors: from memory when the embeddings table has not
    /// changed, else from the graph file in the table's `_lakehouse/` folder when its fingerprint
    /// matches, else rebuilt from the Parquet vectors (and the file rewritten). The Parquet
    /// vectors are the truth; the file is a cache that may be deleted at any time.
    func vectorIndex(for spec: EmbeddingSpec) throws -> CachedVectorIndex {
        guard let info = try catalog.dataset(spec.table) else {
            throw LakehouseError(.notEmbedded, "the embeddings dataset \(spec.table) is missing: embed again")
        }
        let version = try catalog.table(info.name).snapshot().version
        let configuration = semantic.graph
        let prefix = "v\(version)|\(spec.embedder.id)|\(spec.embedder.dimension)|m\(configuration.m)|efc\(configuration.efConstruction)"
        if let cached = vectorIndexes.withLock({ $0[info.location] }), cached.fingerprint.hasPrefix(prefix + "|") {
            return cached
        }
        // What each row is, in scan order (no vectors: cheap).
        let rows = try sql("SELECT doc_id, chunk_no, chunk_text FROM \(quotedIdentifier(info.name))").batch
        var keys: [String] = [], numbers: [Int64] = [], texts: [String] = []
        keys.reserveCapacity(rows.count)
        var orderHash = contentHash("")
        var order = ""
        for row in 0..<rows.count {
            keys.append(scalarKey(rows.columns[0].scalar(at: row)))
            if case .int64(let n) = rows.columns[1].scalar(at: row) { numbers.append(n) } else { numbers.append(0) }
            if case .utf8(let t) = rows.columns[2].scalar(at: row) { texts.append(t) } else { texts.append("") }
            order += keys[row] + "#\(numbers[row])\n"
            if order.utf8.count > 1 << 16 {
                orderHash = contentHash(orderHash + order)
                order = ""
            }
        }
        orderHash = contentHash(orderHash + order)
        let fingerprint = prefix + "|" + orderHash
        var index = CachedVectorIndex(fingerprint: fingerprint, docIDs: rows.columns[0], docKeys: keys, chunkNumbers: numbers, chunkTexts: texts)
        let fileKey = try ObjectKey(info.location + "/_lakehouse/hnsw.lkhnsw")
        if rows.count >= semantic.graphThreshold {
            if let bytes = try? store.get(fileKey), let graph = try? HNSWIndex(serialized: bytes),
               graph.fingerprint == fingerprint, graph.count == rows.count {
                index.graph = graph
            } else {
                let vectors = try readVectors(info.name, dimension: spec.embedder.dimension, rows: rows.count)
                let graph = try HNSWIndex.build(vectors, metric: .cosine, configuration: configuration, fingerprint: fingerprint)
                // A cache: failing to write it only costs a rebuild next time.
                try? store.put(fileKey, graph.serialized())
                index.graph = graph
            }
        } else {
            let vectors = try readVectors(info.name, dimension: spec.embedder.dimension, rows: rows.count)
            index.exact = ExactIndex(vectors: vectors, metric: .cosine)
        }
        let built = index
        vectorIndexes.withLock { $0[info.location] = built }
        return built
    }

    private func readVectors(_ table: String, dimension: Int, rows: Int) throws -> Vectors {
        let batch = try sql("SELECT vector FROM \(quotedIdentifier(table))").batch
        guard batch.count == rows else {
            throw LakehouseError(.invalidArgument, "\(table) changed while its index was built (\(batch.count) rows, then \(rows)); try again")
        }
        if batch.count == 0 { return try Vectors(dimension: dimension, values: []) }
        let vectors = try Vectors(column: batch.columns[0])
        guard vectors.dimension == dimension else {
            throw LakehouseError(.embedderMismatch, "\(table) holds \(vectors.dimension)-d vectors, its settings say \(dimension)-d: embed again")
        }
        return vectors
    }
}
