import ParquetKit
import Testing

/// Invalid input must throw a ``ParquetError``, never crash, and must never allocate what a
/// hostile size field asks for.
@Suite("Corrupt and hostile compressed input")
struct CompressionCorruptionTests {
    static let page = Fixtures.words(count: 4_096, seed: 21)

    /// Runs `body`, expecting a ParquetError, and returns its code.
    private func code(of body: () throws(ParquetError) -> [UInt8]) -> ParquetError.Code? {
        do {
            _ = try body()
            return nil
        } catch {
            return error.code
        }
    }

    @Test("truncated data throws", arguments: Fixtures.supportedCodecs)
    func truncated(codec: CompressionCodec) throws {
        let compressed = try codec.compress(Self.page)
        for keep in [0, 1, 2, 7, compressed.count / 3, compressed.count / 2, compressed.count - 1] {
            let cut = Array(compressed.prefix(keep))
            let code = code { () throws(ParquetError) in
                try codec.decompress(cut, uncompressedSize: Self.page.count)
            }
            #expect(code != nil, "\(codec) accepted \(keep) of \(compressed.count) bytes")
        }
    }

    @Test("a declared size one byte off throws uncompressedSizeMismatch", arguments: Fixtures.supportedCodecs)
    func wrongDeclaredSize(codec: CompressionCodec) throws {
        let compressed = try codec.compress(Self.page)
        for declared in [Self.page.count - 1, Self.page.count + 1] {
            let code = code { () throws(ParquetError) in
                try codec.decompress(compressed, uncompressedSize: declared)
            }
            #expect(code == .uncompressedSizeMismatch, "\(codec) declared \(declared)")
        }
    }

    @Test("a hostile declared size throws sizeLimitExceeded before allocating", arguments: CompressionCodec.allCases.filter(\.isSupported))
    func hostileDeclaredSize(codec: CompressionCodec) throws {
        let compressed = try codec.compress(Self.page)
        let code = code { () throws(ParquetError) in
            try codec.decompress(compressed, uncompressedSize: 1 << 40)
        }
        #expect(code == .sizeLimitExceeded)
    }

    @Test("the size limit is configurable")
    func configurableLimit() throws {
        let compressed = try CompressionCodec.zstd.compress(Self.page)
        #expect(throws: ParquetError.self) {
            try CompressionCodec.zstd.decompress(
                compressed, uncompressedSize: Self.page.count, maxUncompressedSize: 1_000)
        }
        let restored = try CompressionCodec.zstd.decompress(
            compressed, uncompressedSize: Self.page.count, maxUncompressedSize: Self.page.count)
        #expect(restored == Self.page)
    }

    @Test("a negative declared size is an invalid argument", arguments: Fixtures.supportedCodecs)
    func negativeDeclaredSize(codec: CompressionCodec) {
        let code = code { () throws(ParquetError) in
            try codec.decompress([0, 1, 2], uncompressedSize: -1)
        }
        #expect(code == .invalidArgument)
    }

    @Test(
        "a size within the limit that the data cannot expand to is rejected up front",
        arguments: [CompressionCodec.snappy, .gzip, .lz4, .lz4Raw])
    func impossibleExpansion(codec: CompressionCodec) throws {
        let compressed = try codec.compress(Array("tiny page".utf8))
        let code = code { () throws(ParquetError) in
            try codec.decompress(compressed, uncompressedSize: 1 << 30)
        }
        #expect(code == .uncompressedSizeMismatch)
    }

    @Test("a snappy stream whose recorded length disagrees with the page header is rejected")
    func snappyRecordedLength() {
        // Recorded length 1 GiB (varint 80 80 80 80 04), then a single literal.
        let hostile: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x04, 0x00, 0x61]
        let code = code { () throws(ParquetError) in
            try CompressionCodec.snappy.decompress(hostile, uncompressedSize: 1)
        }
        #expect(code == .uncompressedSizeMismatch)
    }

    @Test("headers that no codec accepts throw", arguments: [
        (CompressionCodec.snappy, [UInt8](repeating: 0xFF, count: 12), ParquetError.Code.corruptCompressedData),
        (.gzip, [0x1F, 0x8C, 0x08, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], .corruptCompressedData),
        (.zstd, [0x28, 0xB5, 0x2F, 0xFE, 0, 0, 0, 0, 0, 0, 0, 0], .corruptCompressedData),
        (.lz4Raw, [0x10, 0x61, 0x00, 0x00, 0x50, 1, 2, 3, 4, 5], .corruptCompressedData),
        (.lz4, [0, 0, 0, 8, 0, 0, 0, 4, 0x10, 0x61, 0x05, 0x00], .corruptCompressedData),
    ])
    func invalidHeader(codec: CompressionCodec, bytes: [UInt8], expected: ParquetError.Code) {
        let code = code { () throws(ParquetError) in
            try codec.decompress(bytes, uncompressedSize: 8)
        }
        #expect(code == expected)
    }

    @Test("random garbage throws", arguments: Fixtures.supportedCodecs.filter { $0 != .uncompressed })
    func garbage(codec: CompressionCodec) {
        for seed in UInt64(100)..<120 {
            let garbage = Fixtures.random(count: 1_000, seed: seed)
            let code = code { () throws(ParquetError) in
                try codec.decompress(garbage, uncompressedSize: 4_096)
            }
            #expect(code != nil, "\(codec) decoded garbage with seed \(seed)")
        }
    }

    @Test(
        "flipped bytes throw or decode to exactly the declared size, never crash",
        arguments: Fixtures.supportedCodecs)
    func flippedBytes(codec: CompressionCodec) throws {
        let page = Fixtures.mixed(count: 16_384, seed: 22)
        let compressed = try codec.compress(page)
        var generator = SplitMix64(seed: 23)
        for _ in 0..<150 {
            var corrupted = compressed
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0..<corrupted.count, using: &generator)
                corrupted[index] ^= UInt8.random(in: 1...255, using: &generator)
            }
            do {
                let decoded = try codec.decompress(corrupted, uncompressedSize: page.count)
                #expect(decoded.count == page.count)
            } catch {
                // Rejected: the only acceptable failure is a typed ParquetError.
                #expect(error.kind == .invalidInput)
            }
        }
    }

    @Test(
        "arbitrary bytes with arbitrary declared sizes throw or decode exactly",
        arguments: Fixtures.supportedCodecs)
    func fuzz(codec: CompressionCodec) {
        var generator = SplitMix64(seed: UInt64(codec.rawValue) &+ 99)
        for _ in 0..<400 {
            let length = Int.random(in: 0...64, using: &generator)
            var bytes = Fixtures.random(count: length, seed: generator.next())
            // Bias toward plausible headers so decoders get past their first check.
            if codec == .lz4, length >= 8 {
                bytes.replaceSubrange(0..<8, with: [0, 0, 0, UInt8(length), 0, 0, 0, UInt8(length - 8)])
            }
            let declared = Int.random(in: 0...2_000, using: &generator)
            do {
                let decoded = try codec.decompress(bytes, uncompressedSize: declared)
                #expect(decoded.count == declared)
            } catch {
                #expect(error.kind == .invalidInput)
            }
        }
    }
}
