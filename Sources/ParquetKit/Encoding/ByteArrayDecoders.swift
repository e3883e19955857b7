import ColumnarCore

/// DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT.
enum ByteArrayDecoders {
    static func corrupt(_ encoding: String, _ message: String, _ context: ParquetError.Context) -> ParquetError {
        ParquetError(code: .corruptFile, message: "\(encoding): " + message, context: context)
    }

    /// Lengths (delta-packed), then every value's bytes back to back.
    static func deltaLength(_ bytes: UnsafeRawBufferPointer, count: Int, into builder: inout BinaryColumnBuilder, context: ParquetError.Context) throws(ParquetError) -> Int {
        var lengths = DeltaBinaryPackedDecoder(bytes, context: context)
        let sizes = try lengths.decode(limit: count)
        guard sizes.count == count else { throw corrupt("DELTA_LENGTH_BYTE_ARRAY", "\(sizes.count) lengths for \(count) values", context) }
        var position = lengths.position
        for size in sizes {
            guard size >= 0, size <= Int64(bytes.count - position) else {
                throw corrupt("DELTA_LENGTH_BYTE_ARRAY", "a \(size)-byte value runs past the page", context)
            }
            builder.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + Int(size))]))
            position += Int(size)
        }
        return position
    }

    /// Prefix lengths shared with the previous value, then suffixes as DELTA_LENGTH_BYTE_ARRAY.
    static func deltaByteArray(_ bytes: UnsafeRawBufferPointer, count: Int, into builder: inout BinaryColumnBuilder, context: ParquetError.Context) throws(ParquetError) {
        var prefixes = DeltaBinaryPackedDecoder(bytes, context: context)
        let prefixLengths = try prefixes.decode(limit: count)
        guard prefixLengths.count == count else { throw corrupt("DELTA_BYTE_ARRAY", "\(prefixLengths.count) prefixes for \(count) values", context) }
        var suffixes = BinaryColumnBuilder(capacity: count)
        _ = try deltaLength(UnsafeRawBufferPointer(rebasing: bytes[prefixes.position...]), count: count, into: &suffixes, context: context)
        let suffixColumn = suffixes.finish()
        var previous: [UInt8] = []
        for i in 0..<count {
            let prefix = prefixLengths[i]
            guard prefix >= 0, prefix <= Int64(previous.count) else {
                throw corrupt("DELTA_BYTE_ARRAY", "prefix of \(prefix) bytes but the previous value has \(previous.count)", context)
            }
            var value = Array(previous[0..<Int(prefix)])
            value.append(contentsOf: suffixColumn.bytes(at: i))
            builder.append(bytes: value)
            previous = value
        }
    }

    /// Byte `j` of value `i` lives at `j × count + i`: reassemble `count` values of `width` bytes.
    static func byteStreamSplit(_ bytes: UnsafeRawBufferPointer, count: Int, width: Int, context: ParquetError.Context) throws(ParquetError) -> [UInt8] {
        guard width > 0, count <= bytes.count / width else {
            throw corrupt("BYTE_STREAM_SPLIT", "\(count) values of \(width) bytes need more than the page's \(bytes.count)", context)
        }
        var out = [UInt8](repeating: 0, count: count * width)
        for i in 0..<count {
            for j in 0..<width { out[i * width + j] = bytes[j * count + i] }
        }
        return out
    }
}
