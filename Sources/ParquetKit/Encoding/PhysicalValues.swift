import ColumnarCore

/// The present (non-null) values of a column chunk in their physical representation, as pages
/// decode them; converted to a ColumnarCore column once the chunk is complete. One growable
/// aligned buffer per physical type, mutated in place (no copy-on-write of an enum payload per
/// page) and handed to the column without a copy when the chunk has no nulls.
struct PhysicalValues {
    let type: PhysicalType
    var booleans = BitmapBuilder()
    var int32s = ValueBufferBuilder<Int32>()
    var int64s = ValueBufferBuilder<Int64>()
    /// 12 bytes per value.
    var int96s = ValueBufferBuilder<UInt8>()
    var floats = ValueBufferBuilder<Float>()
    var doubles = ValueBufferBuilder<Double>()
    /// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY.
    var bytes = BinaryColumnBuilder()
    /// INT32 and INT64 decimals, widened page by page (see ``widenDecimals()``) so the chunk
    /// never holds a second full-size copy of them.
    var decimals = ValueBufferBuilder<Int128>()

    /// - Parameters:
    ///   - capacity: The number of values expected (a hint: buffers still grow past it).
    ///   - byteCapacity: For byte arrays, the number of value bytes expected (also a hint).
    init(_ type: PhysicalType, capacity: Int = 0, byteCapacity: Int = 0) throws(ParquetError) {
        guard (0...7).contains(type.rawValue) else {
            throw ParquetError(code: .unsupportedFeature, message: "physical type \(type) is not supported")
        }
        self.type = type
        guard capacity > 0 else { return }
        switch type {
        case .boolean: booleans = BitmapBuilder(capacity: capacity)
        case .int32: int32s.reserveCapacity(capacity)
        case .int64: int64s.reserveCapacity(capacity)
        case .int96: int96s.reserveCapacity(capacity * 12)
        case .float: floats.reserveCapacity(capacity)
        case .double: doubles.reserveCapacity(capacity)
        default: bytes.reserveCapacity(rows: capacity, bytes: byteCapacity)
        }
    }

    var count: Int {
        switch type {
        case .boolean: return booleans.count
        case .int32: return decimals.count + int32s.count
        case .int64: return decimals.count + int64s.count
        case .int96: return int96s.count / 12
        case .float: return floats.count
        case .double: return doubles.count
        default: return bytes.count
        }
    }
}

extension PhysicalValues {
    /// Moves the INT32/INT64 values decoded so far into ``decimals`` as 128-bit integers,
    /// leaving the narrow buffer empty for the next page (and warm in cache).
    mutating func widenDecimals() {
        func widen<T: FixedWidthInteger>(_ narrow: inout ValueBufferBuilder<T>) {
            let n = narrow.count
            guard n > 0 else { return }
            narrow.withUnsafeBufferPointer { source in
                decimals.appendUninitialized(count: n) { target in
                    for i in 0..<n { target[i] = Int128(source[i]) }
                }
            }
            narrow.removeLast(n)
        }
        switch type {
        case .int32: widen(&int32s)
        case .int64: widen(&int64s)
        default: break
        }
    }
}

/// PLAIN decoding of `count` values from `bytes` (bounds-checked), appended to `values`.
struct PlainDecoder {
    let typeLength: Int
    let context: ParquetError.Context

    func corrupt(_ message: String) -> ParquetError {
        ParquetError(code: .corruptFile, message: "PLAIN values: " + message, context: context)
    }

