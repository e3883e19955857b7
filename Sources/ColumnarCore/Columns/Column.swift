/// A column of any ``DataType``: the unit every kernel, batch and operator works on.
///
/// Each case carries the typed storage of one physical layout. Several logical types share a
/// layout (dates are `Int32`, timestamps `Int64`); the case says which. A ``DictionaryColumn`` is a
/// `utf8` column in dictionary form: its ``dataType`` is `.utf8`.
///
/// ```swift
/// let column = Column.int64(PrimitiveColumn([1, 2, nil]))
/// column.dataType   // .int64
/// column.nullCount  // 1
/// ```
public enum Column: Sendable {
    /// Booleans, bit-packed.
    case boolean(BooleanColumn)
    /// Signed 8-bit integers.
    case int8(PrimitiveColumn<Int8>)
    /// Signed 16-bit integers.
    case int16(PrimitiveColumn<Int16>)
    /// Signed 32-bit integers.
    case int32(PrimitiveColumn<Int32>)
    /// Signed 64-bit integers.
    case int64(PrimitiveColumn<Int64>)
    /// Unsigned 8-bit integers.
    case uint8(PrimitiveColumn<UInt8>)
    /// Unsigned 16-bit integers.
    case uint16(PrimitiveColumn<UInt16>)
    /// Unsigned 32-bit integers.
    case uint32(PrimitiveColumn<UInt32>)
    /// Unsigned 64-bit integers.
    case uint64(PrimitiveColumn<UInt64>)
    /// Single-precision floats.
    case float32(PrimitiveColumn<Float>)
    /// Double-precision floats.
    case float64(PrimitiveColumn<Double>)
    /// Unscaled 128-bit values with their precision and scale.
    case decimal128(PrimitiveColumn<Int128>, precision: Int, scale: Int)
    /// ``DataType/decimal256(precision:scale:)``.
    case decimal256(PrimitiveColumn<Int256>, precision: Int, scale: Int)
    /// Days since the Unix epoch.
    case date32(PrimitiveColumn<Int32>)
    /// Ticks of `unit` since midnight.
    case time64(PrimitiveColumn<Int64>, TimeUnit)
    /// Ticks of `unit` since the Unix epoch.
    case timestamp(PrimitiveColumn<Int64>, TimeUnit, timeZone: String?)
    /// ``DataType/wideTimestamp(timeZone:)``: nanoseconds in 128 bits.
    case wideTimestamp(PrimitiveColumn<Int128>, timeZone: String?)
    /// ``DataType/interval``: months, days and microseconds.
    case interval(PrimitiveColumn<Interval>)
    /// UTF-8 text.
    case utf8(BinaryColumn)
    /// Raw bytes.
    case binary(BinaryColumn)
    /// Dictionary-encoded UTF-8 text.
    case dictionary(DictionaryColumn)
    /// Fixed-size lists of float32 (embeddings).
    case fixedSizeList(FixedSizeListColumn)
    /// Variable-length lists.
    indirect case list(ListColumn)
    /// Rows of named children.
    indirect case `struct`(StructColumn)

    /// The logical type of the column.
    public var dataType: DataType {
        switch self {
        case .boolean: return .boolean
        case .int8: return .int8
        case .int16: return .int16
        case .int32: return .int32
        case .int64: return .int64
        case .uint8: return .uint8
        case .uint16: return .uint16
        case .uint32: return .uint32
        case .uint64: return .uint64
        case .float32: return .float32
        case .float64: return .float64
        case .decimal128(_, let p, let s): return .decimal128(precision: p, scale: s)
        case .decimal256(_, let p, let s): return .decimal256(precision: p, scale: s)
        case .wideTimestamp(_, let zone): return .wideTimestamp(timeZone: zone)
        case .interval: return .interval
        case .date32: return .date32
        case .time64(_, let unit): return .time64(unit)
        case .timestamp(_, let unit, let zone): return .timestamp(unit, timeZone: zone)
        case .utf8, .dictionary: return .utf8
        case .binary: return .binary
        case .fixedSizeList(let c): return .fixedSizeList(c.element, size: c.size)
        case .list(let c): return .list(c.element)
        case .struct(let c): return .struct(c.fields)
        }
    }

