import ColumnarCore

/// A read-only view of a text column's rows as UTF-8 byte slices; valid only inside
/// ``_withRows(_:_:)``, which keeps the column's buffers alive.
struct _TextRows {
    let bytes: UnsafeBufferPointer<UInt8>
    let offsets: UnsafeBufferPointer<Int32>
    let validity: Bitmap?

    var count: Int { offsets.count - 1 }

    @inline(__always)
    func isNull(_ row: Int) -> Bool {
        guard let validity else { return false }
        return !validity[row]
    }

    /// The bytes of `row` (empty for a NULL row).
    @inline(__always)
    func row(_ row: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[Int(offsets[row])..<Int(offsets[row + 1])])
    }
}

/// Calls `body` with the rows of `column`.
func _withRows<R>(_ column: BinaryColumn, _ body: (_TextRows) throws -> R) rethrows -> R {
    try column.bytes.withUnsafeBufferPointer { bytes in
        try column.offsets.withUnsafeBufferPointer { offsets in
            try body(_TextRows(bytes: bytes, offsets: offsets, validity: column.validity))
        }
    }
}

/// The text column of a function argument (dictionary-encoded text decoded, binary taken as is).
func _text(_ column: Column) throws -> BinaryColumn {
    switch column {
    case .utf8(let c), .binary(let c): return c
    case .dictionary:
        if case .utf8(let c) = Kernels.decodeDictionary(column) { return c }
    default:
        if case .utf8(let c) = try Kernels.cast(column, to: .utf8) { return c }
    }
    throw SQLError(.internalError, "expected a text argument, found \(column.dataType)")
}

/// The BIGINT column of a function argument (the binder casts integer arguments to BIGINT).
func _int64(_ column: Column) throws -> PrimitiveColumn<Int64> {
    if case .int64(let c) = column { return c }
    if case .int64(let c) = try Kernels.cast(column, to: .int64) { return c }
    throw SQLError(.internalError, "expected a BIGINT argument, found \(column.dataType)")
}

/// The DOUBLE column of a function argument.
func _float64(_ column: Column) throws -> PrimitiveColumn<Double> {
    if case .float64(let c) = column { return c }
    if case .float64(let c) = try Kernels.cast(column, to: .float64) { return c }
    throw SQLError(.internalError, "expected a DOUBLE argument, found \(column.dataType)")
}

/// Builds a text column row by row from byte pieces, without a `String` per row.
struct _TextBuilder {
    private var bytes: ValueBufferBuilder<UInt8>
    private var offsets: ValueBufferBuilder<Int32>
    private var validity: BitmapBuilder?
    private(set) var rows = 0

    init(rows capacity: Int, bytes byteCapacity: Int) {
        bytes = ValueBufferBuilder(capacity: byteCapacity)
        offsets = ValueBufferBuilder(capacity: capacity + 1)
        offsets.append(0)
    }

    /// Appends bytes to the row being built.
    @inline(__always)
    mutating func append(_ piece: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: piece) }

    @inline(__always)
    mutating func append(byte: UInt8) { bytes.append(byte) }

    /// Closes the row being built as a value.
    mutating func endRow() {
        precondition(bytes.count <= Int(Int32.max), "a text column batch exceeds 2 GiB")
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
        validity?.append(true)
        rows += 1
    }

    /// Appends a NULL row (dropping any bytes appended since the last row).
    mutating func appendNull() {
        let start = Int(offsets.last ?? 0)
        if bytes.count > start { bytes.removeLast(bytes.count - start) }
        if validity == nil {
            var bits = BitmapBuilder(capacity: rows + 1)
            bits.append(true, count: rows)
            validity = bits
        }
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
        validity!.append(false)
        rows += 1
    }

    mutating func finish() -> BinaryColumn {
        BinaryColumn(offsets: offsets.finish(), bytes: bytes.finish(), validity: validity?.finish())
    }
}

