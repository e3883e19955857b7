import Testing
@testable import Catalog

@Suite struct DeletionVectorFileTests {
    @Test("one deletion vector: version byte, big-endian size, bitmap, big-endian CRC-32, as dvlib.py writes it")
    func singleVector() throws {
        // dvlib.dv_file(dvlib.delta_dv_bytes([0, 3, 4])).hex()
        let expected = hexBytes("0100000026d1d339640100000000000000000000003a3000000100000000000200100000000000030004"
            + "0088d9bfdd")
        let file = DeletionVectorFile([[0, 3, 4]])
        #expect(file.bytes == expected)
        #expect(file.locations == [DeletionVectorFile.Location(offset: 1, sizeInBytes: 38, cardinality: 3)])
        #expect(Array(try DeletionVectorFile.bitmap(in: file.bytes, offset: 1, sizeInBytes: 38)) == [0, 3, 4])
    }

    @Test("several deletion vectors: each offset points at its size field")
    func severalVectors() throws {
        let bitmaps: [RowIndexBitmap] = [[0, 3, 4], [1, 2], RowIndexBitmap(0..<5000), [1 << 33]]
        var file = DeletionVectorFile()
        #expect(file.bytes == [1])
        var expectedOffset = 1
        for bitmap in bitmaps {
            let location = file.append(bitmap)
            #expect(location.offset == expectedOffset)
            #expect(location.sizeInBytes == bitmap.serialized().count)
            #expect(location.cardinality == bitmap.count)
            expectedOffset += 4 + location.sizeInBytes + 4
        }
        #expect(file.bytes.count == expectedOffset)
        #expect(file.locations.map(\.offset) == [1, 47, 91, 8323])
        for (bitmap, location) in zip(bitmaps, file.locations) {
            #expect(try DeletionVectorFile.bitmap(in: file.bytes, offset: location.offset, sizeInBytes: location.sizeInBytes) == bitmap)
            // The same through a ranged read of the size field, bitmap and checksum.
            guard case .bytes(let offset, let count) = DeletionVectorFile.storedRange(offset: location.offset, sizeInBytes: location.sizeInBytes) else {
                Issue.record("expected a byte range")
                continue
            }
            let range = Array(file.bytes[offset ..< offset + count])
            #expect(try DeletionVectorFile.bitmap(inRange: range, offset: offset, sizeInBytes: location.sizeInBytes) == bitmap)
        }
    }

    @Test("round-trips through an object store")
    func throughStore() throws {
        let store = MemoryStore()
        var file = DeletionVectorFile()
        let location = file.append(RowIndexBitmap(stride(from: UInt64(0), to: 100_000, by: 7)))
        let key = try ObjectKey("ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin")
        try store.put(key, file.bytes)
        let range = try store.get(key, range: DeletionVectorFile.storedRange(offset: location.offset, sizeInBytes: location.sizeInBytes))
        let bitmap = try DeletionVectorFile.bitmap(inRange: range, offset: location.offset, sizeInBytes: location.sizeInBytes)
        #expect(bitmap.count == location.cardinality)
    }

    static let file = DeletionVectorFile([[0, 3, 4], [1, 2]]).bytes

    func fileError(_ bytes: [UInt8], offset: Int = 1, sizeInBytes: Int = 38) -> CatalogError? {
        catalogError { try DeletionVectorFile.bitmap(in: bytes, offset: offset, sizeInBytes: sizeInBytes) }
    }

    @Test("a damaged checksum or bitmap is caught by the CRC-32")
    func checksum() {
        var badChecksum = Self.file
        badChecksum[1 + 4 + 38] ^= 1
        let error = fileError(badChecksum)
        #expect(error?.code == .corruptData)
        #expect(error?.message.contains("CRC-32 mismatch") == true)
        #expect(error?.message.contains("byte offset 43") == true)

        var badBitmap = Self.file
        badBitmap[20] ^= 0x40
        #expect(fileError(badBitmap)?.message.contains("CRC-32 mismatch") == true)
    }

    @Test("a size field that disagrees with sizeInBytes is rejected")
    func sizeMismatch() {
        #expect(fileError(Self.file, sizeInBytes: 37)?.message.contains("differs") == true)
        #expect(fileError(Self.file, offset: 47, sizeInBytes: 38)?.code == .corruptData)
    }

    @Test("offsets and sizes running past the end of the file are rejected")
    func bounds() {
        #expect(fileError(Self.file, offset: Self.file.count)?.code == .corruptData)
        #expect(fileError(Self.file, offset: Self.file.count + 10)?.code == .corruptData)
        #expect(fileError(Self.file, sizeInBytes: Int.max)?.code == .corruptData)
        #expect(fileError(Array(Self.file[..<40]))?.message.contains("past the end") == true)
        for length in 0..<Self.file.count {
            #expect(fileError(Array(Self.file[..<length]), offset: 47, sizeInBytes: 26) != nil)
        }
    }

    @Test("bad arguments are invalidArgument")
    func arguments() {
        #expect(fileError(Self.file, offset: 0)?.code == .invalidArgument)
        #expect(fileError(Self.file, offset: -4)?.code == .invalidArgument)
        #expect(fileError(Self.file, sizeInBytes: -1)?.code == .invalidArgument)
    }

    @Test("the version byte must be 1")
    func version() {
        #expect(fileError([])?.code == .corruptData)
        var zero = Self.file
        zero[0] = 0
        #expect(fileError(zero)?.code == .corruptData)
        var two = Self.file
        two[0] = 2
        let error = fileError(two)
        #expect(error?.code == .unsupportedFeature)
        #expect(error?.message.contains("version 2") == true)
    }
}
