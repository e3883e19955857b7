import ColumnarCore

// Integer and rounding functions from DuckDB: `even`, `factorial`, `binom`, `gcd`, `lcm`.
// (`round_even` shares the rounding kernels of `MathFunctions.swift`.) Results that do not fit
// their type are runtime errors, never traps.

/// Evaluates the functions of this file; nil for any other name.
func _numberFunction(_ name: String, _ values: [Column], rows: Int) throws -> Column? {
    switch name {
    case "even": return try _mapDouble(try _float64(values[0]), _even)
    case "factorial": return try _factorial(try _int64(values[0]), rows: rows)
    case "binom": return try _binomial(try _int64(values[0]), try _int64(values[1]), rows: rows)
    case "gcd", "lcm": return try _gcdLcm(try _int64(values[0]), try _int64(values[1]), lcm: name == "lcm", rows: rows)
    default: return nil
    }
}

/// `even(x)`: `x` rounded away from zero to the next even integer (an even integer stays).
func _even(_ x: Double) -> Double {
    guard x.isFinite else { return x }
    var value = x.rounded(.awayFromZero)
    if (value / 2).rounded(.towardZero) * 2 != value { value += x < 0 ? -1 : 1 }
    return value
}

/// The HUGEINT result type of `factorial` and `binom`: a DECIMAL(38, 0).
let _hugeIntType = DataType.decimal128(precision: 38, scale: 0)

/// The largest value a DECIMAL(38, 0) holds.
private let _hugeIntMaximum: Int128 = _power10(38)! - 1

/// `n!` as DECIMAL(38, 0); negative `n` and results past 38 digits are errors.
func _factorial(_ n: PrimitiveColumn<Int64>, rows: Int) throws -> Column {
    let values = try ValueBuffer<Int128>(unsafeUninitializedCount: rows) { out in
        for row in 0..<rows {
            out[row] = 0
            guard !n.isNull(row) else { continue }
            let k = n.values[row]
            guard k >= 0 else { throw SQLError(.runtime, "factorial of a negative number is undefined") }
            var product: Int128 = 1
            var i: Int64 = 2
            while i <= k {
                let (next, overflow) = product.multipliedReportingOverflow(by: Int128(i))
                guard !overflow, next <= _hugeIntMaximum else { throw SQLError(.runtime, "Out of Range Error: factorial(\(k)) is out of range") }
                product = next
                i += 1
            }
            out[row] = product
        }
    }
    return .decimal128(PrimitiveColumn(values: values, validity: n.validity), precision: 38, scale: 0)
}

/// `binom(n, k)`: the binomial coefficient "n choose k" as DECIMAL(38, 0) (0 when k > n).
/// Each step divides before it multiplies, so no intermediate value is larger than the result.
func _binomial(_ n: PrimitiveColumn<Int64>, _ k: PrimitiveColumn<Int64>, rows: Int) throws -> Column {
    let validity = _validity([n.validity, k.validity], count: rows)
    let values = try ValueBuffer<Int128>(unsafeUninitializedCount: rows) { out in
        for row in 0..<rows {
            out[row] = 0
            guard validity.map({ $0[row] }) ?? true else { continue }
            let (total, chosen) = (n.values[row], k.values[row])
            guard total >= 0, chosen >= 0 else { throw SQLError(.runtime, "binom with negative input is undefined") }
            guard chosen <= total else { continue }
            let steps = Swift.min(chosen, total - chosen)
            var result: Int128 = 1
            var i: Int64 = 0
            while i < steps {
                // result = result * (total - i) / (i + 1), exactly: (i + 1) / g divides (total - i).
                let divisor = Int128(i + 1)
                let g = _gcd(result, divisor)
                let (next, overflow) = (result / g).multipliedReportingOverflow(by: Int128(total - i) / (divisor / g))
                guard !overflow, next <= _hugeIntMaximum else { throw SQLError(.runtime, "Value out of range: binom(\(total), \(chosen))") }
                result = next
                i += 1
            }
            out[row] = result
        }
    }
    return .decimal128(PrimitiveColumn(values: values, validity: validity), precision: 38, scale: 0)
}

/// The greatest common divisor of two non-negative values (Euclid).
func _gcd<T: BinaryInteger>(_ a: T, _ b: T) -> T {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return x
}

/// `gcd(a, b)` (never negative) or `lcm(a, b)` (|a·b| / gcd, 0 when either is 0) of BIGINTs; a
/// result past BIGINT is an error (`gcd(-2^63, 0)` is 2^63).
func _gcdLcm(_ a: PrimitiveColumn<Int64>, _ b: PrimitiveColumn<Int64>, lcm: Bool, rows: Int) throws -> Column {
    let validity = _validity([a.validity, b.validity], count: rows)
    let name = lcm ? "lcm" : "gcd"
    let values = try ValueBuffer<Int64>(unsafeUninitializedCount: rows) { out in
        for row in 0..<rows {
            out[row] = 0
            guard validity.map({ $0[row] }) ?? true else { continue }
            let (x, y) = (a.values[row].magnitude, b.values[row].magnitude)
            let g = _gcd(x, y)
            var result = g
            if lcm {
                guard g != 0 else { continue }
                let (product, overflow) = (x / g).multipliedReportingOverflow(by: y)
                guard !overflow else { throw SQLError(.runtime, "Out of Range Error: \(name)(\(a.values[row]), \(b.values[row])) is out of range") }
                result = product
            }
            guard let value = Int64(exactly: result) else {
                throw SQLError(.runtime, "Out of Range Error: \(name)(\(a.values[row]), \(b.values[row])) is out of range")
            }
            out[row] = value
        }
    }
    return .int64(PrimitiveColumn(values: values, validity: validity))
}
