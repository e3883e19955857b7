import Testing
@testable import Catalog

@Suite struct Z85Tests {
    @Test("encodes ZeroMQ RFC 32's test vector as HelloWorld")
    func rfcVector() throws {
        let bytes: [UInt8] = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]
        #expect(Z85.encode(bytes) == "HelloWorld")
        #expect(try Z85.decode("HelloWorld", byteCount: 8) == bytes)
    }

    @Test("pads to a multiple of 4 bytes with zeros and drops the padding when decoding")
    func padding() throws {
        #expect(Z85.encode([]) == "")
        #expect(Z85.encode([0x86]) == Z85.encode([0x86, 0, 0, 0]))
        #expect(try Z85.decode(Z85.encode([0x86]), byteCount: 1) == [0x86])
        #expect(try Z85.decode("", byteCount: 0) == [])
    }

    @Test("round-trips every length from 0 to 64 bytes", arguments: 0...64)
    func roundTrip(length: Int) throws {
        var generator = SplitMix64(seed: UInt64(length))
        let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Z85.encode(bytes)
        #expect(text.utf8.count == (length + 3) / 4 * 5)
        #expect(try Z85.decode(text, byteCount: length) == bytes)
    }

    @Test("encodes all-ones words to the largest digits")
    func extremes() throws {
        #expect(Z85.encode([0xFF, 0xFF, 0xFF, 0xFF]) == "%nSc0")
        #expect(Z85.encode([0, 0, 0, 0]) == "00000")
    }

    @Test("rejects characters outside the alphabet, naming the offset")
    func badCharacter() {
        let error = catalogError { try Z85.decode("Hello~orld", byteCount: 8) }
        #expect(error?.code == .corruptData)
        #expect(error?.message.contains("character offset 5") == true)
    }

    @Test("rejects text whose length does not match the byte count")
    func badLength() {
        #expect(catalogError { try Z85.decode("HelloWorld", byteCount: 9) }?.code == .corruptData)
        #expect(catalogError { try Z85.decode("HelloWorl", byteCount: 7) }?.code == .corruptData)
        #expect(catalogError { try Z85.decode("Hello", byteCount: 8) }?.code == .corruptData)
        #expect(catalogError { try Z85.decode("Hello", byteCount: -1) }?.code == .invalidArgument)
        #expect(catalogError { try Z85.decode("Hello", byteCount: Int.max) }?.code == .corruptData)
    }

    @Test("rejects a group above UInt32.max")
    func overflow() {
        // "%nSc1" is one more than 0xFFFFFFFF; "#####" is 85⁵ − 1.
        #expect(catalogError { try Z85.decode("%nSc1", byteCount: 4) }?.code == .corruptData)
        #expect(catalogError { try Z85.decode("#####", byteCount: 4) }?.code == .corruptData)
    }
}
