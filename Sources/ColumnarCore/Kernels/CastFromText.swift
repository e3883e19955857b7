/// Text → typed values, parsing the bytes in place (no `String` per value except for floats).
func _parse(_ c: BinaryColumn, as target: DataType) throws -> Column {
    func typed<T: FixedWidthValue>(_: T.Type, _ parse: (inout _ByteCursor) -> T?) throws -> PrimitiveColumn<T> {
        try c._withBuffers { offsets, bytes in
            var failed: Int? = nil
            let values = ValueBuffer<T>(unsafeUninitializedCount: c.count) { out in
                for i in 0..<c.count {
                    out[i] = .zero
                    if c.isNull(i) { continue }
                    let start = Int(offsets[i])
                    let span = UnsafeBufferPointer(start: bytes.assumingMemoryBound(to: UInt8.self) + start, count: Int(offsets[i + 1]) - start)
                    var cursor = _ByteCursor(span)
                    cursor.skipSpaces()
                    let value = parse(&cursor)
                    cursor.skipSpaces()
                    if let value, cursor.atEnd { out[i] = value } else if failed == nil { failed = i }
                }
            }
            if let failed {
                let text = c.string(at: failed) ?? ""
                throw ColumnarError(.invalidCast, "could not convert '\(text)' to \(target)", row: failed)
            }
            return PrimitiveColumn(values: values, validity: c.validity)
        }
    }
    func integer<T: FixedWidthInteger & FixedWidthValue>(_: T.Type) throws -> PrimitiveColumn<T> {
        try typed(T.self) { cursor in
            let negative = cursor.consume(0x2D)
            if !negative { _ = cursor.consume(0x2B) }
            var value: T = 0
            var digits = 0
            while let byte = cursor.current, byte >= 0x30, byte <= 0x39 {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let digit = T(truncatingIfNeeded: byte - 0x30)
                let (r, o2) = negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
                if o1 || o2 { return nil }
                value = r
                digits += 1
                cursor.position += 1
            }
            // An exponent (`1e1`, `25E-1`): exact only when the value is a whole number.
            if digits > 0, let e = cursor.current, e | 0x20 == 0x65 {
                let start = cursor.position
                cursor.position += 1
                let negativeExponent = cursor.consume(0x2D)
                if !negativeExponent { _ = cursor.consume(0x2B) }
                guard let exponent = cursor.digits(min: 1, max: 3) else { cursor.position = start; return nil }
                var scaled = value
                if negativeExponent {
                    for _ in 0..<exponent.value {
                        let (q, r) = scaled.quotientAndRemainder(dividingBy: 10)
                        if r != 0 { return nil }
                        scaled = q
                    }
                } else {
                    for _ in 0..<exponent.value {
                        let (m, o) = scaled.multipliedReportingOverflow(by: 10)
                        if o { return nil }
                        scaled = m
                    }
                }
                return scaled
            }
            return digits > 0 ? value : nil
        }
    }
    func floating(_ cursor: inout _ByteCursor) -> Double? {
        let text = cursor.token()
        switch text.lowercased() {
        case "nan", "+nan", "-nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default:
            // Letters other than an exponent mark are not numbers; a finite literal too large
            // for DOUBLE ('1e999') is out of range, not infinity.
            guard !text.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" }), let value = Double(text) else { return nil }
            return value.isInfinite ? nil : value
        }
    }
    switch target {
    case .int8: return .int8(try integer(Int8.self))
    case .int16: return .int16(try integer(Int16.self))
    case .int32: return .int32(try integer(Int32.self))
    case .int64: return .int64(try integer(Int64.self))
    case .uint8: return .uint8(try integer(UInt8.self))
    case .uint16: return .uint16(try integer(UInt16.self))
    case .uint32: return .uint32(try integer(UInt32.self))
    case .uint64: return .uint64(try integer(UInt64.self))
    case .float64: return .float64(try typed(Double.self, floating))
    case .float32:
        return .float32(try typed(Float.self) { cursor in floating(&cursor).flatMap(_narrowToFloat) })
    case .boolean:
        let parsed = try typed(UInt8.self) { cursor in
            let word = cursor.token().lowercased()
            switch word {
            case "true", "t", "yes", "y", "1", "on": return 1
            case "false", "f", "no", "n", "0", "off": return 0
            default: return nil
            }
        }
        return .boolean(BooleanColumn(values: _packBits(count: parsed.count) { parsed.values[$0] == 1 }, validity: parsed.validity))
    case .date32:
        // DuckDB's range: 5877642-06-25 (BC) to 5881580-07-10 (±(2^31 - 2) days).
        return .date32(try typed(Int32.self) { cursor in _TemporalParser.date(&cursor).flatMap { abs($0) <= 2_147_483_646 ? Int32($0) : nil } })
    case .time64(let unit):
        let divisor = Int64(1_000_000_000) / unit.ticksPerSecond
        return .time64(try typed(Int64.self) { cursor in _TemporalParser.time(&cursor).map { $0 / divisor } }, unit)
    case .timestamp(let unit, let zone):
        let divisor = Int128(1_000_000_000 / unit.ticksPerSecond)
        return .timestamp(try typed(Int64.self) { cursor in
            guard let nanos = _TemporalParser.timestamp(&cursor) else { return nil }
            let (q, r) = nanos.quotientAndRemainder(dividingBy: divisor)
            return Int64(exactly: r < 0 ? q - 1 : q)
        }, unit, timeZone: zone)
    case .interval:
        return .interval(try typed(Interval.self) { cursor in
            var builder = _IntervalBuilder()
            let rest = Array(UnsafeBufferPointer(rebasing: cursor.bytes[cursor.position...]))
            cursor.position = cursor.bytes.count
            guard builder.parse(rest) else { return nil }
            return builder.value
        })
    case .decimal128(let precision, let scale):
        let limit = _pow10(precision)
        let values = try typed(Int128.self) { cursor in _parseDecimalText(&cursor, scale: scale, limit: limit) }
        return .decimal128(values, precision: precision, scale: scale)
    default:
        throw ColumnarError(.unsupported, "no cast from VARCHAR to \(target)")
    }
}

