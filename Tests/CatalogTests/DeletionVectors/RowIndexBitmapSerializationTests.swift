import Testing
@testable import Catalog

/// The writer's bytes, pinned against `dvlib.py` (the project's Python reference, written from
/// PROTOCOL.md), which produced every vector here with
/// `delta_dv_bytes(rows).hex()` and `hex(zlib.crc32(delta_dv_bytes(rows)))`.
@Suite struct RowIndexBitmapSerializationTests {
    @Test("rows {0, 3, 4} serialize to the 38 bytes DuckDB and delta-rs accept")
    func smallVector() throws {
        let expected = hexBytes("d1d339640100000000000000000000003a300000010000000000020010000000000003000400")
        let bitmap: RowIndexBitmap = [0, 3, 4]
        #expect(bitmap.serialized() == expected)
        #expect(expected.count == 38)
        #expect(try RowIndexBitmap(serialized: expected) == bitmap)
    }

    @Test("rows in two 32-bit buckets, two containers each")
    func twoBuckets() throws {
        let expected = hexBytes(
            "d1d339640200000000000000000000003a300000020000000000000001000000180000001a0000000700020001000000"
                + "3a300000020000000000000001000000180000001a00000005007011")
        let bitmap: RowIndexBitmap = [7, 65_538, (1 << 32) + 5, (1 << 32) + 70_000]
        #expect(bitmap.serialized() == expected)
        #expect(try RowIndexBitmap(serialized: expected) == bitmap)
    }

    @Test("more than 4096 rows in one container are written as a bitmap container")
    func bitmapContainer() throws {
        // dvlib: delta_dv_bytes(range(0, 10000, 2)) is 8224 bytes with CRC-32 0x8ccf3137.
        let bitmap = RowIndexBitmap(stride(from: UInt64(0), to: 10_000, by: 2))
        let bytes = bitmap.serialized()
        #expect(bytes.count == 8224)
        #expect(CRC32.checksum(bytes[...]) == 0x8CCF_3137)
        #expect(Array(bytes[..<36]) == hexBytes("d1d339640100000000000000000000003a30000001000000000087131000000055555555"))
        #expect(try RowIndexBitmap(serialized: bytes) == bitmap)
    }

    @Test("a bitmap container and an array container in one bucket, then another bucket")
    func mixed() throws {
        // dvlib: delta_dv_bytes(list(range(0, 10000, 2)) + [70000, 70001] + [(3 << 32) + 1]).
        var rows: [UInt64] = Array(stride(from: 0, to: 10_000, by: 2))
        rows += [70_000, 70_001, (3 << 32) + 1]
        let bytes = RowIndexBitmap(rows).serialized()
        #expect(bytes.count == 8258)
        #expect(CRC32.checksum(bytes[...]) == 0x70CC_BDF8)
        #expect(Array(try RowIndexBitmap(serialized: bytes)) == rows)
    }

    @Test("the empty set has no buckets")
    func empty() throws {
        let bytes = RowIndexBitmap().serialized()
        #expect(bytes == hexBytes("d1d33964" + "0000000000000000"))
        #expect(try RowIndexBitmap(serialized: bytes).isEmpty)
    }

    @Test("reads empty buckets, as Delta's Java writer emits for keys between used ones")
    func emptyBucket() throws {
        // Bucket 0 with no containers, then bucket 1 holding row 2³² + 3.
        let bytes = hexBytes("d1d339640200000000000000" + "00000000" + "3a30000000000000"
            + "01000000" + "3a30000001000000" + "00000000" + "10000000" + "0300")
        #expect(Array(try RowIndexBitmap(serialized: bytes)) == [(1 << 32) + 3])
    }

    @Test("random sets round-trip through serialized() and init(serialized:)", arguments: 0..<24 as Range<UInt64>)
    func roundTrip(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        // Vary the shape: sparse 64-bit rows, dense low rows, and contiguous ranges.
        let count = Int.random(in: 0...20_000, using: &generator)
        let span: UInt64 = [1 << 62, 1 << 20, 200_000, 1 << 35][Int(seed % 4)]
        var rows = (0..<count).map { _ in UInt64.random(in: 0..<span, using: &generator) }
        if seed.isMultiple(of: 3) {
            let start = UInt64.random(in: 0..<1_000_000, using: &generator)
            rows += start ..< start + 70_000
        }
        let bitmap = RowIndexBitmap(rows)
        let decoded = try RowIndexBitmap(serialized: bitmap.serialized())
        #expect(decoded == bitmap)
        #expect(Array(decoded) == Set(rows).sorted())
        #expect(decoded.serialized() == bitmap.serialized())
    }

    @Test("the largest row index Delta allows round-trips")
    func largest() throws {
        let bitmap: RowIndexBitmap = [0, RowIndexBitmap.maxRowIndex]
        #expect(Array(try RowIndexBitmap(serialized: bitmap.serialized())) == [0, UInt64(Int64.max)])
    }
}
