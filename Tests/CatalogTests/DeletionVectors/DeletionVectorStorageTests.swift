import Testing
@testable import Catalog

@Suite struct DeletionVectorStorageTests {
    static let uuid = hexBytes("d2c639aa8816431aaaf6d3fe2512ff61")

    @Test("PROTOCOL.md's relative-path example: prefix ab, UUID d2c639aa-…")
    func protocolExample() throws {
        let field = try DeletionVectorStorage.uuidPathOrInlineDv(uuid: Self.uuid, randomPrefix: "ab")
        #expect(field == "ab^-aqEH.-t@S}K{vb[*k^")
        #expect(try DeletionVectorStorage.relativeFilePath(uuidPathOrInlineDv: field)
            == "ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin")
        let (prefix, uuid) = try DeletionVectorStorage.parseUUIDPathOrInlineDv(field)
        #expect(prefix == "ab" && uuid == Self.uuid)
    }

    @Test("no prefix: the file sits in the table's root")
    func noPrefix() throws {
        // delta-kernel-rs's example descriptor.
        #expect(try DeletionVectorStorage.relativeFilePath(uuidPathOrInlineDv: "vBn[lx{q8@P<9BNH/isA")
            == "deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin")
        #expect(try DeletionVectorStorage.uuidPathOrInlineDv(uuid: hexBytes("61d16c75699446b7a15b8b538852e50e"))
            == "vBn[lx{q8@P<9BNH/isA")
    }

    @Test("random UUIDs round-trip through pathOrInlineDv and name version-4 files", arguments: 0..<16 as Range<UInt64>)
    func randomRoundTrip(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        let uuid = DeletionVectorStorage.randomUUID(using: &generator)
        #expect(uuid.count == 16)
        #expect(uuid[6] >> 4 == 4, "version 4")
        #expect(uuid[8] >> 6 == 2, "RFC 4122 variant")
        let prefix = seed.isMultiple(of: 2) ? "" : "x\(seed)"
        let field = try DeletionVectorStorage.uuidPathOrInlineDv(uuid: uuid, randomPrefix: prefix)
        #expect(field.utf8.count == prefix.utf8.count + 20)
        let parsed = try DeletionVectorStorage.parseUUIDPathOrInlineDv(field)
        #expect(parsed.randomPrefix == prefix && parsed.uuid == uuid)
        let path = try DeletionVectorStorage.relativeFilePath(uuidPathOrInlineDv: field)
        #expect(path.hasSuffix(".bin") && path.hasPrefix(prefix.isEmpty ? "deletion_vector_" : prefix + "/deletion_vector_"))
        let directoryLength = prefix.isEmpty ? 0 : prefix.utf8.count + 1
        #expect(path.utf8.count == directoryLength + "deletion_vector_".utf8.count + 36 + ".bin".utf8.count)
        #expect(DeletionVectorStorage.randomUUID() != DeletionVectorStorage.randomUUID())
    }

    @Test("refuses bad UUIDs and prefixes that could leave the table's directory")
    func refusals() {
        #expect(catalogError { try DeletionVectorStorage.uuidPathOrInlineDv(uuid: [1, 2, 3]) }?.code == .invalidArgument)
        for prefix in ["..", "a/b", "/", "a b", "é"] {
            #expect(catalogError { try DeletionVectorStorage.uuidPathOrInlineDv(uuid: Self.uuid, randomPrefix: prefix) }?.code
                == .invalidArgument)
        }
        #expect(catalogError { try DeletionVectorStorage.relativeFilePath(uuidPathOrInlineDv: "../^-aqEH.-t@S}K{vb[*k^") }?.code
            == .corruptData)
        #expect(catalogError { try DeletionVectorStorage.relativeFilePath(uuidPathOrInlineDv: "short") }?.code == .corruptData)
        #expect(catalogError { try DeletionVectorStorage.relativeFilePath(uuidPathOrInlineDv: "ab~-aqEH.-t@S}K{vb[*k^") }?.code
            == .corruptData)
    }

    @Test("inline deletion vectors: Z85 of the bitmap and its unpadded size")
    func inline() throws {
        let (text, size) = DeletionVectorStorage.inlinePathOrInlineDv([0, 3, 4])
        #expect(size == 38)
        #expect(text.utf8.count == 50)
        #expect(text == Z85.encode(RowIndexBitmap([0, 3, 4]).serialized()))
        #expect(Array(try DeletionVectorStorage.inlineBitmap(text, sizeInBytes: size)) == [0, 3, 4])
        // delta-kernel-rs's corrected inline example: rows 3, 4, 7, 11, 18, 29 in 44 bytes.
        let kernel = try DeletionVectorStorage.inlineBitmap("^Bg9^0rr910000000000iXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", sizeInBytes: 44)
        #expect(Array(kernel) == [3, 4, 7, 11, 18, 29])
    }

    @Test("PROTOCOL.md's inline example is rejected with an error about its magic number")
    func protocolInlineErratum() {
        let error = catalogError {
            try DeletionVectorStorage.inlineBitmap("wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", sizeInBytes: 40)
        }
        #expect(error?.code == .corruptData)
        #expect(error?.message.contains("magic") == true)
    }

    @Test("inline text that does not match sizeInBytes is corruptData, even for absurd sizes")
    func inlineSizeMismatch() {
        let (text, _) = DeletionVectorStorage.inlinePathOrInlineDv([0, 3, 4])
        for size in [0, 37, 41, Int(Int32.max), Int.max] {
            #expect(catalogError { try DeletionVectorStorage.inlineBitmap(text, sizeInBytes: size) }?.code == .corruptData)
        }
    }
}
