@testable import ParquetKit
import Testing

@Suite struct RLEHybridDecoderTests {
    func decode(_ bytes: [UInt8], bitWidth: Int, count: Int) throws -> [UInt32] {
        try bytes.withUnsafeBytes { raw in
            var decoder = try RLEHybridDecoder(raw, bitWidth: bitWidth)
            var output = [UInt32](repeating: 0, count: count)
            try output.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            return output
        }
    }

    @Test("the specification's bit-packed example: 0...7 at width 3 is 88 C6 FA")
    func bitPackedExample() throws {
        #expect(try decode([0x03, 0x88, 0xC6, 0xFA], bitWidth: 3, count: 8) == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    @Test("an RLE run repeats one little-endian value")
    func rleRun() throws {
        // Header 8 << 1 = 16: eight repetitions; value 0x0104 in two bytes at width 9.
        #expect(try decode([0x10, 0x04, 0x01], bitWidth: 9, count: 8) == Array(repeating: 0x104, count: 8))
    }

    @Test("runs follow each other, and a batch may end inside a run")
    func mixedRuns() throws {
        // RLE: 3 × 1 (header 6), then bit-packed one group at width 1: 1,0,1,1,0,0,0,0 → 0b00001101.
        let bytes: [UInt8] = [0x06, 0x01, 0x03, 0x0D]
        #expect(try decode(bytes, bitWidth: 1, count: 7) == [1, 1, 1, 1, 0, 1, 1])
        try bytes.withUnsafeBytes { raw in
            var decoder = try RLEHybridDecoder(raw, bitWidth: 1)
            var first = [UInt32](repeating: 9, count: 2)
            var second = [UInt32](repeating: 9, count: 5)
            try first.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            try second.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            #expect(first + second == [1, 1, 1, 1, 0, 1, 1])
        }
    }

    @Test("decodes a bit-packed run cut short by the writer")
    func truncatedFinalRun() throws {
        // Header declares 2 groups (16 values) at width 8, but only 3 bytes follow.
        #expect(try decode([0x05, 7, 8, 9], bitWidth: 8, count: 3) == [7, 8, 9])
        #expect(throws: ParquetError.self) { try decode([0x05, 7, 8, 9], bitWidth: 8, count: 4) }
    }

    @Test("width 0 means every value is zero and no bytes are read")
    func zeroWidth() throws {
        #expect(try decode([], bitWidth: 0, count: 5) == [0, 0, 0, 0, 0])
    }

    @Test("32-bit values unpack exactly")
    func widestValues() throws {
        let values: [UInt32] = [0, 1, 0xFFFF_FFFF, 0x8000_0000, 12345, 0xDEAD_BEEF, 7, 0x7FFF_FFFF]
        var bytes: [UInt8] = [0x03]
        for v in values { bytes += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
        #expect(try decode(bytes, bitWidth: 32, count: 8) == values)
    }

    @Test("bad input throws: ended data, empty runs, values wider than the width, bad widths",
          arguments: [
              ([UInt8](), 3, 1),             // nothing to read
              ([0x00, 0x01], 3, 1),          // an RLE run of length 0
              ([0x02, 0x09], 3, 1),          // repeated value 9 does not fit 3 bits
              ([0x02], 3, 1),                // the data ends inside the repeated value
              ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 3, 1),  // endless varint
          ])
    func corrupt(bytes: [UInt8], width: Int, count: Int) {
        #expect(throws: ParquetError.self) { try decode(bytes, bitWidth: width, count: count) }
    }

    @Test("a width above 32 is rejected up front")
    func widthOutOfRange() {
        #expect(throws: ParquetError.self) { try decode([0x02, 0x01], bitWidth: 33, count: 1) }
    }

    @Test("random streams of mixed runs decode to what was encoded", arguments: [1, 2, 3, 7, 8, 13, 20, 31, 32])
    func randomRoundTrip(width: Int) throws {
        var generator = SplitMix64(seed: UInt64(width))
        var expected: [UInt32] = []
        var bytes: [UInt8] = []
        let mask: UInt64 = width == 32 ? 0xFFFF_FFFF : (1 << UInt64(width)) - 1
        for _ in 0..<50 {
            if generator.next() & 1 == 0 {
                let length = Int(generator.next() % 40) + 1
                let value = UInt32(generator.next() & mask)
                bytes += varint(UInt64(length) << 1)
                for i in 0..<((width + 7) / 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(8 * i))) }
                expected += Array(repeating: value, count: length)
            } else {
                let groups = Int(generator.next() % 4) + 1
                bytes += varint(UInt64(groups) << 1 | 1)
                var bits: [Bool] = []
                for _ in 0..<(groups * 8) {
                    let value = UInt32(generator.next() & mask)
                    expected.append(value)
                    for b in 0..<width { bits.append((value >> UInt32(b)) & 1 == 1) }
                }
                for start in stride(from: 0, to: bits.count, by: 8) {
                    var byte: UInt8 = 0
                    for k in 0..<8 where bits[start + k] { byte |= 1 << UInt8(k) }
                    bytes.append(byte)
                }
            }
        }
        #expect(try decode(bytes, bitWidth: width, count: expected.count) == expected)
    }

    func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            out.append(byte)
        } while value != 0
        return out
    }
}
