import Foundation
import Testing
@testable import Catalog

/// Run containers, which Roaring writers other than ours (Delta's Java writer after
/// `runOptimize`, CRoaring, roaring-rs) may emit. Both vectors were serialized by CRoaring through
/// pyroaring 1.2.0 and wrapped in the 64-bit portable format;
/// `TestData/deletion-vectors/make_run_fixture.py` writes the larger one.
@Suite struct RowIndexBitmapRunContainerTests {
    /// The rows `make_run_fixture.py` puts in `runs-pyroaring.bin`.
    static let fixtureRows: [UInt64] = {
        var low0: [UInt64] = Array(100..<300)
        low0 += [65_536 + 7, 65_536 + 9]
        low0 += 131_072 ..< 131_072 + 65_536
        var low1: [UInt64] = Array(10..<5000)
        low1 += [65_536 + 1, 65_536 + 40_000]
        low1 += stride(from: 2 * 65_536, to: 2 * 65_536 + 10_000, by: 2)
        low1 += 3 * 65_536 + 60_000 ..< 4 * 65_536
        low1.append(4 * 65_536 + 65_535)
        return low0 + low1.map { 1 << 32 | $0 }
    }()

    static func fixture() throws -> [UInt8] {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return Array(try Data(contentsOf: root.appendingPathComponent("TestData/deletion-vectors/runs-pyroaring.bin")))
    }

    @Test("reads two run containers' buckets, with and without the offset header, from CRoaring")
    func croaringFixture() throws {
        let bytes = try Self.fixture()
        #expect(bytes.count == 8308)
        #expect(CRC32.checksum(bytes[...]) == 0x73A2_4417)
        let bitmap = try RowIndexBitmap(serialized: bytes)
        #expect(bitmap.count == Self.fixtureRows.count)
        #expect(Array(bitmap) == Self.fixtureRows)
        #expect(bitmap == RowIndexBitmap(Self.fixtureRows))
        let lastOfFullRun: UInt64 = 131_072 + 65_535, lastRow: UInt64 = (1 << 32) + 4 * 65_536 + 65_535
        #expect(bitmap.contains(lastOfFullRun))
        #expect(!bitmap.contains(300))
        #expect(bitmap.contains(lastRow))
        let runContainers = bitmap.containers.filter { if case .runs = $0 { true } else { false } }
        #expect(runContainers.count == 4)
    }

    @Test("re-serializes run containers as arrays and bitmaps, byte for byte as CRoaring does without runs")
    func rewriteWithoutRuns() throws {
        // make_run_fixture.py: the same rows serialized without run_optimize are 33278 bytes with
        // CRC-32 0x347043f (dvlib.py's delta_dv_bytes gives the same bytes).
        let bytes = try RowIndexBitmap(serialized: try Self.fixture()).serialized()
        #expect(bytes.count == 33_278)
        #expect(CRC32.checksum(bytes[...]) == 0x0347_043F)
    }

    @Test("applies a run container to a file through deletedMask")
    func maskFromRuns() throws {
        let bitmap = try RowIndexBitmap(serialized: try Self.fixture())
        let mask = bitmap.deletedMask(rowCount: 200_000)
        let expected = Set(Self.fixtureRows.filter { $0 < 200_000 })
        #expect(mask.indices.allSatisfy { mask[$0] == expected.contains(UInt64($0)) })
    }

    @Test("reads a run container and an array container flagged in one small bitmap")
    func smallVector() throws {
        // pyroaring BitMap(list(range(5, 25)) + [70000]) after run_optimize(), in bucket 2:
        // cookie 12347 with 2 containers, run flags 0b01, no offset header (fewer than 4).
        let bytes = hexBytes("d1d339640100000000000000020000003b3001000100001300010000000100050013007011")
        let bitmap = try RowIndexBitmap(serialized: bytes)
        let bucket: UInt64 = 2 << 32
        let expected: [UInt64] = (5..<25).map { bucket | UInt64($0) } + [bucket | 70_000]
        #expect(Array(bitmap) == expected)
        #expect(bitmap.count == 21)
    }

    @Test("union and insert work on bitmaps read with run containers")
    func mutateRuns() throws {
        var bitmap = try RowIndexBitmap(serialized: try Self.fixture())
        let extra: RowIndexBitmap = [99, 300, 131_071]
        let union = bitmap.union(extra)
        #expect(union.count == Self.fixtureRows.count + 3)
        let absent = bitmap.insert(99), present = bitmap.insert(150)
        #expect(absent && !present)
        #expect(bitmap.count == Self.fixtureRows.count + 1)
        #expect(Array(bitmap) == ([99] + Self.fixtureRows).sorted())
    }
}
