import Testing
@testable import Catalog

/// Hostile and damaged bitmaps: each throws `corruptData` naming the problem, never traps, and
/// never allocates more than the input justifies.
@Suite struct RowIndexBitmapCorruptInputTests {
    /// Rows {0, 3, 4}: magic, 1 bucket, key 0, cookie 12346, 1 container, (0, 2), offset 16, values.
    static let small = hexBytes("d1d339640100000000000000000000003a300000010000000000020010000000000003000400")
    /// Two buckets of two containers each.
    static let twoBuckets = RowIndexBitmap([7, 65_538, (1 << 32) + 5, (1 << 32) + 70_000]).serialized()

    /// The `corruptData` error that `bytes` raise.
    func corruption(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> CatalogError? {
        let error = catalogError { try RowIndexBitmap(serialized: bytes) }
        #expect(error?.code == .corruptData, "expected corruptData, got \(String(describing: error))", sourceLocation: sourceLocation)
        return error
    }

    func replacing(_ bytes: [UInt8], at offset: Int, with patch: [UInt8]) -> [UInt8] {
        var copy = bytes
        copy.replaceSubrange(offset ..< offset + patch.count, with: patch)
        return copy
    }

    @Test("every truncation of a valid bitmap is rejected")
    func truncations() {
        for bytes in [Self.small, Self.twoBuckets, RowIndexBitmap(0..<5000).serialized()] {
            for length in 0..<bytes.count {
                let error = catalogError { try RowIndexBitmap(serialized: Array(bytes[..<length])) }
                #expect(error?.code == .corruptData, "prefix of \(length) bytes")
            }
        }
        #expect(corruption(Array(Self.small[..<30]))?.message.contains("truncated") == true)
    }

    @Test("trailing bytes after the last bucket are rejected")
    func trailing() {
        #expect(corruption(Self.small + [0])?.message.contains("after the last bucket") == true)
    }

    @Test("PROTOCOL.md's inline example (old native format, big-endian) fails on its magic")
    func protocolErratum() throws {
        let bytes = try Z85.decode("wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", byteCount: 40)
        let error = corruption(bytes)
        #expect(error?.message.contains("magic number 3503503716") == true)
        #expect(error?.message.contains("native") == true)
        #expect(error?.message.contains("byte offset 0") == true)
    }

    @Test("a wrong magic number is rejected")
    func wrongMagic() {
        #expect(corruption(replacing(Self.small, at: 0, with: [0, 0, 0, 0]))?.message.contains("magic") == true)
    }

    @Test("bucket counts the input cannot hold are rejected before anything is allocated")
    func hugeBucketCount() {
        for count: UInt64 in [2, 1 << 32, UInt64.max] {
            var patch = [UInt8]()
            patch.appendLittleEndian(count)
            #expect(corruption(replacing(Self.small, at: 4, with: patch)) != nil)
        }
    }

    @Test("bucket keys out of order, repeated or with the top bit set are rejected")
    func bucketKeys() {
        // The first bucket: key, cookie, count, 2 descriptors, 2 offsets, 2 values (32 bytes).
        let secondKey = 12 + 32
        #expect(Array(Self.twoBuckets[secondKey ..< secondKey + 4]) == [1, 0, 0, 0])
        #expect(corruption(replacing(Self.twoBuckets, at: secondKey, with: [0, 0, 0, 0]))?.message.contains("ascend") == true)
        #expect(corruption(replacing(Self.small, at: 12, with: [0, 0, 0, 0x80]))?.message.contains("top bit") == true)
    }

    @Test("unknown cookies and impossible container counts are rejected")
    func cookiesAndCounts() {
        #expect(corruption(replacing(Self.small, at: 16, with: [0x39, 0x30]))?.message.contains("cookie") == true)
        #expect(corruption(replacing(Self.small, at: 20, with: [0x01, 0x00, 0x01, 0x00]))?.message.contains("65536") == true)
        #expect(corruption(replacing(Self.small, at: 20, with: [0xFF, 0xFF, 0xFF, 0xFF])) != nil)
        #expect(corruption(replacing(Self.small, at: 20, with: [2, 0, 0, 0])) != nil)
    }

    @Test("container keys out of order are rejected")
    func containerKeys() {
        // Bucket 0 of twoBuckets has containers 0 and 1; make both key 1.
        #expect(corruption(replacing(Self.twoBuckets, at: 24, with: [1, 0]))?.message.contains("ascend") == true)
    }

    @Test("array values out of order or short of the declared cardinality are rejected")
    func arrayValues() {
        #expect(corruption(replacing(Self.small, at: 32, with: [5, 0]))?.message.contains("ascend") == true)
        #expect(corruption(replacing(Self.small, at: 26, with: [0xFF, 0x0F])) != nil)
    }

    @Test("a container offset that disagrees with the layout is rejected")
    func offsets() {
        #expect(corruption(replacing(Self.small, at: 28, with: [0x11, 0, 0, 0]))?.message.contains("offset header") == true)
    }

    @Test("a bitmap container whose bits disagree with its cardinality is rejected")
    func bitmapCardinality() {
        let bytes = RowIndexBitmap(stride(from: UInt64(0), to: 10_000, by: 2)).serialized()
        // Set one more bit in the first word (values 0, 2, 4, … become 0, 1, 2, 4, …).
        #expect(corruption(replacing(bytes, at: 32, with: [0x57]))?.message.contains("bits set") == true)
    }

    /// Bucket 0 with one run container: cookie 12347 (1 container), run flag, (key 0, card − 1),
    /// then `runs` as (start, length − 1) pairs.
    func runBitmap(cardinality: Int, runs: [(UInt16, UInt16)]) -> [UInt8] {
        var bytes = hexBytes("d1d33964" + "0100000000000000" + "00000000" + "3b300000" + "01" + "0000")
        bytes.appendLittleEndian(UInt16(cardinality - 1))
        bytes.appendLittleEndian(UInt16(runs.count))
        for (start, length) in runs {
            bytes.appendLittleEndian(start)
            bytes.appendLittleEndian(length)
        }
        return bytes
    }

    @Test("run containers: valid runs are read, bad ones rejected")
    func runs() throws {
        #expect(Array(try RowIndexBitmap(serialized: runBitmap(cardinality: 5, runs: [(1, 1), (10, 2)]))) == [1, 2, 10, 11, 12])
        #expect(try RowIndexBitmap(serialized: runBitmap(cardinality: 65_536, runs: [(0, 65_535)])).count == 65_536)
        #expect(corruption(runBitmap(cardinality: 5, runs: [(10, 2), (1, 1)]))?.message.contains("overlaps or precedes") == true)
        #expect(corruption(runBitmap(cardinality: 5, runs: [(1, 3), (3, 0)])) != nil)
        #expect(corruption(runBitmap(cardinality: 2, runs: [(65_535, 1)]))?.message.contains("65535") == true)
        #expect(corruption(runBitmap(cardinality: 6, runs: [(1, 1), (10, 2)]))?.message.contains("header says 6") == true)
        #expect(corruption(runBitmap(cardinality: 1, runs: []))?.message.contains("no runs") == true)
        // A run count far beyond the bytes present.
        var hostile = runBitmap(cardinality: 1, runs: [])
        hostile.removeLast(2)
        hostile.appendLittleEndian(UInt16.max)
        #expect(corruption(hostile)?.message.contains("truncated") == true)
    }

    @Test("random byte damage to valid bitmaps throws corruptData or decodes, and never traps", arguments: 0..<8 as Range<UInt64>)
    func mutations(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let sources = [Self.small, Self.twoBuckets, runBitmap(cardinality: 5, runs: [(1, 1), (10, 2)]),
                       RowIndexBitmap(Array(0..<300) + [1 << 40]).serialized()]
        for _ in 0..<400 {
            var bytes = sources[Int.random(in: 0..<sources.count, using: &generator)]
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if let error = catalogError({ try RowIndexBitmap(serialized: bytes) }) {
                #expect(error.code == .corruptData)
            }
        }
    }
}