    /// The number of rows.
    public var count: Int {
        switch self {
        case .boolean(let c): return c.count
        case .int8(let c): return c.count
        case .int16(let c): return c.count
        case .int32(let c): return c.count
        case .int64(let c): return c.count
        case .uint8(let c): return c.count
        case .uint16(let c): return c.count
        case .uint32(let c): return c.count
        case .uint64(let c): return c.count
        case .float32(let c): return c.count
        case .float64(let c): return c.count
        case .decimal128(let c, _, _): return c.count
        case .decimal256(let c, _, _): return c.count
        case .wideTimestamp(let c, _): return c.count
        case .interval(let c): return c.count
        case .date32(let c): return c.count
        case .time64(let c, _): return c.count
        case .timestamp(let c, _, _): return c.count
        case .utf8(let c), .binary(let c): return c.count
        case .dictionary(let c): return c.count
        case .fixedSizeList(let c): return c.count
        case .list(let c): return c.count
        case .struct(let c): return c.count
        }
    }

    /// Which rows are present; `nil` means every row is.
    public var validity: Bitmap? {
        switch self {
        case .boolean(let c): return c.validity
        case .int8(let c): return c.validity
        case .int16(let c): return c.validity
        case .int32(let c): return c.validity
        case .int64(let c): return c.validity
        case .uint8(let c): return c.validity
        case .uint16(let c): return c.validity
        case .uint32(let c): return c.validity
        case .uint64(let c): return c.validity
        case .float32(let c): return c.validity
        case .float64(let c): return c.validity
        case .decimal128(let c, _, _): return c.validity
        case .decimal256(let c, _, _): return c.validity
        case .wideTimestamp(let c, _): return c.validity
        case .interval(let c): return c.validity
        case .date32(let c): return c.validity
        case .time64(let c, _): return c.validity
        case .timestamp(let c, _, _): return c.validity
        case .utf8(let c), .binary(let c): return c.validity
        case .dictionary(let c): return c.indices.validity
        case .fixedSizeList(let c): return c.validity
        case .list(let c): return c.validity
        case .struct(let c): return c.validity
        }
    }

    /// The number of null rows.
    ///
    /// - Complexity: O(*n*/64).
    public var nullCount: Int { validity.map { count - $0.setCount } ?? 0 }

    /// Whether row `index` is null.
    public func isNull(_ index: Int) -> Bool {
        guard let validity else { return false }
        return !validity[index]
    }

    /// A zero-copy view of the rows in `range`.
    ///
    /// - Precondition: `range` lies within `0..<count`.
    public func slice(_ range: Range<Int>) -> Column {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice out of bounds")
        switch self {
        case .boolean(let c): return .boolean(c.slice(range))
        case .int8(let c): return .int8(c.slice(range))
        case .int16(let c): return .int16(c.slice(range))
        case .int32(let c): return .int32(c.slice(range))
        case .int64(let c): return .int64(c.slice(range))
        case .uint8(let c): return .uint8(c.slice(range))
        case .uint16(let c): return .uint16(c.slice(range))
        case .uint32(let c): return .uint32(c.slice(range))
        case .uint64(let c): return .uint64(c.slice(range))
        case .float32(let c): return .float32(c.slice(range))
        case .float64(let c): return .float64(c.slice(range))
        case .decimal128(let c, let p, let s): return .decimal128(c.slice(range), precision: p, scale: s)
        case .decimal256(let c, let p, let s): return .decimal256(c.slice(range), precision: p, scale: s)
        case .wideTimestamp(let c, let zone): return .wideTimestamp(c.slice(range), timeZone: zone)
        case .interval(let c): return .interval(c.slice(range))
        case .date32(let c): return .date32(c.slice(range))
        case .time64(let c, let unit): return .time64(c.slice(range), unit)
        case .timestamp(let c, let unit, let zone): return .timestamp(c.slice(range), unit, timeZone: zone)
        case .utf8(let c): return .utf8(c.slice(range))
        case .binary(let c): return .binary(c.slice(range))
        case .dictionary(let c): return .dictionary(c.slice(range))
        case .fixedSizeList(let c): return .fixedSizeList(c.slice(range))
        case .list(let c): return .list(c.slice(range))
        case .struct(let c): return .struct(c.slice(range))
        }
    }

