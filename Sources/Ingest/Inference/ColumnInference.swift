import ColumnarCore

/// What a column's values have shown so far: the types every non-null value parsed as. Types
/// drop out as values fail to parse; the first value that fits no type but text makes the column
/// text, and it is never looked at again.
struct ColumnInference: Sendable {
    static let boolean: UInt16 = 1 << 0
    static let integer: UInt16 = 1 << 1
    static let decimal: UInt16 = 1 << 2
    static let float: UInt16 = 1 << 3
    /// Bits 4–7: a date in each `DateForm`; bits 8–11: a timestamp in each form.
    static let dates: UInt16 = 0xF << 4
    static let timestamps: UInt16 = 0xF << 8
    static let all: UInt16 = 0xFFF

    static func dateBit(_ form: TextValues.DateForm) -> UInt16 { 1 << (4 + UInt16(form.rawValue)) }
    static func timestampBit(_ form: TextValues.DateForm) -> UInt16 { 1 << (8 + UInt16(form.rawValue)) }

    var candidates: UInt16 = all
    var values = 0
    var nulls = 0
    var maxIntegerDigits = 0
    /// The fraction length of the values with a decimal point (-1: none seen).
    var scale = -1
    var sawDateOnly = false
    var sawTime = false
    var sawZoned = false
    var sawUnzoned = false
    var maxFractionDigits = 0

    /// Takes one non-null value into account.
    @inline(__always)
    mutating func observe(_ raw: UnsafePointer<UInt8>, _ rawCount: Int) {
        values += 1
        guard candidates != 0 else { return }
        let (p, n) = TextValues.trim(raw, rawCount)
        guard n > 0 else { candidates = 0; return }
        var c = candidates
        if c & Self.boolean != 0 && TextValues.boolean(p, n) == nil { c &= ~Self.boolean }
        if c & Self.integer != 0 && TextValues.int64(p, n) == nil { c &= ~Self.integer }
        var plainNumber = false
        if c & Self.decimal != 0 {
            if let d = TextValues.decimal(p, n) {
                // `[-]digits[.digits]` with at most 15 digits is always a DOUBLE as well.
                plainNumber = d.integerDigits + d.scale <= 15
                if d.scale == 0 || scale < 0 || scale == d.scale {
                    if d.scale > 0 { scale = d.scale }
                    maxIntegerDigits = max(maxIntegerDigits, d.integerDigits)
                } else {
                    c &= ~Self.decimal
                }
            } else {
                c &= ~Self.decimal
            }
        }
        if c & Self.float != 0 && !plainNumber && TextValues.double(p, n) == nil { c &= ~Self.float }
        if c & (Self.dates | Self.timestamps) != 0 {
            // A date-only value keeps its form's timestamp bit: it is a timestamp at midnight.
            for form in TextValues.DateForm.allCases {
                let dateBit = Self.dateBit(form), timeBit = Self.timestampBit(form)
                guard c & (dateBit | timeBit) != 0 else { continue }
                if TextValues.date(p, n, form) != nil {
                    sawDateOnly = true
                    continue
                }
                c &= ~dateBit
                if c & timeBit != 0 {
                    if let instant = TextValues.timestamp(p, n, form) {
                        sawTime = true
                        if instant.zoned { sawZoned = true } else { sawUnzoned = true }
                        maxFractionDigits = max(maxFractionDigits, instant.fractionDigits)
                    } else {
                        c &= ~timeBit
                    }
                }
            }
        }
        candidates = c
    }

    /// Merges what another part of the file showed.
    mutating func merge(_ other: ColumnInference) {
        candidates &= other.candidates
        values += other.values
        nulls += other.nulls
        maxIntegerDigits = max(maxIntegerDigits, other.maxIntegerDigits)
        if other.scale >= 0 {
            if scale >= 0 && scale != other.scale { candidates &= ~Self.decimal }
            scale = other.scale
        }
        sawDateOnly = sawDateOnly || other.sawDateOnly
        sawTime = sawTime || other.sawTime
        sawZoned = sawZoned || other.sawZoned
        sawUnzoned = sawUnzoned || other.sawUnzoned
        maxFractionDigits = max(maxFractionDigits, other.maxFractionDigits)
    }

