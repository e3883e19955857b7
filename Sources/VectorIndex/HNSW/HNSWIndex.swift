import ColumnarCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shape of an HNSW graph.
public struct HNSWConfiguration: Sendable, Hashable, Codable {
    /// Links per node on the upper levels; level 0 keeps up to `2·m`. 16 suits most data, 32
    /// gives higher recall on hard (high intrinsic dimension) data for more memory.
    public var m: Int
    /// Candidates considered when a node is linked: larger builds slower and links better.
    public var efConstruction: Int
    /// Seeds the level drawn for each node, so a build is repeatable.
    public var seed: UInt64

    public init(m: Int = 16, efConstruction: Int = 200, seed: UInt64 = 0x5EED) {
        self.m = m
        self.efConstruction = efConstruction
        self.seed = seed
    }
}

/// How a filtered search is answered.
public enum FilteredSearchStrategy: String, Sendable, Hashable {
    /// Walk the graph, keeping only passing nodes in the results (good when many rows pass).
    case graph
    /// Compare the query with every passing row (exact; cheap when few rows pass).
    case exactScan
}

/// A hierarchical navigable small-world graph (Malkov & Yashunin) over float32 vectors: the
/// approximate nearest-neighbour index.
///
/// Ids are the positions vectors were added at (0, 1, 2, …). Searches may run concurrently with
/// each other; ``add(_:)`` and ``delete(_:)`` wait for running searches and hold the index
/// alone. A deleted node stays in the graph as a tombstone that searches pass through but never
/// return, and the links of its neighbours are repaired at once.
///
/// ```swift
/// let index = try HNSWIndex.build(vectors, metric: .cosine)
/// let hits = try index.search(query, k: 10, ef: 64)
/// let inChicago = try index.search(query, k: 10, filter: VectorFilter(count: index.count) { city[$0] == "Chicago" })
/// ```
public final class HNSWIndex: @unchecked Sendable {
    public let dimension: Int
    public let metric: VectorMetric
    public let configuration: HNSWConfiguration
    /// A caller's description of what the index was built from (a table version, an embedder),
    /// kept with it when saved so a stale copy can be recognised.
    public let fingerprint: String

    let maxM: Int
    let maxM0: Int
    let levelMultiplier: Double

    // Storage (all guarded by `rw`; during a parallel build link lists also by `stripes`).
    var capacity: Int
    var nodeCount: Int = 0
    var vectors: UnsafeMutablePointer<Float>
    var links0: UnsafeMutablePointer<Int32>
    var levels: UnsafeMutablePointer<Int8>
    var upper: UnsafeMutablePointer<UnsafeMutablePointer<Int32>?>
    var deleted: UnsafeMutablePointer<UInt8>
    var deletedCount = 0
    var entryPoint: Int32 = -1
    var maxLevel = -1
    var random: SplitMix64

    let rw = ReadWriteLock()
    let stripes = StripedLocks(count: 4096)
    /// Whether link lists may change under a reader (a parallel insert is running).
    var concurrentInsert = false
    let visitedPool = Mutex<[VisitedSet]>([])

    /// An empty index.
    ///
    /// - Throws: ``VectorIndexError`` `.invalidArgument` for a dimension below 1, `m` below 2
    ///   or above 255, or `efConstruction` below 1.
    public init(dimension: Int, metric: VectorMetric = .cosine, configuration: HNSWConfiguration = HNSWConfiguration(),
                capacity: Int = 1024, fingerprint: String = "") throws(VectorIndexError) {
        guard dimension > 0 else { throw VectorIndexError(.invalidArgument, "the dimension must be at least 1, not \(dimension)") }
        guard (2...255).contains(configuration.m) else { throw VectorIndexError(.invalidArgument, "m must be in 2...255, not \(configuration.m)") }
        guard configuration.efConstruction > 0 else {
            throw VectorIndexError(.invalidArgument, "efConstruction must be at least 1, not \(configuration.efConstruction)")
        }
        self.dimension = dimension
        self.metric = metric
        self.configuration = configuration
        self.fingerprint = fingerprint
        maxM = configuration.m
        maxM0 = 2 * configuration.m
        levelMultiplier = 1 / log(Double(configuration.m))
        random = SplitMix64(state: configuration.seed)
        self.capacity = max(capacity, 1)
        vectors = .allocate(capacity: self.capacity * dimension)
        links0 = .allocate(capacity: self.capacity * (2 * configuration.m + 1))
        levels = .allocate(capacity: self.capacity)
        upper = .allocate(capacity: self.capacity)
        deleted = .allocate(capacity: self.capacity)
    }

