/// The logical type of a column.
///
/// `DataType` is the vocabulary every LakehouseKit layer shares: Parquet schemas map onto it, the SQL
/// binder types expressions with it and the printers format values by it. It follows Apache Arrow's
/// type system where that is useful and departs from it where a lakehouse does not need the
/// distinction (there is one string type; dictionary encoding is a property of a column, not a type).
///
/// ```swift
/// let price = DataType.decimal128(precision: 12, scale: 2)
/// let seen = DataType.timestamp(.microsecond, timeZone: "UTC")
/// ```
public indirect enum DataType: Hashable, Sendable {
    /// True or false.
    case boolean
    /// Signed 8-bit integer.
    case int8
    /// Signed 16-bit integer.
    case int16
    /// Signed 32-bit integer.
    case int32
    /// Signed 64-bit integer.
    case int64
    /// Unsigned 8-bit integer.
    case uint8
    /// Unsigned 16-bit integer.
    case uint16
    /// Unsigned 32-bit integer.
    case uint32
    /// Unsigned 64-bit integer.
    case uint64
    /// IEEE 754 single precision.
    case float32
    /// IEEE 754 double precision.
    case float64
    /// Exact decimal stored as a 128-bit unscaled integer: `value = unscaled × 10^-scale`.
    ///
    /// `precision` is 1...38 and `scale` is 0...precision.
    case decimal128(precision: Int, scale: Int)
    /// Exact decimal stored as a 256-bit unscaled integer (``Int256``), for precisions 39...76
    /// (Arrow's decimal256). Wide decimals can be stored, compared, sorted, hashed, printed and
    /// cast to text; arithmetic on them is not supported.
    case decimal256(precision: Int, scale: Int)
    /// UTF-8 text.
    case utf8
    /// Arbitrary bytes.
    case binary
    /// Days since 1970-01-01, as a signed 32-bit integer.
    case date32
    /// Time of day since midnight, as a signed 64-bit count of `unit`.
    case time64(TimeUnit)
    /// An instant (with a time zone) or a wall-clock date-time (without), as a signed 64-bit count
    /// of `unit` since 1970-01-01T00:00:00.
    case timestamp(TimeUnit, timeZone: String?)
    /// A timestamp in nanoseconds as a signed 128-bit count: exact far beyond the ±292 years of
    /// 64-bit nanoseconds. Parquet's legacy INT96 timestamps need it when their values lie outside
    /// 1677–2262 (Spark writes years 1 and 9999); see ParquetKit's read options.
    case wideTimestamp(timeZone: String?)
    /// A span of time in months, days and microseconds (``Interval``), SQL's INTERVAL.
    case interval
    /// A list with exactly `size` elements per row; used for embeddings (`float32` elements).
    case fixedSizeList(Field, size: Int)
    /// A list with a variable number of elements per row.
    case list(Field)
    /// A row of named, typed children.
    case `struct`([Field])

    /// Whether values of this type are integers of any width or signedness.
    public var isInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: return true
        default: return false
        }
    }

    /// Whether values of this type are binary floating point.
    public var isFloatingPoint: Bool {
        self == .float32 || self == .float64
    }

    /// Whether arithmetic is defined on this type (integers, floats and decimals).
    public var isNumeric: Bool {
        if isInteger || isFloatingPoint { return true }
        if case .decimal128 = self { return true }
        if case .decimal256 = self { return true }
        return false
    }

    /// Whether this type nests other fields (lists and structs).
    public var isNested: Bool {
        switch self {
        case .fixedSizeList, .list, .struct: return true
        default: return false
        }
    }

    /// The number of bytes one value occupies in a fixed-width buffer, or `nil` for variable-width
    /// and nested types. Booleans are bit-packed and report `nil`.
    public var byteWidth: Int? {
        switch self {
        case .int8, .uint8: return 1
        case .int16, .uint16: return 2
        case .int32, .uint32, .float32, .date32: return 4
        case .int64, .uint64, .float64, .time64, .timestamp: return 8
        case .decimal128, .wideTimestamp, .interval: return 16
        case .decimal256: return 32
        default: return nil
        }
    }
}

/// The resolution of a time or timestamp value.
public enum TimeUnit: String, Hashable, Sendable, CaseIterable {
    /// Whole seconds.
    case second
    /// Thousandths of a second.
    case millisecond
    /// Millionths of a second.
    case microsecond
    /// Billionths of a second.
    case nanosecond

    /// How many ticks of this unit make one second.
    public var ticksPerSecond: Int64 {
        switch self {
        case .second: return 1
        case .millisecond: return 1_000
        case .microsecond: return 1_000_000
        case .nanosecond: return 1_000_000_000
        }
    }

    /// The number of fractional-second digits this unit carries (0, 3, 6 or 9).
    public var fractionDigits: Int {
        switch self {
        case .second: return 0
        case .millisecond: return 3
        case .microsecond: return 6
        case .nanosecond: return 9
        }
    }
}

extension DataType: CustomStringConvertible {
    /// A SQL-flavoured spelling of the type, e.g. `DECIMAL(12,2)` or `TIMESTAMP(us, UTC)`.
    public var description: String {
        switch self {
        case .boolean: return "BOOLEAN"
        case .int8: return "TINYINT"
        case .int16: return "SMALLINT"
        case .int32: return "INTEGER"
        case .int64: return "BIGINT"
        case .uint8: return "UTINYINT"
        case .uint16: return "USMALLINT"
        case .uint32: return "UINTEGER"
        case .uint64: return "UBIGINT"
        case .float32: return "FLOAT"
        case .float64: return "DOUBLE"
        case .decimal128(let p, let s), .decimal256(let p, let s): return "DECIMAL(\(p),\(s))"
        case .utf8: return "VARCHAR"
        case .binary: return "BLOB"
        case .date32: return "DATE"
        case .time64(let unit): return "TIME(\(unit.abbreviation))"
        case .timestamp(let unit, let zone):
            if let zone { return "TIMESTAMP(\(unit.abbreviation), \(zone))" }
            return "TIMESTAMP(\(unit.abbreviation))"
        case .wideTimestamp(let zone):
            if let zone { return "TIMESTAMP(ns 128-bit, \(zone))" }
            return "TIMESTAMP(ns 128-bit)"
        case .interval: return "INTERVAL"
        case .fixedSizeList(let element, let size): return "\(element.dataType)[\(size)]"
        case .list(let element): return "\(element.dataType)[]"
        case .struct(let fields):
            return "STRUCT(" + fields.map { "\($0.name) \($0.dataType)" }.joined(separator: ", ") + ")"
        }
    }
}

extension TimeUnit {
    /// The short spelling used in type names: `s`, `ms`, `us`, `ns`.
    public var abbreviation: String {
        switch self {
        case .second: return "s"
        case .millisecond: return "ms"
        case .microsecond: return "us"
        case .nanosecond: return "ns"
        }
    }
}
