import ColumnarCore

/// Evaluates scalar function `name` on one batch. The binder (`Binder+Functions.swift`) has
/// already checked the arguments and cast them to the types the kernels expect: text to
/// VARCHAR, counts and positions to BIGINT, transcendental inputs to DOUBLE.
func _scalarFunction(_ name: String, _ values: [Column], type: DataType, rows: Int) throws -> Column {
    switch name {
    case "__in":
        // value IN (constants): OR of equalities, with SQL's NULLs (no match and a NULL is NULL).
        var result: BooleanColumn?
        for item in values.dropFirst() {
            let constant = item.count > 0 ? item.scalar(at: 0) : Scalar.null
            let equal = constant == .null ? try Kernels.compare(values[0], .equal, item) : try Kernels.compare(values[0], .equal, constant)
            result = try result.map { try Kernels.or($0, equal) } ?? equal
        }
        return .boolean(result!)
    case "try_cast":
        return try _tryCast(values[0], to: type)
    case "coalesce":
        var result = values.last!
        for value in values.dropLast().reversed() { result = try _choose(Kernels.isNotNull(value), value, result) }
        return result
    case "nullif":
        let equal = try Kernels.compare(values[0], .equal, values[1])
        let nulls = try Column.nulls(values[0].dataType, count: rows)
        return try _choose(equal, nulls, values[0])
    case "constant_or_null":
        // values[0] where every other argument is non-NULL.
        var present = Kernels.isNotNull(values[1])
        for value in values.dropFirst(2) { present = try Kernels.and(present, Kernels.isNotNull(value)) }
        return try _choose(present, values[0], try Column.nulls(values[0].dataType, count: rows))
    case "abs":
        let negative = try Kernels.compare(values[0], .less, try Column(values[0].dataType, [Scalar](repeating: try _zero(values[0].dataType), count: rows)))
        var negated = try Kernels.arithmetic(try Column(values[0].dataType, [Scalar](repeating: try _zero(values[0].dataType), count: rows)), .subtract, values[0])
        // A decimal's negation comes back one digit wider; |d| fits the input's type.
        if negated.dataType != values[0].dataType { negated = try Kernels.cast(negated, to: values[0].dataType) }
        return try _choose(negative, negated, values[0])
    default:
        if let result = try _textFunction(name, values, rows: rows) { return result }
        if let result = try _mathFunction(name, values, type: type, rows: rows) { return result }
        if let result = try _dateFunction(name, values, type: type, rows: rows) { return result }
        if let result = try _intervalFunction(name, values, type: type, rows: rows) { return result }
        if let result = try _numberFunction(name, values, rows: rows) { return result }
        if let result = try _characterFunction(name, values, rows: rows) { return result }
        if let result = try _dateDifferenceFunction(name, values, rows: rows) { return result }
        if let result = try _dateParsingFunction(name, values, rows: rows) { return result }
        throw SQLError(.unsupported, "function \(name) is not supported yet")
    }
}

func _zero(_ type: DataType) throws -> Scalar {
    try Kernels.cast(.int32(PrimitiveColumn([0])), to: type).scalar(at: 0)
}

private func _textFunction(_ name: String, _ values: [Column], rows: Int) throws -> Column? {
    func text(_ i: Int) throws -> BinaryColumn { try _text(values[i]) }
    func optionalText(_ i: Int) throws -> BinaryColumn? { values.count > i ? try _text(values[i]) : nil }
    func int(_ i: Int) throws -> PrimitiveColumn<Int64> { try _int64(values[i]) }
    switch name {
    case "like", "ilike": return try _like(values, caseInsensitive: name == "ilike", rows: rows)
    case "regexp_matches": return try _regexpMatches(values, rows: rows)
    case "||": return .utf8(_concat(try values.map(_text), skipNulls: false, rows: rows))
    case "concat": return .utf8(_concat(try values.map(_text), skipNulls: true, rows: rows))
    case "concat_ws": return .utf8(_concat(try values.dropFirst().map(_text), skipNulls: true, separator: try text(0), rows: rows))
    case "lower": return .utf8(_lower(try text(0)))
    case "upper": return .utf8(_upper(try text(0)))
    case "length": return try _mapTextToInt64(try text(0), rows: rows) { _, s in Int64(_characterCount(s)) }
    case "octet_length": return try _mapTextToInt64(try text(0), rows: rows) { _, s in Int64(s.count) }
    case "substring": return .utf8(try _substring(try text(0), try int(1), values.count > 2 ? try int(2) : nil, rows: rows))
    case "trim", "ltrim", "rtrim":
        return .utf8(try _trim(try text(0), try optionalText(1), leading: name != "rtrim", trailing: name != "ltrim", rows: rows))
    case "replace": return .utf8(try _replace(try text(0), try text(1), try text(2), rows: rows))
    case "strpos": return try _strpos(try text(0), try text(1), rows: rows)
    case "split_part": return .utf8(try _splitPart(try text(0), try text(1), try int(2), rows: rows))
    case "starts_with", "ends_with": return _startsEnds(try text(0), try text(1), ends: name == "ends_with", rows: rows)
    case "left", "right": return .utf8(try _leftRight(try text(0), try int(1), right: name == "right", rows: rows))
    case "reverse": return .utf8(try _reverse(try text(0), rows: rows))
    case "repeat": return .utf8(try _repeat(try text(0), try int(1), rows: rows))
    case "lpad", "rpad": return .utf8(try _pad(try text(0), try int(1), try optionalText(2), left: name == "lpad", rows: rows))
    default: return nil
    }
}

