import ColumnarCore
import ParquetKit
import TestSupport
import Testing
import VectorIndex

/// The shared MiniLM fixtures (`../shared/vectors`): 20,000 real all-MiniLM-L6-v2 embeddings,
/// their metadata, and 200 queries with exact and filtered top-10 ground truth computed in
/// float64 by the fixture's own script.
struct MiniLM: Sendable {
    struct Query: Sendable {
        var vector: [Float]
        var truth: [Int]            // doc ids, best first
        var tenthScore: Float       // gt_scores[9]
        var filterSQL: String
        var selectivity: Double
        var filteredTruth: [Int]
    }

    var corpus: Vectors
    var docIDs: [Int]
    var city: [String]
    var domain: [String]
    var years: [Int]
    var queries: [Query]

    static let directory = "../shared/vectors"
    static let shared: MiniLM = {
        do { return try MiniLM.load() } catch { fatalError("cannot read \(directory): \(error)") }
    }()

    static func read(_ file: String, _ columns: [String]) throws -> RecordBatch {
        let reader = try ParquetFileReader(source: try LocalFileByteSource(path: "\(directory)/\(file)"))
        let groups = try reader.readRowGroups(columns: columns)
        return try RecordBatch(schema: groups[0].schema,
                               columns: try (0..<columns.count).map { c in try Kernels.concatenate(groups.map { $0.columns[c] }) })
    }

    static func floats(_ column: Column, row: Int) -> [Float] {
        switch column {
        case .fixedSizeList(let list): return list.vector(at: row)
        default:
            guard case .list(let items) = column.scalar(at: row) else { return [] }
            return items.compactMap { if case .float32(let v) = $0 { v } else { nil } }
        }
    }

    static func ints(_ column: Column, row: Int) -> [Int] {
        guard case .list(let items) = column.scalar(at: row) else { return [] }
        return items.compactMap { if case .int64(let v) = $0 { Int(v) } else { nil } }
    }

    static func load() throws -> MiniLM {
        let corpus = try read("minilm_20k.parquet", ["doc_id", "vector"])
        let docIDs = (0..<corpus.count).map { row -> Int in if case .int64(let v) = corpus.columns[0].scalar(at: row) { Int(v) } else { -1 } }
        let meta = try read("minilm_20k_meta.parquet", ["doc_id", "domain", "city", "years_experience"])
        func text(_ c: Int, _ row: Int) -> String { if case .utf8(let s) = meta.columns[c].scalar(at: row) { s } else { "" } }
        let q = try read("minilm_queries.parquet", ["vector", "gt_ids", "gt_scores", "filter_sql", "filter_selectivity", "gt_filtered_ids"])
        var queries: [Query] = []
        for row in 0..<q.count {
            let scores = floats(q.columns[2], row: row)
            guard case .utf8(let filter) = q.columns[3].scalar(at: row), case .float64(let selectivity) = q.columns[4].scalar(at: row) else { continue }
            queries.append(Query(vector: floats(q.columns[0], row: row), truth: ints(q.columns[1], row: row), tenthScore: scores.last ?? .nan,
                                 filterSQL: filter, selectivity: selectivity, filteredTruth: ints(q.columns[5], row: row)))
        }
        return MiniLM(corpus: try Vectors(column: corpus.columns[1]), docIDs: docIDs,
                      city: (0..<meta.count).map { text(2, $0) }, domain: (0..<meta.count).map { text(1, $0) },
                      years: (0..<meta.count).map { row in if case .int32(let v) = meta.columns[3].scalar(at: row) { Int(v) } else { -1 } },
                      queries: queries)
    }

    /// The rows passing a fixture predicate: `city = 'X'`, `domain = 'X'` or
    /// `years_experience >= N` (the only three forms the fixture uses; anything else fails).
    func filter(_ sql: String) throws -> VectorFilter {
        let parts = sql.split(separator: " ", maxSplits: 2).map(String.init)
        guard parts.count == 3 else { throw VectorIndexError(.invalidArgument, "unexpected filter \(sql)") }
        let value = parts[2].trimmingCharacters(in: "'")
        switch (parts[0], parts[1]) {
        case ("city", "="): return VectorFilter(count: city.count) { city[$0] == value }
        case ("domain", "="): return VectorFilter(count: domain.count) { domain[$0] == value }
        case ("years_experience", ">="):
            guard let n = Int(value) else { break }
            return VectorFilter(count: years.count) { years[$0] >= n }
        default: break
        }
        throw VectorIndexError(.invalidArgument, "unexpected filter \(sql)")
    }

    /// Tie-tolerant hits (the fixture README's rule): a returned doc counts when its similarity
    /// is within 1e-5 of the 10th true neighbour's, or it is one of the true ten.
    func hits(_ found: [Neighbor], _ query: Query, metric: VectorMetric) -> Int {
        found.prefix(10).filter { neighbor in
            query.truth.contains(docIDs[neighbor.id]) || metric.score(distance: neighbor.distance) >= query.tenthScore - 1e-5
        }.count
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        return String(s)
    }
}

