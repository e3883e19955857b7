/// One value of any ``DataType``, or null: literals in SQL, results of aggregates, and the cells
/// a printer shows.
///
/// ```swift
/// let total: Scalar = .int64(42)
/// let day: Scalar = .date32(19_723)   // 2024-01-01
/// ```
public enum Scalar: Hashable, Sendable {
    /// The SQL null.
    case null
    /// A boolean.
    case boolean(Bool)
    /// A signed 8-bit integer.
    case int8(Int8)
    /// A signed 16-bit integer.
    case int16(Int16)
    /// A signed 32-bit integer.
    case int32(Int32)
    /// A signed 64-bit integer.
    case int64(Int64)
    /// An unsigned 8-bit integer.
    case uint8(UInt8)
    /// An unsigned 16-bit integer.
    case uint16(UInt16)
    /// An unsigned 32-bit integer.
    case uint32(UInt32)
    /// An unsigned 64-bit integer.
    case uint64(UInt64)
    /// A single-precision float.
    case float32(Float)
    /// A double-precision float.
    case float64(Double)
    /// An unscaled value with its precision and scale.
    case decimal128(Int128, precision: Int, scale: Int)
    /// A wide decimal: `unscaled × 10^-scale`.
    case decimal256(Int256, precision: Int, scale: Int)
    /// Text.
    case utf8(String)
    /// Bytes.
    case binary([UInt8])
    /// Days since the Unix epoch.
    case date32(Int32)
    /// Ticks of `unit` since midnight.
    case time64(Int64, TimeUnit)
    /// Ticks of `unit` since the Unix epoch.
    case timestamp(Int64, TimeUnit, timeZone: String?)
    /// Nanoseconds since 1970-01-01 in 128 bits.
    case wideTimestamp(Int128, timeZone: String?)
    /// A span of months, days and microseconds.
    case interval(Interval)
    /// A list of values of one type.
    case list([Scalar])
    /// Named values.
    case `struct`([String: Scalar])

    /// Whether this is ``null``.
    public var isNull: Bool { self == .null }

    /// The value as `T` when the scalar stores exactly that representation (e.g. `Int32` for
    /// `.int32` and `.date32`), else `nil`.
    public func value<T: FixedWidthValue>(as type: T.Type) -> T? {
        switch self {
        case .int8(let v): return v as? T
        case .int16(let v): return v as? T
        case .int32(let v), .date32(let v): return v as? T
        case .int64(let v), .time64(let v, _), .timestamp(let v, _, _): return v as? T
        case .uint8(let v): return v as? T
        case .uint16(let v): return v as? T
        case .uint32(let v): return v as? T
        case .uint64(let v): return v as? T
        case .float32(let v): return v as? T
        case .float64(let v): return v as? T
        case .decimal128(let v, _, _), .wideTimestamp(let v, _): return v as? T
        case .decimal256(let v, _, _): return v as? T
        case .interval(let v): return v as? T
        default: return nil
        }
    }
}

extension Column {
    /// The value at row `index` as a ``Scalar`` (``Scalar/null`` when null). A convenience for
    /// printing and tests; kernels never go through it.
    public func scalar(at index: Int) -> Scalar {
        if isNull(index) { return .null }
        switch self {
        case .boolean(let c): return .boolean(c.values[index])
        case .int8(let c): return .int8(c.values[index])
        case .int16(let c): return .int16(c.values[index])
        case .int32(let c): return .int32(c.values[index])
        case .int64(let c): return .int64(c.values[index])
        case .uint8(let c): return .uint8(c.values[index])
        case .uint16(let c): return .uint16(c.values[index])
        case .uint32(let c): return .uint32(c.values[index])
        case .uint64(let c): return .uint64(c.values[index])
        case .float32(let c): return .float32(c.values[index])
        case .float64(let c): return .float64(c.values[index])
        case .decimal128(let c, let p, let s): return .decimal128(c.values[index], precision: p, scale: s)
        case .decimal256(let c, let p, let s): return .decimal256(c.values[index], precision: p, scale: s)
        case .wideTimestamp(let c, let zone): return .wideTimestamp(c.values[index], timeZone: zone)
        case .interval(let c): return .interval(c.values[index])
        case .date32(let c): return .date32(c.values[index])
        case .time64(let c, let unit): return .time64(c.values[index], unit)
        case .timestamp(let c, let unit, let zone): return .timestamp(c.values[index], unit, timeZone: zone)
        case .utf8(let c): return .utf8(c.string(at: index) ?? "")
        case .binary(let c): return .binary(c.bytes(at: index))
        case .dictionary(let c): return .utf8(c.string(at: index) ?? "")
        case .fixedSizeList(let c): return .list(c.vector(at: index).map { .float32($0) })
        case .list(let c):
            let elements = c.elements(at: index)
            return .list((0..<elements.count).map { elements.scalar(at: $0) })
        case .struct(let c):
            var fields: [String: Scalar] = [:]
            for (field, child) in zip(c.fields, c.children) { fields[field.name] = child.scalar(at: index) }
            return .struct(fields)
        }
    }

    /// Every row as a ``Scalar``.
    public var scalars: [Scalar] { (0..<count).map(scalar(at:)) }
}