    deinit {
        for node in 0..<nodeCount { upper[node]?.deallocate() }
        vectors.deallocate()
        links0.deallocate()
        levels.deallocate()
        upper.deallocate()
        deleted.deallocate()
    }

    /// Builds an index over `vectors`, inserting on `threads` cores (default: all). The ids are
    /// the rows of `vectors`.
    public static func build(_ vectors: Vectors, metric: VectorMetric = .cosine, configuration: HNSWConfiguration = HNSWConfiguration(),
                             threads: Int? = nil, fingerprint: String = "") throws(VectorIndexError) -> HNSWIndex {
        let index = try HNSWIndex(dimension: vectors.dimension, metric: metric, configuration: configuration,
                                  capacity: vectors.count, fingerprint: fingerprint)
        try index.add(vectors, threads: threads)
        return index
    }

    // MARK: Sizes

    /// Nodes in the graph, deleted ones included: the next id ``add(_:)`` returns.
    public var count: Int { rw.withReadLock { nodeCount } }
    /// Nodes not deleted.
    public var liveCount: Int { rw.withReadLock { nodeCount - deletedCount } }

    /// Whether `id` was deleted.
    public func isDeleted(_ id: Int) -> Bool {
        rw.withReadLock { id >= 0 && id < nodeCount && deleted[id] != 0 }
    }

    /// The vector stored for `id` (normalised for ``VectorMetric/cosine``).
    public func vector(_ id: Int) throws(VectorIndexError) -> [Float] {
        try rw.withReadLock { () throws(VectorIndexError) -> [Float] in
            guard id >= 0, id < nodeCount else { throw VectorIndexError(.invalidArgument, "no vector \(id); the index holds \(nodeCount)") }
            return Array(UnsafeBufferPointer(start: vectors + id * dimension, count: dimension))
        }
    }

    /// About how many bytes the index holds in memory.
    public var memoryFootprint: Int {
        rw.withReadLock {
            var bytes = capacity * (dimension * 4 + (maxM0 + 1) * 4 + 1 + 8 + 1)
            for node in 0..<nodeCount where levels[node] > 0 { bytes += Int(levels[node]) * (maxM + 1) * 4 }
            return bytes
        }
    }

    // MARK: Adding

    /// Adds one vector; returns its id.
    @discardableResult
    public func add(_ vector: [Float]) throws(VectorIndexError) -> Int {
        try add(try Vectors(dimension: dimension, values: vector), threads: 1).lowerBound
    }