/// One graph over the 20,000 documents, shared by the tests that need it (built on 2 threads).
let miniLMGraph: HNSWIndex = {
    do {
        return try HNSWIndex.build(MiniLM.shared.corpus, metric: .innerProduct, configuration: HNSWConfiguration(m: 16, efConstruction: 100), threads: 2)
    } catch { fatalError("\(error)") }
}()

/// The shared graph, built (the first time) on a thread of its own: the build takes tens of seconds
/// in a debug build and must not hold a thread of the cooperative pool that other tests' timers need.
func sharedMiniLMGraph() async throws -> HNSWIndex {
    try await offCooperativePool {
        _ = MiniLM.shared
        return miniLMGraph
    }
}

@Suite("MiniLM recall (shared/vectors)", .serialized)
struct MiniLMRecallTests {
    @Test("the fixtures load: 20,000 × 384 unit vectors, 200 queries with ten true neighbours each")
    func fixtures() throws {
        let data = MiniLM.shared
        #expect(data.corpus.count == 20_000 && data.corpus.dimension == 384)
        #expect(data.docIDs.first == 1 && data.docIDs.last == 20_000)
        #expect(data.queries.count == 200)
        #expect(data.queries.allSatisfy { $0.truth.count == 10 && $0.filteredTruth.count == 10 && $0.vector.count == 384 })
    }

    @Test("exact search returns the ground truth (ties within 1e-5 allowed), batched and single")
    func exact() throws {
        let data = MiniLM.shared
        let exact = ExactIndex(vectors: data.corpus, metric: .innerProduct)
        let batch = try exact.search(batch: try Vectors(data.queries.map(\.vector)), k: 10, threads: 2)
        var hits = 0, sameOrder = 0
        for (query, found) in zip(data.queries, batch) {
            hits += data.hits(found, query, metric: .innerProduct)
            if found.map({ data.docIDs[$0.id] }) == query.truth { sameOrder += 1 }
        }
        #expect(hits == 2000)
        #expect(sameOrder >= 193)     // the README: 7 queries have a near-tie at rank 10
        for query in data.queries.prefix(20) {
            #expect(data.hits(try exact.search(query.vector, k: 10), query, metric: .innerProduct) == 10)
        }
    }

    @Test("HNSW recall@10 ≥ 0.99 (M 16, ef 128)")
    func graph() async throws {
        let miniLMGraph = try await sharedMiniLMGraph()
        let data = MiniLM.shared
        var hits = 0
        for query in data.queries { hits += data.hits(try miniLMGraph.search(query.vector, k: 10, ef: 128), query, metric: .innerProduct) }
        let recall = Double(hits) / 2000
        #expect(recall >= 0.99, "recall@10 \(recall)")
    }

    @Test("filtered search recall@10 ≥ 0.99 in every selectivity bucket, under 2 % included")
    func filtered() async throws {
        let miniLMGraph = try await sharedMiniLMGraph()
        let data = MiniLM.shared
        var buckets: [String: (hits: Int, total: Int)] = [:]
        var strategies: [FilteredSearchStrategy: Int] = [:]
        for query in data.queries {
            let filter = try data.filter(query.filterSQL)
            #expect(abs(filter.selectivity - query.selectivity) < 1e-9, "\(query.filterSQL)")
            let found = try miniLMGraph.search(query.vector, k: 10, ef: 64, filter: filter)
            strategies[miniLMGraph.plan(filter: filter, k: 10, ef: 64), default: 0] += 1
            #expect(found.allSatisfy { filter.contains($0.id) })
            let hit = Set(found.map { data.docIDs[$0.id] }).intersection(query.filteredTruth).count
            let bucket = query.selectivity < 0.02 ? "< 2 %" : query.selectivity < 0.2 ? "2–20 %" : "≥ 20 %"
            buckets[bucket, default: (0, 0)].hits += hit
            buckets[bucket, default: (0, 0)].total += 10
        }
        #expect(buckets.count == 3)
        for (bucket, counts) in buckets {
            let recall = Double(counts.hits) / Double(counts.total)
            #expect(recall >= 0.99, "bucket \(bucket): recall@10 \(recall)")
        }
        // Both strategies are exercised by the fixture's filters.
        #expect(strategies[.exactScan, default: 0] > 0 && strategies[.graph, default: 0] > 0, "\(strategies)")
    }

    @Test("filtered graph search alone (no scan) keeps recall ≥ 0.99 where it is chosen, above 20 %")
    func filteredGraphOnly() async throws {
        let miniLMGraph = try await sharedMiniLMGraph()
        let data = MiniLM.shared
        var hits = 0, total = 0
        for query in data.queries where query.selectivity >= 0.2 {
            let filter = try data.filter(query.filterSQL)
            let found = try miniLMGraph.search(query.vector, k: 10, ef: 64, filter: filter, strategy: .graph)
            hits += Set(found.map { data.docIDs[$0.id] }).intersection(query.filteredTruth).count
            total += 10
        }
        #expect(total > 0)
        #expect(Double(hits) / Double(total) >= 0.99)
    }
}
