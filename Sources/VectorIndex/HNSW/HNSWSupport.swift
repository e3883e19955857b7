#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A (distance, id) pair packed into 64 bits that order as the pairs do (distance first, then
/// id), so the search heaps compare plain integers.
@inline(__always)
func packKey(_ distance: Float, _ id: Int32) -> UInt64 {
    let bits = distance.bitPattern
    let sortable = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    return UInt64(sortable) << 32 | UInt64(UInt32(bitPattern: id))
}

@inline(__always)
func keyID(_ key: UInt64) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: key)) }

@inline(__always)
func keyDistance(_ key: UInt64) -> Float {
    let sortable = UInt32(truncatingIfNeeded: key >> 32)
    return Float(bitPattern: sortable & 0x8000_0000 != 0 ? sortable & 0x7FFF_FFFF : ~sortable)
}

/// A binary min-heap of packed keys (a max-heap stores complemented keys).
struct KeyHeap {
    var items: [UInt64] = []

    init(capacity: Int) { items.reserveCapacity(capacity) }

    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }
    var top: UInt64 { items[0] }

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    mutating func push(_ key: UInt64) {
        items.append(key)
        items.withUnsafeMutableBufferPointer { heap in
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) >> 1
                guard key < heap[parent] else { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = key
        }
    }

    @discardableResult
    mutating func pop() -> UInt64 {
        let result = items[0]
        let last = items.removeLast()
        if items.isEmpty { return result }
        items.withUnsafeMutableBufferPointer { heap in
            let n = heap.count
            var parent = 0
            while true {
                var child = 2 * parent + 1
                if child >= n { break }
                if child + 1 < n, heap[child + 1] < heap[child] { child += 1 }
                guard heap[child] < last else { break }
                heap[parent] = heap[child]
                parent = child
            }
            heap[parent] = last
        }
        return result
    }
}

/// Marks of the nodes one search has seen: a generation number per node, so starting a new
/// search is one increment instead of clearing the array.
final class VisitedSet: @unchecked Sendable {
    private(set) var capacity: Int
    private var marks: UnsafeMutablePointer<UInt16>
    private var generation: UInt16 = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        marks = .allocate(capacity: self.capacity)
        marks.initialize(repeating: 0, count: self.capacity)
    }

    deinit { marks.deallocate() }

    /// Forgets every mark; grows to `capacity` nodes when smaller.
    func reset(capacity needed: Int) {
        if needed > capacity {
            marks.deallocate()
            capacity = needed
            marks = .allocate(capacity: capacity)
            marks.initialize(repeating: 0, count: capacity)
            generation = 0
        }
        generation &+= 1
        if generation == 0 {
            marks.update(repeating: 0, count: capacity)
            generation = 1
        }
    }

    /// Marks `node`; whether it was marked before.
    @inline(__always)
    func testAndSet(_ node: Int32) -> Bool {
        let slot = marks + Int(node)
        if slot.pointee == generation { return true }
        slot.pointee = generation
        return false
    }
}

/// A fixed set of pthread mutexes guarding node link lists by `node mod count`.
final class StripedLocks {
    let count: Int
    private let mutexes: UnsafeMutablePointer<pthread_mutex_t>

    init(count: Int) {
        self.count = count
        mutexes = .allocate(capacity: count)
        for i in 0..<count { pthread_mutex_init(mutexes + i, nil) }
    }

    deinit {
        for i in 0..<count { pthread_mutex_destroy(mutexes + i) }
        mutexes.deallocate()
    }

    @inline(__always)
    func lock(_ node: Int32) { pthread_mutex_lock(mutexes + (Int(node) & (count - 1))) }

    @inline(__always)
    func unlock(_ node: Int32) { pthread_mutex_unlock(mutexes + (Int(node) & (count - 1))) }
}

/// A readers-writer lock: searches share it, adds and deletes hold it alone.
final class ReadWriteLock {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    func withReadLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    func withWriteLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}

/// SplitMix64: the seeded generator drawing node levels.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    mutating func nextUnit() -> Double {
        Double((next() >> 11) + 1) / 9_007_199_254_740_992.0
    }
}
