extension Kernels {
    /// Converts a column to `target`, row by row; nulls stay null.
    ///
    /// Supported: between all numeric types (integers, floats, decimals; floats round half away
    /// from zero into integers, as DuckDB does), booleans to and from integers, dates and
    /// timestamps among themselves, anything to text, and text to booleans, numbers, decimals,
    /// dates, times and timestamps (ISO-8601; leading and trailing spaces are ignored). A value
    /// that does not fit or does not parse throws ``ColumnarError`` `.invalidCast` naming the row
    /// and the value, never a silent null or wrap.
    ///
    /// ```swift
    /// try Kernels.cast(.utf8(BinaryColumn(["42", " 7 "])), to: .int64)   // [42, 7]
    /// try Kernels.cast(.utf8(BinaryColumn(["4x"])), to: .int64)          // throws invalidCast, row 0
    /// ```
    /// - Throws: ``ColumnarError`` `.invalidCast`, or `.unsupported` for a pair of types with no
    ///   conversion.
    /// - Complexity: O(*n*).
    public static func cast(_ column: Column, to target: DataType) throws -> Column {
        if column.dataType == target { return column }
        if case .dictionary = column { return try cast(decodeDictionary(column), to: target) }
        let source = column.dataType
        switch (source, target) {
        case (_, .utf8):
            if case .binary(let c) = column { return .utf8(try _validateUTF8(c)) }
            var builder = BinaryColumnBuilder(capacity: column.count)
            for i in 0..<column.count {
                if column.isNull(i) { builder.appendNull() } else { builder.append(column.scalar(at: i).formatted) }
            }
            return .utf8(builder.finish())
        case (.utf8, .binary):
            guard case .utf8(let c) = column else { break }
            return .binary(c)
        case (.fixedSizeList(_, let size), .list(let element)) where element.dataType == .float32:
            // A fixed-size vector column as a variable-length list (how Delta stores arrays).
            guard case .fixedSizeList(let c) = column else { break }
            let offsets = ValueBuffer<Int32>(unsafeUninitializedCount: c.count + 1) { out in
                for i in 0...c.count { out[i] = Int32(truncatingIfNeeded: i * size) }
            }
            return .list(ListColumn(element: element, offsets: offsets, child: .float32(PrimitiveColumn(values: c.values)), validity: c.validity))
        case (.utf8, _):
            guard case .utf8(let c) = column else { break }
            return try _parse(c, as: target)
        case (.boolean, _) where target.isNumeric:
            guard case .boolean(let c) = column else { break }
            let ints = Column.int8(PrimitiveColumn(values: ValueBuffer(unsafeUninitializedCount: c.count) { out in
                for i in 0..<c.count { out[i] = c.values._bit(i) ? 1 : 0 }
            }, validity: c.validity))
            return try cast(ints, to: target)
        case (_, .boolean) where source.isNumeric:
            let zero = try cast(.int8(PrimitiveColumn([Int8(0)])), to: source).scalar(at: 0)
            let isZero = try compare(column, .notEqual, zero)
            return .boolean(isZero)
        case (_, _) where source.isNumeric && target.isNumeric:
            return try _castNumeric(column, to: target)
        case (.date32, .timestamp(let unit, let zone)):
            guard case .date32(let c) = column else { break }
            let perDay = Int64(86_400) * unit.ticksPerSecond
            return .timestamp(try _mapValues(c, source: source, target: target) { Int64(exactly: Int128($0) * Int128(perDay)) }, unit, timeZone: zone)
        case (.timestamp(let unit, _), .date32):
            guard case .timestamp(let c, _, _) = column else { break }
            let perDay = Int64(86_400) * unit.ticksPerSecond
            return .date32(try _mapValues(c, source: source, target: target) { ticks in
                Int32(exactly: _floorDivide(ticks, perDay))
            })
        case (.timestamp(let from, _), .timestamp(let to, let zone)):
            guard case .timestamp(let c, _, _) = column else { break }
            return .timestamp(try _mapValues(c, source: source, target: target) { _rescaleTicks($0, from, to) }, to, timeZone: zone)
        case (.time64(let from), .time64(let to)):
            guard case .time64(let c, _) = column else { break }
            return .time64(try _mapValues(c, source: source, target: target) { _rescaleTicks($0, from, to) }, to)
        default:
            break
        }
        throw ColumnarError(.unsupported, "no cast from \(source) to \(target)")
    }
}

