/// A value type that a ``PrimitiveColumn`` stores inline: integers, floats and the 128-bit decimal
/// representation.
///
/// The protocol exists so kernels can be written once, generically, and specialised per type. Its
/// comparison requirements give SQL semantics: for floating point, NaN equals NaN and sorts above
/// every number, and -0.0 equals 0.0 (PostgreSQL and DuckDB agree).
public protocol FixedWidthValue: BitwiseCopyable, Hashable, Comparable, Sendable {
    /// The value used in slots that are null (kernels compute every slot; these never show).
    static var zero: Self { get }
    /// SQL equality: like `==`, except that NaN equals NaN.
    static func sqlEquals(_ lhs: Self, _ rhs: Self) -> Bool
    /// SQL ordering: like `<`, except that NaN is greater than every number.
    static func sqlLess(_ lhs: Self, _ rhs: Self) -> Bool
}

extension FixedWidthValue {
    /// Plain `==`: exact for integers.
    @inlinable @inline(__always)
    public static func sqlEquals(_ lhs: Self, _ rhs: Self) -> Bool { lhs == rhs }
    /// Plain `<`: exact for integers.
    @inlinable @inline(__always)
    public static func sqlLess(_ lhs: Self, _ rhs: Self) -> Bool { lhs < rhs }
}

extension Int8: FixedWidthValue {}
extension Int16: FixedWidthValue {}
extension Int32: FixedWidthValue {}
extension Int64: FixedWidthValue {}
extension UInt8: FixedWidthValue {}
extension UInt16: FixedWidthValue {}
extension UInt32: FixedWidthValue {}
extension UInt64: FixedWidthValue {}
extension Int128: FixedWidthValue {}

extension Float: FixedWidthValue {
    /// NaN equals NaN; -0.0 equals 0.0.
    @inlinable @inline(__always)
    public static func sqlEquals(_ lhs: Float, _ rhs: Float) -> Bool { lhs == rhs || (lhs.isNaN && rhs.isNaN) }
    /// NaN is greater than every number.
    @inlinable @inline(__always)
    public static func sqlLess(_ lhs: Float, _ rhs: Float) -> Bool { lhs < rhs || (rhs.isNaN && !lhs.isNaN) }
}

extension Double: FixedWidthValue {
    /// NaN equals NaN; -0.0 equals 0.0.
    @inlinable @inline(__always)
    public static func sqlEquals(_ lhs: Double, _ rhs: Double) -> Bool { lhs == rhs || (lhs.isNaN && rhs.isNaN) }
    /// NaN is greater than every number.
    @inlinable @inline(__always)
    public static func sqlLess(_ lhs: Double, _ rhs: Double) -> Bool { lhs < rhs || (rhs.isNaN && !lhs.isNaN) }
}
