import ParquetKit
import Testing

@Suite("GZIP codec")
struct GzipCodecTests {
    let gzip = CompressionCodec.gzip

    /// A gzip member built by hand (RFC 1952): header, one stored deflate block holding "abc",
    /// CRC-32 of "abc" (0x352441C2) and the length, both little-endian.
    static let handBuiltMember: [UInt8] =
        [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]
        + [0x01, 0x03, 0x00, 0xFC, 0xFF, 0x61, 0x62, 0x63]
        + [0xC2, 0x41, 0x24, 0x35, 0x03, 0x00, 0x00, 0x00]

    @Test("writes a gzip member: magic bytes, deflate method")
    func writesGzipHeader() throws {
        let compressed = try gzip.compress(Array("page".utf8))
        #expect(Array(compressed.prefix(3)) == [0x1F, 0x8B, 0x08])
    }

    @Test("decodes a member built by hand")
    func handBuiltMember() throws {
        #expect(try gzip.decompress(Self.handBuiltMember, uncompressedSize: 3) == Array("abc".utf8))
    }

    @Test("decodes a zlib (RFC 1950) stream too")
    func zlibStream() throws {
        // Header 78 01, the stored block, then Adler-32 of "abc" (0x024D0127) big-endian.
        let stream: [UInt8] = [0x78, 0x01, 0x01, 0x03, 0x00, 0xFC, 0xFF, 0x61, 0x62, 0x63,
                               0x02, 0x4D, 0x01, 0x27]
        #expect(try gzip.decompress(stream, uncompressedSize: 3) == Array("abc".utf8))
    }

    @Test("concatenated members decode to the concatenation of their contents")
    func concatenatedMembers() throws {
        let first = Fixtures.words(count: 70_000, seed: 31)
        let second = Fixtures.random(count: 5_000, seed: 32)
        let members = try gzip.compress(first) + gzip.compress([]) + gzip.compress(second)
            + Self.handBuiltMember
        let decoded = try gzip.decompress(members, uncompressedSize: first.count + second.count + 3)
        #expect(decoded == first + second + Array("abc".utf8))
    }

    @Test("concatenated members that hold more than declared throw uncompressedSizeMismatch")
    func concatenatedMembersTooLong() throws {
        let members = try gzip.compress(Array("first".utf8)) + gzip.compress(Array("second".utf8))
        #expect(throws: ParquetError.self) {
            try gzip.decompress(members, uncompressedSize: 5)
        }
        do {
            _ = try gzip.decompress(members, uncompressedSize: 5)
        } catch {
            #expect(error.code == .uncompressedSizeMismatch)
        }
    }

    @Test("a member without its trailer throws truncatedInput")
    func missingTrailer() {
        let cut = Array(Self.handBuiltMember.dropLast(8))
        #expect(code(gzip, cut, 3) == .truncatedInput)
    }

    @Test("a wrong CRC throws corruptCompressedData")
    func wrongChecksum() {
        var member = Self.handBuiltMember
        member[member.count - 8] ^= 0x01
        #expect(code(gzip, member, 3) == .corruptCompressedData)
    }

    @Test("bytes after the last member that are not a member throw corruptCompressedData")
    func trailingGarbage() {
        let member = Self.handBuiltMember + [0x00, 0x00, 0x00, 0x00]
        #expect(code(gzip, member, 3) == .corruptCompressedData)
    }
}

/// The code of the error `codec` throws for `input` declared as `size` bytes, or `nil`.
func code(_ codec: CompressionCodec, _ input: [UInt8], _ size: Int) -> ParquetError.Code? {
    do {
        _ = try codec.decompress(input, uncompressedSize: size)
        return nil
    } catch {
        return error.code
    }
}
