/// The `k` smallest (distance, id) pairs seen so far: a binary max-heap on distance (ties: larger
/// id is worse) in preallocated storage, so rejecting a candidate costs one comparison.
struct TopK {
    let k: Int
    private(set) var distances: [Float]
    private(set) var ids: [Int32]
    private(set) var count = 0

    init(k: Int) {
        self.k = k
        distances = [Float](repeating: .infinity, count: k)
        ids = [Int32](repeating: .max, count: k)
    }

    /// The distance a candidate must beat to enter (infinity until `k` are held).
    @inline(__always)
    var threshold: Float { count < k ? .infinity : distances[0] }

    @inline(__always)
    static func worse(_ d1: Float, _ i1: Int32, than d2: Float, _ i2: Int32) -> Bool {
        d1 > d2 || (d1 == d2 && i1 > i2)
    }

    @inline(__always)
    mutating func insert(_ distance: Float, _ id: Int32) {
        if count < k {
            var child = count
            count += 1
            while child > 0 {
                let parent = (child - 1) >> 1
                guard TopK.worse(distance, id, than: distances[parent], ids[parent]) else { break }
                distances[child] = distances[parent]
                ids[child] = ids[parent]
                child = parent
            }
            distances[child] = distance
            ids[child] = id
        } else if TopK.worse(distances[0], ids[0], than: distance, id) {
            siftDown(distance, id)
        }
    }

    private mutating func siftDown(_ distance: Float, _ id: Int32) {
        var parent = 0
        while true {
            let left = 2 * parent + 1
            if left >= count { break }
            var worst = left
            let right = left + 1
            if right < count, TopK.worse(distances[right], ids[right], than: distances[left], ids[left]) { worst = right }
            guard TopK.worse(distances[worst], ids[worst], than: distance, id) else { break }
            distances[parent] = distances[worst]
            ids[parent] = ids[worst]
            parent = worst
        }
        distances[parent] = distance
        ids[parent] = id
    }

    /// The held pairs, closest first (ties by smaller id).
    func sorted() -> [Neighbor] {
        (0..<count).map { Neighbor(id: Int(ids[$0]), distance: distances[$0]) }
            .sorted { $0.distance < $1.distance || ($0.distance == $1.distance && $0.id < $1.id) }
    }

    mutating func merge(_ other: TopK) {
        for i in 0..<other.count { insert(other.distances[i], other.ids[i]) }
    }
}