    /// Rebuilds a column of the same logical type around new storage: the case of `self` decides
    /// how a primitive payload is labelled. Used by kernels that transform values generically.
    @usableFromInline
    func withPrimitive<T: FixedWidthValue>(_ column: PrimitiveColumn<T>) -> Column? {
        switch self {
        case .int8: return (column as? PrimitiveColumn<Int8>).map(Column.int8)
        case .int16: return (column as? PrimitiveColumn<Int16>).map(Column.int16)
        case .int32: return (column as? PrimitiveColumn<Int32>).map(Column.int32)
        case .int64: return (column as? PrimitiveColumn<Int64>).map(Column.int64)
        case .uint8: return (column as? PrimitiveColumn<UInt8>).map(Column.uint8)
        case .uint16: return (column as? PrimitiveColumn<UInt16>).map(Column.uint16)
        case .uint32: return (column as? PrimitiveColumn<UInt32>).map(Column.uint32)
        case .uint64: return (column as? PrimitiveColumn<UInt64>).map(Column.uint64)
        case .float32: return (column as? PrimitiveColumn<Float>).map(Column.float32)
        case .float64: return (column as? PrimitiveColumn<Double>).map(Column.float64)
        case .decimal128(_, let p, let s): return (column as? PrimitiveColumn<Int128>).map { .decimal128($0, precision: p, scale: s) }
        case .decimal256(_, let p, let s): return (column as? PrimitiveColumn<Int256>).map { .decimal256($0, precision: p, scale: s) }
        case .wideTimestamp(_, let zone): return (column as? PrimitiveColumn<Int128>).map { .wideTimestamp($0, timeZone: zone) }
        case .interval: return (column as? PrimitiveColumn<Interval>).map(Column.interval)
        case .date32: return (column as? PrimitiveColumn<Int32>).map(Column.date32)
        case .time64(_, let unit): return (column as? PrimitiveColumn<Int64>).map { .time64($0, unit) }
        case .timestamp(_, let unit, let zone): return (column as? PrimitiveColumn<Int64>).map { .timestamp($0, unit, timeZone: zone) }
        default: return nil
        }
    }
}

/// Something that can be applied to a primitive column of any value type; lets a kernel be written
/// once as a generic function and dispatched from a ``Column`` without a switch per kernel.
public protocol PrimitiveColumnVisitor {
    /// What the visit produces.
    associatedtype Result
    /// Called with the typed column.
    func visit<T: FixedWidthValue>(_ column: PrimitiveColumn<T>) throws -> Result
}

extension Column {
    /// Calls `visitor` with the primitive payload, or returns `nil` for non-primitive columns
    /// (boolean, strings, nested).
    @inlinable
    public func visitPrimitive<V: PrimitiveColumnVisitor>(_ visitor: V) throws -> V.Result? {
        switch self {
        case .int8(let c): return try visitor.visit(c)
        case .int16(let c): return try visitor.visit(c)
        case .int32(let c): return try visitor.visit(c)
        case .int64(let c): return try visitor.visit(c)
        case .uint8(let c): return try visitor.visit(c)
        case .uint16(let c): return try visitor.visit(c)
        case .uint32(let c): return try visitor.visit(c)
        case .uint64(let c): return try visitor.visit(c)
        case .float32(let c): return try visitor.visit(c)
        case .float64(let c): return try visitor.visit(c)
        case .decimal128(let c, _, _): return try visitor.visit(c)
        case .decimal256(let c, _, _): return try visitor.visit(c)
        case .wideTimestamp(let c, _): return try visitor.visit(c)
        case .interval(let c): return try visitor.visit(c)
        case .date32(let c): return try visitor.visit(c)
        case .time64(let c, _): return try visitor.visit(c)
        case .timestamp(let c, _, _): return try visitor.visit(c)
        default: return nil
        }
    }

    /// The typed payload when this is a primitive column of value type `T`, else `nil`.
    @inlinable
    public func primitive<T: FixedWidthValue>(as type: T.Type) -> PrimitiveColumn<T>? {
        switch self {
        case .int8(let c): return c as? PrimitiveColumn<T>
        case .int16(let c): return c as? PrimitiveColumn<T>
        case .int32(let c), .date32(let c): return c as? PrimitiveColumn<T>
        case .int64(let c), .time64(let c, _), .timestamp(let c, _, _): return c as? PrimitiveColumn<T>
        case .uint8(let c): return c as? PrimitiveColumn<T>
        case .uint16(let c): return c as? PrimitiveColumn<T>
        case .uint32(let c): return c as? PrimitiveColumn<T>
        case .uint64(let c): return c as? PrimitiveColumn<T>
        case .float32(let c): return c as? PrimitiveColumn<T>
        case .float64(let c): return c as? PrimitiveColumn<T>
        case .decimal128(let c, _, _): return c as? PrimitiveColumn<T>
        case .interval(let c): return c as? PrimitiveColumn<T>
        default: return nil
        }
    }
}