/// `value` as a Float, or nil when a finite value is too large for FLOAT (not infinity).
func _narrowToFloat(_ value: Double) -> Float? {
    let narrow = Float(value)
    return narrow.isInfinite && value.isFinite ? nil : narrow
}

/// Ticks of `from` as ticks of `to`: exact when finer (or nil on overflow), floored when coarser.
func _rescaleTicks(_ ticks: Int64, _ from: TimeUnit, _ to: TimeUnit) -> Int64? {
    let (f, t) = (from.ticksPerSecond, to.ticksPerSecond)
    if t >= f { return Int64(exactly: Int128(ticks) * Int128(t / f)) }
    let ratio = f / t
    return _floorDivide(ticks, ratio)
}

/// `value / divisor` rounded toward negative infinity, for a positive divisor; never overflows.
func _floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let (q, r) = value.quotientAndRemainder(dividingBy: divisor)
    return r < 0 ? q - 1 : q
}

/// Maps each present value; `nil` from `convert` becomes an `.invalidCast` error for that row.
func _mapValues<S: FixedWidthValue, D: FixedWidthValue>(
    _ c: PrimitiveColumn<S>, source: DataType, target: DataType, _ convert: (S) -> D?
) throws -> PrimitiveColumn<D> {
    var failed: Int? = nil
    let values = c.values.withUnsafeBufferPointer { v in
        ValueBuffer<D>(unsafeUninitializedCount: v.count) { out in
            for i in 0..<v.count {
                if let converted = convert(v[i]) {
                    out[i] = converted
                } else {
                    out[i] = .zero
                    if failed == nil, c.validity?._bit(i) ?? true { failed = i }
                }
            }
        }
    }
    if let failed {
        throw ColumnarError(.invalidCast, "\(Column.scalarText(c.values[failed], source)) does not fit \(target)", row: failed)
    }
    return PrimitiveColumn(values: values, validity: c.validity)
}

extension Column {
    static func scalarText<T: FixedWidthValue>(_ value: T, _ type: DataType) -> String {
        switch type {
        case .decimal128(_, let scale): return Scalar.formatDecimal(value as? Int128 ?? 0, scale: scale)
        case .decimal256(_, let scale):
            let wide = value as? Int256 ?? .zero
            return Scalar.formatDecimal(magnitude: String(wide.description.drop { $0 == "-" }), negative: wide.isNegative, scale: scale)
        default: return "\(value)"
        }
    }
}

func _pow10(_ exponent: Int) -> Int128 {
    var value: Int128 = 1
    for _ in 0..<exponent { value *= 10 }
    return value
}

/// Divides rounding half away from zero.
func _divideRounded(_ value: Int128, _ divisor: Int128) -> Int128 {
    let (q, r) = value.quotientAndRemainder(dividingBy: divisor)
    guard r != 0, r.magnitude * 2 >= divisor.magnitude else { return q }
    return value < 0 ? q - 1 : q + 1
}

