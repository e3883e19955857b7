import ColumnarCore
import Testing
import VectorIndex

@Suite("Exact search")
struct ExactIndexTests {
    @Test("matches a float64 brute force for every metric, on 1 and 2 threads", arguments: VectorMetric.allCases)
    func matchesReference(metric: VectorMetric) throws {
        var random = TestRandom(state: 42)
        let data = random.vectors(3000, dimension: 40)
        let queries = random.vectors(12, dimension: 40)
        let index = ExactIndex(vectors: try Vectors(data), metric: metric)
        for query in queries {
            let truth = bruteForce(data, query, k: 10, metric: metric)
            #expect(try index.search(query, k: 10, threads: 1).map(\.id) == truth)
            #expect(try index.search(query, k: 10, threads: 2).map(\.id) == truth)
        }
        let batch = try index.search(batch: try Vectors(queries), k: 10, threads: 2)
        #expect(batch.map { $0.map(\.id) } == queries.map { bruteForce(data, $0, k: 10, metric: metric) })
    }

    @Test("a filter restricts the answer to its rows; k above the passing count returns them all")
    func filtered() throws {
        var random = TestRandom(state: 5)
        let data = random.vectors(500, dimension: 16)
        let index = ExactIndex(vectors: try Vectors(data), metric: .l2)
        let filter = VectorFilter(count: 500) { $0 % 7 == 3 }
        #expect(filter.passingCount == 71)
        let query = random.vectors(1, dimension: 16)[0]
        let hits = try index.search(query, k: 5, filter: filter)
        #expect(hits.map(\.id) == bruteForce(data, query, k: 5, metric: .l2) { $0 % 7 == 3 })
        #expect(try index.search(query, k: 100, filter: filter).count == 71)
    }

    @Test("bad input is a typed error, not a crash")
    func errors() throws {
        let index = ExactIndex(vectors: try Vectors([[1, 2, 3]]), metric: .cosine)
        #expect(throws: VectorIndexError.self) { try index.search([1, 2], k: 1) }
        #expect(throws: VectorIndexError.self) { try index.search([1, 2, .nan], k: 1) }
        #expect(throws: VectorIndexError.self) { try index.search([1, 2, 3], k: 0) }
        #expect(throws: VectorIndexError.self) { try Vectors(dimension: 3, values: [1, 2, 3, 4]) }
        #expect(throws: VectorIndexError.self) { try Vectors([[1, 2], [1]]) }
        #expect(throws: VectorIndexError.self) { try Vectors(dimension: 1, values: [.infinity]) }
        do {
            _ = try index.search([1], k: 1)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .dimensionMismatch)
            #expect(error.message.contains("3-d"))
        }
    }

    @Test("a fixed_size_list column is used without copying, and a null row is refused")
    func fromColumn() throws {
        let column = FixedSizeListColumn(size: 2, values: ValueBuffer<Float>([1, 0, 0, 1, 1, 1]))
        let vectors = try Vectors(column: column)
        #expect(vectors.count == 3 && vectors[2] == [1, 1])
        let withNull = FixedSizeListColumn(size: 2, values: ValueBuffer<Float>([1, 0, 0, 1]), validity: Bitmap([true, false]))
        #expect(throws: VectorIndexError.self) { try Vectors(column: withNull) }
    }

    @Test("int8 and float16 search find the float32 neighbours after re-ranking", arguments: [QuantizedIndex.Encoding.int8, .float16])
    func quantized(encoding: QuantizedIndex.Encoding) throws {
        var random = TestRandom(state: 77)
        let data = random.clustered(2000, dimension: 64, centres: 40)
        let exact = ExactIndex(vectors: try Vectors(data), metric: .cosine)
        let small = try QuantizedIndex(vectors: try Vectors(data), encoding: encoding, metric: .cosine)
        var total = 0.0
        let queries = random.clustered(20, dimension: 64, centres: 40)
        for query in queries {
            let candidates = try small.search(query, k: 40)
            let reranked = try QuantizedIndex.rerank(candidates, query: query, vectors: exact, metric: .cosine).prefix(10)
            total += recall(Array(reranked), bruteForce(data, query, k: 10, metric: .cosine))
        }
        #expect(total / Double(queries.count) >= 0.99)
        #expect(throws: VectorIndexError.self) { try QuantizedIndex(vectors: try Vectors(data), encoding: encoding, metric: .l2) }
    }
}
