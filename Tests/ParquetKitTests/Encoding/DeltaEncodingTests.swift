@testable import ParquetKit
import ColumnarCore
import Testing

@Suite struct DeltaEncodingTests {
    func decode(_ bytes: [UInt8], limit: Int) throws -> [Int64] {
        try bytes.withUnsafeBytes { raw in
            var decoder = DeltaBinaryPackedDecoder(raw, context: .init())
            return try decoder.decode(limit: limit)
        }
    }

    @Test("1, 2, 3, 4, 5: a constant delta needs zero-width miniblocks and no bodies")
    func constantDelta() throws {
        // block 128, 4 miniblocks, 5 values, first 1 (zigzag 2); min delta 1 (zigzag 2), widths 0.
        #expect(try decode([0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0], limit: 5) == [1, 2, 3, 4, 5])
    }

    @Test("7, 5, 3, 1, 2, 3, 4, 5: deltas relative to the minimum −2, packed at width 2")
    func packedDeltas() throws {
        // Relative deltas 0,0,0,3,3,3,3 → bits 00 00 00 11 | 11 11 11 11 → C0 FF, padded to 8 bytes.
        let bytes: [UInt8] = [0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 2, 0, 0, 0, 0xC0, 0xFF, 0, 0, 0, 0, 0, 0]
        #expect(try decode(bytes, limit: 8) == [7, 5, 3, 1, 2, 3, 4, 5])
    }

    @Test("a value count above what the page can hold is rejected before allocating")
    func hostileCount() {
        #expect(throws: ParquetError.self) { try decode([0x80, 0x01, 0x04, 0xFF, 0xFF, 0xFF, 0x0F, 0x02], limit: 10) }
    }

    @Test("a block size that is not a multiple of 128 is corrupt")
    func badBlockSize() {
        #expect(throws: ParquetError.self) { try decode([0x10, 0x04, 0x01, 0x02], limit: 1) }
    }

    @Test("DELTA_BYTE_ARRAY rebuilds values from shared prefixes and suffixes")
    func deltaByteArray() throws {
        // "apple", "applet", "apply": prefixes 0, 5, 4; suffixes "apple", "t", "y".
        // Prefix lengths: first 0, deltas 5, −1 → minimum −1 (zigzag 1), relative 6, 0 at width 3:
        // 110 000 → 0x06, in a 12-byte miniblock body.
        let prefixes: [UInt8] = [0x80, 0x01, 0x04, 0x03, 0x00, 0x01, 3, 0, 0, 0, 0x06] + [UInt8](repeating: 0, count: 11)
        // Suffix lengths 5, 1, 1: first 5 (zigzag 10), deltas −4, 0 → minimum −4 (zigzag 7), relative 0, 4 at width 3: 000 100 → 0x20.
        let lengths: [UInt8] = [0x80, 0x01, 0x04, 0x03, 0x0A, 0x07, 3, 0, 0, 0, 0x20] + [UInt8](repeating: 0, count: 11)
        let data = prefixes + lengths + Array("apple".utf8) + Array("t".utf8) + Array("y".utf8)
        var builder = BinaryColumnBuilder()
        try data.withUnsafeBytes { raw in
            try ByteArrayDecoders.deltaByteArray(raw, count: 3, into: &builder, context: .init())
        }
        let column = builder.finish()
        #expect((0..<3).map { column.string(at: $0) } == ["apple", "applet", "apply"])
    }

    @Test("BYTE_STREAM_SPLIT interleaves bytes by position")
    func byteStreamSplit() throws {
        // Two 4-byte values 0x04030201 and 0x08070605: streams [01 05] [02 06] [03 07] [04 08].
        let split: [UInt8] = [1, 5, 2, 6, 3, 7, 4, 8]
        let joined = try split.withUnsafeBytes { try ByteArrayDecoders.byteStreamSplit($0, count: 2, width: 4, context: .init()) }
        #expect(joined == [1, 2, 3, 4, 5, 6, 7, 8])
    }
}