    /// Adds vectors, linking them on `threads` cores (default: all); returns their ids.
    @discardableResult
    public func add(_ batch: Vectors, threads: Int? = nil) throws(VectorIndexError) -> Range<Int> {
        guard batch.dimension == dimension else {
            throw VectorIndexError(.dimensionMismatch, "the vectors have \(batch.dimension) values, the index holds \(dimension)-d vectors")
        }
        return rw.withWriteLock {
            let first = nodeCount, added = batch.count
            reserve(first + added)
            batch.values.withUnsafeBufferPointer { source in
                (vectors + first * dimension).update(from: source.baseAddress!, count: added * dimension)
            }
            for node in first..<(first + added) {
                if metric == .cosine { DistanceKernels.normalize(vectors + node * dimension, count: dimension) }
                let level = min(Int(-log(random.nextUnit()) * levelMultiplier), 100)
                levels[node] = Int8(level)
                deleted[node] = 0
                links0[node * (maxM0 + 1)] = 0
                if level > 0 {
                    let list = UnsafeMutablePointer<Int32>.allocate(capacity: level * (maxM + 1))
                    for l in 0..<level { list[l * (maxM + 1)] = 0 }
                    upper[node] = list
                } else {
                    upper[node] = nil
                }
            }
            nodeCount = first + added
            var next = first
            // The first nodes go in one by one so parallel inserts start from a real graph.
            while next < first + added, next < 64 {
                insert(Int32(next))
                next += 1
            }
            let remaining = first + added - next
            let parts = max(1, min(threads ?? processorCount, remaining / 256))
            if parts == 1 {
                while next < first + added {
                    insert(Int32(next))
                    next += 1
                }
            } else {
                concurrentInsert = true
                let counter = Atomic<Int>(next)
                let end = first + added
                parallelFor(parts) { _ in
                    while true {
                        let start = counter.wrappingAdd(16, ordering: .relaxed).oldValue
                        if start >= end { break }
                        for node in start..<min(start + 16, end) { insert(Int32(node)) }
                    }
                }
                concurrentInsert = false
            }
            return first..<(first + added)
        }
    }

