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
        // What each row is (no vectors: cheap), in a canonical order — by doc_id key, then chunk
        // number — so the node ids of a saved graph mean the same rows however the scan's
        // parallel pieces came back.
        let rows = try sql("SELECT doc_id, chunk_no, chunk_text FROM \(quotedIdentifier(info.name))").batch
        let (scanKeys, scanNumbers) = Self.rowKeys(rows)
        let order = Self.canonicalOrder(scanKeys, scanNumbers)
        let keys = order.map { scanKeys[$0] }, numbers = order.map { scanNumbers[$0] }
        let texts = order.map { row -> String in if case .utf8(let t) = rows.columns[2].scalar(at: row) { t } else { "" } }
        let docIDs = try Kernels.take(rows.columns[0], SelectionVector(indices: ValueBuffer(order.map { UInt32($0) })))
        var orderHash = contentHash("")
        var pending = ""
        for (key, number) in zip(keys, numbers) {
            pending += key + "#\(number)\n"
            if pending.utf8.count > 1 << 16 {
                orderHash = contentHash(orderHash + pending)
                pending = ""
            }
        }
        orderHash = contentHash(orderHash + pending)
        let fingerprint = prefix + "|" + orderHash
        var index = CachedVectorIndex(fingerprint: fingerprint, docIDs: docIDs, docKeys: keys, chunkNumbers: numbers, chunkTexts: texts)
        let fileKey = try ObjectKey(info.location + "/_lakehouse/hnsw.lkhnsw")
        if rows.count >= semantic.graphThreshold {
            if let bytes = try? store.get(fileKey), let graph = try? HNSWIndex(serialized: bytes),
               graph.fingerprint == fingerprint, graph.count == rows.count {
                index.graph = graph
            } else {
                let vectors = try readVectors(info.name, dimension: spec.embedder.dimension, keys: keys, numbers: numbers)
                let graph = try HNSWIndex.build(vectors, metric: .cosine, configuration: configuration, fingerprint: fingerprint)
                // A cache: failing to write it only costs a rebuild next time.
                try? store.put(fileKey, graph.serialized())
                index.graph = graph
            }
        } else {
            let vectors = try readVectors(info.name, dimension: spec.embedder.dimension, keys: keys, numbers: numbers)
            index.exact = ExactIndex(vectors: vectors, metric: .cosine)
        }
        let built = index
        vectorIndexes.withLock { $0[info.location] = built }
        return built
    }

    /// The vectors in the canonical order of `keys`/`numbers` (checked row by row).
    private func readVectors(_ table: String, dimension: Int, keys: [String], numbers: [Int64]) throws -> Vectors {
        let batch = try sql("SELECT doc_id, chunk_no, vector FROM \(quotedIdentifier(table))").batch
        guard batch.count == keys.count else {
            throw LakehouseError(.invalidArgument, "\(table) changed while its index was built (\(batch.count) rows, then \(keys.count)); try again")
        }
        if batch.count == 0 { return try Vectors(dimension: dimension, values: []) }
        let scanned = try Vectors(column: batch.columns[2])
        guard scanned.dimension == dimension else {
            throw LakehouseError(.embedderMismatch, "\(table) holds \(scanned.dimension)-d vectors, its settings say \(dimension)-d: embed again")
        }
        let (scanKeys, scanNumbers) = Self.rowKeys(batch)
        let order = Self.canonicalOrder(scanKeys, scanNumbers)
        var values = [Float](repeating: 0, count: order.count * dimension)
        try scanned.values.withUnsafeBufferPointer { source in
            try values.withUnsafeMutableBufferPointer { target in
                for (position, row) in order.enumerated() {
                    guard scanKeys[row] == keys[position], scanNumbers[row] == numbers[position] else {
                        throw LakehouseError(.invalidArgument, "\(table) changed while its index was built; try again")
                    }
                    (target.baseAddress! + position * dimension).update(from: source.baseAddress! + row * dimension, count: dimension)
                }
            }
        }
        return try Vectors(dimension: dimension, values: values)
    }

    /// Each row's doc_id key and chunk number (columns 0 and 1).
    static func rowKeys(_ batch: RecordBatch) -> ([String], [Int64]) {
        var keys: [String] = [], numbers: [Int64] = []
        keys.reserveCapacity(batch.count)
        numbers.reserveCapacity(batch.count)
        for row in 0..<batch.count {
            keys.append(scalarKey(batch.columns[0].scalar(at: row)))
            if case .int64(let n) = batch.columns[1].scalar(at: row) { numbers.append(n) } else { numbers.append(0) }
        }
        return (keys, numbers)
    }

    /// Row positions sorted by (key, chunk number).
    static func canonicalOrder(_ keys: [String], _ numbers: [Int64]) -> [Int] {
        (0..<keys.count).sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && numbers[$0] < numbers[$1]) }
    }
}
