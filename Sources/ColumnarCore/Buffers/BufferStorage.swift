/// The heap allocation behind every ``ValueBuffer`` and ``Bitmap``: 64-byte aligned so SIMD loops
/// never straddle a cache line at the start, and immutable once its initialiser returns.
///
/// `@unchecked Sendable`: the bytes are written only by the closure that creates the storage, before
/// any reference escapes; afterwards they are read-only.
@usableFromInline
final class _BufferStorage: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutableRawPointer
    @usableFromInline let byteCount: Int

    @usableFromInline
    init(byteCount: Int) {
        precondition(byteCount >= 0, "negative buffer size")
        // Round up to whole 64-byte lines: word-at-a-time loops may read the padding.
        // Pad by at least 16 bytes: word-at-a-time string loops may load up to 16 bytes from any
        // in-bounds position and mask off what lies past the end.
        let rounded = (byteCount + 16 + 63) & ~63
        self.base = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: 64)
        self.byteCount = byteCount
        // Zero the padding so bitmap words past the last bit are deterministic.
        (base + byteCount).initializeMemory(as: UInt8.self, repeating: 0, count: rounded - byteCount)
    }

    deinit {
        base.deallocate()
    }

    /// One empty allocation shared by every empty buffer.
    @usableFromInline
    static let empty = _BufferStorage(byteCount: 0)
}
