/// Writes the RLE / bit-packing hybrid encoding of small unsigned integers (definition and
/// repetition levels, dictionary indices, booleans): runs of eight or more equal values become
/// RLE runs, everything else bit-packed groups of eight, least significant bit first.
enum RLEHybridEncoder {
    /// The longest bit-packed run written, in groups of eight values (keeps the header to one byte).
    static let maxGroupsPerRun = 63

    /// Appends the encoding of `values` (each below 2^`bitWidth`) to `out`, without a length prefix.
    static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout [UInt8]) {
        precondition((0...32).contains(bitWidth), "bit width \(bitWidth) outside 0...32")
        let count = values.count
        let valueBytes = (bitWidth + 7) / 8
        var i = 0
        while i < count {
            let run = repeatLength(values, at: i)
            if run >= 8 || bitWidth == 0 {
                // An RLE run: header (length << 1), then the value in whole bytes, little-endian.
                let length = bitWidth == 0 ? count - i : run
                appendVarint(UInt64(length) << 1, to: &out)
                var value = values[i]
                for _ in 0..<valueBytes {
                    out.append(UInt8(truncatingIfNeeded: value))
                    value >>= 8
                }
                i += length
                continue
            }
            // A bit-packed run: groups of eight until a long repeat starts or the run is full.
            var end = i
            var groups = 0
            repeat {
                end = Swift.min(end + 8, count)
                groups += 1
            } while end < count && groups < maxGroupsPerRun && repeatLength(values, at: end) < 8
            appendVarint(UInt64(groups) << 1 | 1, to: &out)
            appendBitPacked(values, from: i, to: end, groups: groups, bitWidth: bitWidth, into: &out)
            i = end
        }
    }

    /// Appends the encoding with the 4-byte little-endian length prefix that data page v1 levels use.
    static func encodeWithLength(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout [UInt8]) {
        let lengthAt = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        encode(values, bitWidth: bitWidth, into: &out)
        let length = UInt32(out.count - lengthAt - 4)
        for k in 0..<4 { out[lengthAt + k] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(k))) }
    }

    /// How many values from `start` on equal `values[start]` (counting stops at 8 is not enough:
    /// the whole run is measured so one header covers it).
    @inline(__always)
    static func repeatLength(_ values: UnsafeBufferPointer<UInt32>, at start: Int) -> Int {
        let first = values[start]
        var end = start + 1
        while end < values.count && values[end] == first { end += 1 }
        return end - start
    }

    /// Packs `groups × 8` values (zero past `end`) at `bitWidth` bits each, LSB first.
    static func appendBitPacked(
        _ values: UnsafeBufferPointer<UInt32>, from start: Int, to end: Int, groups: Int, bitWidth: Int, into out: inout [UInt8]
    ) {
        var accumulator: UInt64 = 0
        var bits = 0
        for index in start..<(start + groups * 8) {
            let value = index < end ? UInt64(values[index]) : 0
            accumulator |= value << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                out.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                bits -= 8
            }
        }
        // groups × 8 × bitWidth bits is always a whole number of bytes.
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }
}
