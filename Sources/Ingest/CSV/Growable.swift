/// A growable run of trivial values for the tokenizers' hot loops: an append is a capacity check
/// and a store, with no uniqueness check (the buffer is owned by one parse).
final class _Growable<Element: BitwiseCopyable>: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    func append(_ value: Element) {
        if count == capacity { grow(count + 1) }
        (base + count).initialize(to: value)
        count += 1
    }

    func grow(_ needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let replacement = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        replacement.update(from: base, count: count)
        base.deallocate()
        base = replacement
        capacity = newCapacity
    }

    /// Drops the values from `newCount` on.
    func truncate(_ newCount: Int) {
        precondition(newCount >= 0 && newCount <= count)
        count = newCount
    }

    @inline(__always)
    subscript(index: Int) -> Element {
        get { base[index] }
        set { base[index] = newValue }
    }

    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }
}