/// The rows where every one of `bitmaps` is set (`nil` means all valid).
func _validity(_ bitmaps: [Bitmap?], count: Int) -> Bitmap? {
    let present = bitmaps.compactMap { $0 }
    guard var result = present.first else { return nil }
    for other in present.dropFirst() {
        result = result.withUnsafeWords { a in
            other.withUnsafeWords { b in
                Bitmap(unsafeUninitializedCount: count) { out in
                    for i in 0..<out.count { out[i] = a[i] & b[i] }
                }
            }
        }
    }
    return result
}

/// A bitmap of `count` bits whose set bits are written by `body` (which receives zeroed words).
func _bitmap(count: Int, _ body: (UnsafeMutableBufferPointer<UInt64>) -> Void) -> Bitmap {
    Bitmap(unsafeUninitializedCount: count) { words in
        words.initialize(repeating: 0)
        body(words)
    }
}

@inline(__always)
func _setBit(_ words: UnsafeMutableBufferPointer<UInt64>, _ index: Int) {
    words[index >> 6] |= 1 << UInt64(index & 63)
}

// MARK: - UTF-8 helpers

/// Whether `byte` starts a character (is not a continuation byte).
@inline(__always)
func _isLead(_ byte: UInt8) -> Bool { byte & 0xC0 != 0x80 }

/// The length of the UTF-8 sequence that starts with `byte` (1 for stray bytes).
@inline(__always)
func _sequenceLength(_ byte: UInt8) -> Int {
    if byte < 0xC0 { return 1 }
    if byte < 0xE0 { return 2 }
    if byte < 0xF0 { return 3 }
    return 4
}

/// The number of characters (Unicode scalars) in `text`.
func _characterCount(_ text: UnsafeBufferPointer<UInt8>) -> Int {
    var n = 0
    for byte in text where _isLead(byte) { n += 1 }
    return n
}

/// The byte offset of character `index` (0-based) in `text`, or `text.count` when past the end.
func _byteOffset(ofCharacter index: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
    var seen = 0
    var i = 0
    while i < text.count {
        if _isLead(text[i]) {
            if seen == index { return i }
            seen += 1
        }
        i += 1
    }
    return text.count
}

/// Decodes the scalar at `i`, returning it and the position after it.
@inline(__always)
func _decodeScalar(_ text: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
    let b0 = UInt32(text[i])
    let length = min(_sequenceLength(text[i]), text.count - i)
    switch length {
    case 2: return ((b0 & 0x1F) << 6 | UInt32(text[i + 1] & 0x3F), i + 2)
    case 3: return ((b0 & 0x0F) << 12 | UInt32(text[i + 1] & 0x3F) << 6 | UInt32(text[i + 2] & 0x3F), i + 3)
    case 4:
        return ((b0 & 0x07) << 18 | UInt32(text[i + 1] & 0x3F) << 12 | UInt32(text[i + 2] & 0x3F) << 6 | UInt32(text[i + 3] & 0x3F), i + 4)
    default: return (b0, i + 1)
    }
}

/// The first position at or after `from` where `needle` occurs in `haystack` (bytes), or nil.
func _find(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from: Int, to end: Int? = nil) -> Int? {
    let limit = end ?? haystack.count
    let n = needle.count
    if n == 0 { return from <= limit ? from : nil }
    guard limit - from >= n else { return nil }
    let first = needle[0]
    var i = from
    let last = limit - n
    while i <= last {
        if haystack[i] == first {
            var j = 1
            while j < n && haystack[i + j] == needle[j] { j += 1 }
            if j == n { return i }
        }
        i += 1
    }
    return nil
}

/// Whether `text[at..<at+piece.count]` equals `piece`.
@inline(__always)
func _bytesEqual(_ text: UnsafeBufferPointer<UInt8>, at: Int, _ piece: UnsafeBufferPointer<UInt8>) -> Bool {
    guard at >= 0, at + piece.count <= text.count else { return false }
    var j = 0
    while j < piece.count {
        if text[at + j] != piece[j] { return false }
        j += 1
    }
    return true
}

/// Whether every byte of `text` is ASCII.
@inline(__always)
func _isASCII(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    for byte in text where byte >= 0x80 { return false }
    return true
}