func _castNumeric(_ column: Column, to target: DataType) throws -> Column {
    // The common widenings in a plain loop (the generic path below tests each value's type).
    if target == .float64 {
        switch column {
        case .decimal128(let c, _, let scale):
            let divisor = Double(_pow10(scale))
            let values = ValueBuffer<Double>(unsafeUninitializedCount: c.count) { out in
                c.values.withUnsafeBufferPointer { source in
                    for i in 0..<source.count {
                        let v = source[i]
                        let narrow = Int64(truncatingIfNeeded: v)
                        out[i] = (Int128(narrow) == v ? Double(narrow) : Double(v)) / divisor
                    }
                }
            }
            return .float64(PrimitiveColumn(values: values, validity: c.validity))
        case .int64(let c):
            let values = ValueBuffer<Double>(unsafeUninitializedCount: c.count) { out in
                c.values.withUnsafeBufferPointer { source in
                    for i in 0..<source.count { out[i] = Double(source[i]) }
                }
            }
            return .float64(PrimitiveColumn(values: values, validity: c.validity))
        case .int32(let c):
            let values = ValueBuffer<Double>(unsafeUninitializedCount: c.count) { out in
                c.values.withUnsafeBufferPointer { source in
                    for i in 0..<source.count { out[i] = Double(source[i]) }
                }
            }
            return .float64(PrimitiveColumn(values: values, validity: c.validity))
        default: break
        }
    }
    struct Visitor: PrimitiveColumnVisitor {
        let source: DataType
        let target: DataType
        func visit<S: FixedWidthValue>(_ c: PrimitiveColumn<S>) throws -> Column {
            // Every numeric value has an exact image as (unscaled Int128, scale) or a Double.
            let sourceScale: Int
            if case .decimal128(_, let s) = source { sourceScale = s } else { sourceScale = 0 }
            func asExact(_ v: S) -> Int128? {
                if let i = v as? Int128 { return i }
                if let f = v as? Double { return f.isFinite && abs(f) < 1.7e38 ? Int128(exactly: f.rounded(.toNearestOrAwayFromZero)) : nil }
                if let f = v as? Float { return f.isFinite ? Int128(exactly: Double(f).rounded(.toNearestOrAwayFromZero)) : nil }
                return _integerAsInt128(v)
            }
            func asDouble(_ v: S) -> Double {
                if let f = v as? Double { return f }
                if let f = v as? Float { return Double(f) }
                if let i = v as? Int128 { return Double(i) / Double(_pow10(sourceScale)) }
                return Double(_integerAsInt128(v) ?? 0)
            }
            func integer<D: FixedWidthInteger & FixedWidthValue>(_: D.Type) throws -> PrimitiveColumn<D> {
                let divisor = _pow10(sourceScale)
                return try _mapValues(c, source: source, target: target) { v in
                    guard let exact = asExact(v) else { return nil }
                    return D(exactly: sourceScale > 0 ? _divideRounded(exact, divisor) : exact)
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
            case .float32:
                return .float32(try _mapValues(c, source: source, target: target) { _narrowToFloat(asDouble($0)) })
            case .float64: return .float64(try _mapValues(c, source: source, target: target) { asDouble($0) })
            case .decimal128(let precision, let scale):
                let limit = _pow10(precision)
                let values: PrimitiveColumn<Int128> = try _mapValues(c, source: source, target: target) { v in
                    let scaled: Int128?
                    if S.self == Double.self || S.self == Float.self {
                        let d = asDouble(v) * Double(_pow10(scale))
                        scaled = d.isFinite && abs(d) < 1.7e38 ? Int128(d.rounded(.toNearestOrAwayFromZero)) : nil
                    } else if let exact = _integerAsInt128(v) ?? (v as? Int128) {
                        if scale >= sourceScale {
                            let (r, o) = exact.multipliedReportingOverflow(by: _pow10(scale - sourceScale))
                            scaled = o ? nil : r
                        } else {
                            scaled = _divideRounded(exact, _pow10(sourceScale - scale))
                        }
                    } else {
                        scaled = nil
                    }
                    guard let scaled, scaled < limit, scaled > -limit else { return nil }
                    return scaled
                }
                return .decimal128(values, precision: precision, scale: scale)
            default:
                throw ColumnarError(.unsupported, "no cast from \(source) to \(target)")
            }
        }
    }
    guard let result = try column.visitPrimitive(Visitor(source: column.dataType, target: target)) else {
        throw ColumnarError(.unsupported, "no cast from \(column.dataType) to \(target)")
    }
    return result
}

/// The value of a fixed-width integer (not Int128, which callers treat as a decimal) as Int128.
func _integerAsInt128<S: FixedWidthValue>(_ v: S) -> Int128? {
    switch v {
    case let x as Int8: return Int128(x)
    case let x as Int16: return Int128(x)
    case let x as Int32: return Int128(x)
    case let x as Int64: return Int128(x)
    case let x as UInt8: return Int128(x)
    case let x as UInt16: return Int128(x)
    case let x as UInt32: return Int128(x)
    case let x as UInt64: return Int128(x)
    default: return nil
    }
}

func _validateUTF8(_ c: BinaryColumn) throws -> BinaryColumn {
    for i in 0..<c.count where !c.isNull(i) {
        let bytes = c.bytes(at: i)
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: break decoding
            case .error: throw ColumnarError(.invalidCast, "bytes are not valid UTF-8", row: i)
            }
        }
    }
    return c
}
