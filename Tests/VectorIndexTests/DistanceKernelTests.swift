import Testing
import VectorIndex

@Suite("Distance kernels")
struct DistanceKernelTests {
    // Lengths around the SIMD block sizes (16, 32) and the embedding sizes.
    static let lengths = [1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 100, 384, 768, 1001]

    @Test("float32 dot and squared L2: SIMD and scalar bodies agree with float64", arguments: lengths)
    func float32(length: Int) {
        var random = TestRandom(state: 0x1234 &+ UInt64(length))
        let a = (0..<length).map { _ in random.unit() }, b = (0..<length).map { _ in random.unit() }
        let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let l2 = zip(a, b).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }
        let tolerance = 1e-5 * Double(length).squareRoot() + 1e-6
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                let x = pa.baseAddress!, y = pb.baseAddress!
                #expect(abs(Double(DistanceKernels.dotSIMD(x, y, count: length)) - dot) < tolerance)
                #expect(abs(Double(DistanceKernels.dotScalar(x, y, count: length)) - dot) < tolerance)
                #expect(abs(Double(DistanceKernels.dot(x, y, count: length)) - dot) < tolerance)
                #expect(abs(Double(DistanceKernels.squaredL2SIMD(x, y, count: length)) - l2) < tolerance * 4)
                #expect(abs(Double(DistanceKernels.squaredL2Scalar(x, y, count: length)) - l2) < tolerance * 4)
            }
        }
    }

    @Test("int8 dot is exact, including −128 and the tails", arguments: lengths)
    func int8(length: Int) {
        var random = TestRandom(state: 99 &+ UInt64(length))
        var a = (0..<length).map { _ in Int8(truncatingIfNeeded: random.next()) }
        let b = (0..<length).map { _ in Int8(truncatingIfNeeded: random.next()) }
        a[0] = -128
        let expected = zip(a, b).reduce(Int32(0)) { $0 + Int32($1.0) * Int32($1.1) }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                #expect(DistanceKernels.dotInt8SIMD(pa.baseAddress!, pb.baseAddress!, count: length) == expected)
                #expect(DistanceKernels.dotInt8Scalar(pa.baseAddress!, pb.baseAddress!, count: length) == expected)
                #expect(DistanceKernels.dot(pa.baseAddress!, pb.baseAddress!, count: length) == expected)
            }
        }
    }

    @Test("float16 × float32 dot matches float64 over the half values", arguments: lengths)
    func float16(length: Int) {
        var random = TestRandom(state: 7 &+ UInt64(length))
        let a = (0..<length).map { _ in Float16(random.unit()) }, b = (0..<length).map { _ in random.unit() }
        let expected = zip(a, b).reduce(0.0) { $0 + Double(Float($1.0)) * Double($1.1) }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                #expect(abs(Double(DistanceKernels.dotFloat16SIMD(pa.baseAddress!, pb.baseAddress!, count: length)) - expected) < 1e-4)
                #expect(abs(Double(DistanceKernels.dot(pa.baseAddress!, pb.baseAddress!, count: length)) - expected) < 1e-4)
            }
        }
    }

    @Test("metric distances and scores by hand")
    func metrics() throws {
        let exact = ExactIndex(vectors: try Vectors([[3, 4], [1, 0]]), metric: .cosine)
        let hits = try exact.search([6, 8], k: 2)
        #expect(hits.map(\.id) == [0, 1])
        #expect(abs(hits[0].distance) < 1e-6)                          // same direction
        #expect(abs(VectorMetric.cosine.score(distance: hits[1].distance) - 0.6) < 1e-6)   // cos = 3/5
        let l2 = try ExactIndex(vectors: try Vectors([[3, 4], [1, 0]]), metric: .l2).search([0, 0], k: 2)
        #expect(l2.map(\.id) == [1, 0])
        #expect(l2.map(\.distance) == [1, 25])
        let ip = try ExactIndex(vectors: try Vectors([[3, 4], [1, 0]]), metric: .innerProduct).search([1, 1], k: 1)
        #expect(ip.map(\.id) == [0] && VectorMetric.innerProduct.score(distance: ip[0].distance) == 7)
    }
}
