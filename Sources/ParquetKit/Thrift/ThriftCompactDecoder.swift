/// The wire types of the Thrift compact protocol, as they appear in field headers and collection
/// headers.
enum ThriftCompactType: UInt8 {
    case stop = 0
    case booleanTrue = 1
    case booleanFalse = 2
    case byte = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case `struct` = 12
}

/// Reads Thrift compact-protocol values from a byte range, checking every length and offset
/// against the bytes actually present: a hostile footer can make it throw, never read out of
/// bounds, allocate without bound or recurse without bound.
///
/// The protocol in brief: integers are ZigZag varints; a field header packs the field-id delta
/// (high nibble; 0 means an explicit ZigZag i16 id follows) with the type (low nibble), and
/// booleans live in the header's type; a list header packs a size below 15 (high nibble, 15
/// means a varint size follows) with the element type; a struct ends with a STOP byte.
struct ThriftCompactDecoder {
    private let bytes: UnsafeRawBufferPointer
    /// The position of the next byte to read.
    private(set) var position: Int
    /// The file offset of `bytes[0]`, for error messages.
    let fileOffset: Int
    /// Where errors say they happened.
    let context: ParquetError.Context
    private var depth = 0

    /// Nesting deeper than this is treated as corrupt (Parquet metadata nests about 6 deep).
    static let maxDepth = 64

    init(_ bytes: UnsafeRawBufferPointer, fileOffset: Int = 0, context: ParquetError.Context = .init()) {
        self.bytes = bytes
        self.position = 0
        self.fileOffset = fileOffset
        self.context = context
    }

    var remaining: Int { bytes.count - position }

    func corrupt(_ message: String) -> ParquetError {
        var context = self.context
        context.byteOffset = fileOffset + position
        return ParquetError(code: .corruptFile, message: "Thrift metadata: " + message, context: context)
    }

    // MARK: Scalars

    mutating func readByte() throws(ParquetError) -> UInt8 {
        guard position < bytes.count else { throw corrupt("unexpected end of data") }
        defer { position += 1 }
        return bytes[position]
    }

    /// An unsigned LEB128 varint of at most 10 bytes.
    mutating func readVarint() throws(ParquetError) -> UInt64 {
        switch VarInt.read(bytes, &position) {
        case .success(let value): return value
        case .failure(.ended): throw corrupt("unexpected end of data")
        case .failure(.tooLong): throw corrupt("varint longer than 10 bytes")
        }
    }

    mutating func readZigZag() throws(ParquetError) -> Int64 {
        VarInt.unzigzag(try readVarint())
    }

    mutating func readI64() throws(ParquetError) -> Int64 { try readZigZag() }

    mutating func readI32() throws(ParquetError) -> Int32 {
        let value = try readZigZag()
        guard let narrow = Int32(exactly: value) else { throw corrupt("i32 value \(value) out of range") }
        return narrow
    }

    mutating func readI16() throws(ParquetError) -> Int16 {
        let value = try readZigZag()
        guard let narrow = Int16(exactly: value) else { throw corrupt("i16 value \(value) out of range") }
        return narrow
    }

    mutating func readI8() throws(ParquetError) -> Int8 {
        Int8(bitPattern: try readByte())
    }

