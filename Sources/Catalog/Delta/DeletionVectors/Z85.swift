/// Z85, the base-85 text encoding of ZeroMQ RFC 32, as Delta Lake uses it for inline deletion
/// vectors and for the UUIDs of deletion-vector files.
///
/// Every 4 bytes, read as a big-endian `UInt32`, become 5 characters of the alphabet
/// `0-9 a-z A-Z . - : + = ^ ! / * ? & < > ( ) [ ] { } @ % $ #`, most significant digit first.
/// Unlike RFC 32, which only accepts multiples of 4 bytes, Delta pads the input with zero bytes
/// to a multiple of 4 and records the unpadded length next to the text (`sizeInBytes`); ``decode(_:byteCount:)``
/// takes that length back.
///
/// ```swift
/// Z85.encode([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])     // "HelloWorld"
/// try Z85.decode("HelloWorld", byteCount: 8)                        // the same 8 bytes
/// ```
public enum Z85 {
    /// The 85 characters, in digit order.
    static let alphabet: [UInt8] = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)

    /// The digit of each byte value, or `0xFF` for bytes outside the alphabet.
    static let digits: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (digit, character) in alphabet.enumerated() { table[Int(character)] = UInt8(digit) }
        return table
    }()

    /// Encodes bytes as Z85 text, padding them with zero bytes to a multiple of 4 first.
    ///
    /// - Parameter bytes: Any number of bytes.
    /// - Returns: `5 × ⌈bytes.count / 4⌉` characters of the Z85 alphabet.
    /// - Complexity: O(*n*).
    public static func encode(_ bytes: [UInt8]) -> String {
        let groups = (bytes.count + 3) / 4
        var text = [UInt8]()
        text.reserveCapacity(groups * 5)
        var chunk = [UInt8](repeating: 0, count: 5)
        for group in 0..<groups {
            var value: UInt32 = 0
            for index in group * 4 ..< group * 4 + 4 {
                value = value << 8 | UInt32(index < bytes.count ? bytes[index] : 0)
            }
            for position in stride(from: 4, through: 0, by: -1) {
                chunk[position] = alphabet[Int(value % 85)]
                value /= 85
            }
            text.append(contentsOf: chunk)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Decodes Z85 text into `byteCount` bytes, dropping the zero padding the encoder added.
    ///
    /// - Parameters:
    ///   - text: Z85 text; its length must be `5 × ⌈byteCount / 4⌉` characters.
    ///   - byteCount: The number of bytes before padding (a Delta descriptor's `sizeInBytes`).
    /// - Returns: `byteCount` bytes.
    /// - Throws: ``CatalogError`` `invalidArgument` if `byteCount` is negative; `corruptData` if the
    ///   text's length does not match `byteCount`, if a character is outside the alphabet, or if a
    ///   group of 5 characters stands for a number above `UInt32.max`. The message gives the
    ///   character offset.
    /// - Complexity: O(*n*).
    public static func decode(_ text: String, byteCount: Int) throws(CatalogError) -> [UInt8] {
        guard byteCount >= 0 else {
            throw CatalogError(.invalidArgument, "Z85: the byte count \(byteCount) is negative")
        }
        let characters = Array(text.utf8)
        let groups = byteCount / 4 + (byteCount % 4 == 0 ? 0 : 1)
        // Compared as groups: `groups * 5` could overflow for a hostile byte count.
        guard characters.count % 5 == 0, characters.count / 5 == groups else {
            throw CatalogError(.corruptData, "Z85: \(characters.count) characters do not hold \(byteCount) bytes; "
                + "the text takes 5 characters per 4 bytes, padded to a multiple of 4")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(groups * 4)
        for group in 0..<groups {
            var value: UInt64 = 0
            for offset in group * 5 ..< group * 5 + 5 {
                let digit = digits[Int(characters[offset])]
                guard digit != 0xFF else {
                    throw CatalogError(.corruptData, "Z85: byte 0x\(String(characters[offset], radix: 16)) "
                        + "at character offset \(offset) is not in the Z85 alphabet")
                }
                value = value * 85 + UInt64(digit)
            }
            guard value <= UInt64(UInt32.max) else {
                throw CatalogError(.corruptData, "Z85: the group at character offset \(group * 5) "
                    + "stands for \(value), which does not fit in 4 bytes")
            }
            bytes.append(UInt8(truncatingIfNeeded: value >> 24))
            bytes.append(UInt8(truncatingIfNeeded: value >> 16))
            bytes.append(UInt8(truncatingIfNeeded: value >> 8))
            bytes.append(UInt8(truncatingIfNeeded: value))
        }
        bytes.removeLast(bytes.count - byteCount)
        return bytes
    }
}
