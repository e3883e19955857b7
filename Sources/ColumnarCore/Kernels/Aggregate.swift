extension Kernels {
    /// The number of non-null rows (SQL `count(x)`).
    ///
    /// - Complexity: O(*n*/64).
    public static func count(_ column: Column) -> Int {
        column.count - column.nullCount
    }

    /// The sum of the non-null rows (SQL `sum(x)`); ``Scalar/null`` when there are none.
    ///
    /// Integers are summed exactly in 128 bits and returned as `DECIMAL(38,0)` — DuckDB's
    /// `HUGEINT` — so a sum of integers never overflows or wraps. Floats return `.float64`;
    /// decimals return `.decimal128` with precision 38 and the input scale, and throw `.overflow`
    /// past 38 digits.
    ///
    /// ```swift
    /// try Kernels.sum(.int64(PrimitiveColumn([1, nil, 2])))   // .decimal128(3, precision: 38, scale: 0)
    /// ```
    /// - Throws: ``ColumnarError`` `.overflow` or `.typeMismatch` for non-numeric columns.
    /// - Complexity: O(*n*); the no-null integer path is a branch-free, vectorisable loop.
    public static func sum(_ column: Column) throws -> Scalar {
        if count(column) == 0 {
            guard column.dataType.isNumeric else { throw ColumnarError(.typeMismatch, "sum of \(column.dataType)") }
            return .null
        }
        switch column {
        case .int8(let c): return try _signedTotal(_sumSigned(c))
        case .int16(let c): return try _signedTotal(_sumSigned(c))
        case .int32(let c): return try _signedTotal(_sumSigned(c))
        case .int64(let c): return try _signedTotal(_sumSigned(c))
        case .uint8(let c): return try _unsignedTotal(_sumUnsigned(c))
        case .uint16(let c): return try _unsignedTotal(_sumUnsigned(c))
        case .uint32(let c): return try _unsignedTotal(_sumUnsigned(c))
        case .uint64(let c): return try _unsignedTotal(_sumUnsigned(c))
        case .float32(let c): return .float64(_sumFloat(c))
        case .float64(let c): return .float64(_sumFloat(c))
        case .decimal128(let c, _, let scale):
            // Sum the signed high and unsigned low 64-bit halves separately: neither can overflow
            // within 2^32 values, so intermediate totals may leave 38 digits as long as the
            // final one comes back (the result does not depend on row order).
            var high: Int128 = 0
            var low: UInt128 = 0
            for i in 0..<c.count where !c.isNull(i) {
                let v = c.values[i]
                high += Int128(Int64(truncatingIfNeeded: v >> 64))
                low += UInt128(UInt64(truncatingIfNeeded: v))
            }
            let (shifted, o1) = high.multipliedReportingOverflow(by: Int128(1) << 64)
            let (total, o2) = shifted.addingReportingOverflow(Int128(truncatingIfNeeded: low))
            let lowFits = low <= UInt128(Int128.max)
            guard !o1, !o2, lowFits, total < _decimalLimit, total > -_decimalLimit else {
                throw ColumnarError(.overflow, "decimal sum \(total) exceeds 38 digits")
            }
            return .decimal128(total, precision: 38, scale: scale)
        default:
            throw ColumnarError(.typeMismatch, "sum of \(column.dataType)")
        }
    }

    /// The smallest non-null value (SQL `min(x)`); ``Scalar/null`` when there is none. NaN is
    /// greater than every number, so it is the minimum only of an all-NaN column.
    ///
    /// - Throws: ``ColumnarError`` `.unsupported` for nested columns.
    /// - Complexity: O(*n*).
    public static func min(_ column: Column) throws -> Scalar { try _extreme(column, wantMax: false) }

    /// The largest non-null value (SQL `max(x)`); ``Scalar/null`` when there is none.
    ///
    /// - Throws: ``ColumnarError`` `.unsupported` for nested columns.
    /// - Complexity: O(*n*).
    public static func max(_ column: Column) throws -> Scalar { try _extreme(column, wantMax: true) }
}

func _signedTotal(_ total: Int128) throws -> Scalar {
    .decimal128(total, precision: 38, scale: 0)
}

func _unsignedTotal(_ total: UInt128) throws -> Scalar {
    // At most 2^32 values below 2^64 each: always below 2^96, so it fits.
    guard let exact = Int128(exactly: total) else { throw ColumnarError(.overflow, "sum \(total) exceeds HUGEINT") }
    return .decimal128(exact, precision: 38, scale: 0)
}

/// Exact sum of signed integers. Each value is biased to unsigned (`x + 2^63`, an XOR of the sign
/// bit), split into high and low 32-bit halves, and the halves are summed in 64 bits (neither can
/// overflow within 2^31 values); the bias is subtracted once at the end. Only logical shifts, ANDs
/// and adds: the loop vectorises even on baseline x86-64, which lacks 64-bit arithmetic shifts.
@inlinable
func _sumSigned<T: FixedWidthInteger & SignedInteger & FixedWidthValue>(_ c: PrimitiveColumn<T>) -> Int128 {
    c.values.withUnsafeBufferPointer { v in
        var total: Int128 = 0
        var start = 0
        let chunk = 1 << 30
        let bias: UInt64 = 1 << 63
        while start < v.count {
            let end = Swift.min(v.count, start + chunk)
            var high: UInt64 = 0
            var low: UInt64 = 0
            var present = 0
            if let validity = c.validity {
                validity.withUnsafeWords { words in
                    for i in start..<end {
                        let bit = (words[i >> 6] >> UInt64(i & 63)) & 1
                        let u = (UInt64(bitPattern: Int64(v[i])) ^ bias) & (0 &- bit)
                        high &+= u >> 32
                        low &+= u & 0xFFFF_FFFF
                        present &+= Int(bit)
                    }
                }
            } else {
                for i in start..<end {
                    let u = UInt64(bitPattern: Int64(v[i])) ^ bias
                    high &+= u >> 32
                    low &+= u & 0xFFFF_FFFF
                }
                present = end - start
            }
            total += Int128(high) << 32 + Int128(low) - Int128(present) << 63
            start = end
        }
        return total
    }
}

