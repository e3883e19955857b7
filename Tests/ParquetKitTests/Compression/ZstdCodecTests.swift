import ParquetKit
import Testing

@Suite("ZSTD codec")
struct ZstdCodecTests {
    let zstd = CompressionCodec.zstd

    /// A frame built by hand without a content size: header descriptor 0, window descriptor 0
    /// (1 KiB), then one raw block (last, raw, size 3: 0x000019 little-endian) holding "abc".
    static let frameWithoutContentSize: [UInt8] =
        [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x00, 0x19, 0x00, 0x00, 0x61, 0x62, 0x63]

    /// A single-segment frame recording a content size of 100, with one RLE block
    /// (last, RLE, size 100: 0x000323) of "x".
    static let runLengthFrame: [UInt8] =
        [0x28, 0xB5, 0x2F, 0xFD, 0x20, 0x64, 0x23, 0x03, 0x00, 0x78]

    @Test("decodes a hand-built frame that does not record its content size")
    func frameWithoutContentSize() throws {
        #expect(try zstd.decompress(Self.frameWithoutContentSize, uncompressedSize: 3) == Array("abc".utf8))
    }

    @Test("decodes a hand-built frame with a run-length block")
    func runLengthFrame() throws {
        let decoded = try zstd.decompress(Self.runLengthFrame, uncompressedSize: 100)
        #expect(decoded == [UInt8](repeating: 0x78, count: 100))
    }

    @Test("several frames decode to the concatenation of their contents")
    func concatenatedFrames() throws {
        let first = Fixtures.words(count: 30_000, seed: 41)
        let second = Fixtures.mixed(count: 30_000, seed: 42)
        let frames = try zstd.compress(first) + Self.frameWithoutContentSize + zstd.compress(second)
            + Self.runLengthFrame
        let expected = first + Array("abc".utf8) + second + [UInt8](repeating: 0x78, count: 100)
        #expect(try zstd.decompress(frames, uncompressedSize: expected.count) == expected)
    }

    @Test("a skippable frame is skipped")
    func skippableFrame() throws {
        let skippable: [UInt8] = [0x50, 0x2A, 0x4D, 0x18, 0x04, 0x00, 0x00, 0x00, 0xDE, 0xAD, 0xBE, 0xEF]
        let decoded = try zstd.decompress(skippable + Self.frameWithoutContentSize, uncompressedSize: 3)
        #expect(decoded == Array("abc".utf8))
    }

    @Test("a recorded content size that disagrees with the page header is a size mismatch")
    func recordedSizeMismatch() {
        #expect(code(zstd, Self.runLengthFrame, 99) == .uncompressedSizeMismatch)
        #expect(code(zstd, Self.runLengthFrame, 101) == .uncompressedSizeMismatch)
    }

    @Test("a frame without a content size that decodes to another size is a size mismatch", arguments: [2, 4])
    func streamedSizeMismatch(declared: Int) {
        #expect(code(zstd, Self.frameWithoutContentSize, declared) == .uncompressedSizeMismatch)
    }

    @Test("a frame cut short throws truncatedInput")
    func truncatedFrame() {
        let cut = Array(Self.frameWithoutContentSize.prefix(10))
        #expect(code(zstd, cut, 3) == .truncatedInput)
    }

    @Test("the error message carries zstd's own description")
    func errorMessage() {
        do {
            _ = try zstd.decompress([0x28, 0xB5, 0x2F, 0xFE, 1, 2, 3, 4], uncompressedSize: 8)
            Issue.record("garbage decoded")
        } catch {
            #expect(error.code == .corruptCompressedData)
            #expect(error.message.contains("Unknown frame descriptor"))
        }
    }
}
