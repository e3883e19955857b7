import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The heap allocation behind every ``ValueBuffer`` and ``Bitmap``: 64-byte aligned so SIMD loops
/// never straddle a cache line at the start, padded so word-at-a-time loops may read past the
/// end, and immutable once its initialiser returns.
///
/// `@unchecked Sendable`: the bytes are written only by the closure that creates the storage, before
/// any reference escapes; afterwards they are read-only.
@usableFromInline
final class _BufferStorage: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutableRawPointer
    @usableFromInline let byteCount: Int
    /// The size actually allocated (a pool size class for large blocks).
    let allocatedBytes: Int

    @usableFromInline
    init(byteCount: Int) {
        precondition(byteCount >= 0, "negative buffer size")
        // Pad by at least 16 bytes: word-at-a-time string loops may load up to 16 bytes from any
        // in-bounds position and mask off what lies past the end.
        let needed = (byteCount + 16 + 63) & ~63
        (self.base, self.allocatedBytes) = _LargeBlockPool.shared.allocate(byteCount: needed)
        self.byteCount = byteCount
        // Zero the padding so bitmap words past the last bit are deterministic.
        (base + byteCount).initializeMemory(as: UInt8.self, repeating: 0, count: needed - byteCount)
    }

    deinit {
        _LargeBlockPool.shared.release(base, byteCount: allocatedBytes)
    }

    /// One empty allocation shared by every empty buffer.
    @usableFromInline
    static let empty = _BufferStorage(byteCount: 0)
}

/// Keeps recently freed large blocks for reuse, as the memory pools of Arrow and DuckDB do: a
/// query allocates and frees buffers of the same few sizes again and again, and asking the
/// operating system each time costs a page fault per 4 KiB touched. Blocks of 1 MiB and more
/// are rounded to size classes (quarter steps between powers of two, so at most 25% waste) and at
/// most ``capacity`` bytes are retained; smaller blocks go straight to `malloc`.
final class _LargeBlockPool: Sendable {
    static let shared = _LargeBlockPool()

    /// Blocks below this size are not pooled.
    static let threshold = 1 << 20
    /// The most bytes kept for reuse.
    let capacity = 512 << 20

    /// Free blocks by size class, as addresses (pointers are not `Sendable`; the pool owns them).
    private struct State {
        var free: [Int: [UInt]] = [:]
        var cachedBytes = 0
    }
    private let state = Mutex(State())

    /// The pooled size for a request of `bytes` (≥ threshold): the next of 2^k × {1, 1.25, 1.5, 1.75}.
    static func sizeClass(_ bytes: Int) -> Int {
        let power = 1 << (Int.bitWidth - 1 - (bytes - 1).leadingZeroBitCount)
        let quarter = power / 4
        return (bytes + quarter - 1) / quarter * quarter
    }

    func allocate(byteCount: Int) -> (UnsafeMutableRawPointer, Int) {
        guard byteCount >= _LargeBlockPool.threshold else {
            return (UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64), byteCount)
        }
        let size = _LargeBlockPool.sizeClass(byteCount)
        let reused = state.withLock { state -> UInt? in
            guard let block = state.free[size]?.popLast() else { return nil }
            state.cachedBytes -= size
            return block
        }
        if let reused, let block = UnsafeMutableRawPointer(bitPattern: reused) { return (block, size) }
        return (_LargeBlockPool.allocateFromSystem(size), size)
    }

    /// Blocks of 2 MiB and more are aligned to 2 MiB and offered to the kernel for transparent
    /// huge pages: scans over them then take one TLB entry per 2 MiB instead of per 4 KiB.
    static func allocateFromSystem(_ size: Int) -> UnsafeMutableRawPointer {
        let hugePage = 2 << 20
        guard size >= hugePage else { return UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64) }
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: hugePage)
        #if canImport(Glibc)
        _ = madvise(block, size, MADV_HUGEPAGE)
        #endif
        return block
    }

    func release(_ block: UnsafeMutableRawPointer, byteCount: Int) {
        guard byteCount >= _LargeBlockPool.threshold else {
            block.deallocate()
            return
        }
        let address = UInt(bitPattern: block)
        let evicted = state.withLock { state -> [UInt] in
            state.free[byteCount, default: []].append(address)
            state.cachedBytes += byteCount
            var evicted: [UInt] = []
            // Over capacity: drop the largest classes first.
            while state.cachedBytes > capacity, let largest = state.free.keys.max() {
                if let victim = state.free[largest]?.popLast() {
                    evicted.append(victim)
                    state.cachedBytes -= largest
                }
                if state.free[largest]?.isEmpty ?? false { state.free[largest] = nil }
            }
            return evicted
        }
        for victim in evicted { UnsafeMutableRawPointer(bitPattern: victim)?.deallocate() }
    }
}
