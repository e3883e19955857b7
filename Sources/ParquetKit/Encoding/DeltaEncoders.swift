import ColumnarCore

/// The writer's DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
/// BYTE_STREAM_SPLIT encodings.
enum DeltaEncoders {
    /// Values per block and miniblocks per block (32 values each), as parquet-mr and Arrow write.
    static let blockSize = 128
    static let miniblocks = 4

    /// DELTA_BINARY_PACKED of 64-bit values; deltas wrap around as two's complement.
    static func binaryPacked(_ values: UnsafeBufferPointer<Int64>, into out: inout [UInt8]) {
        encode(values.count, first: values.first ?? 0, into: &out) { i in UInt64(bitPattern: values[i] &- values[i - 1]) }
    }

    /// DELTA_BINARY_PACKED of 32-bit values; deltas wrap at 32 bits, so no bit width exceeds 32.
    static func binaryPacked(_ values: UnsafeBufferPointer<Int32>, into out: inout [UInt8]) {
        encode(values.count, first: Int64(values.first ?? 0), into: &out, width32: true) { i in
            UInt64(UInt32(bitPattern: values[i] &- values[i - 1]))
        }
    }

    /// The shared layout: header, then blocks of (min delta, miniblock bit widths, miniblocks).
    /// `delta(i)` is the wrapped difference of values i and i−1, as unsigned bits.
    private static func encode(_ count: Int, first: Int64, into out: inout [UInt8], width32: Bool = false, delta: (Int) -> UInt64) {
        RLEHybridEncoder.appendVarint(UInt64(blockSize), to: &out)
        RLEHybridEncoder.appendVarint(UInt64(miniblocks), to: &out)
        RLEHybridEncoder.appendVarint(UInt64(count), to: &out)
        appendZigZag(first, to: &out)
        let perMiniblock = blockSize / miniblocks
        var deltas = [UInt64](repeating: 0, count: blockSize)
        var next = 1
        while next < count {
            let n = Swift.min(blockSize, count - next)
            // The smallest delta, compared as signed values of the column's width.
            var minimum: Int64 = .max
            for k in 0..<n {
                let raw = delta(next + k)
                deltas[k] = raw
                let signed = width32 ? Int64(Int32(truncatingIfNeeded: raw)) : Int64(bitPattern: raw)
                minimum = Swift.min(minimum, signed)
            }
            appendZigZag(minimum, to: &out)
            // Deltas relative to the minimum (wrapping, as readers add them back with wrapping).
            let mask: UInt64 = width32 ? 0xFFFF_FFFF : .max
            for k in 0..<n { deltas[k] = (deltas[k] &- UInt64(bitPattern: minimum)) & mask }
            var widths = [Int](repeating: 0, count: miniblocks)
            for m in 0..<miniblocks where m * perMiniblock < n {
                var largest: UInt64 = 0
                for k in (m * perMiniblock)..<Swift.min(n, (m + 1) * perMiniblock) { largest |= deltas[k] }
                widths[m] = largest == 0 ? 0 : UInt64.bitWidth - largest.leadingZeroBitCount
            }
            for width in widths { out.append(UInt8(width)) }
            for m in 0..<miniblocks where m * perMiniblock < n {
                // A miniblock always holds `perMiniblock` values' worth of bits (zero padded).
                var writer = _BitWriter()
                for k in (m * perMiniblock)..<((m + 1) * perMiniblock) {
                    writer.put(k < n ? deltas[k] : 0, width: widths[m], into: &out)
                }
                writer.flush(into: &out)
            }
            next += n
        }
    }

    static func appendZigZag(_ value: Int64, to out: inout [UInt8]) {
        RLEHybridEncoder.appendVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)), to: &out)
    }

    /// DELTA_LENGTH_BYTE_ARRAY: the lengths delta-packed, then the bytes back to back.
    static func lengthByteArray(_ c: BinaryColumnRange, into out: inout [UInt8]) {
        let lengths = (0..<c.count).map { Int32(c.length($0)) }
        lengths.withUnsafeBufferPointer { binaryPacked($0, into: &out) }
        c.appendBytes(to: &out)
    }

    /// DELTA_BYTE_ARRAY: shared-prefix lengths delta-packed, then the suffixes as
    /// DELTA_LENGTH_BYTE_ARRAY.
    static func byteArray(_ c: BinaryColumnRange, into out: inout [UInt8]) {
        var prefixes: [Int32] = []
        var suffixLengths: [Int32] = []
        var suffixes: [UInt8] = []
        prefixes.reserveCapacity(c.count)
        suffixLengths.reserveCapacity(c.count)
        var previous: [UInt8] = []
        for i in 0..<c.count {
            let value = c.value(i)
            var shared = 0
            let limit = Swift.min(previous.count, value.count)
            while shared < limit && previous[shared] == value[shared] { shared += 1 }
            prefixes.append(Int32(shared))
            suffixLengths.append(Int32(value.count - shared))
            suffixes.append(contentsOf: value[shared...])
            previous = value
        }
        prefixes.withUnsafeBufferPointer { binaryPacked($0, into: &out) }
        suffixLengths.withUnsafeBufferPointer { binaryPacked($0, into: &out) }
        out += suffixes
    }

    /// BYTE_STREAM_SPLIT: byte j of value i goes to position j × count + i.
    static func byteStreamSplit(_ plain: [UInt8], width: Int, into out: inout [UInt8]) {
        let count = width == 0 ? 0 : plain.count / width
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: count * width))
        for i in 0..<count {
            for j in 0..<width { out[start + j * count + i] = plain[i * width + j] }
        }
    }
}

/// A range of rows of a binary column, read without copying the column.
struct BinaryColumnRange {
    let column: BinaryColumn
    let range: Range<Int>
    var count: Int { range.count }
    func length(_ i: Int) -> Int { column.byteRange(range.lowerBound + i).count }
    func value(_ i: Int) -> [UInt8] { column.bytes(at: range.lowerBound + i) }
    func appendBytes(to out: inout [UInt8]) {
        guard !range.isEmpty else { return }
        let start = Int(column.offsets[range.lowerBound])
        let end = Int(column.offsets[range.upperBound])
        column.bytes.withUnsafeBytes { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }
}

/// Packs values of up to 64 bits, least significant bit first, into bytes.
struct _BitWriter {
    var accumulator: UInt64 = 0
    var bits = 0

    mutating func put(_ value: UInt64, width: Int, into out: inout [UInt8]) {
        guard width > 0 else { return }
        accumulator |= value << UInt64(bits)
        if bits + width >= 64 {
            withUnsafeBytes(of: accumulator.littleEndian) { out.append(contentsOf: $0) }
            let consumed = 64 - bits
            accumulator = consumed >= 64 ? 0 : value >> UInt64(consumed)
            bits = bits + width - 64
        } else {
            bits += width
        }
    }

    mutating func flush(into out: inout [UInt8]) {
        var rest = accumulator
        var remaining = bits
        while remaining > 0 {
            out.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
            remaining -= 8
        }
        accumulator = 0
        bits = 0
    }
}