    mutating func readDouble() throws(ParquetError) -> Double {
        guard remaining >= 8 else { throw corrupt("unexpected end of data in a double") }
        defer { position += 8 }
        return Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)))
    }

    /// A length-prefixed byte string; the length is checked against the bytes left.
    mutating func readBinary() throws(ParquetError) -> [UInt8] {
        let length = try readVarint()
        guard length <= UInt64(remaining) else {
            throw corrupt("binary of \(length) bytes but only \(remaining) remain")
        }
        let count = Int(length)
        defer { position += count }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)]))
    }

    /// A binary decoded as UTF-8 (invalid sequences are replaced, as names are informational).
    mutating func readString() throws(ParquetError) -> String {
        String(decoding: try readBinary(), as: UTF8.self)
    }

    /// A boolean inside a list (one byte: 1 is true).
    mutating func readCollectionBool() throws(ParquetError) -> Bool {
        try readByte() == 1
    }

    // MARK: Structure

    /// Reads a struct's fields, calling `field` with each id and wire type. `field` must consume
    /// the value (read it, or call ``skip(_:)``). Boolean fields carry their value in the type.
    mutating func readStruct(
        _ field: (inout ThriftCompactDecoder, Int16, ThriftCompactType) throws(ParquetError) -> Void
    ) throws(ParquetError) {
        depth += 1
        defer { depth -= 1 }
        guard depth <= ThriftCompactDecoder.maxDepth else { throw corrupt("structures nested deeper than \(ThriftCompactDecoder.maxDepth)") }
        var lastID: Int16 = 0
        while true {
            let header = try readByte()
            if header == 0 { return }
            guard let type = ThriftCompactType(rawValue: header & 0x0F) else {
                throw corrupt("unknown field type \(header & 0x0F)")
            }
            let delta = Int16(header >> 4)
            let id: Int16
            if delta == 0 {
                id = try readI16()
            } else {
                let (next, overflow) = lastID.addingReportingOverflow(delta)
                guard !overflow else { throw corrupt("field id overflows") }
                id = next
            }
            lastID = id
            try field(&self, id, type)
        }
    }

    /// Reads a list (or set) header: the element type and a count bounded by the bytes left
    /// (every element takes at least one byte), so a hostile count cannot allocate.
    mutating func readListHeader() throws(ParquetError) -> (ThriftCompactType, Int) {
        let header = try readByte()
        var count = Int(header >> 4)
        if count == 15 {
            let wide = try readVarint()
            guard wide <= UInt64(Int32.max) else { throw corrupt("list of \(wide) elements") }
            count = Int(wide)
        }
        guard let type = ThriftCompactType(rawValue: header & 0x0F), type != .stop else {
            throw corrupt("unknown list element type \(header & 0x0F)")
        }
        guard count <= remaining else { throw corrupt("list of \(count) elements but only \(remaining) bytes remain") }
        return (type, count)
    }

    /// Reads a list whose elements `element` decodes one by one.
    mutating func readList<T>(
        _ expected: ThriftCompactType,
        _ element: (inout ThriftCompactDecoder) throws(ParquetError) -> T
    ) throws(ParquetError) -> [T] {
        let (type, count) = try readListHeader()
        guard type == expected || (expected == .booleanTrue && type == .booleanFalse) else {
            throw corrupt("list of \(type) where \(expected) was expected")
        }
        var result: [T] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try element(&self)) }
        return result
    }

    /// Skips one value of `type` (recursively for containers).
    mutating func skip(_ type: ThriftCompactType) throws(ParquetError) {
        switch type {
        case .stop: throw corrupt("unexpected STOP")
        case .booleanTrue, .booleanFalse: return
        case .byte: _ = try readByte()
        case .i16, .i32, .i64: _ = try readVarint()
        case .double:
            guard remaining >= 8 else { throw corrupt("unexpected end of data in a double") }
            position += 8
        case .binary:
            let length = try readVarint()
            guard length <= UInt64(remaining) else { throw corrupt("binary of \(length) bytes but only \(remaining) remain") }
            position += Int(length)
        case .list, .set:
            let (elementType, count) = try readListHeader()
            try nested { (d: inout ThriftCompactDecoder) throws(ParquetError) in
                for _ in 0..<count { try d.skipCollectionElement(elementType) }
            }
        case .map:
            let count = try readVarint()
            guard count <= UInt64(remaining) else { throw corrupt("map of \(count) entries but only \(remaining) bytes remain") }
            guard count > 0 else { return }
            let types = try readByte()
            guard let keyType = ThriftCompactType(rawValue: types >> 4), let valueType = ThriftCompactType(rawValue: types & 0x0F) else {
                throw corrupt("unknown map types \(types)")
            }
            try nested { (d: inout ThriftCompactDecoder) throws(ParquetError) in
                for _ in 0..<Int(count) {
                    try d.skipCollectionElement(keyType)
                    try d.skipCollectionElement(valueType)
                }
            }
        case .struct:
            try readStruct { decoder, _, fieldType throws(ParquetError) in try decoder.skip(fieldType) }
        }
    }

    private mutating func skipCollectionElement(_ type: ThriftCompactType) throws(ParquetError) {
        if type == .booleanTrue || type == .booleanFalse { _ = try readByte() } else { try skip(type) }
    }

    private mutating func nested(_ body: (inout ThriftCompactDecoder) throws(ParquetError) -> Void) throws(ParquetError) {
        depth += 1
        defer { depth -= 1 }
        guard depth <= ThriftCompactDecoder.maxDepth else { throw corrupt("structures nested deeper than \(ThriftCompactDecoder.maxDepth)") }
        try body(&self)
    }
}
