/// Decodes Parquet's RLE / bit-packing hybrid: the encoding of definition and repetition levels,
/// dictionary indices and (in v2 pages) booleans.
///
/// The stream is a sequence of runs, each introduced by a ULEB128 header whose low bit says which
/// kind: `header >> 1` repetitions of one value stored in ⌈bitWidth/8⌉ little-endian bytes, or
/// `header >> 1` groups of eight values packed least-significant bit first, `bitWidth` bytes per
/// group. Values are decoded in batches into caller-owned buffers (no allocation per value). A
/// bit-packed run that the writer cut short at the end of the data is decoded as far as it goes.
struct RLEHybridDecoder {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private let bitWidth: Int
    /// Values left in the current run.
    private var remainingInRun = 0
    /// The value of the current RLE run, or nil inside a bit-packed run.
    private var repeated: UInt32? = nil
    /// For a bit-packed run: the bit offset of the next value from `position`.
    private var bitOffset = 0
    /// Where errors point.
    let context: ParquetError.Context
    let fileOffset: Int

    /// - Parameters:
    ///   - bytes: The encoded runs (without any length prefix).
    ///   - bitWidth: 0...32 bits per value.
    init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int, fileOffset: Int = 0, context: ParquetError.Context = .init()) throws(ParquetError) {
        self.bytes = bytes
        self.bitWidth = bitWidth
        self.fileOffset = fileOffset
        self.context = context
        guard (0...32).contains(bitWidth) else { throw corrupt("bit width \(bitWidth) is outside 0...32") }
    }

    func corrupt(_ message: String) -> ParquetError {
        var at = context
        at.byteOffset = fileOffset + position
        return ParquetError(code: .corruptFile, message: "RLE/bit-packed data: " + message, context: at)
    }

    /// Fills `output` completely.
    ///
    /// - Throws: ``ParquetError`` `.corruptFile` when the runs end before `output` is full or a
    ///   header is malformed.
    mutating func decode(into output: UnsafeMutableBufferPointer<UInt32>) throws(ParquetError) {
        var filled = 0
        let count = output.count
        if bitWidth == 0 {
            // Every value is 0 and takes no bytes (a column whose levels are all zero).
            output.initialize(repeating: 0)
            return
        }
        while filled < count {
            if remainingInRun == 0 { try startRun() }
            let take = min(remainingInRun, count - filled)
            if let value = repeated {
                (output.baseAddress! + filled).initialize(repeating: value, count: take)
            } else {
                unpack(into: output.baseAddress! + filled, count: take)
            }
            filled += take
            remainingInRun -= take
            if remainingInRun == 0, repeated == nil {
                position += (bitOffset + 7) >> 3
                bitOffset = 0
            }
        }
    }

    private mutating func readVarint() throws(ParquetError) -> UInt64 {
        switch VarInt.read(bytes, &position) {
        case .success(let value): return value
        case .failure(.ended): throw corrupt("the data ends inside a run header")
        case .failure(.tooLong): throw corrupt("run header longer than 10 bytes")
        }
    }

    private mutating func startRun() throws(ParquetError) {
        guard position < bytes.count else { throw corrupt("the data ends before all values were decoded") }
        let header = try readVarint()
        let length = header >> 1
        guard length > 0 else { throw corrupt("empty run") }
        if header & 1 == 0 {
            guard length <= UInt64(Int32.max) else { throw corrupt("run of \(length) values") }
            let width = (bitWidth + 7) >> 3
            guard bytes.count - position >= width else { throw corrupt("the data ends inside a repeated value") }
            var value: UInt32 = 0
            for i in 0..<width { value |= UInt32(bytes[position + i]) << UInt32(8 * i) }
            position += width
            if bitWidth < 32, value >> UInt32(bitWidth) != 0 { throw corrupt("repeated value \(value) wider than \(bitWidth) bits") }
            repeated = value
            remainingInRun = Int(length)
        } else {
            guard length <= UInt64(Int32.max / 8) else { throw corrupt("bit-packed run of \(length) groups") }
            // A final run may be cut short by the writer: keep only the whole values present.
            let available = (bytes.count - position) * 8 / bitWidth
            let declared = Int(length) * 8
            guard available > 0 else { throw corrupt("the data ends inside a bit-packed run") }
            repeated = nil
            remainingInRun = min(declared, available)
            bitOffset = 0
        }
    }

    /// Unpacks `count` values of the current bit-packed run.
    private mutating func unpack(into output: UnsafeMutablePointer<UInt32>, count: Int) {
        let mask: UInt64 = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
        let base = bytes.baseAddress! + position
        let end = bytes.count - position
        var bit = bitOffset
        var i = 0
        // Fast path: one unaligned 8-byte load per value while 8 bytes remain.
        while i < count && (bit >> 3) + 8 <= end {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
            output[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            bit += bitWidth
            i += 1
        }
        // Tail: assemble from the bytes that exist.
        while i < count {
            var word: UInt64 = 0
            let first = bit >> 3
            for k in 0..<min(8, end - first) { word |= UInt64(base.load(fromByteOffset: first + k, as: UInt8.self)) << UInt64(8 * k) }
            output[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            bit += bitWidth
            i += 1
        }
        bitOffset = bit
    }
}

/// The number of bits needed for values up to `maximum` (0 for 0).
func bitWidth(forMaximum maximum: Int) -> Int {
    maximum <= 0 ? 0 : Int.bitWidth - maximum.leadingZeroBitCount
}
