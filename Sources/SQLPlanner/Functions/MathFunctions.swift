import ColumnarCore

// Numeric kernels: loops over the values buffers; NULL rows are computed as garbage and masked
// by the validity, except where a value could raise an error (those check validity first).

/// `f` of every valid row of a DOUBLE column; `f` may throw for invalid input.
func _mapDouble(_ column: PrimitiveColumn<Double>, _ f: (Double) throws -> Double) throws -> Column {
    let validity = column.validity
    let values = try column.values.withUnsafeBufferPointer { source in
        try ValueBuffer<Double>(unsafeUninitializedCount: source.count) { out in
            for i in 0..<source.count {
                out[i] = validity.map({ $0[i] }) ?? true ? try f(source[i]) : 0
            }
        }
    }
    return .float64(PrimitiveColumn(values: values, validity: validity))
}

/// `f` of every valid row pair of two DOUBLE columns.
func _mapDouble2(_ a: PrimitiveColumn<Double>, _ b: PrimitiveColumn<Double>, rows: Int, _ f: (Double, Double) throws -> Double) throws -> Column {
    let validity = _validity([a.validity, b.validity], count: rows)
    let values = try ValueBuffer<Double>(unsafeUninitializedCount: rows) { out in
        for i in 0..<rows {
            out[i] = validity.map({ $0[i] }) ?? true ? try f(a.values[i], b.values[i]) : 0
        }
    }
    return .float64(PrimitiveColumn(values: values, validity: validity))
}

func _sqrt(_ x: Double) throws -> Double {
    guard x >= 0 || x.isNaN else { throw SQLError(.runtime, "cannot take square root of a negative number") }
    return x.squareRoot()
}

func _logarithm(_ x: Double, _ f: (Double) -> Double) throws -> Double {
    if x == 0 { throw SQLError(.runtime, "cannot take logarithm of zero") }
    if x < 0 { throw SQLError(.runtime, "cannot take logarithm of a negative number") }
    return f(x)
}

func _power(_ x: Double, _ y: Double) throws -> Double {
    if x == 0 && y < 0 { throw SQLError(.runtime, "zero raised to a negative power is undefined") }
    if x < 0 && y.rounded(.towardZero) != y && y.isFinite {
        throw SQLError(.runtime, "a negative number raised to a non-integer power yields a complex result")
    }
    return _cPow(x, y)
}

/// Rounds half away from zero (or as `rule` says) to `digits` decimal places (negative: tens,
/// hundreds, …).
func _roundDouble(_ x: Double, _ digits: Int64, _ rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) -> Double {
    if !x.isFinite { return x }
    if digits >= 0 {
        guard digits <= 308 else { return x }
        let m = _cPow(10, Double(digits))
        let scaled = x * m
        return scaled.isFinite ? scaled.rounded(rule) / m : x
    }
    guard digits >= -308 else { return 0 }
    let m = _cPow(10, Double(-digits))
    return (x / m).rounded(rule) * m
}

/// How `round` (half away from zero), `round_even` (half to even), `floor` and `ceil` round.
enum _RoundingMode { case halfAwayFromZero, halfEven, floor, ceiling }

/// `value` (an unscaled integer) divided by `divisor`, rounded as `mode` says.
func _divide(_ value: Int128, _ divisor: Int128, _ mode: _RoundingMode) -> Int128 {
    let (q, r) = value.quotientAndRemainder(dividingBy: divisor)
    switch mode {
    case .halfAwayFromZero:
        let twice = r.magnitude * 2
        return twice >= divisor.magnitude ? q + (value < 0 ? -1 : 1) : q
    case .halfEven:
        let twice = r.magnitude * 2
        let away = twice > divisor.magnitude || (twice == divisor.magnitude && q % 2 != 0)
        return away ? q + (value < 0 ? -1 : 1) : q
    case .floor: return r < 0 ? q - 1 : q
    case .ceiling: return r > 0 ? q + 1 : q
    }
}

func _power10(_ n: Int) -> Int128? {
    guard n >= 0, n <= 38 else { return nil }
    var result: Int128 = 1
    for _ in 0..<n { result *= 10 }
    return result
}

/// Rounds decimal values of scale `scale` to `digits` places, giving values of scale `outputScale`.
func _roundDecimal(_ column: PrimitiveColumn<Int128>, scale: Int, digits: PrimitiveColumn<Int64>?, constantDigits: Int,
                   outputScale: Int, mode: _RoundingMode, rows: Int) throws -> PrimitiveColumn<Int128> {
    let validity = _validity([column.validity, digits?.validity], count: rows)
    let values = try ValueBuffer<Int128>(unsafeUninitializedCount: rows) { out in
        for i in 0..<rows {
            let v = column.values[i]
            let d = Swift.max(-100, Swift.min(100, digits.map { Int(clamping: $0.values[i]) } ?? constantDigits))
            if d >= scale {
                // Nothing to round: only rescale.
                out[i] = outputScale >= scale ? v * (_power10(outputScale - scale) ?? 1) : v / (_power10(scale - outputScale) ?? 1)
                continue
            }
            guard let divisor = _power10(scale - d) else { out[i] = 0; continue }
            let q = _divide(v, divisor, mode)
            // q counts units of 10^-d; the output counts units of 10^-outputScale (outputScale >= d).
            guard let up = _power10(outputScale - d) else { out[i] = 0; continue }
            let (product, overflow) = q.multipliedReportingOverflow(by: up)
            guard !overflow || !(validity.map { $0[i] } ?? true) else { throw SQLError(.runtime, "decimal out of range in round") }
            out[i] = overflow ? 0 : product
        }
    }
    return PrimitiveColumn(values: values, validity: validity)
}

/// Rounds BIGINT values to `digits` places (only negative digits change anything).
func _roundInteger(_ column: PrimitiveColumn<Int64>, _ digits: PrimitiveColumn<Int64>, mode: _RoundingMode = .halfAwayFromZero, rows: Int) -> Column {
    let validity = _validity([column.validity, digits.validity], count: rows)
    let values = ValueBuffer<Int64>(unsafeUninitializedCount: rows) { out in
        for i in 0..<rows {
            let v = column.values[i]
            let d = digits.values[i]
            guard d < 0 else { out[i] = v; continue }
            guard d >= -18, let divisor = _power10(Int(-d)) else { out[i] = 0; continue }
            out[i] = Int64(truncatingIfNeeded: _divide(Int128(v), divisor, mode) * divisor)
        }
    }
    return .int64(PrimitiveColumn(values: values, validity: validity))
}

/// `sign(x)` as TINYINT: -1, 0 or 1.
func _sign(_ column: PrimitiveColumn<Double>) -> Column {
    let values = column.values.withUnsafeBufferPointer { source in
        ValueBuffer<Int8>(unsafeUninitializedCount: source.count) { out in
            for i in 0..<source.count { out[i] = source[i] > 0 ? 1 : (source[i] < 0 ? -1 : 0) }
        }
    }
    return .int8(PrimitiveColumn(values: values, validity: column.validity))
}

/// `greatest`/`least`: NULL arguments are ignored; NULL only when all are NULL.
func _extreme(_ values: [Column], greatest: Bool) throws -> Column {
    var result = values[0]
    for next in values.dropFirst() {
        let better = try Kernels.compare(next, greatest ? .greater : .less, result)
        let mask = try Kernels.or(Kernels.isNull(result), better)
        result = try _choose(mask, next, result)
    }
    return result
}
