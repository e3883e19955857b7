/// Grows a bitmap one bit (or a run of bits) at a time without per-bit allocation.
///
/// ```swift
/// var builder = BitmapBuilder()
/// builder.append(true); builder.append(false)
/// let bits = builder.finish()   // "10"
/// ```
public struct BitmapBuilder: Sendable {
    @usableFromInline var words: [UInt64] = []
    @usableFromInline var _count: Int = 0
    /// The number of bits appended so far.
    public var count: Int { _count }

    /// Creates an empty builder with room for `capacity` bits.
    public init(capacity: Int = 0) {
        words.reserveCapacity(Bitmap.wordCount(forBits: capacity))
    }

    /// Appends one bit.
    @inlinable
    public mutating func append(_ bit: Bool) {
        let word = count >> 6
        if word == words.count { words.append(0) }
        if bit { words[word] |= 1 << UInt64(count & 63) }
        _count += 1
    }

    /// Appends `n` copies of `bit`.
    public mutating func append(_ bit: Bool, count n: Int) {
        guard n > 0 else { return }
        // Fill the current partial word bit by bit, then whole words.
        var remaining = n
        while remaining > 0 && count & 63 != 0 {
            append(bit)
            remaining -= 1
        }
        let whole = remaining >> 6
        if whole > 0 {
            words.append(contentsOf: repeatElement(bit ? ~0 : 0, count: whole))
            _count += whole * 64
            remaining -= whole * 64
        }
        while remaining > 0 {
            append(bit)
            remaining -= 1
        }
    }

    /// The bitmap built so far; the builder is left empty.
    public mutating func finish() -> Bitmap {
        let bits = count
        let source = words
        words = []
        _count = 0
        return Bitmap(unsafeUninitializedCount: bits) { target in
            source.withUnsafeBufferPointer { words in
                for i in 0..<target.count { target[i] = words[i] }
            }
        }
    }
}