    /// The type the column's values all fit, most specific first: boolean, integer, decimal of a
    /// fixed scale, floating point, date, timestamp; text otherwise (and for a column of nulls).
    func resolve(ambiguousDates: IngestOptions.DateOrder) -> ResolvedType {
        let c = candidates
        guard values > 0, c != 0 else { return .text }
        if c & Self.boolean != 0 { return .boolean }
        if c & Self.integer != 0 { return .integer }
        // A fixed scale; or integers too large for BIGINT (up to 38 digits), as DECIMAL(38,0).
        if c & Self.decimal != 0, scale > 0 || maxIntegerDigits > 18 {
            let s = max(scale, 0)
            let precision = maxIntegerDigits + s <= 18 ? 18 : 38
            return .decimal(precision: precision, scale: s)
        }
        if c & Self.float != 0 { return .float }
        func pick(_ mask: UInt16, _ shift: UInt16) -> TextValues.DateForm? {
            let forms = TextValues.DateForm.allCases.filter { mask & (1 << (shift + UInt16($0.rawValue))) != 0 }
            if forms.contains(.iso) { return .iso }
            if forms.contains(.ymdSlash) { return .ymdSlash }
            if forms.contains(.mdy) && forms.contains(.dmy) { return ambiguousDates == .monthFirst ? .mdy : .dmy }
            return forms.first
        }
        if !sawTime, let form = pick(c, 4) { return .date(form) }
        // Mixed zoned and naive instants, or digits beyond microseconds (Delta's timestamps keep
        // microseconds): text, so that no value is changed.
        if (sawZoned && sawUnzoned) || maxFractionDigits > 6 { return .text }
        // Date-only values in a timestamp column: the timestamp bits of their form were kept.
        if let form = pick(c & Self.timestamps, 8) {
            return .timestamp(form, zoned: sawZoned, nanoseconds: maxFractionDigits > 6)
        }
        return .text
    }
}

/// The type chosen for a column, with what its parser needs.
enum ResolvedType: Sendable, Hashable {
    case text
    case boolean
    case integer
    case decimal(precision: Int, scale: Int)
    case float
    case date(TextValues.DateForm)
    case timestamp(TextValues.DateForm, zoned: Bool, nanoseconds: Bool)

    var dataType: DataType {
        switch self {
        case .text: return .utf8
        case .boolean: return .boolean
        case .integer: return .int64
        case .decimal(let p, let s): return .decimal128(precision: p, scale: s)
        case .float: return .float64
        case .date: return .date32
        case .timestamp(_, let zoned, let nanos): return .timestamp(nanos ? .nanosecond : .microsecond, timeZone: zoned ? "UTC" : nil)
        }
    }

    /// The parser for a type asked for by the user or by an existing dataset; nil when text
    /// cannot be parsed into it.
    static func forced(_ type: DataType, dateForms: UInt16) -> ResolvedType? {
        switch type {
        case .utf8: return .text
        case .boolean: return .boolean
        case .int64, .int32, .int16, .int8: return .integer
        case .decimal128(let p, let s): return .decimal(precision: p, scale: s)
        case .float64, .float32: return .float
        case .date32:
            let form = TextValues.DateForm.allCases.first { dateForms & ColumnInference.dateBit($0) != 0 } ?? .iso
            return .date(form)
        case .timestamp(let unit, let zone):
            let form = TextValues.DateForm.allCases.first { dateForms & ColumnInference.timestampBit($0) != 0 } ?? .iso
            return .timestamp(form, zoned: zone != nil, nanoseconds: unit == .nanosecond)
        default: return nil
        }
    }
}
