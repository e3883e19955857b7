/// Writes Thrift compact-protocol values into one growing byte array: the inverse of
/// ``ThriftCompactDecoder``.
///
/// The protocol in brief: integers are ZigZag varints; a field header packs the field-id delta
/// (high nibble, 1...15) with the wire type (low nibble), or is the type alone followed by the
/// ZigZag i16 id; booleans live in the header's type; a list header packs a size below 15 (high
/// nibble) with the element type, or is `0xF0 | type` followed by a varint size; a struct ends
/// with a STOP byte.
///
/// Structs are bracketed by ``beginStruct()`` and ``endStruct()``, which keep the previous
/// field id of every open struct on a stack, so nested structs (a field's value, or a list
/// element) compute their deltas independently:
///
/// ```swift
/// var encoder = ThriftCompactEncoder()
/// encoder.beginStruct()
/// encoder.writeI32(field: 1, 1)   // 0x15 0x02
/// encoder.endStruct()             // 0x00
/// // encoder.bytes == [0x15, 0x02, 0x00]
/// ```
///
/// Writing never fails and never allocates per value: every method appends to ``bytes``.
struct ThriftCompactEncoder {
    /// The bytes written so far.
    private(set) var bytes: [UInt8]
    /// The id of the last field written in the innermost open struct (0 before its first).
    private var lastFieldID: Int16 = 0
    /// The saved `lastFieldID` of each enclosing open struct.
    private var enclosingFieldIDs: [Int16] = []

    /// Creates an empty encoder whose buffer has room for `capacity` bytes.
    init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
        enclosingFieldIDs.reserveCapacity(8)
    }

    // MARK: Structure

    /// Opens a struct (or union): field ids written until the matching ``endStruct()`` are
    /// delta-encoded against each other only.
    mutating func beginStruct() {
        enclosingFieldIDs.append(lastFieldID)
        lastFieldID = 0
    }

    /// Closes the innermost open struct: writes its STOP byte and restores the enclosing
    /// struct's last field id.
    mutating func endStruct() {
        writeStop()
        lastFieldID = enclosingFieldIDs.popLast() ?? 0
    }

    /// Writes the STOP byte that ends a struct (``endStruct()`` writes it for you).
    mutating func writeStop() {
        bytes.append(ThriftCompactType.stop.rawValue)
    }

    /// Writes a field header: the short form (delta in the high nibble) when the id is 1 to 15
    /// above the previous field's, else the type byte followed by the ZigZag i16 id.
    ///
    /// - Parameters:
    ///   - id: The field id from the IDL.
    ///   - type: The wire type of the value that follows (for booleans, the value itself).
    mutating func writeFieldHeader(id: Int16, type: ThriftCompactType) {
        let delta = Int(id) - Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeZigZag(Int64(id))
        }
        lastFieldID = id
    }

    /// Writes a list (or set) header: `count` in the high nibble when below 15, else
    /// `0xF0 | type` followed by `count` as a varint.
    ///
    /// - Parameters:
    ///   - elementType: The wire type of every element; booleans use ``ThriftCompactType/booleanTrue``,
    ///     as the reference C++ and Java implementations write it (readers accept 1 and 2).
    ///   - count: The number of elements that follow (not negative).
    mutating func writeListHeader(elementType: ThriftCompactType, count: Int) {
        if count < 15 {
            bytes.append(UInt8(truncatingIfNeeded: count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            writeVarint(UInt64(truncatingIfNeeded: count))
        }
    }

    // MARK: Scalars

    /// Appends an unsigned LEB128 varint (1 to 10 bytes).
    mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: rest))
    }

    /// Appends a ZigZag varint: 0, -1, 1, -2, ... become 0, 1, 2, 3, ... (the same bytes for
    /// i16, i32 and i64 values, as ZigZag does not depend on the width).
    mutating func writeZigZag(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Appends one raw byte (Thrift `byte`/`i8`).
    mutating func writeByte(_ value: UInt8) {
        bytes.append(value)
    }

    /// Appends a signed byte (Thrift `i8`).
    mutating func writeI8(_ value: Int8) {
        bytes.append(UInt8(bitPattern: value))
    }

    /// Appends an i16 as a ZigZag varint.
    mutating func writeI16(_ value: Int16) {
        writeZigZag(Int64(value))
    }

    /// Appends an i32 (or enum value) as a ZigZag varint.
    mutating func writeI32(_ value: Int32) {
        writeZigZag(Int64(value))
    }

    /// Appends an i64 as a ZigZag varint.
    mutating func writeI64(_ value: Int64) {
        writeZigZag(value)
    }

    /// Appends a double as its 8 IEEE 754 bytes, little-endian.
    mutating func writeDouble(_ value: Double) {
        var bits = value.bitPattern
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }

    /// Appends a length-prefixed byte string.
    mutating func writeBinary<Bytes: Collection<UInt8>>(_ value: Bytes) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Appends a string as length-prefixed UTF-8.
    mutating func writeString(_ value: String) {
        writeBinary(value.utf8)
    }

    /// Appends a boolean list element: one byte, 1 for true and 2 for false, as the reference
    /// C++ and Java implementations write it (every reader treats anything but 1 as false).
    mutating func writeCollectionBool(_ value: Bool) {
        bytes.append(value ? ThriftCompactType.booleanTrue.rawValue : ThriftCompactType.booleanFalse.rawValue)
    }

    // MARK: Fields

    /// Writes a boolean field: the value is the header's type (1 true, 2 false), no payload.
    /// Nothing is written for `nil`.
    mutating func writeBool(field id: Int16, _ value: Bool?) {
        guard let value else { return }
        writeFieldHeader(id: id, type: value ? .booleanTrue : .booleanFalse)
    }

    /// Writes an i8 field; nothing for `nil`.
    mutating func writeI8(field id: Int16, _ value: Int8?) {
        guard let value else { return }
        writeFieldHeader(id: id, type: .byte)
        writeI8(value)
    }

    /// Writes an i16 field; nothing for `nil`.
    mutating func writeI16(field id: Int16, _ value: Int16?) {
        guard let value else { return }
        writeFieldHeader(id: id, type: .i16)
        writeI16(value)
    }

    /// Writes an i32 (or enum) field; nothing for `nil`.
    mutating func writeI32(field id: Int16, _ value: Int32?) {
        guard let value else { return }
        writeFieldHeader(id: id, type: .i32)
        writeI32(value)
    }

    /// Writes an i64 field; nothing for `nil`.
    mutating func writeI64(field id: Int16, _ value: Int64?) {
        guard let value else { return }
        writeFieldHeader(id: id, type: .i64)
        writeI64(value)
    }

    /// Writes a double field; nothing for `nil`.
    mutating func writeDouble(field id: Int16, _ value: Double?) {
        guard let value else { return }
        writeFieldHeader(id: id, type: .double)
        writeDouble(value)
    }

    /// Writes a binary field; nothing for `nil`.
    mutating func writeBinary(field id: Int16, _ value: [UInt8]?) {
        guard let value else { return }
        writeFieldHeader(id: id, type: .binary)
        writeBinary(value)
    }

    /// Writes a string field; nothing for `nil`.
    mutating func writeString(field id: Int16, _ value: String?) {
        guard let value else { return }
        writeFieldHeader(id: id, type: .binary)
        writeString(value)
    }

    /// Writes a field whose value is an empty struct (a union member without data, such as
    /// `StringType` or `TypeDefinedOrder`).
    mutating func writeEmptyStruct(field id: Int16) {
        writeFieldHeader(id: id, type: .struct)
        beginStruct()
        endStruct()
    }
}
