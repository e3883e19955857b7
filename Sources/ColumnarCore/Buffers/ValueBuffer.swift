/// An immutable, contiguous, 64-byte aligned run of fixed-width values with cheap slicing.
///
/// `ValueBuffer` is the storage of every fixed-width column: values, string offsets, dictionary
/// indices. Slicing shares the allocation; nothing is copied.
///
/// ```swift
/// let values = ValueBuffer<Int64>([1, 2, 3, 4])
/// let tail = values.slice(2..<4)          // [3, 4], no copy
/// let total = values.withUnsafeBufferPointer { $0.reduce(0, +) }
/// ```
public struct ValueBuffer<Element: BitwiseCopyable>: Sendable {
    @usableFromInline let storage: _BufferStorage
    @usableFromInline let start: Int
    /// The number of values.
    public let count: Int

    @inlinable
    init(storage: _BufferStorage, start: Int, count: Int) {
        self.storage = storage
        self.start = start
        self.count = count
    }

    /// An empty buffer.
    @inlinable
    public init() {
        self.init(storage: .empty, start: 0, count: 0)
    }

    /// Creates a buffer of `count` values written by `body` into uninitialised memory.
    ///
    /// `body` must initialise every element of the buffer it is given.
    ///
    /// - Parameters:
    ///   - count: The number of values; must not be negative.
    ///   - body: Writes the values.
    @inlinable
    public init(
        unsafeUninitializedCount count: Int,
        initializingWith body: (UnsafeMutableBufferPointer<Element>) throws -> Void
    ) rethrows {
        let storage = _BufferStorage(byteCount: count * MemoryLayout<Element>.stride)
        let typed = storage.base.bindMemory(to: Element.self, capacity: count)
        try body(UnsafeMutableBufferPointer(start: typed, count: count))
        self.init(storage: storage, start: 0, count: count)
    }

    /// Creates a buffer holding a copy of `elements`.
    @inlinable
    public init(_ elements: some Sequence<Element>) {
        let array = Array(elements)
        self.init(unsafeUninitializedCount: array.count) { target in
            array.withUnsafeBufferPointer { source in
                if let base = source.baseAddress {
                    target.baseAddress!.initialize(from: base, count: source.count)
                }
            }
        }
    }

    /// Creates a buffer of `count` copies of `value`.
    @inlinable
    public init(repeating value: Element, count: Int) {
        self.init(unsafeUninitializedCount: count) { $0.initialize(repeating: value) }
    }

    /// Calls `body` with a pointer to the values; the pointer is valid only inside `body`.
    ///
    /// - Complexity: O(1).
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        let typed = storage.base.assumingMemoryBound(to: Element.self) + start
        return try withExtendedLifetime(storage) {
            try body(UnsafeBufferPointer(start: typed, count: count))
        }
    }

    /// Calls `body` with the raw bytes of the values.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer { try body(UnsafeRawBufferPointer($0)) }
    }

    /// A zero-copy view of the values in `range`.
    ///
    /// - Precondition: `range` lies within `0..<count`.
    @inlinable
    public func slice(_ range: Range<Int>) -> ValueBuffer {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice out of bounds")
        return ValueBuffer(storage: storage, start: start + range.lowerBound, count: range.count)
    }
}

extension ValueBuffer: RandomAccessCollection {
    /// Positions are plain offsets from 0.
    public typealias Index = Int

    /// Always 0.
    @inlinable public var startIndex: Int { 0 }
    /// The number of values.
    @inlinable public var endIndex: Int { count }

    /// The value at `position`.
    ///
    /// - Precondition: `position` is in `0..<count`.
    @inlinable
    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "index out of range")
        return storage.base.assumingMemoryBound(to: Element.self)[start + position]
    }
}

extension ValueBuffer: Equatable where Element: Equatable {
    /// Element-wise equality.
    @inlinable
    public static func == (lhs: ValueBuffer, rhs: ValueBuffer) -> Bool {
        lhs.elementsEqual(rhs)
    }
}

extension ValueBuffer: CustomStringConvertible {
    /// The values, printed like an array.
    public var description: String { "\(Array(self))" }
}