    func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into values: inout PhysicalValues) throws(ParquetError) {
        func need(_ size: Int) throws(ParquetError) {
            guard size <= bytes.count else { throw corrupt("\(count) values need \(size) bytes, the page has \(bytes.count)") }
        }
        guard count > 0 else { return }
        let base = bytes.baseAddress!
        switch values.type {
        case .boolean:
            try need((count + 7) / 8)
            for i in 0..<count { values.booleans.append(base.load(fromByteOffset: i >> 3, as: UInt8.self) >> UInt8(i & 7) & 1 == 1) }
        case .int32:
            try need(count * 4)
            values.int32s.append(unalignedBytes: base, count: count)
        case .int64:
            try need(count * 8)
            values.int64s.append(unalignedBytes: base, count: count)
        case .float:
            try need(count * 4)
            values.floats.append(unalignedBytes: base, count: count)
        case .double:
            try need(count * 8)
            values.doubles.append(unalignedBytes: base, count: count)
        case .int96:
            try need(count * 12)
            values.int96s.append(unalignedBytes: base, count: count * 12)
        default:
            if typeLength > 0 {
                try need(count * typeLength)
                for i in 0..<count { values.bytes.append(bytes: UnsafeRawBufferPointer(start: base + i * typeLength, count: typeLength)) }
            } else {
                // Every value costs at least its 4-byte length prefix.
                try need(count * 4)
                values.bytes.reserveCapacity(rows: count, bytes: bytes.count - count * 4)
                var position = 0
                for _ in 0..<count {
                    guard bytes.count - position >= 4 else { throw corrupt("a length prefix runs past the page") }
                    let length = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                    position += 4
                    guard length <= bytes.count - position else { throw corrupt("a \(length)-byte value runs past the page") }
                    values.bytes.append(bytes: UnsafeRawBufferPointer(start: base + position, count: length))
                    position += length
                }
            }
        }
    }
}

extension PhysicalValues {
    /// Appends the dictionary entries named by `indices` (each checked against the size).
    mutating func appendGathered(from dictionary: Dictionary, _ indices: UnsafeBufferPointer<UInt32>, context: ParquetError.Context) throws(ParquetError) {
        let size = dictionary.count
        for index in indices where Int(index) >= size {
            throw ParquetError(code: .corruptFile, message: "dictionary index \(index) outside \(size) entries", context: context)
        }
        guard dictionary.values.type == type else {
            throw ParquetError(code: .corruptFile, message: "dictionary page type differs from the column's", context: context)
        }
        let entries = dictionary.values
        switch type {
        case .boolean:
            for index in indices { booleans.append(dictionary.bits![Int(index)]) }
        case .int32: _gather(entries.int32s, indices, into: &int32s)
        case .int64: _gather(entries.int64s, indices, into: &int64s)
        case .float: _gather(entries.floats, indices, into: &floats)
        case .double: _gather(entries.doubles, indices, into: &doubles)
        case .int96:
            entries.int96s.withUnsafeBufferPointer { source in
                for index in indices { int96s.append(unalignedBytes: source.baseAddress! + Int(index) * 12, count: 12) }
            }
        default:
            let column = dictionary.strings!
            bytes.reserveCapacity(rows: indices.count, bytes: 0)
            column.bytes.withUnsafeBytes { raw in
                for index in indices {
                    bytes.append(bytes: UnsafeRawBufferPointer(rebasing: raw[column.byteRange(Int(index))]))
                }
            }
        }
    }

    /// A decoded dictionary page, with its entries finished once for gathering.
    struct Dictionary {
        let values: PhysicalValues
        let bits: Bitmap?
        let strings: BinaryColumn?
        var count: Int { strings?.count ?? bits?.count ?? values.count }

        init(_ values: PhysicalValues) {
            var copy = values
            self.bits = values.type == .boolean ? copy.booleans.finish() : nil
            self.strings = values.type == .byteArray || values.type == .fixedLenByteArray ? copy.bytes.finish() : nil
            self.values = values
        }
    }
}

/// Appends `dictionary[i]` for every (already bounds-checked) index: one reservation, then a
/// tight loop over raw buffers.
func _gather<T: BitwiseCopyable>(_ dictionary: ValueBufferBuilder<T>, _ indices: UnsafeBufferPointer<UInt32>, into values: inout ValueBufferBuilder<T>) {
    guard !indices.isEmpty, dictionary.count > 0 else { return }
    dictionary.withUnsafeBufferPointer { source in
        values.appendUninitialized(count: indices.count) { out in
            for i in 0..<indices.count { out[i] = source[Int(indices[i])] }
        }
    }
}
