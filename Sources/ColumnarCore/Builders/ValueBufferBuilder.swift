#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable run of fixed-width values in the same 64-byte aligned storage as ``ValueBuffer``,
/// which ``finish()`` hands over without copying.
///
/// Decoders that know (or can bound) how many values they will produce reserve once and then
/// append whole runs: `append(contentsOf:)` for values already in memory, and
/// ``appendUninitialized(count:initializingWith:)`` to write values in place. Copies of a
/// builder share storage until one of them is mutated (copy-on-write), as arrays do.
///
/// ```swift
/// var builder = ValueBufferBuilder<Int64>(capacity: 3)
/// builder.append(1)
/// builder.appendUninitialized(count: 2) { $0.initialize(repeating: 7) }
/// let values = builder.finish()           // [1, 7, 7], no copy
/// ```
public struct ValueBufferBuilder<Element: BitwiseCopyable>: Sendable {
    @usableFromInline var storage: _BufferStorage
    @usableFromInline var _count: Int

    /// The number of values appended so far.
    @inlinable public var count: Int { _count }

    /// Creates an empty builder with room for `capacity` values.
    @inlinable
    public init(capacity: Int = 0) {
        storage = capacity > 0 ? _BufferStorage(byteCount: capacity * MemoryLayout<Element>.stride) : .empty
        _count = 0
    }

    /// The number of values the builder can hold before it reallocates.
    @inlinable
    public var capacity: Int { storage.byteCount / MemoryLayout<Element>.stride }

    @inlinable
    var base: UnsafeMutablePointer<Element> {
        storage.base.assumingMemoryBound(to: Element.self)
    }

    /// Makes room for `additional` more values and unique ownership of the storage.
    @inlinable
    mutating func prepareToAppend(_ additional: Int) {
        let needed = count + additional
        if needed <= capacity && isKnownUniquelyReferenced(&storage) { return }
        grow(to: needed)
    }

    @usableFromInline
    mutating func grow(to needed: Int) {
        precondition(needed >= 0, "negative capacity")
        let doubled = capacity > 0 ? capacity * 2 : 16
        let newCapacity = Swift.max(needed, needed > capacity ? doubled : capacity)
        let replacement = _BufferStorage(byteCount: newCapacity * MemoryLayout<Element>.stride)
        if count > 0 {
            replacement.base.copyMemory(from: storage.base, byteCount: count * MemoryLayout<Element>.stride)
        }
        storage = replacement
    }

    /// Ensures room for at least `capacity` values in total.
    @inlinable
    public mutating func reserveCapacity(_ capacity: Int) {
        if capacity > self.capacity { grow(to: capacity) }
    }

    /// Appends one value.
    @inlinable
    public mutating func append(_ value: Element) {
        prepareToAppend(1)
        (base + count).initialize(to: value)
        _count += 1
    }

    /// Appends `n` copies of `value`.
    @inlinable
    public mutating func append(repeating value: Element, count n: Int) {
        guard n > 0 else { return }
        prepareToAppend(n)
        (base + count).initialize(repeating: value, count: n)
        _count += n
    }

    /// Appends the values in `values`.
    @inlinable
    public mutating func append(contentsOf values: UnsafeBufferPointer<Element>) {
        guard let source = values.baseAddress, !values.isEmpty else { return }
        prepareToAppend(values.count)
        (base + count).initialize(from: source, count: values.count)
        _count += values.count
    }

    /// Appends the values of a sequence.
    @inlinable
    public mutating func append(contentsOf values: some Sequence<Element>) {
        let done: Void? = values.withContiguousStorageIfAvailable { append(contentsOf: $0) }
        guard done == nil else { return }
        reserveCapacity(count + values.underestimatedCount)
        for value in values { append(value) }
    }

    /// Appends `n` values stored back to back at `source`, which need not be aligned
    /// (little-endian file data, for instance).
    ///
    /// - Parameters:
    ///   - source: At least `n × MemoryLayout<Element>.stride` readable bytes.
    ///   - n: The number of values.
    @inlinable
    public mutating func append(unalignedBytes source: UnsafeRawPointer, count n: Int) {
        guard n > 0 else { return }
        prepareToAppend(n)
        memcpy(UnsafeMutableRawPointer(base + count), source, n * MemoryLayout<Element>.stride)
        _count += n
    }

    /// Appends `n` values written in place by `body`, which must initialise all of them.
    ///
    /// If `body` throws, nothing is appended.
    @inlinable
    public mutating func appendUninitialized<E: Error>(
        count n: Int, initializingWith body: (UnsafeMutableBufferPointer<Element>) throws(E) -> Void
    ) throws(E) {
        guard n > 0 else { return }
        prepareToAppend(n)
        try body(UnsafeMutableBufferPointer(start: base + count, count: n))
        _count += n
    }

    /// Removes the last `n` values.
    @inlinable
    public mutating func removeLast(_ n: Int) {
        precondition(n >= 0 && n <= count, "cannot remove \(n) of \(count) values")
        _count -= n
    }

    /// The value at `index`.
    @inlinable
    public subscript(index: Int) -> Element {
        precondition(index >= 0 && index < count, "index \(index) out of range 0..<\(count)")
        return base[index]
    }

    /// The value appended last, if any.
    @inlinable
    public var last: Element? { count > 0 ? base[count - 1] : nil }

    /// Calls `body` with the values appended so far; the pointer is valid only inside `body`.
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(start: count > 0 ? UnsafePointer(base) : nil, count: count))
    }

    /// The values appended so far as a ``ValueBuffer``, without copying; the builder is left empty.
    ///
    /// Unused capacity stays allocated with the buffer, so reserve close to the final count.
    @inlinable
    public mutating func finish() -> ValueBuffer<Element> {
        let result = ValueBuffer<Element>(storage: count > 0 ? storage : .empty, start: 0, count: count)
        storage = .empty
        _count = 0
        return result
    }
}
