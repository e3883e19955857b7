/// Decodes DELTA_BINARY_PACKED integers: a header (block size, miniblocks per block, value
/// count, first value), then blocks of a ZigZag minimum delta, one bit width per miniblock, and
/// the bit-packed (delta − minimum) of each miniblock. Arithmetic wraps, as the format defines.
struct DeltaBinaryPackedDecoder {
    private let bytes: UnsafeRawBufferPointer
    /// Bytes consumed so far; after ``decode(count:)`` it is where the encoded data ended.
    private(set) var position = 0
    let context: ParquetError.Context

    init(_ bytes: UnsafeRawBufferPointer, context: ParquetError.Context) {
        self.bytes = bytes
        self.context = context
    }

    func corrupt(_ message: String) -> ParquetError {
        ParquetError(code: .corruptFile, message: "DELTA_BINARY_PACKED: " + message, context: context)
    }

    private mutating func varint() throws(ParquetError) -> UInt64 {
        switch VarInt.read(bytes, &position) {
        case .success(let value): return value
        case .failure(.ended): throw corrupt("the data ends inside a header")
        case .failure(.tooLong): throw corrupt("varint longer than 10 bytes")
        }
    }

    private mutating func zigzag() throws(ParquetError) -> Int64 {
        VarInt.unzigzag(try varint())
    }

    /// Decodes the stream's values (at most `limit`, which bounds allocation; the stream's own
    /// count must not exceed it).
    mutating func decode(limit: Int) throws(ParquetError) -> [Int64] {
        let blockSize = try varint()
        let miniblocks = try varint()
        let total = try varint()
        var value = try zigzag()
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20 else { throw corrupt("block size \(blockSize)") }
        guard miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw corrupt("\(miniblocks) miniblocks in a block of \(blockSize)")
        }
        guard total <= UInt64(limit) else { throw corrupt("\(total) values where at most \(limit) were expected") }
        let count = Int(total)
        var out: [Int64] = []
        out.reserveCapacity(count)
        if count == 0 { return out }
        out.append(value)
        let perMiniblock = Int(blockSize / miniblocks)
        while out.count < count {
            let minimum = try zigzag()
            guard bytes.count - position >= Int(miniblocks) else { throw corrupt("the data ends inside the bit widths") }
            let widthsStart = position
            position += Int(miniblocks)
            for m in 0..<Int(miniblocks) where out.count < count {
                let width = Int(bytes[widthsStart + m])
                guard width <= 64 else { throw corrupt("bit width \(width)") }
                let bodyBytes = perMiniblock * width / 8
                guard bytes.count - position >= bodyBytes else { throw corrupt("the data ends inside a miniblock") }
                let take = min(perMiniblock, count - out.count)
                let base = bytes.baseAddress! + position
                for i in 0..<take {
                    let delta = width == 0 ? 0 : _unpack(base, bit: i * width, width: width)
                    value = value &+ minimum &+ Int64(bitPattern: delta)
                    out.append(value)
                }
                position += bodyBytes
            }
        }
        return out
    }
}

/// Reads `width` (1...64) bits starting at bit `bit`, least-significant first, from bytes that
/// are known to hold them.
@inline(__always)
func _unpack(_ base: UnsafeRawPointer, bit: Int, width: Int) -> UInt64 {
    var result: UInt64 = 0
    var got = 0
    var at = bit
    while got < width {
        let byte = UInt64(base.load(fromByteOffset: at >> 3, as: UInt8.self))
        let offset = at & 7
        let take = min(8 - offset, width - got)
        result |= ((byte >> UInt64(offset)) & ((1 << UInt64(take)) - 1)) << UInt64(got)
        got += take
        at += take
    }
    return result
}
