/// A value type that a ``PrimitiveColumn`` stores inline: integers, floats and the 128-bit decimal
/// representation.
///
/// The protocol exists so kernels can be written once, generically, and specialised per type.
public protocol FixedWidthValue: BitwiseCopyable, Hashable, Comparable, Sendable {
    /// The value used in slots that are null (kernels compute every slot; these never show).
    static var zero: Self { get }
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
extension Float: FixedWidthValue {}
extension Double: FixedWidthValue {}
