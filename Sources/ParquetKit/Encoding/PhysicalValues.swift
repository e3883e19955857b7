#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ColumnarCore

/// The present (non-null) values of a column chunk in their physical representation, as pages
/// decode them; converted to a ColumnarCore column once the chunk is complete.
enum PhysicalValues {
    case boolean(BitmapBuilder)
    case int32([Int32])
    case int64([Int64])
    /// 12 bytes per value.
    case int96([UInt8])
    case float([Float])
    case double([Double])
    /// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY.
    case bytes(BinaryColumnBuilder)

    init(_ type: PhysicalType) throws(ParquetError) {
        switch type {
        case .boolean: self = .boolean(BitmapBuilder())
        case .int32: self = .int32([])
        case .int64: self = .int64([])
        case .int96: self = .int96([])
        case .float: self = .float([])
        case .double: self = .double([])
        case .byteArray, .fixedLenByteArray: self = .bytes(BinaryColumnBuilder())
        default: throw ParquetError(code: .unsupportedFeature, message: "physical type \(type) is not supported")
        }
    }

    var count: Int {
        switch self {
        case .boolean(let b): return b.count
        case .int32(let v): return v.count
        case .int64(let v): return v.count
        case .int96(let v): return v.count / 12
        case .float(let v): return v.count
        case .double(let v): return v.count
        case .bytes(let b): return b.count
        }
    }
}

/// Appends raw little-endian fixed-width values (unaligned source) to an array.
func _appendFixed<T: BitwiseCopyable>(_ array: inout [T], _ source: UnsafeRawPointer, _ count: Int) {
    guard count > 0 else { return }
    let old = array.count
    // Grow with placeholder copies of the first value, then overwrite every slot at once.
    array.append(contentsOf: repeatElement(source.loadUnaligned(as: T.self), count: count))
    array.withUnsafeMutableBytes { target in
        _ = memcpy(target.baseAddress! + old * MemoryLayout<T>.stride, source, count * MemoryLayout<T>.stride)
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
        switch values {
        case .boolean(var builder):
            try need((count + 7) / 8)
            for i in 0..<count { builder.append(base.load(fromByteOffset: i >> 3, as: UInt8.self) >> UInt8(i & 7) & 1 == 1) }
            values = .boolean(builder)
        case .int32(var array):
            try need(count * 4)
            _appendFixed(&array, base, count)
            values = .int32(array)
        case .int64(var array):
            try need(count * 8)
            _appendFixed(&array, base, count)
            values = .int64(array)
        case .float(var array):
            try need(count * 4)
            _appendFixed(&array, base, count)
            values = .float(array)
        case .double(var array):
            try need(count * 8)
            _appendFixed(&array, base, count)
            values = .double(array)
        case .int96(var array):
            try need(count * 12)
            array.append(contentsOf: UnsafeRawBufferPointer(start: base, count: count * 12))
            values = .int96(array)
        case .bytes(var builder):
            if typeLength > 0 {
                try need(count * typeLength)
                for i in 0..<count { builder.append(bytes: UnsafeRawBufferPointer(start: base + i * typeLength, count: typeLength)) }
            } else {
                var position = 0
                for _ in 0..<count {
                    guard bytes.count - position >= 4 else { throw corrupt("a length prefix runs past the page") }
                    let length = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                    position += 4
                    guard length <= bytes.count - position else { throw corrupt("a \(length)-byte value runs past the page") }
                    builder.append(bytes: UnsafeRawBufferPointer(start: base + position, count: length))
                    position += length
                }
            }
            values = .bytes(builder)
        }
    }
}

extension PhysicalValues {
    /// Appends the dictionary entries named by `indices` (each checked against the size).
    mutating func appendGathered(from dictionary: PhysicalValues, _ indices: UnsafeBufferPointer<UInt32>, context: ParquetError.Context) throws(ParquetError) {
        let size = dictionary.count
        for index in indices where Int(index) >= size {
            throw ParquetError(code: .corruptFile, message: "dictionary index \(index) outside \(size) entries", context: context)
        }
        switch (self, dictionary) {
        case (.boolean(var builder), .boolean(let entries)):
            var dict = entries
            let bits = dict.finish()
            for index in indices { builder.append(bits[Int(index)]) }
            self = .boolean(builder)
        case (.int32(var array), .int32(let entries)):
            for index in indices { array.append(entries[Int(index)]) }
            self = .int32(array)
        case (.int64(var array), .int64(let entries)):
            for index in indices { array.append(entries[Int(index)]) }
            self = .int64(array)
        case (.float(var array), .float(let entries)):
            for index in indices { array.append(entries[Int(index)]) }
            self = .float(array)
        case (.double(var array), .double(let entries)):
            for index in indices { array.append(entries[Int(index)]) }
            self = .double(array)
        case (.int96(var array), .int96(let entries)):
            for index in indices { array.append(contentsOf: entries[(Int(index) * 12)..<(Int(index) * 12 + 12)]) }
            self = .int96(array)
        case (.bytes(var builder), .bytes(let entries)):
            var copy = entries
            let column = copy.finish()
            column.bytes.withUnsafeBytes { bytes in
                for index in indices {
                    let range = column.byteRange(Int(index))
                    builder.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[range]))
                }
            }
            self = .bytes(builder)
        default:
            throw ParquetError(code: .corruptFile, message: "dictionary page type differs from the column's", context: context)
        }
    }
}