/// A decimal in text (`-12.5`, `+1234.56789e-1`, `.1e3`) as an integer scaled by `10^scale`,
/// rounded half away from zero; nil when it is not a number or its magnitude reaches `limit`.
func _parseDecimalText(_ cursor: inout _ByteCursor, scale: Int, limit: Int128) -> Int128? {
    let negative = cursor.consume(0x2D)
    if !negative { _ = cursor.consume(0x2B) }
    var digits: [UInt8] = []
    var fractionDigits = 0
    var seenPoint = false
    var seenDigit = false
    while let byte = cursor.current {
        if byte == 0x2E, !seenPoint { seenPoint = true; cursor.position += 1; continue }
        guard byte >= 0x30, byte <= 0x39 else { break }
        cursor.position += 1
        seenDigit = true
        if seenPoint { fractionDigits += 1 }
        // Leading zeros carry no value.
        if digits.isEmpty && byte == 0x30 { continue }
        digits.append(byte - 0x30)
    }
    guard seenDigit else { return nil }
    var exponent = 0
    if let e = cursor.current, e == 0x65 || e == 0x45 {
        cursor.position += 1
        let negativeExponent = cursor.consume(0x2D)
        if !negativeExponent { _ = cursor.consume(0x2B) }
        var seenExponentDigit = false
        while let byte = cursor.current, byte >= 0x30, byte <= 0x39 {
            cursor.position += 1
            seenExponentDigit = true
            if exponent < 10_000 { exponent = exponent * 10 + Int(byte - 0x30) }
        }
        guard seenExponentDigit else { return nil }
        if negativeExponent { exponent = -exponent }
    }
    // value = digits × 10^(exponent − fractionDigits); scaled = value × 10^scale.
    let shift = exponent - fractionDigits + scale
    var kept = digits
    var roundUp = false
    if shift < 0 {
        let drop = -shift
        if drop > kept.count {
            kept = []
        } else {
            roundUp = kept[kept.count - drop] >= 5
            kept.removeLast(drop)
        }
    }
    var value: Int128 = 0
    for d in kept {
        let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
        let (next, o2) = shifted.addingReportingOverflow(Int128(d))
        if o1 || o2 || next >= limit { return nil }
        value = next
    }
    if shift > 0 && value != 0 {
        for _ in 0..<shift {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow || shifted >= limit { return nil }
            value = shifted
        }
    }
    if roundUp { value += 1 }
    guard value < limit else { return nil }
    return negative ? -value : value
}