    private func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        let newCapacity = max(needed, capacity * 2)
        func grow<T>(_ pointer: inout UnsafeMutablePointer<T>, _ stride: Int) {
            let bigger = UnsafeMutablePointer<T>.allocate(capacity: newCapacity * stride)
            bigger.moveInitialize(from: pointer, count: nodeCount * stride)
            pointer.deallocate()
            pointer = bigger
        }
        grow(&vectors, dimension)
        grow(&links0, maxM0 + 1)
        grow(&levels, 1)
        grow(&upper, 1)
        grow(&deleted, 1)
        capacity = newCapacity
    }

    // MARK: Graph access

    @inline(__always)
    func vector(at node: Int32) -> UnsafeMutablePointer<Float> { vectors + Int(node) &* dimension }

    @inline(__always)
    func distance(_ a: Int32, _ b: Int32) -> Float { metric.distance(vector(at: a), vector(at: b), count: dimension) }

    /// The link list of `node` on `level`: element 0 is the count, then the links.
    @inline(__always)
    func links(_ node: Int32, level: Int) -> UnsafeMutablePointer<Int32> {
        level == 0 ? links0 + Int(node) &* (maxM0 + 1) : upper[Int(node)]! + (level - 1) * (maxM + 1)
    }

    /// A copy of a link list (under its stripe lock while a parallel insert runs).
    @inline(__always)
    func readLinks(_ node: Int32, level: Int, into buffer: inout [Int32]) {
        buffer.removeAll(keepingCapacity: true)
        if concurrentInsert { stripes.lock(node) }
        let list = links(node, level: level)
        let n = Int(list[0])
        for i in 0..<n { buffer.append(list[1 + i]) }
        if concurrentInsert { stripes.unlock(node) }
    }

    func borrowVisited() -> VisitedSet {
        let set = visitedPool.withLock { $0.popLast() } ?? VisitedSet(capacity: capacity)
        set.reset(capacity: capacity)
        return set
    }

    func returnVisited(_ set: VisitedSet) {
        visitedPool.withLock { $0.append(set) }
    }

    // MARK: Searching the graph

    /// Greedy descent from the entry point to `level + 1`: the closest node found.
    func descend(_ query: UnsafePointer<Float>, from entry: Int32, topLevel: Int, to level: Int, scratch: inout [Int32]) -> Int32 {
        var current = entry
        var currentDistance = metric.distance(vector(at: entry), query, count: dimension)
        var l = topLevel
        while l > level {
            var changed = true
            while changed {
                changed = false
                readLinks(current, level: l, into: &scratch)
                for neighbor in scratch {
                    let d = metric.distance(vector(at: neighbor), query, count: dimension)
                    if d < currentDistance {
                        currentDistance = d
                        current = neighbor
                        changed = true
                    }
                }
            }
            l -= 1
        }
        return current
    }

    /// The best-first search of one level: up to `ef` accepted nodes closest to the query, as
    /// packed keys in no particular order. Rejected nodes (deleted, or outside the filter) are
    /// walked through but not returned.
    func searchLevel(_ query: UnsafePointer<Float>, entry: Int32, ef: Int, level: Int, filter: VectorFilter?,
                     visited: VisitedSet, scratch: inout [Int32]) -> [UInt64] {
        var candidates = KeyHeap(capacity: ef * 4)
        var results = KeyHeap(capacity: ef + 1)   // complemented keys: the top is the farthest
        let hasDeleted = deletedCount > 0
        @inline(__always) func accepts(_ node: Int32) -> Bool {
            if hasDeleted && deleted[Int(node)] != 0 { return false }
            if let filter, !filter.contains(Int(node)) { return false }
            return true
        }
        _ = visited.testAndSet(entry)
        let entryDistance = metric.distance(vector(at: entry), query, count: dimension)
        candidates.push(packKey(entryDistance, entry))
        var bound = Float.infinity
        if accepts(entry) {
            results.push(~packKey(entryDistance, entry))
            bound = entryDistance
        }
        @inline(__always) func visit(_ neighbor: Int32) {
            if visited.testAndSet(neighbor) { return }
            let d = metric.distance(vector(at: neighbor), query, count: dimension)
            if results.count < ef || d < bound {
                candidates.push(packKey(d, neighbor))
                if accepts(neighbor) {
                    results.push(~packKey(d, neighbor))
                    if results.count > ef { results.pop() }
                    bound = keyDistance(~results.top)
                }
            }
        }
        while !candidates.isEmpty {
            let best = candidates.pop()
            if keyDistance(best) > bound && results.count >= ef { break }
            if concurrentInsert {
                readLinks(keyID(best), level: level, into: &scratch)
                for neighbor in scratch { visit(neighbor) }
            } else {
                // No writer: read the list in place.
                let list = links(keyID(best), level: level)
                let n = Int(list[0])
                var i = 1
                while i <= n {
                    visit(list[i])
                    i &+= 1
                }
            }
        }
        return results.items.map { ~$0 }
    }

    /// Links chosen by the HNSW heuristic: candidates by increasing distance, each kept unless
    /// it is closer to an already kept one than to the base (which spreads links out).
    func selectNeighbors(_ sortedKeys: [UInt64], limit: Int) -> [Int32] {
        if sortedKeys.count <= limit { return sortedKeys.map(keyID) }
        var chosen: [Int32] = []
        chosen.reserveCapacity(limit)
        for key in sortedKeys {
            let candidate = keyID(key), d = keyDistance(key)
            var good = true
            for kept in chosen where distance(candidate, kept) < d {
                good = false
                break
            }
            if good {
                chosen.append(candidate)
                if chosen.count == limit { break }
            }
        }
        return chosen
    }

    /// Links `node` into the graph (its vector, level and empty lists are in place).
    func insert(_ node: Int32) {
        let level = Int(levels[Int(node)])
        // A node above the top level holds the entry lock for its whole insert (as in hnswlib),
        // so two new top nodes cannot race.
        var holdsEntryLock = false
        entryLockAcquire()
        var (entry, top) = (entryPoint, maxLevel)
        entryLockRelease()
        if level > top {
            entryLockAcquire()
            holdsEntryLock = true
            (entry, top) = (entryPoint, maxLevel)
            if level <= top {
                entryLockRelease()
                holdsEntryLock = false
            }
        }
        defer { if holdsEntryLock { entryLockRelease() } }
        guard entry >= 0 else {
            entryPoint = node
            maxLevel = level
            return
        }
        let query = UnsafePointer(vector(at: node))
        var scratch: [Int32] = []
        scratch.reserveCapacity(maxM0)
        var current = top > level ? descend(query, from: entry, topLevel: top, to: level, scratch: &scratch) : entry
        let visited = borrowVisited()
        defer { returnVisited(visited) }
        var l = min(level, top)
        while l >= 0 {
            visited.reset(capacity: capacity)
            let found = searchLevel(query, entry: current, ef: configuration.efConstruction, level: l, filter: nil,
                                    visited: visited, scratch: &scratch).filter { keyID($0) != node }.sorted()
            let chosen = selectNeighbors(found, limit: maxM)
            stripes.lock(node)
            let own = links(node, level: l)
            own[0] = Int32(chosen.count)
            for (i, neighbor) in chosen.enumerated() { own[1 + i] = neighbor }
            stripes.unlock(node)
            let limit = l == 0 ? maxM0 : maxM
            for neighbor in chosen where neighbor != node {
                stripes.lock(neighbor)
                let list = links(neighbor, level: l)
                let n = Int(list[0])
                if n < limit {
                    list[1 + n] = node
                    list[0] = Int32(n + 1)
                } else {
                    var keys: [UInt64] = [packKey(distance(neighbor, node), node)]
                    for i in 0..<n { keys.append(packKey(distance(neighbor, list[1 + i]), list[1 + i])) }
                    keys.sort()
                    let kept = selectNeighbors(keys, limit: limit)
                    list[0] = Int32(kept.count)
                    for (i, k) in kept.enumerated() { list[1 + i] = k }
                }
                stripes.unlock(neighbor)
            }
            if let nearest = found.first { current = keyID(nearest) }
            l -= 1
        }
        if level > top {
            entryPoint = node
            maxLevel = level
        }
    }

    // The entry lock is held across a whole insert, which `withLock`'s closure cannot span.
    private func entryLockAcquire() { entryMutex.lock(0) }
    private func entryLockRelease() { entryMutex.unlock(0) }
    private let entryMutex = StripedLocks(count: 1)

    // MARK: Search

    /// The `k` nearest live vectors to `query`, closest first.
    ///
    /// - Parameters:
    ///   - ef: The size of the candidate list (at least `k`): larger is slower and more exact.
    ///     Default `max(64, 2k)`.
    ///   - filter: Only rows it passes are returned. The search compares the cost of scanning the
    ///     passing rows with the cost of walking the graph until `ef` passing nodes are found
    ///     (``plan(filter:k:ef:)``), and falls back to the scan when the walk finds fewer than `k`.
    ///   - strategy: Forces a strategy for a filtered search (for tests and benchmarks).
    /// - Throws: ``VectorIndexError`` `.dimensionMismatch`, or `.invalidArgument` for `k < 1` or a
    ///   query with NaN or infinite values.
    public func search(_ query: [Float], k: Int, ef: Int? = nil, filter: VectorFilter? = nil,
                       strategy: FilteredSearchStrategy? = nil) throws(VectorIndexError) -> [Neighbor] {
        let prepared = try prepareQuery(query, dimension: dimension, metric: metric)
        guard k > 0 else { throw VectorIndexError(.invalidArgument, "k must be at least 1, not \(k)") }
        let ef = max(ef ?? max(64, 2 * k), k)
        return rw.withReadLock {
            prepared.withUnsafeBufferPointer { q in
                let q = q.baseAddress!
                guard nodeCount > 0, entryPoint >= 0 else { return [] }
                if let filter {
                    switch strategy ?? planUnlocked(filter: filter, k: k, ef: ef) {
                    case .exactScan:
                        return scan(q, k: k, filter: filter)
                    case .graph:
                        let found = graphSearch(q, k: k, ef: ef, filter: filter)
                        if found.count >= k || strategy == .graph { return found }
                        return scan(q, k: k, filter: filter)
                    }
                }
                return graphSearch(q, k: k, ef: ef, filter: nil)
            }
        }
    }

    /// The strategy a filtered search would take: the scan costs one distance per passing row;
    /// the graph walk about `ef·2m / selectivity` distances (it must see `ef / selectivity`
    /// nodes to meet `ef` passing ones, and each expands up to `2m` links).
    public func plan(filter: VectorFilter, k: Int, ef: Int? = nil) -> FilteredSearchStrategy {
        rw.withReadLock { planUnlocked(filter: filter, k: k, ef: max(ef ?? max(64, 2 * k), k)) }
    }

    func planUnlocked(filter: VectorFilter, k: Int, ef: Int) -> FilteredSearchStrategy {
        let passing = Double(filter.passingCount)
        let total = Double(max(nodeCount - deletedCount, 1))
        let selectivity = max(passing / total, 1e-9)
        let scanCost = passing
        let graphCost = Double(ef * maxM0) / selectivity
        return scanCost <= graphCost ? .exactScan : .graph
    }

    func graphSearch(_ q: UnsafePointer<Float>, k: Int, ef: Int, filter: VectorFilter?) -> [Neighbor] {
        var scratch: [Int32] = []
        scratch.reserveCapacity(maxM0)
        let start = descend(q, from: entryPoint, topLevel: maxLevel, to: 0, scratch: &scratch)
        let visited = borrowVisited()
        defer { returnVisited(visited) }
        let keys = searchLevel(q, entry: start, ef: ef, level: 0, filter: filter, visited: visited, scratch: &scratch).sorted()
        return keys.prefix(k).map { Neighbor(id: Int(keyID($0)), distance: keyDistance($0)) }
    }

    func scan(_ q: UnsafePointer<Float>, k: Int, filter: VectorFilter) -> [Neighbor] {
        var top = TopK(k: k)
        for row in filter.rows where row < nodeCount && deleted[row] == 0 {
            let d = metric.distance(vectors + row &* dimension, q, count: dimension)
            if d <= top.threshold { top.insert(d, Int32(row)) }
        }
        return top.sorted()
    }

    // MARK: Deleting

    /// Deletes `ids` (unknown or already deleted ones are ignored): they are never returned
    /// again, and every link list that pointed at one is rebuilt from its live links and the
    /// deleted node's live links, so the graph stays navigable.
    ///
    /// - Returns: How many were deleted now.
    @discardableResult
    public func delete(_ ids: some Sequence<Int>) -> Int {
        rw.withWriteLock {
            var newly = 0
            for id in ids where id >= 0 && id < nodeCount && deleted[id] == 0 {
                deleted[id] = 1
                newly += 1
            }
            guard newly > 0 else { return 0 }
            deletedCount += newly
            repairLinks()
            if entryPoint >= 0, deleted[Int(entryPoint)] != 0 {
                // The live node on the highest level becomes the entry point.
                var best: Int32 = -1, bestLevel = -1
                for node in 0..<nodeCount where deleted[node] == 0 && Int(levels[node]) > bestLevel {
                    best = Int32(node)
                    bestLevel = Int(levels[node])
                }
                if best >= 0 {
                    entryPoint = best
                    maxLevel = bestLevel
                }
            }
            return newly
        }
    }

    /// Deletes one id; whether it was live.
    @discardableResult
    public func delete(_ id: Int) -> Bool { delete(CollectionOfOne(id)) == 1 }

    private func repairLinks() {
        for node in 0..<nodeCount where deleted[node] == 0 {
            let id = Int32(node)
            for level in 0...Int(levels[node]) {
                let list = links(id, level: level)
                let n = Int(list[0])
                var touched = false
                for i in 0..<n where deleted[Int(list[1 + i])] != 0 {
                    touched = true
                    break
                }
                guard touched else { continue }
                var candidates = Set<Int32>()
                for i in 0..<n {
                    let neighbor = list[1 + i]
                    if deleted[Int(neighbor)] == 0 {
                        candidates.insert(neighbor)
                    } else {
                        let theirs = links(neighbor, level: level)
                        for j in 0..<Int(theirs[0]) where deleted[Int(theirs[1 + j])] == 0 && theirs[1 + j] != id {
                            candidates.insert(theirs[1 + j])
                        }
                    }
                }
                let keys = candidates.map { packKey(distance(id, $0), $0) }.sorted()
                let kept = selectNeighbors(keys, limit: level == 0 ? maxM0 : maxM)
                list[0] = Int32(kept.count)
                for (i, k) in kept.enumerated() { list[1 + i] = k }
            }
        }
    }
}
