import ParquetKit
import Testing

/// LZ4 (codec 5): LZ4 blocks in Hadoop's framing, with the bare-block fallback.
@Suite("LZ4 (Hadoop framing) codec")
struct LZ4HadoopCodecTests {
    let lz4 = CompressionCodec.lz4

    /// A frame: uncompressed length 5, compressed length 6 (both big-endian), then the block.
    static let helloFrame: [UInt8] = [0, 0, 0, 5, 0, 0, 0, 6, 0x50] + Array("hello".utf8)

    @Test("decodes a hand-built frame")
    func singleFrame() throws {
        #expect(try lz4.decompress(Self.helloFrame, uncompressedSize: 5) == Array("hello".utf8))
    }

    @Test("several frames decode to the concatenation of their blocks")
    func severalFrames() throws {
        let second: [UInt8] = [0, 0, 0, 11, 0, 0, 0, 4, 0x16, 0x61, 0x01, 0x00]
        let decoded = try lz4.decompress(Self.helloFrame + second, uncompressedSize: 16)
        #expect(decoded == Array("helloaaaaaaaaaaa".utf8))
    }

    @Test("input that is not Hadoop-framed falls back to a bare LZ4 block")
    func bareBlockFallback() throws {
        let text = Array("not framed at all, just one block".utf8)
        let bare = try CompressionCodec.lz4Raw.compress(text)
        #expect(try lz4.decompress(bare, uncompressedSize: text.count) == text)
        #expect(try lz4.decompress([0x50] + Array("short".utf8), uncompressedSize: 5) == Array("short".utf8))
    }

    @Test("compress writes one frame: big-endian lengths, then a bare block")
    func writesOneFrame() throws {
        let input = Fixtures.words(count: 3_000, seed: 61)
        let framed = try lz4.compress(input)
        let block = try CompressionCodec.lz4Raw.compress(input)
        #expect(Array(framed.prefix(4)) == [0x00, 0x00, 0x0B, 0xB8])
        let length = UInt32(block.count)
        #expect(Array(framed[4..<8]) == [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)])
        #expect(Array(framed.dropFirst(8)) == block)
    }

    @Test("well-formed frames declaring another total size throw uncompressedSizeMismatch")
    func framedSizeMismatch() {
        #expect(code(lz4, Self.helloFrame, 4) == .uncompressedSizeMismatch)
        #expect(code(lz4, Self.helloFrame, 6) == .uncompressedSizeMismatch)
    }

    @Test("a well-formed frame holding a corrupt block throws corruptCompressedData")
    func framedCorruptBlock() {
        let frame: [UInt8] = [0, 0, 0, 9, 0, 0, 0, 4, 0x15, 0x61, 0x09, 0x00]
        #expect(code(lz4, frame, 9) == .corruptCompressedData)
    }
}
