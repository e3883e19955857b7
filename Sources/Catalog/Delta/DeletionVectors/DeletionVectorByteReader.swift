/// A bounds-checked cursor over untrusted bytes: a deletion-vector file or a serialized bitmap.
///
/// Every read checks that its bytes lie before `end` and throws ``CatalogError`` `corruptData`
/// otherwise, naming what was being read and its byte offset. Messages give positions in `bytes`
/// plus `origin`, so a bitmap read from the middle of a DV file, or from a range read out of one,
/// reports offsets in the file.
struct DeletionVectorByteReader {
    let bytes: [UInt8]
    /// The file offset of `bytes[0]`, for messages.
    let origin: Int
    /// The next byte to read.
    private(set) var position: Int
    /// One past the last byte this reader may read.
    let end: Int

    /// A reader over `bytes[range]`; the range must lie inside `bytes`.
    init(_ bytes: [UInt8], range: Range<Int>? = nil, origin: Int = 0) {
        let range = range ?? 0..<bytes.count
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "reader range outside its bytes")
        self.bytes = bytes
        self.origin = origin
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    /// The number of bytes left.
    var remaining: Int { end - position }

    /// An error for corrupt input at `offset` (the current position by default).
    func corrupt(_ message: String, at offset: Int? = nil) -> CatalogError {
        CatalogError(.corruptData, "deletion vector: \(message) at byte offset \(origin + (offset ?? position))")
    }

    /// Checks that `count` more bytes exist, for reading `what`.
    func require(_ count: Int, for what: @autoclosure () -> String) throws(CatalogError) {
        guard count >= 0, count <= remaining else {
            throw corrupt("\(what()) needs \(count) bytes but only \(remaining) remain (truncated)")
        }
    }

    /// Skips `count` bytes that `require` has checked.
    mutating func skip(_ count: Int, for what: @autoclosure () -> String) throws(CatalogError) {
        try require(count, for: what())
        position += count
    }

    /// Reads an unsigned integer of `T`'s width in little-endian order.
    mutating func littleEndian<T: FixedWidthInteger & UnsignedInteger>(
        _: T.Type, for what: @autoclosure () -> String
    ) throws(CatalogError) -> T {
        let width = T.bitWidth / 8
        try require(width, for: what())
        var value: T = 0
        for index in stride(from: position + width - 1, through: position, by: -1) {
            value = value << 8 | T(bytes[index])
        }
        position += width
        return value
    }

    /// Reads a big-endian `UInt32`.
    mutating func bigEndianUInt32(for what: @autoclosure () -> String) throws(CatalogError) -> UInt32 {
        try require(4, for: what())
        var value: UInt32 = 0
        for index in position ..< position + 4 { value = value << 8 | UInt32(bytes[index]) }
        position += 4
        return value
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` in little-endian byte order.
    mutating func appendLittleEndian<T: FixedWidthInteger & UnsignedInteger>(_ value: T) {
        for shift in stride(from: 0, to: T.bitWidth, by: 8) { append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    /// Appends `value` in big-endian byte order.
    mutating func appendBigEndian(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { append(UInt8(truncatingIfNeeded: value >> shift)) }
    }
}
