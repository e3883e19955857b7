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
/// most ``capacity`` bytes are retained.
///
/// Blocks from 64 KiB up to 1 MiB are carved one after another from 2 MiB slabs backed by
/// transparent huge pages (a column chunk's values are typically this size); a slab is reused
/// once every block carved from it has been released. Smaller blocks go straight to `malloc`.
final class _LargeBlockPool: Sendable {
    static let shared = _LargeBlockPool()

    /// Blocks below this size are not pooled.
    static let threshold = 1 << 20
    /// Blocks from this size up to ``threshold`` are carved from slabs.
    static let slabThreshold = 64 << 10
    /// The size (and alignment) of a slab: one huge page.
    static let slabSize = 2 << 20
    /// The most bytes kept for reuse.
    let capacity = 512 << 20
    /// The most empty slabs kept for reuse.
    let spareSlabLimit = 16

    /// Free blocks by size class, as addresses (pointers are not `Sendable`; the pool owns them).
    private struct State {
        var free: [Int: [UInt]] = [:]
        var cachedBytes = 0
        /// Live blocks per slab, by slab address.
        var slabBlocks: [UInt: Int] = [:]
        /// The slab new blocks are carved from, and how much of it is used.
        var currentSlab: UInt = 0
        var currentUsed = 0
        /// Empty slabs ready for reuse.
        var spareSlabs: [UInt] = []
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
            guard byteCount >= _LargeBlockPool.slabThreshold else {
                return (UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64), byteCount)
            }
            return (allocateFromSlab((byteCount + 63) & ~63), byteCount)
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

    /// Pooled blocks are aligned to 2 MiB, their mappings rounded up to whole 2 MiB pages, and
    /// offered to the kernel for transparent huge pages: filling a fresh block then costs one
    /// page fault per 2 MiB instead of one per 4 KiB (the faults, not the zeroing, dominate the
    /// cost of new memory), and scans take one TLB entry per 2 MiB. Blocks are at least 1 MiB
    /// and size classes are a quarter step apart, so the rounding wastes little.
    static func allocateFromSystem(_ size: Int) -> UnsafeMutableRawPointer {
        let hugePage = 2 << 20
        let mapped = (size + hugePage - 1) / hugePage * hugePage
        let block = UnsafeMutableRawPointer.allocate(byteCount: mapped, alignment: hugePage)
        #if canImport(Glibc)
        _ = madvise(block, mapped, MADV_HUGEPAGE)
        #endif
        return block
    }

    /// Carves `size` bytes (a multiple of 64) from the current slab, starting a new one when it
    /// is full.
    private func allocateFromSlab(_ size: Int) -> UnsafeMutableRawPointer {
        let address = state.withLock { state -> UInt in
            if state.currentSlab == 0 || state.currentUsed + size > _LargeBlockPool.slabSize {
                let previous = state.currentSlab
                if previous != 0 && state.slabBlocks[previous, default: 0] == 0 {
                    state.slabBlocks[previous] = nil
                    state.spareSlabs.append(previous)
                }
                if let spare = state.spareSlabs.popLast() {
                    state.currentSlab = spare
                } else {
                    let slab = UnsafeMutableRawPointer.allocate(byteCount: _LargeBlockPool.slabSize, alignment: _LargeBlockPool.slabSize)
                    #if canImport(Glibc)
                    _ = madvise(slab, _LargeBlockPool.slabSize, MADV_HUGEPAGE)
                    #endif
                    state.currentSlab = UInt(bitPattern: slab)
                }
                state.currentUsed = 0
            }
            let block = state.currentSlab + UInt(state.currentUsed)
            state.currentUsed += size
            state.slabBlocks[state.currentSlab, default: 0] += 1
            return block
        }
        return UnsafeMutableRawPointer(bitPattern: address)!
    }

    /// Returns a slab block; a slab whose blocks are all back is reused (or freed).
    private func releaseToSlab(_ block: UnsafeMutableRawPointer) {
        let slab = UInt(bitPattern: block) & ~UInt(_LargeBlockPool.slabSize - 1)
        let freed = state.withLock { state -> UInt in
            let live = state.slabBlocks[slab, default: 1] - 1
            guard live == 0 else {
                state.slabBlocks[slab] = live
                return 0
            }
            if slab == state.currentSlab {
                state.slabBlocks[slab] = 0
                state.currentUsed = 0  // empty again: carve from its start
                return 0
            }
            state.slabBlocks[slab] = nil
            guard state.spareSlabs.count >= spareSlabLimit else {
                state.spareSlabs.append(slab)
                return 0
            }
            return slab
        }
        if freed != 0 { UnsafeMutableRawPointer(bitPattern: freed)?.deallocate() }
    }

    func release(_ block: UnsafeMutableRawPointer, byteCount: Int) {
        guard byteCount >= _LargeBlockPool.threshold else {
            guard byteCount >= _LargeBlockPool.slabThreshold else {
                block.deallocate()
                return
            }
            releaseToSlab(block)
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

/// Mutable scratch memory from the same pool as column buffers, for I/O and decompression
/// buffers that are filled, read and dropped again and again (a column chunk's bytes, a page).
///
/// Blocks of 1 MiB and more come back from the pool already faulted in, so a reader that
/// decodes chunk after chunk touches fresh memory only once. The memory is not initialised.
///
/// ```swift
/// let scratch = ScratchBuffer(byteCount: 1 << 20)
/// scratch.bytes.initializeMemory(as: UInt8.self, repeating: 0)
/// ```
public final class ScratchBuffer {
    /// The memory, valid while the buffer is alive.
    public let bytes: UnsafeMutableRawBufferPointer
    private let base: UnsafeMutableRawPointer
    private let allocatedBytes: Int

    /// Allocates `byteCount` uninitialised, 64-byte aligned bytes.
    public init(byteCount: Int) {
        precondition(byteCount >= 0, "negative buffer size")
        // Scratch is short-lived: keep it out of the slabs (where it would pin a slab that
        // longer-lived column buffers share) by asking for a whole pooled block.
        let request = byteCount >= _LargeBlockPool.slabThreshold ? Swift.max(byteCount, _LargeBlockPool.threshold) : Swift.max(byteCount, 64)
        (base, allocatedBytes) = _LargeBlockPool.shared.allocate(byteCount: request)
        self.bytes = UnsafeMutableRawBufferPointer(start: base, count: byteCount)
    }

    deinit {
        _LargeBlockPool.shared.release(base, byteCount: allocatedBytes)
    }
}
