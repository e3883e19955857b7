import ParquetKit
import Testing

@Suite("SNAPPY codec")
struct SnappyCodecTests {
    let snappy = CompressionCodec.snappy

    @Test("decodes a hand-built stream: length varint, then a literal element")
    func literalStream() throws {
        // Length 3, literal tag (3 - 1) << 2, "abc".
        #expect(try snappy.decompress([0x03, 0x08, 0x61, 0x62, 0x63], uncompressedSize: 3) == Array("abc".utf8))
    }

    @Test("decodes a hand-built overlapping copy")
    func overlappingCopy() throws {
        // Length 12; literal "abc"; copy with a 1-byte offset: tag 0b000_101_01 (length 4 + 5), offset 3.
        let stream: [UInt8] = [0x0C, 0x08, 0x61, 0x62, 0x63, 0x15, 0x03]
        #expect(try snappy.decompress(stream, uncompressedSize: 12) == Array("abcabcabcabc".utf8))
    }

    @Test("a copy reaching before the start of the output is corrupt")
    func copyBeforeStart() {
        let stream: [UInt8] = [0x0C, 0x08, 0x61, 0x62, 0x63, 0x15, 0x09]
        #expect(code(snappy, stream, 12) == .corruptCompressedData)
    }

    @Test("the stream's recorded length is checked against the declared size", arguments: [11, 13])
    func recordedLength(declared: Int) {
        let stream: [UInt8] = [0x0C, 0x08, 0x61, 0x62, 0x63, 0x15, 0x03]
        #expect(code(snappy, stream, declared) == .uncompressedSizeMismatch)
    }
}
