import ColumnarCore
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Brute-force search: every query is compared with every vector (or every vector a filter
/// passes), split across cores. The answer is exact, so it is the ground truth the graph index
/// is measured against and the plan for selective filters.
///
/// ```swift
/// let exact = try ExactIndex(vectors: vectors, metric: .cosine)
/// let top10 = try exact.search(query, k: 10)
/// ```
public struct ExactIndex: Sendable {
    public let metric: VectorMetric
    /// The vectors as searched (normalised for ``VectorMetric/cosine``).
    public let vectors: Vectors
    public var dimension: Int { vectors.dimension }
    public var count: Int { vectors.count }

    /// An index over `vectors`; for ``VectorMetric/cosine`` they are copied and normalised.
    public init(vectors: Vectors, metric: VectorMetric = .cosine) {
        self.metric = metric
        if metric == .cosine {
            let dimension = vectors.dimension
            let normalised = ValueBuffer<Float>(unsafeUninitializedCount: vectors.values.count) { target in
                vectors.values.withUnsafeBufferPointer { source in
                    if let base = source.baseAddress { target.baseAddress!.initialize(from: base, count: source.count) }
                }
                for row in 0..<(target.count / dimension) {
                    DistanceKernels.normalize(target.baseAddress! + row * dimension, count: dimension)
                }
            }
            self.vectors = try! Vectors(dimension: dimension, values: normalised)
        } else {
            self.vectors = vectors
        }
    }

    /// The `k` vectors closest to `query`, closest first (ties: smaller id first), among the rows
    /// `filter` passes when given.
    ///
    /// - Parameter threads: How many cores to use (default: all; small searches use one).
    /// - Throws: ``VectorIndexError`` `.dimensionMismatch`, or `.invalidArgument` for `k < 1`
    ///   or a query with NaN or infinite values.
    public func search(_ query: [Float], k: Int, filter: VectorFilter? = nil, threads: Int? = nil) throws(VectorIndexError) -> [Neighbor] {
        let prepared = try prepareQuery(query, dimension: dimension, metric: metric)
        guard k > 0 else { throw VectorIndexError(.invalidArgument, "k must be at least 1, not \(k)") }
        let metric = self.metric, dimension = self.dimension, count = self.count
        let rows = filter.map { $0.rows }
        let work = rows?.count ?? count
        // Below ~2M multiply-adds a second thread costs more than it saves.
        let parts = max(1, min(threads ?? processorCount, work * dimension / 2_000_000))
        var partial = [TopK](repeating: TopK(k: k), count: parts)
        vectors.values.withUnsafeBufferPointer { base in
            prepared.withUnsafeBufferPointer { q in
                let base = base.baseAddress!, q = q.baseAddress!
                partial.withUnsafeMutableBufferPointer { partial in
                    let partialBase = partial.baseAddress!
                    func run(_ part: Int) {
                        var top = TopK(k: k)
                        var threshold = Float.infinity
                        let start = work * part / parts, end = work * (part + 1) / parts
                        if let rows {
                            for i in start..<end {
                                let row = rows[i]
                                let d = metric.distance(base + row &* dimension, q, count: dimension)
                                if d <= threshold {
                                    top.insert(d, Int32(truncatingIfNeeded: row))
                                    threshold = top.threshold
                                }
                            }
                        } else if metric == .l2 {
                            for row in start..<end {
                                let d = DistanceKernels.squaredL2(base + row &* dimension, q, count: dimension)
                                if d <= threshold {
                                    top.insert(d, Int32(truncatingIfNeeded: row))
                                    threshold = top.threshold
                                }
                            }
                        } else {
                            for row in start..<end {
                                let d = 1 - DistanceKernels.dot(base + row &* dimension, q, count: dimension)
                                if d <= threshold {
                                    top.insert(d, Int32(truncatingIfNeeded: row))
                                    threshold = top.threshold
                                }
                            }
                        }
                        partialBase[part] = top
                    }
                    parallelFor(parts, run)
                }
            }
        }
        var top = partial[0]
        for part in partial.dropFirst() { top.merge(part) }
        return top.sorted()
    }

    /// The `k` nearest vectors of each query: queries are taken four at a time so each vector
    /// is read once per four queries, and the vectors are split across cores.
    public func search(batch queries: Vectors, k: Int, threads: Int? = nil) throws(VectorIndexError) -> [[Neighbor]] {
        guard queries.dimension == dimension else {
            throw VectorIndexError(.dimensionMismatch, "the queries have \(queries.dimension) values, the index holds \(dimension)-d vectors")
        }
        guard k > 0 else { throw VectorIndexError(.invalidArgument, "k must be at least 1, not \(k)") }
        var prepared = [Float](queries.values)
        if metric == .cosine {
            prepared.withUnsafeMutableBufferPointer { buffer in
                for row in 0..<queries.count { DistanceKernels.normalize(buffer.baseAddress! + row * queries.dimension, count: queries.dimension) }
            }
        }
        let nq = queries.count, count = self.count, dimension = self.dimension, metric = self.metric
        let parts = max(1, min(threads ?? processorCount, count * dimension * nq / 2_000_000))
        // partial[part * nq + query]
        var partial = [TopK](repeating: TopK(k: k), count: parts * nq)
        vectors.values.withUnsafeBufferPointer { base in
            prepared.withUnsafeBufferPointer { qs in
                partial.withUnsafeMutableBufferPointer { partial in
                    let base = base.baseAddress!, qs = qs.baseAddress!, out = partial.baseAddress!
                    let pairs = BatchKernel.pairsFaster
                    func run(_ part: Int) {
                        let start = count * part / parts, end = count * (part + 1) / parts
                        var tops = [TopK](repeating: TopK(k: k), count: nq)
                        // Rows in blocks that stay in cache while every query passes over them.
                        let block = max(1, 262_144 / (dimension * 4))
                        var blockStart = start
                        while blockStart < end {
                            let blockEnd = min(end, blockStart + block)
                            var q = 0
                            while q < nq {
                                if metric != .l2, q + 4 <= nq {
                                    let q0 = qs + q * dimension, q1 = q0 + dimension, q2 = q1 + dimension, q3 = q2 + dimension
                                    var row = blockStart
                                    while pairs, row &+ 2 <= blockEnd {
                                        let (first, second) = DistanceKernels.dot2x4(base + row &* dimension, base + (row &+ 1) &* dimension,
                                                                                     q0, q1, q2, q3, count: dimension)
                                        let id = Int32(truncatingIfNeeded: row)
                                        for j in 0..<4 {
                                            let d = 1 - first[j]
                                            if d <= tops[q + j].threshold { tops[q + j].insert(d, id) }
                                        }
                                        for j in 0..<4 {
                                            let d = 1 - second[j]
                                            if d <= tops[q + j].threshold { tops[q + j].insert(d, id &+ 1) }
                                        }
                                        row &+= 2
                                    }
                                    while row < blockEnd {
                                        let dots = DistanceKernels.dot4(base + row &* dimension, q0, q1, q2, q3, count: dimension)
                                        let id = Int32(truncatingIfNeeded: row)
                                        for j in 0..<4 {
                                            let d = 1 - dots[j]
                                            if d <= tops[q + j].threshold { tops[q + j].insert(d, id) }
                                        }
                                        row &+= 1
                                    }
                                    q += 4
                                } else {
                                    let query = qs + q * dimension
                                    for row in blockStart..<blockEnd {
                                        let d = metric.distance(base + row &* dimension, query, count: dimension)
                                        if d <= tops[q].threshold { tops[q].insert(d, Int32(truncatingIfNeeded: row)) }
                                    }
                                    q += 1
                                }
                            }
                            blockStart = blockEnd
                        }
                        for query in 0..<nq { out[part * nq + query] = tops[query] }
                    }
                    parallelFor(parts, run)
                }
            }
        }
        return (0..<nq).map { query in
            var top = partial[query]
            for part in 1..<parts { top.merge(partial[part * nq + query]) }
            return top.sorted()
        }
    }
}

/// A query checked and, for cosine, normalised.
func prepareQuery(_ query: [Float], dimension: Int, metric: VectorMetric) throws(VectorIndexError) -> [Float] {
    guard query.count == dimension else {
        throw VectorIndexError(.dimensionMismatch, "the query has \(query.count) values, the index holds \(dimension)-d vectors")
    }
    if let bad = query.firstIndex(where: { !$0.isFinite }) {
        throw VectorIndexError(.invalidArgument, "the query holds a NaN or infinite value at position \(bad)")
    }
    guard metric == .cosine else { return query }
    var normalised = query
    normalised.withUnsafeMutableBufferPointer { DistanceKernels.normalize($0.baseAddress!, count: dimension) }
    return normalised
}

/// The number of cores online.
var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

/// Runs `body(0)`, …, `body(iterations − 1)` on the cores, returning when all are done. The
/// callers' bodies write only to disjoint parts of shared buffers.
func parallelFor(_ iterations: Int, _ body: (Int) -> Void) {
    if iterations <= 1 {
        if iterations == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let box = UnsafeSendable(body)
        DispatchQueue.concurrentPerform(iterations: iterations) { box.value($0) }
    }
}

/// A value handed to `concurrentPerform` workers that each touch a disjoint part of it.
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Which inner kernel batched exact search uses: two rows by four queries (``DistanceKernels/dot2x4``)
/// or one row by four (``DistanceKernels/dot4``). The pair kernel needs sixteen vector
/// accumulators' worth of registers: built for AVX2 it is about 20% faster; on baseline x86-64
/// (SSE, sixteen 128-bit registers) it spills and is about 13% slower. The build's CPU target
/// is not visible to Swift code, so the choice is measured once per process on a small sample.
enum BatchKernel {
    static let pairsFaster: Bool = {
        #if DEBUG
        return true   // tests walk the pair loop (over the scalar kernels)
        #else
        let dimension = 768, rows = 128
        var values = [Float](repeating: 0, count: (rows + 4) * dimension)
        for k in values.indices { values[k] = Float(k % 97) * 0.01 - 0.4 }
        return values.withUnsafeBufferPointer { buffer -> Bool in
            let base = buffer.baseAddress!, q0 = base + rows * dimension
            let q1 = q0 + dimension, q2 = q1 + dimension, q3 = q2 + dimension
            var sink = SIMD4<Float>()
            func clock() -> UInt64 {
                var t = timespec()
                clock_gettime(CLOCK_MONOTONIC, &t)
                return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
            }
            var single = UInt64.max, paired = UInt64.max
            for _ in 0..<21 {
                var t = clock()
                for row in 0..<rows { sink += DistanceKernels.dot4(base + row * dimension, q0, q1, q2, q3, count: dimension) }
                single = min(single, clock() &- t)
                t = clock()
                var row = 0
                while row + 2 <= rows {
                    let (a, b) = DistanceKernels.dot2x4(base + row * dimension, base + (row + 1) * dimension, q0, q1, q2, q3, count: dimension)
                    sink += a + b
                    row += 2
                }
                paired = min(paired, clock() &- t)
            }
            // Keep the sums alive so the loops are not optimised away.
            if sink.sum().isNaN { return false }
            return paired < single
        }
        #endif
    }()
}
