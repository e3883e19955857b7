/// The hash of a null value, shared by every type so `NULL`s group together.
@usableFromInline let _nullHash: UInt64 = 0x5851_F42D_4C95_7F2D

/// A strong 64-bit mixer (a variant of the splitmix64 finaliser): every input bit affects every
/// output bit, so low bits are usable as hash-table positions.
@inlinable @inline(__always)
func _mix64(_ value: UInt64) -> UInt64 {
    var x = value &* 0x9E37_79B9_7F4A_7C15
    x ^= x >> 32
    x = x &* 0xD6E8_FEB8_6659_FD93
    x ^= x >> 32
    return x
}

/// Folds the hash of a further key column into a running row hash.
@inlinable @inline(__always)
func _combineHashes(_ running: UInt64, _ next: UInt64) -> UInt64 {
    _mix64((running &<< 5 | running &>> 59) ^ next)
}

/// Hashes a byte string: 8 bytes at a time, the tail masked from one padded load.
@inlinable @inline(__always)
func _hashBytes(_ base: UnsafeRawPointer, _ count: Int) -> UInt64 {
    var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(truncatingIfNeeded: count)
    var position = 0
    while position + 8 <= count {
        h = (h ^ base.loadUnaligned(fromByteOffset: position, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        position &+= 8
    }
    let rest = count - position
    if rest > 0 {
        // Buffers are padded by 16 bytes, so an 8-byte load from an in-bounds position is safe.
        let word = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        h = (h ^ (word & ((1 << UInt64(rest * 8)) &- 1))) &* 0xFF51_AFD7_ED55_8CCD
    }
    return _mix64(h)
}

/// The bit pattern a value hashes by: equal SQL values (e.g. -0.0 and 0.0, every NaN) must
/// hash equally.
@usableFromInline protocol _HashableBits: FixedWidthValue {
    var _hashBits: UInt64 { get }
    /// Whether distinct SQL values always have distinct `_hashBits` (false for 128-bit values),
    /// so a hash table may compare the bits instead of the values.
    static var _hashBitsAreInjective: Bool { get }
}
extension _HashableBits {
    @inlinable static var _hashBitsAreInjective: Bool { true }
}
extension Int8: _HashableBits { @inlinable var _hashBits: UInt64 { UInt64(bitPattern: Int64(self)) } }
extension Int16: _HashableBits { @inlinable var _hashBits: UInt64 { UInt64(bitPattern: Int64(self)) } }
extension Int32: _HashableBits { @inlinable var _hashBits: UInt64 { UInt64(bitPattern: Int64(self)) } }
extension Int64: _HashableBits { @inlinable var _hashBits: UInt64 { UInt64(bitPattern: self) } }
extension UInt8: _HashableBits { @inlinable var _hashBits: UInt64 { UInt64(self) } }
extension UInt16: _HashableBits { @inlinable var _hashBits: UInt64 { UInt64(self) } }
extension UInt32: _HashableBits { @inlinable var _hashBits: UInt64 { UInt64(self) } }
extension UInt64: _HashableBits { @inlinable var _hashBits: UInt64 { self } }
extension Int128: _HashableBits {
    @inlinable static var _hashBitsAreInjective: Bool { false }
    @inlinable var _hashBits: UInt64 { UInt64(truncatingIfNeeded: self) ^ _mix64(UInt64(truncatingIfNeeded: self >> 64)) }
}
extension Float: _HashableBits {
    @inlinable var _hashBits: UInt64 { isNaN ? 0x7FF8_0000_0000_0000 : (Double(self) + 0.0).bitPattern }
}
extension Double: _HashableBits {
    @inlinable var _hashBits: UInt64 { isNaN ? 0x7FF8_0000_0000_0000 : (self + 0.0).bitPattern }
}

extension Kernels {
    /// A 64-bit hash per row over one or several key columns (for hash joins and GROUP BY).
    ///
    /// Rows whose keys are equal under SQL grouping (nulls equal each other, NaN equals NaN,
    /// -0.0 equals 0.0, a dictionary string equals the same plain string) get equal hashes. The
    /// hashes are stable within a process run, not across versions: do not persist them.
    ///
    /// ```swift
    /// let hashes = try Kernels.hash([.int64(PrimitiveColumn([1, 2, 1]))])
    /// hashes[0] == hashes[2]   // true
    /// ```
    /// - Throws: ``ColumnarError`` `.lengthMismatch` or `.unsupported` for nested columns.
    /// - Complexity: O(*n* × keys).
    public static func hash(_ columns: [Column]) throws -> ValueBuffer<UInt64> {
        guard let first = columns.first else { throw ColumnarError(.invalidArgument, "hash needs at least one column") }
        let count = first.count
        for column in columns { try _requireSameLength(count, column.count, "hash") }
        return try ValueBuffer<UInt64>(unsafeUninitializedCount: count) { out in
            for (position, column) in columns.enumerated() {
                try _hashColumn(column, into: out, combine: position > 0)
            }
        }
    }
}

/// Writes (or folds in, when `combine`) the hash of each row of `column`.
func _hashColumn(_ column: Column, into out: UnsafeMutableBufferPointer<UInt64>, combine: Bool) throws {
    struct Visitor: PrimitiveColumnVisitor {
        let out: UnsafeMutableBufferPointer<UInt64>
        let combine: Bool
        func visit<T: FixedWidthValue>(_ c: PrimitiveColumn<T>) -> Bool {
            guard let hashable = c as? any _HashablePrimitive else { return false }
            hashable._hash(into: out, combine: combine)
            return true
        }
    }
    if try column.visitPrimitive(Visitor(out: out, combine: combine)) == true { return }
    switch column {
    case .boolean(let c):
        _finishHash(out, combine: combine, validity: c.validity) { c.values._bit($0) ? 0x9E37_79B9 : 0x7F4A_7C15 }
    case .utf8(let c), .binary(let c):
        c._withBuffers { offsets, bytes in
            _finishHash(out, combine: combine, validity: c.validity) { i in
                let start = Int(offsets[i])
                return _hashBytes(bytes + start, Int(offsets[i + 1]) - start)
            }
        }
    case .dictionary(let d):
        // Hash each distinct value once, then gather.
        var entryHashes = [UInt64](repeating: 0, count: d.dictionary.count)
        try entryHashes.withUnsafeMutableBufferPointer { try _hashColumn(.utf8(d.dictionary), into: $0, combine: false) }
        let entries = entryHashes.count
        d.indices.values.withUnsafeBufferPointer { keys in
            _finishHash(out, combine: combine, validity: d.indices.validity) { i in
                let key = Int(keys[i])
                return key >= 0 && key < entries ? entryHashes[key] : _nullHash
            }
        }
    default:
        throw ColumnarError(.unsupported, "hashing \(column.dataType) columns is not supported")
    }
}

@usableFromInline protocol _HashablePrimitive {
    func _hash(into out: UnsafeMutableBufferPointer<UInt64>, combine: Bool)
}

extension PrimitiveColumn: _HashablePrimitive where Value: _HashableBits {
    @usableFromInline
    func _hash(into out: UnsafeMutableBufferPointer<UInt64>, combine: Bool) {
        values.withUnsafeBufferPointer { v in
            _finishHash(out, combine: combine, validity: validity) { _mix64(v[$0]._hashBits) }
        }
    }
}

/// The shared loop: every row's hash computed branch-free; null rows take the null hash.
@inlinable @inline(__always)
func _finishHash(_ out: UnsafeMutableBufferPointer<UInt64>, combine: Bool, validity: Bitmap?, _ hashOf: (Int) -> UInt64) {
    guard let validity else {
        if combine {
            for i in 0..<out.count { out[i] = _combineHashes(out[i], hashOf(i)) }
        } else {
            for i in 0..<out.count { out[i] = hashOf(i) }
        }
        return
    }
    validity.withUnsafeWords { words in
        for i in 0..<out.count {
            let valid = (words[i >> 6] >> UInt64(i & 63)) & 1 != 0
            let h = valid ? hashOf(i) : _nullHash
            out[i] = combine ? _combineHashes(out[i], h) : h
        }
    }
}
extension Int256: _HashableBits {
    @inlinable static var _hashBitsAreInjective: Bool { false }
    @inlinable var _hashBits: UInt64 { Int128(bitPattern: low)._hashBits ^ _mix64(high._hashBits) }
}
