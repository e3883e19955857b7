import Dispatch
import Testing
import VectorIndex
#if canImport(Glibc)
import Glibc
#endif

@Suite("HNSW")
struct HNSWIndexTests {
    static let dimension = 32

    static func data(_ count: Int = 3000, seed: UInt64 = 11) -> [[Float]] {
        var random = TestRandom(state: seed)
        return random.clustered(count, dimension: dimension, centres: 60)
    }

    /// Points drawn from the same clusters as ``data(_:seed:)`` (its stream continued past the
    /// largest data set), so queries land where the data is, as real queries do.
    static func queries(_ count: Int = 40) -> [[Float]] {
        var random = TestRandom(state: 11)
        return Array(random.clustered(3000 + count, dimension: dimension, centres: 60)[3000...])
    }

    func unitLength(_ v: [Float]) -> [Float] {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }

    func meanRecall(_ index: HNSWIndex, _ data: [[Float]], ef: Int, metric: VectorMetric,
                    allowed: ((Int) -> Bool)? = nil, filter: VectorFilter? = nil, strategy: FilteredSearchStrategy? = nil) throws -> Double {
        let queries = metric == .innerProduct ? Self.queries().map(unitLength) : Self.queries()
        var total = 0.0
        for query in queries {
            let found = try index.search(query, k: 10, ef: ef, filter: filter, strategy: strategy)
            if let allowed { #expect(found.allSatisfy { allowed($0.id) }) }
            total += recall(found, bruteForce(data, query, k: 10, metric: metric, allowed: allowed))
        }
        return total / Double(queries.count)
    }

    @Test("recall@10 ≥ 0.98 at ef 64 for every metric, built on 2 threads", arguments: VectorMetric.allCases)
    func recallPerMetric(metric: VectorMetric) throws {
        // Inner product is for unit vectors (as embedding models make them).
        let data = metric == .innerProduct ? Self.data().map(unitLength) : Self.data()
        let index = try HNSWIndex.build(try Vectors(data), metric: metric, configuration: HNSWConfiguration(m: 12, efConstruction: 100), threads: 2)
        #expect(index.count == 3000 && index.liveCount == 3000)
        let r = try meanRecall(index, data, ef: 64, metric: metric)
        #expect(r >= 0.98, "recall \(r)")
    }

    @Test("vectors added one at a time are found as well as a bulk build's")
    func incrementalAdd() throws {
        let data = Self.data(1500)
        let index = try HNSWIndex(dimension: Self.dimension, metric: .cosine, configuration: HNSWConfiguration(m: 12, efConstruction: 100), capacity: 4)
        for (i, vector) in data.enumerated() { #expect(try index.add(vector) == i) }
        #expect(try meanRecall(index, data, ef: 64, metric: .cosine) >= 0.98)
        #expect(throws: VectorIndexError.self) { try index.add([1, 2, 3]) }
    }

    @Test("deleted vectors never come back and the repaired graph keeps its recall")
    func deletes() throws {
        let data = Self.data()
        let index = try HNSWIndex.build(try Vectors(data), metric: .cosine, configuration: HNSWConfiguration(m: 12, efConstruction: 100), threads: 2)
        let gone = Set(stride(from: 0, to: 3000, by: 3))
        #expect(index.delete(gone) == 1000)
        #expect(index.delete(gone) == 0)                 // already deleted
        #expect(index.liveCount == 2000 && index.isDeleted(0) && !index.isDeleted(1))
        let r = try meanRecall(index, data, ef: 64, metric: .cosine, allowed: { !gone.contains($0) })
        #expect(r >= 0.97)
        // Deleting the entry point and almost everything else still answers.
        #expect(index.delete(0..<2999) == 1999)
        #expect(try index.search(Self.queries(1)[0], k: 3).map(\.id) == [2999])
    }

    @Test("a filtered search keeps its recall at every selectivity, by graph or by scan")
    func filtered() throws {
        let data = Self.data()
        let index = try HNSWIndex.build(try Vectors(data), metric: .cosine, configuration: HNSWConfiguration(m: 12, efConstruction: 100), threads: 2)
        for modulus in [2, 5, 20, 100] {
            let filter = VectorFilter(count: 3000) { $0 % modulus == 1 }
            let allowed: (Int) -> Bool = { $0 % modulus == 1 }
            #expect(try meanRecall(index, data, ef: 64, metric: .cosine, allowed: allowed, filter: filter) >= 0.98)
            #expect(try meanRecall(index, data, ef: 64, metric: .cosine, allowed: allowed, filter: filter, strategy: .exactScan) == 1)
        }
        // The cost model: 1 % of 3000 rows is cheaper to scan; 50 % cheaper to walk.
        #expect(index.plan(filter: VectorFilter(count: 3000) { $0 % 100 == 0 }, k: 10, ef: 64) == .exactScan)
        let large = try HNSWIndex.build(try Vectors(Self.data(20_000, seed: 3)), metric: .cosine,
                                        configuration: HNSWConfiguration(m: 8, efConstruction: 16), threads: 2)
        #expect(large.plan(filter: VectorFilter(count: 20_000) { $0 % 2 == 0 }, k: 10, ef: 16) == .graph)
        #expect(large.plan(filter: VectorFilter(count: 20_000) { $0 % 50 == 0 }, k: 10, ef: 16) == .exactScan)
        // An empty filter is an empty answer.
        #expect(try index.search(Self.queries(1)[0], k: 10, filter: VectorFilter(count: 3000) { _ in false }).isEmpty)
    }

    @Test("saved and loaded, the index answers the same; damage is a typed error")
    func persistence() throws {
        let data = Self.data(1000)
        let index = try HNSWIndex.build(try Vectors(data), metric: .innerProduct, configuration: HNSWConfiguration(m: 8, efConstruction: 60),
                                        threads: 2, fingerprint: "table v3, builtin-hash-v1")
        index.delete([5, 6, 7])
        let path = "/tmp/lakehouse-hnsw-test-\(getpid()).lkhnsw"
        defer { unlink(path) }
        try index.save(toFile: path)
        let loaded = try HNSWIndex.load(fromFile: path)
        #expect(loaded.fingerprint == "table v3, builtin-hash-v1")
        #expect(loaded.count == 1000 && loaded.liveCount == 997 && loaded.metric == .innerProduct)
        #expect(loaded.configuration == index.configuration)
        for query in Self.queries(10) {
            #expect(try loaded.search(query, k: 10, ef: 40) == index.search(query, k: 10, ef: 40))
        }
        #expect(loaded.serialized() == index.serialized())
        // Adding after a load continues the graph.
        #expect(try loaded.add(data[0]) == 1000)

        var bytes = index.serialized()
        bytes[bytes.count / 2] ^= 0x40
        #expect { try HNSWIndex(serialized: bytes) } throws: { ($0 as? VectorIndexError)?.code == .corruptIndex }
        #expect { try HNSWIndex(serialized: Array(index.serialized().prefix(100))) } throws: { ($0 as? VectorIndexError)?.code == .corruptIndex }
        #expect { try HNSWIndex(serialized: Array("not an index".utf8)) } throws: { ($0 as? VectorIndexError)?.code == .corruptIndex }
        #expect { try HNSWIndex.load(fromFile: "/nonexistent/x.lkhnsw") } throws: { ($0 as? VectorIndexError)?.code == .io }
    }

    @Test("searches run while vectors are added and deleted on other threads")
    func concurrentUse() throws {
        let data = Self.data(2000)
        let index = try HNSWIndex.build(try Vectors(Array(data.prefix(1000))), metric: .cosine,
                                        configuration: HNSWConfiguration(m: 8, efConstruction: 40), threads: 2)
        let queries = Self.queries(20)
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            if worker == 0 {
                for vector in data[1000...] { _ = try? index.add(vector) }
                index.delete(Array(0..<100))
            } else {
                for round in 0..<50 { _ = try? index.search(queries[round % 20], k: 5) }
            }
        }
        #expect(index.count == 2000 && index.liveCount == 1900)
        #expect(try meanRecall(index, data, ef: 64, metric: .cosine, allowed: { $0 >= 100 }) >= 0.97)
    }

    @Test("invalid configurations and queries are typed errors")
    func errors() throws {
        #expect(throws: VectorIndexError.self) { try HNSWIndex(dimension: 0) }
        #expect(throws: VectorIndexError.self) { try HNSWIndex(dimension: 4, configuration: HNSWConfiguration(m: 1)) }
        let empty = try HNSWIndex(dimension: 4)
        #expect(try empty.search([1, 0, 0, 0], k: 3).isEmpty)
        #expect(throws: VectorIndexError.self) { try empty.search([1, 0, 0], k: 3) }
        #expect(throws: VectorIndexError.self) { try empty.search([1, 0, 0, 0], k: 0) }
        #expect(throws: VectorIndexError.self) { try empty.vector(0) }
    }
}