private func _mathFunction(_ name: String, _ values: [Column], type: DataType, rows: Int) throws -> Column? {
    switch name {
    case "sqrt": return try _mapDouble(try _float64(values[0]), _sqrt)
    case "cbrt": return try _mapDouble(try _float64(values[0]), _cCbrt)
    case "exp": return try _mapDouble(try _float64(values[0]), _cExp)
    case "ln": return try _mapDouble(try _float64(values[0])) { try _logarithm($0, _cLog) }
    case "log10": return try _mapDouble(try _float64(values[0])) { try _logarithm($0, _cLog10) }
    case "log2": return try _mapDouble(try _float64(values[0])) { try _logarithm($0, _cLog2) }
    case "log":
        // log(base, x)
        return try _mapDouble2(try _float64(values[0]), try _float64(values[1]), rows: rows) { base, x in
            let denominator = try _logarithm(base, _cLog)
            guard denominator != 0 else { throw SQLError(.runtime, "division by zero: logarithm base 1") }
            return try _logarithm(x, _cLog) / denominator
        }
    case "power": return try _mapDouble2(try _float64(values[0]), try _float64(values[1]), rows: rows, _power)
    case "sign": return _sign(try _float64(values[0]))
    case "greatest", "least": return try _extreme(values, greatest: name == "greatest")
    case "round", "round_even", "floor", "ceil":
        let mode: _RoundingMode = name == "floor" ? .floor : name == "ceil" ? .ceiling : name == "round_even" ? .halfEven : .halfAwayFromZero
        let digits = values.count > 1 ? try _int64(values[1]) : nil
        switch values[0] {
        case .float64(let c):
            if let digits {
                let rule: FloatingPointRoundingRule = mode == .halfEven ? .toNearestOrEven : .toNearestOrAwayFromZero
                return try _mapDouble2(c, try _float64(.int64(digits)), rows: rows) { x, d in _roundDouble(x, Int64(d), rule) }
            }
            let rule: FloatingPointRoundingRule = mode == .floor ? .down : mode == .ceiling ? .up : mode == .halfEven ? .toNearestOrEven : .toNearestOrAwayFromZero
            return try _mapDouble(c) { $0.rounded(rule) }
        case .decimal128(let c, _, let scale):
            guard case .decimal128(let p, let outputScale) = type else { break }
            let rounded = try _roundDecimal(c, scale: scale, digits: digits, constantDigits: 0, outputScale: outputScale, mode: mode, rows: rows)
            return .decimal128(rounded, precision: p, scale: outputScale)
        case .int64(let c) where digits != nil:
            return _roundInteger(c, digits!, mode: mode, rows: rows)
        default:
            break
        }
        throw SQLError(.internalError, "\(name) of \(values[0].dataType)")
    default: return nil
    }
}

private func _dateFunction(_ name: String, _ values: [Column], type: DataType, rows: Int) throws -> Column? {
    /// A constant argument (a bound literal) read from the first row.
    func constant(_ i: Int) throws -> String {
        guard rows > 0, let text = try _text(values[i]).string(at: 0) else { return "" }
        return text
    }
    func constantInt(_ i: Int) throws -> Int64 { rows > 0 ? try _int64(values[i]).values[0] : 0 }
    switch name {
    case "date_part":
        guard rows > 0 else { return try Column.nulls(type, count: 0) }
        return try _datePart(_datePartName(try constant(0)) ?? "", values[1], rows: rows)
    case "date_trunc":
        guard rows > 0 else { return try Column.nulls(type, count: 0) }
        return try _dateTrunc(_datePartName(try constant(0)) ?? "", values[1], rows: rows)
    case "make_date":
        return try _makeDate(try _int64(values[0]), try _int64(values[1]), try _int64(values[2]), rows: rows)
    case "current_date":
        let today = Int32(truncatingIfNeeded: _cNowMicroseconds() / 86_400_000_000)
        return .date32(PrimitiveColumn(values: ValueBuffer(repeating: today, count: rows)))
    case "now":
        return .timestamp(PrimitiveColumn(values: ValueBuffer(repeating: _cNowMicroseconds(), count: rows)), .microsecond, timeZone: nil)
    case "+interval":
        return try _addInterval(values[0], months: Int(try constantInt(1)), days: Int(try constantInt(2)), microseconds: try constantInt(3), rows: rows)
    case "date_add_days", "date_sub_days":
        guard case .date32(let dates) = values[0] else { throw SQLError(.internalError, "\(name) of \(values[0].dataType)") }
        return try _addDays(dates, try _int64(values[1]), sign: name == "date_add_days" ? 1 : -1, rows: rows)
    case "date_diff_days":
        guard case .date32(let a) = values[0], case .date32(let b) = values[1] else { throw SQLError(.internalError, "date_diff_days") }
        return _dayDifference(a, b, rows: rows)
    default: return nil
    }
}
