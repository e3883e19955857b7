/// An immutable sequence of bits, packed least-significant bit first into 64-bit words, with
/// zero-copy slicing at any bit offset.
///
/// Bitmaps hold column validity (a set bit means "present", as in Apache Arrow) and boolean values.
///
/// ```swift
/// let valid = Bitmap([true, false, true])
/// valid.setCount   // 2
/// valid[1]         // false
/// ```
public struct Bitmap: Sendable {
    @usableFromInline let storage: _BufferStorage
    /// Index of the first bit, counted from the start of the storage.
    @usableFromInline let bitOffset: Int
    /// The number of bits.
    public let count: Int

    @inlinable
    init(storage: _BufferStorage, bitOffset: Int, count: Int) {
        self.storage = storage
        self.bitOffset = bitOffset
        self.count = count
    }

    /// The number of 64-bit words needed for `bits` bits.
    @inlinable
    static func wordCount(forBits bits: Int) -> Int { (bits + 63) >> 6 }

    /// Creates a bitmap of `count` bits whose words are written by `body` (bit *i* lives in word
    /// *i / 64* at bit *i % 64*). Bits past `count` in the last word are ignored.
    @inlinable
    public init(unsafeUninitializedCount count: Int, initializingWith body: (UnsafeMutableBufferPointer<UInt64>) throws -> Void) rethrows {
        let words = Bitmap.wordCount(forBits: count)
        let storage = _BufferStorage(byteCount: words * 8)
        let typed = storage.base.bindMemory(to: UInt64.self, capacity: words)
        try body(UnsafeMutableBufferPointer(start: typed, count: words))
        self.init(storage: storage, bitOffset: 0, count: count)
    }

    /// A bitmap of `count` bits, all set or all clear.
    @inlinable
    public init(repeating value: Bool, count: Int) {
        self.init(unsafeUninitializedCount: count) { $0.initialize(repeating: value ? ~0 : 0) }
    }

    /// A bitmap with the given bits.
    public init(_ bits: some Sequence<Bool>) {
        let array = Array(bits)
        self.init(unsafeUninitializedCount: array.count) { words in
            words.initialize(repeating: 0)
            for (i, bit) in array.enumerated() where bit {
                words[i >> 6] |= 1 << UInt64(i & 63)
            }
        }
    }

    /// The bit at `index`.
    ///
    /// - Precondition: `index` is in `0..<count`.
    @inlinable
    public subscript(index: Int) -> Bool {
        precondition(index >= 0 && index < count, "bit index out of range")
        return _bit(index)
    }

    /// Unchecked bit read for kernels that already validated `index`.
    @inlinable @inline(__always)
    func _bit(_ index: Int) -> Bool {
        let position = bitOffset + index
        let word = storage.base.assumingMemoryBound(to: UInt64.self)[position >> 6]
        return word & (1 << UInt64(position & 63)) != 0
    }

    /// A zero-copy view of the bits in `range`.
    @inlinable
    public func slice(_ range: Range<Int>) -> Bitmap {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice out of bounds")
        return Bitmap(storage: storage, bitOffset: bitOffset + range.lowerBound, count: range.count)
    }

    /// Whether the bitmap starts on a word boundary (kernels then read its words directly).
    @inlinable
    var isWordAligned: Bool { bitOffset & 63 == 0 }

    /// This bitmap starting at bit 0 of its own storage: itself when already word-aligned, else a
    /// shifted copy.
    ///
    /// - Complexity: O(1) when aligned, O(*n*/64) otherwise.
    @inlinable
    public func realigned() -> Bitmap {
        if isWordAligned { return self }
        let shift = UInt64(bitOffset & 63)
        let firstWord = bitOffset >> 6
        let source = storage.base.assumingMemoryBound(to: UInt64.self) + firstWord
        let available = Bitmap.wordCount(forBits: bitOffset + count) - firstWord
        return withExtendedLifetime(storage) {
            Bitmap(unsafeUninitializedCount: count) { words in
                for i in 0..<words.count {
                    let low = source[i] >> shift
                    let high = i + 1 < available ? source[i + 1] << (64 - shift) : 0
                    words[i] = low | high
                }
            }
        }
    }

    /// Calls `body` with the words of a word-aligned copy (or this bitmap itself when aligned).
    /// Bits past `count` in the last word are unspecified.
    @inlinable
    public func withUnsafeWords<R>(_ body: (UnsafeBufferPointer<UInt64>) throws -> R) rethrows -> R {
        let aligned = realigned()
        let base = aligned.storage.base.assumingMemoryBound(to: UInt64.self) + (aligned.bitOffset >> 6)
        return try withExtendedLifetime(aligned.storage) {
            try body(UnsafeBufferPointer(start: base, count: Bitmap.wordCount(forBits: count)))
        }
    }

    /// The number of set bits.
    ///
    /// - Complexity: O(*n*/64).
    public var setCount: Int {
        withUnsafeWords { words in
            guard !words.isEmpty else { return 0 }
            var total = 0
            for i in 0..<(words.count - 1) { total &+= words[i].nonzeroBitCount }
            let tailBits = count - (words.count - 1) * 64
            let mask: UInt64 = tailBits == 64 ? ~0 : (1 << UInt64(tailBits)) &- 1
            return total &+ (words[words.count - 1] & mask).nonzeroBitCount
        }
    }

    /// Whether every bit is set.
    public var allSet: Bool { setCount == count }
}

extension Bitmap: Equatable {
    /// Bit-wise equality of the visible bits.
    public static func == (lhs: Bitmap, rhs: Bitmap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for i in 0..<lhs.count where lhs._bit(i) != rhs._bit(i) { return false }
        return true
    }
}

extension Bitmap {
    /// Bit-wise AND of two bitmaps of equal length; `nil` stands for "all set" (no validity).
    @inlinable
    static func and(_ lhs: Bitmap?, _ rhs: Bitmap?) -> Bitmap? {
        guard let lhs else { return rhs }
        guard let rhs else { return lhs }
        return lhs.withUnsafeWords { a in
            rhs.withUnsafeWords { b in
                Bitmap(unsafeUninitializedCount: lhs.count) { out in
                    for i in 0..<out.count { out[i] = a[i] & b[i] }
                }
            }
        }
    }

    /// Returns a new bitmap whose words are `transform(word)`.
    @inlinable
    func mapWords(_ transform: (UInt64) -> UInt64) -> Bitmap {
        withUnsafeWords { source in
            Bitmap(unsafeUninitializedCount: count) { out in
                for i in 0..<out.count { out[i] = transform(source[i]) }
            }
        }
    }
}

extension Bitmap: CustomStringConvertible {
    /// The bits as `0` and `1` characters, first bit first.
    public var description: String {
        String((0..<count).map { _bit($0) ? "1" : "0" })
    }
}