@inlinable
func _sumUnsigned<T: FixedWidthInteger & UnsignedInteger & FixedWidthValue>(_ c: PrimitiveColumn<T>) -> UInt128 {
    c.values.withUnsafeBufferPointer { v in
        var total: UInt128 = 0
        var start = 0
        let chunk = 1 << 30
        while start < v.count {
            let end = Swift.min(v.count, start + chunk)
            var high: UInt64 = 0
            var low: UInt64 = 0
            for i in start..<end where c.validity?._bit(i) ?? true {
                let x = UInt64(v[i])
                high &+= x >> 32
                low &+= x & 0xFFFF_FFFF
            }
            total += UInt128(high) << 32 + UInt128(low)
            start = end
        }
        return total
    }
}

@inlinable
func _sumFloat<T: BinaryFloatingPoint & FixedWidthValue>(_ c: PrimitiveColumn<T>) -> Double {
    c.values.withUnsafeBufferPointer { v in
        // Four accumulators let the loop pipeline; the order differs from a left fold only in
        // rounding, as in every vectorised engine.
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        if let validity = c.validity {
            for i in 0..<v.count where validity._bit(i) { s0 += Double(v[i]) }
        } else {
            var i = 0
            while i + 4 <= v.count {
                s0 += Double(v[i]); s1 += Double(v[i + 1]); s2 += Double(v[i + 2]); s3 += Double(v[i + 3])
                i += 4
            }
            while i < v.count { s0 += Double(v[i]); i += 1 }
        }
        return (s0 + s1) + (s2 + s3)
    }
}

func _extreme(_ column: Column, wantMax: Bool) throws -> Scalar {
    if Kernels.count(column) == 0 {
        if column.dataType.isNested { throw ColumnarError(.unsupported, "min/max of \(column.dataType)") }
        return .null
    }
    struct Visitor: PrimitiveColumnVisitor {
        let wantMax: Bool
        func visit<T: FixedWidthValue>(_ c: PrimitiveColumn<T>) -> Int { _extremeRow(c, wantMax: wantMax) }
    }
    if let row = try column.visitPrimitive(Visitor(wantMax: wantMax)) { return column.scalar(at: row) }
    switch column {
    case .boolean(let c):
        for i in 0..<c.count where !c.isNull(i) && c.values._bit(i) == wantMax { return .boolean(wantMax) }
        return .boolean(!wantMax)
    case .utf8(let c), .binary(let c):
        return column.scalar(at: _extremeBinaryRow(c, wantMax: wantMax))
    case .dictionary(let d):
        // Only entries that some present row uses count.
        var used = [Bool](repeating: false, count: d.dictionary.count)
        for i in 0..<d.count where !d.isNull(i) { used[Int(d.indices.values[i])] = true }
        let entries = (0..<used.count).filter { used[$0] }.map { UInt32($0) }
        let candidates = try Kernels.take(.utf8(d.dictionary), SelectionVector(entries))
        return try _extreme(candidates, wantMax: wantMax)
    default:
        throw ColumnarError(.unsupported, "min/max of \(column.dataType)")
    }
}

/// The row of the extreme present value (first one on ties).
@inlinable
func _extremeRow<T: FixedWidthValue>(_ c: PrimitiveColumn<T>, wantMax: Bool) -> Int {
    c.values.withUnsafeBufferPointer { v in
        var best = -1
        for i in 0..<v.count where c.validity?._bit(i) ?? true {
            if best < 0 { best = i; continue }
            if wantMax ? T.sqlLess(v[best], v[i]) : T.sqlLess(v[i], v[best]) { best = i }
        }
        return best
    }
}

/// The row of the smallest or largest present string. Rows are first compared by their 8-byte
/// big-endian prefix (one load); only prefix ties compare bytes.
func _extremeBinaryRow(_ c: BinaryColumn, wantMax: Bool) -> Int {
    c._withBuffers { offsets, bytes in
        var best = -1
        var bestKey: UInt64 = 0
        let flip: UInt64 = wantMax ? ~0 : 0
        for i in 0..<c.count {
            if let validity = c.validity, !validity._bit(i) { continue }
            let start = Int(offsets[i])
            let length = Int(offsets[i + 1]) - start
            let word = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: start, as: UInt64.self))
            let mask: UInt64 = length >= 8 ? ~0 : ~(UInt64.max >> UInt64(length * 8))
            // With `flip`, "smaller key" means "better" for both min and max.
            let key = (word & mask) ^ flip
            if best < 0 || key < bestKey {
                best = i
                bestKey = key
            } else if key == bestKey {
                let bestStart = Int(offsets[best])
                let order = _compareBytes(bytes + start, length, bytes + bestStart, Int(offsets[best + 1]) - bestStart)
                if wantMax ? order > 0 : order < 0 { best = i }
            }
        }
        return best
    }
}
