import ParquetKit
import Testing

@Suite("Compression round trips")
struct CompressionRoundTripTests {
    @Test(
        "decompressing what a codec compressed restores the input exactly",
        arguments: Fixtures.supportedCodecs, Fixtures.roundTripSamples)
    func roundTrip(codec: CompressionCodec, sample: Sample) throws {
        let compressed = try codec.compress(sample.bytes)
        let restored = try codec.decompress(compressed, uncompressedSize: sample.bytes.count)
        #expect(restored == sample.bytes)
    }

    @Test("compressible data shrinks", arguments: Fixtures.supportedCodecs.filter { $0 != .uncompressed })
    func compressibleDataShrinks(codec: CompressionCodec) throws {
        let input = Fixtures.repeatedPattern(count: 1 << 20)
        let compressed = try codec.compress(input)
        #expect(compressed.count < input.count / 10)
    }

    @Test("incompressible data grows by at most the codec's bound", arguments: Fixtures.supportedCodecs)
    func incompressibleDataStaysBounded(codec: CompressionCodec) throws {
        let input = Fixtures.random(count: 100_000, seed: 7)
        let compressed = try codec.compress(input)
        #expect(compressed.count <= input.count + input.count / 100 + 64)
    }

    @Test("decompressing into a caller's buffer fills it and can reuse it", arguments: Fixtures.supportedCodecs)
    func decompressIntoReusedBuffer(codec: CompressionCodec) throws {
        var buffer = [UInt8](repeating: 0xEE, count: 10_000)
        for seed in UInt64(1)...3 {
            let page = Fixtures.words(count: buffer.count, seed: seed)
            let compressed = try codec.compress(page)
            var span = buffer.mutableSpan
            var bytes = span.mutableBytes
            try codec.decompress(compressed.span.bytes, into: &bytes)
            #expect(buffer == page)
        }
    }

    @Test("gzip levels 0 through 9 all round-trip", arguments: 0...9)
    func gzipLevels(level: Int) throws {
        let input = Fixtures.words(count: 50_000, seed: 11)
        let compressed = try CompressionCodec.gzip.compress(input, level: level)
        #expect(try CompressionCodec.gzip.decompress(compressed, uncompressedSize: input.count) == input)
    }

    @Test("zstd negative, default and high levels round-trip", arguments: [-5, 0, 1, 3, 19])
    func zstdLevels(level: Int) throws {
        let input = Fixtures.words(count: 50_000, seed: 12)
        let compressed = try CompressionCodec.zstd.compress(input, level: level)
        #expect(try CompressionCodec.zstd.decompress(compressed, uncompressedSize: input.count) == input)
    }

    @Test("a higher zstd level does not compress worse on text")
    func zstdLevelOrdering() throws {
        let input = Fixtures.words(count: 200_000, seed: 13)
        let fast = try CompressionCodec.zstd.compress(input, level: 1)
        let strong = try CompressionCodec.zstd.compress(input, level: 19)
        #expect(strong.count <= fast.count)
    }

    @Test("codecs without levels ignore a level", arguments: [CompressionCodec.uncompressed, .snappy, .lz4, .lz4Raw])
    func levelIgnored(codec: CompressionCodec) throws {
        let input = Fixtures.words(count: 5_000, seed: 14)
        #expect(try codec.compress(input, level: 42) == codec.compress(input))
    }

    @Test("an out-of-range level is an invalid argument", arguments: [
        (CompressionCodec.gzip, -2), (.gzip, 10), (.zstd, 1_000), (.zstd, -1_000_000),
    ])
    func levelOutOfRange(codec: CompressionCodec, level: Int) {
        #expect {
            try codec.compress([1, 2, 3], level: level)
        } throws: { error in
            (error as? ParquetError)?.code == .invalidArgument
        }
    }

    @Test("a page spread over a reused array slice decodes from a RawSpan")
    func decodeFromSpan() throws {
        let page = Fixtures.mixed(count: 20_000, seed: 15)
        let compressed = try CompressionCodec.snappy.compress(page.span.bytes)
        let framed = [0xAA, 0xBB] + compressed + [0xCC]
        let restored = try CompressionCodec.snappy.decompress(
            framed.span.bytes.extracting(2..<(2 + compressed.count)), uncompressedSize: page.count)
        #expect(restored == page)
    }
}
