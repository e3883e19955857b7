import ParquetKit
import Testing

/// LZ4_RAW: blocks built by hand from the LZ4 block format specification.
@Suite("LZ4_RAW codec")
struct LZ4RawCodecTests {
    let lz4 = CompressionCodec.lz4Raw

    @Test("a literal-only block: token 0x50 then five literals")
    func literalOnlyBlock() throws {
        let block: [UInt8] = [0x50] + Array("hello".utf8)
        #expect(try lz4.decompress(block, uncompressedSize: 5) == Array("hello".utf8))
    }

    @Test("the empty block is a single zero token")
    func emptyBlock() throws {
        #expect(try lz4.decompress([0x00], uncompressedSize: 0) == [])
        #expect(try lz4.compress([]) == [0x00])
    }

    @Test("an overlapping match repeats its last byte: \"a\" + (offset 1, length 10)")
    func overlappingMatchOfOneByte() throws {
        // Token 0x16: one literal, match length 4 + 6; offset 1 little-endian.
        let block: [UInt8] = [0x16, 0x61, 0x01, 0x00]
        #expect(try lz4.decompress(block, uncompressedSize: 11) == Array("aaaaaaaaaaa".utf8))
    }

    @Test("an overlapping match with a period of three, then the closing literals")
    func overlappingMatchWithPeriod() throws {
        // "abc", match offset 3 length 4 + 9 = 13, then five literals "vwxyz".
        let block: [UInt8] = [0x39, 0x61, 0x62, 0x63, 0x03, 0x00, 0x50] + Array("vwxyz".utf8)
        let expected = Array(("abc" + "abcabcabcabca" + "vwxyz").utf8)
        #expect(try lz4.decompress(block, uncompressedSize: expected.count) == expected)
    }

    @Test("lengths of 15 or more continue in bytes of 255")
    func lengthContinuation() throws {
        // 280 literals: nibble 15, then 255 and 10. Then a match of 4 + 15 + 255 + 1 = 275 bytes
        // at offset 2, and five closing literals.
        let literals = (0..<280).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var block: [UInt8] = [0xFF, 0xFF, 0x0A] + literals + [0x02, 0x00, 0xFF, 0x01]
        block += [0x50, 1, 2, 3, 4, 5]
        var expected = literals
        for _ in 0..<275 { expected.append(expected[expected.count - 2]) }
        expected += [1, 2, 3, 4, 5]
        #expect(try lz4.decompress(block, uncompressedSize: expected.count) == expected)
    }

    @Test("a zero offset is corrupt")
    func zeroOffset() {
        #expect(code(lz4, [0x10, 0x61, 0x00, 0x00, 0x50, 1, 2, 3, 4, 5], 10) == .corruptCompressedData)
    }

    @Test("an offset reaching before the start of the output is corrupt")
    func offsetBeforeStart() {
        #expect(code(lz4, [0x10, 0x61, 0x02, 0x00, 0x50, 1, 2, 3, 4, 5], 10) == .corruptCompressedData)
    }

    @Test("literals running past the end of the block are truncated input")
    func truncatedLiterals() {
        #expect(code(lz4, [0x50, 0x61, 0x62], 5) == .truncatedInput)
    }

    @Test("a block ending inside an offset is truncated input")
    func truncatedOffset() {
        #expect(code(lz4, [0x14, 0x61, 0x01], 9) == .truncatedInput)
    }

    @Test("a block ending inside a length continuation is truncated input")
    func truncatedLength() {
        #expect(code(lz4, [0xF0, 0xFF], 400) == .truncatedInput)
    }

    @Test("a block decoding to more or fewer bytes than declared is a size mismatch")
    func sizeMismatch() {
        let block: [UInt8] = [0x16, 0x61, 0x01, 0x00]
        #expect(code(lz4, block, 10) == .uncompressedSizeMismatch)
        #expect(code(lz4, block, 12) == .uncompressedSizeMismatch)
    }

    @Test("matches are found: a repeated pattern compresses to a few percent")
    func findsMatches() throws {
        let compressed = try lz4.compress(Fixtures.repeatedPattern(count: 100_000))
        #expect(compressed.count < 1_000)
    }

    @Test(
        "blocks keep the format's end rules: last 5 bytes literal, last match 12 bytes from the end",
        arguments: [13, 14, 20, 64, 1_000, 70_000])
    func endRules(count: Int) throws {
        for input in [[UInt8](repeating: 0x41, count: count), Fixtures.mixed(count: count, seed: 51)] {
            let block = try lz4.compress(input)
            let layout = try #require(LZ4BlockLayout(block))
            #expect(layout.decodedSize == count)
            #expect(layout.trailingLiteralCount >= 5)
            if let start = layout.lastMatchStart {
                #expect(start <= count - 12)
            }
        }
    }
}

/// Walks an LZ4 block's sequences without decoding them, recording where the last match starts
/// and how many literals close the block.
struct LZ4BlockLayout {
    var decodedSize = 0
    var lastMatchStart: Int?
    var trailingLiteralCount = 0

    init?(_ block: [UInt8]) {
        var index = 0
        func length(_ nibble: Int) -> Int? {
            var total = nibble
            guard nibble == 15 else { return total }
            while index < block.count {
                let byte = Int(block[index])
                index += 1
                total += byte
                if byte != 255 { return total }
            }
            return nil
        }
        while index < block.count {
            let token = Int(block[index])
            index += 1
            guard let literals = length(token >> 4), index + literals <= block.count else { return nil }
            index += literals
            decodedSize += literals
            trailingLiteralCount = literals
            if index == block.count { return }
            index += 2
            guard let match = length(token & 15) else { return nil }
            lastMatchStart = decodedSize
            decodedSize += match + 4
            trailingLiteralCount = 0
        }
        return nil
    }
}
