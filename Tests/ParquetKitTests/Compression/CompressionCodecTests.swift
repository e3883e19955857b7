import ParquetKit
import Testing

@Suite("CompressionCodec")
struct CompressionCodecTests {
    @Test("raw values are Parquet's Thrift enum values")
    func thriftValues() {
        let expected: [(CompressionCodec, Int32, String)] = [
            (.uncompressed, 0, "UNCOMPRESSED"), (.snappy, 1, "SNAPPY"), (.gzip, 2, "GZIP"),
            (.lzo, 3, "LZO"), (.brotli, 4, "BROTLI"), (.lz4, 5, "LZ4"), (.zstd, 6, "ZSTD"),
            (.lz4Raw, 7, "LZ4_RAW"),
        ]
        for (codec, value, name) in expected {
            #expect(codec.rawValue == value)
            #expect(CompressionCodec(rawValue: value) == codec)
            #expect(codec.description == name)
        }
        #expect(CompressionCodec.allCases.count == expected.count)
        #expect(CompressionCodec(rawValue: 8) == nil)
    }

    @Test("unsupported codecs throw unsupportedCodec naming the codec", arguments: [CompressionCodec.lzo, .brotli])
    func unsupportedCodec(codec: CompressionCodec) {
        #expect(!codec.isSupported)
        func check(_ error: ParquetError) {
            #expect(error.code == .unsupportedCodec)
            #expect(error.kind == .unsupportedFeature)
            #expect(error.message.contains(codec.description))
        }
        do {
            _ = try codec.compress([1, 2, 3])
            Issue.record("compress did not throw")
        } catch { check(error) }
        do {
            _ = try codec.decompress([1, 2, 3], uncompressedSize: 3)
            Issue.record("decompress did not throw")
        } catch { check(error) }
        do {
            _ = try codec.decompress([], uncompressedSize: 0)
            Issue.record("decompress of an empty page did not throw")
        } catch { check(error) }
        do {
            _ = try codec.decompress([1, 2, 3], uncompressedSize: 1 << 40)
            Issue.record("decompress with a hostile size did not throw")
        } catch { check(error) }
        do {
            try decompressIntoBuffer(codec, [1, 2, 3], size: 3)
            Issue.record("decompress(_:into:) did not throw")
        } catch { check(error) }
    }

    @Test("an empty page decodes from zero bytes under every supported codec", arguments: Fixtures.supportedCodecs)
    func emptyPageFromNoBytes(codec: CompressionCodec) throws {
        #expect(try codec.decompress([], uncompressedSize: 0) == [])
    }

    @Test("decompressing into a buffer of the wrong size throws uncompressedSizeMismatch", arguments: Fixtures.supportedCodecs)
    func intoWrongSizedBuffer(codec: CompressionCodec) throws {
        let page = Fixtures.words(count: 1_000, seed: 71)
        let compressed = try codec.compress(page)
        #expect {
            try decompressIntoBuffer(codec, compressed, size: 999)
        } throws: { error in
            (error as? ParquetError)?.code == .uncompressedSizeMismatch
        }
    }

    @Test("codec errors describe their code, message and any context the reader adds")
    func errorDescription() {
        var error = ParquetError(code: .corruptCompressedData, message: "invalid snappy stream")
        #expect(error.description == "corruptCompressedData: invalid snappy stream")
        #expect(error.location.fileID.hasSuffix("CompressionCodecTests.swift"))
        error.context = ParquetError.Context(
            filePath: "data/part-0.parquet", rowGroup: 2, columnPath: ["address", "city"],
            pageIndex: 7, byteOffset: 4_096)
        #expect(error.description == """
            corruptCompressedData: invalid snappy stream (file 'data/part-0.parquet', row group 2, \
            column 'address.city', page 7, byte offset 4096)
            """)
        error.context = ParquetError.Context(pageIndex: 1)
        error.underlying = ParquetError(code: .truncatedInput, message: "cut")
        #expect(error.description == """
            corruptCompressedData: invalid snappy stream (page 1); underlying error: truncatedInput: cut
            """)
    }

    @Test("every code belongs to one of the three kinds")
    func kinds() {
        let invalidInput: [ParquetError.Code] = [
            .corruptCompressedData, .truncatedInput, .uncompressedSizeMismatch, .sizeLimitExceeded,
            .invalidArgument, .corruptFile,
        ]
        for code in invalidInput { #expect(code.kind == .invalidInput) }
        #expect(ParquetError.Code.unsupportedCodec.kind == .unsupportedFeature)
        #expect(ParquetError.Code.unsupportedFeature.kind == .unsupportedFeature)
        #expect(ParquetError.Code.internalError.kind == .internalError)
    }
}

/// Decompresses `input` through the caller-buffer API into a fresh buffer of `size` bytes.
@discardableResult
func decompressIntoBuffer(
    _ codec: CompressionCodec, _ input: [UInt8], size: Int
) throws(ParquetError) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: size)
    var span = buffer.mutableSpan
    var bytes = span.mutableBytes
    try codec.decompress(input.span.bytes, into: &bytes)
    return buffer
}
