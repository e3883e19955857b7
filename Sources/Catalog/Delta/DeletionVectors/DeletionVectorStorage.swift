/// The `pathOrInlineDv` field of a Delta deletion-vector descriptor for the storage types `u`
/// (a file relative to the table, named by a UUID) and `i` (inline in the log).
///
/// - `u`: an optional random prefix, then the 20-character Z85 text of the UUID's 16 bytes. The
///   file is `<prefix>/deletion_vector_<uuid>.bin` under the table's root, or
///   `deletion_vector_<uuid>.bin` without a prefix.
/// - `i`: the Z85 text of the serialized bitmap, padded to a multiple of 4 bytes; the descriptor's
///   `sizeInBytes` is the unpadded size, and it has no `offset`.
///
/// ```swift
/// let field = try DeletionVectorStorage.uuidPathOrInlineDv(uuid: uuid, randomPrefix: "ab")
/// // "ab^-aqEH.-t@S}K{vb[*k^" for d2c639aa-8816-431a-aaf6-d3fe2512ff61
/// try DeletionVectorStorage.relativeFilePath(uuidPathOrInlineDv: field)
/// // "ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin"
///
/// let (text, size) = DeletionVectorStorage.inlinePathOrInlineDv([0, 3, 4])
/// let rows = try DeletionVectorStorage.inlineBitmap(text, sizeInBytes: size)
/// ```
public enum DeletionVectorStorage {
    /// The length of the Z85 text of a UUID at the end of a `u` descriptor's `pathOrInlineDv`.
    public static let encodedUUIDLength = 20

    // MARK: `u`: relative files named by a UUID

    /// The `pathOrInlineDv` of a deletion vector in the file named by `uuid`.
    ///
    /// - Parameters:
    ///   - uuid: The 16 bytes of the UUID, most significant first.
    ///   - randomPrefix: A directory that spreads files over object-store partitions; empty for
    ///     none. Letters, digits, `_` and `-` only.
    /// - Throws: ``CatalogError`` `invalidArgument` for a UUID of other than 16 bytes or a prefix
    ///   with other characters.
    public static func uuidPathOrInlineDv(uuid: [UInt8], randomPrefix: String = "") throws(CatalogError) -> String {
        guard uuid.count == 16 else {
            throw CatalogError(.invalidArgument, "a deletion vector UUID has 16 bytes, not \(uuid.count)")
        }
        guard isValidPrefix(randomPrefix) else {
            throw CatalogError(.invalidArgument, "deletion vector prefix \"\(randomPrefix)\" may only hold letters, digits, '_' and '-'")
        }
        return randomPrefix + Z85.encode(uuid)
    }

    /// Splits a `u` descriptor's `pathOrInlineDv` into its random prefix and UUID.
    ///
    /// - Throws: ``CatalogError`` `corruptData` if the text is shorter than 20 characters, its last
    ///   20 are not the Z85 text of 16 bytes, or the prefix has characters other than letters,
    ///   digits, `_` and `-` (which could lead out of the table's directory).
    public static func parseUUIDPathOrInlineDv(_ pathOrInlineDv: String) throws(CatalogError) -> (randomPrefix: String, uuid: [UInt8]) {
        let characters = Array(pathOrInlineDv.utf8)
        guard characters.count >= encodedUUIDLength else {
            throw CatalogError(.corruptData, "deletion vector pathOrInlineDv \"\(pathOrInlineDv)\" is shorter than the "
                + "\(encodedUUIDLength) characters of a Z85 UUID")
        }
        let split = characters.count - encodedUUIDLength
        let prefix = String(decoding: characters[..<split], as: UTF8.self)
        guard isValidPrefix(prefix) else {
            throw CatalogError(.corruptData, "deletion vector prefix \"\(prefix)\" of pathOrInlineDv \"\(pathOrInlineDv)\" "
                + "may only hold letters, digits, '_' and '-'")
        }
        let uuid: [UInt8]
        do {
            uuid = try Z85.decode(String(decoding: characters[split...], as: UTF8.self), byteCount: 16)
        } catch {
            throw CatalogError(code: .corruptData, message: "deletion vector pathOrInlineDv \"\(pathOrInlineDv)\" does not "
                + "end with a Z85 UUID", underlying: error)
        }
        return (prefix, uuid)
    }

    /// The path, relative to the table's root, of the file a `u` descriptor names:
    /// `<prefix>/deletion_vector_<uuid>.bin`, or `deletion_vector_<uuid>.bin` without a prefix.
    ///
    /// - Throws: The errors of ``parseUUIDPathOrInlineDv(_:)``.
    public static func relativeFilePath(uuidPathOrInlineDv pathOrInlineDv: String) throws(CatalogError) -> String {
        let (prefix, uuid) = try parseUUIDPathOrInlineDv(pathOrInlineDv)
        let name = fileName(uuid: uuid)
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    /// `deletion_vector_<uuid>.bin`, with the UUID in lower-case hexadecimal groups 8-4-4-4-12.
    ///
    /// - Parameter uuid: 16 bytes; other counts are a programming error and stop the program.
    public static func fileName(uuid: [UInt8]) -> String {
        precondition(uuid.count == 16, "a UUID has 16 bytes")
        let hex = uuid.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
        let groups = [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }
        return "deletion_vector_" + groups.joined(separator: "-") + ".bin"
    }

    /// A random (version 4) UUID for a new deletion-vector file.
    public static func randomUUID() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return randomUUID(using: &generator)
    }

    /// A random (version 4) UUID drawn from `generator`.
    public static func randomUUID(using generator: inout some RandomNumberGenerator) -> [UInt8] {
        var uuid = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        uuid[6] = uuid[6] & 0x0F | 0x40  // version 4
        uuid[8] = uuid[8] & 0x3F | 0x80  // RFC 4122 variant
        return uuid
    }

    private static func isValidPrefix(_ prefix: String) -> Bool {
        prefix.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    // MARK: `i`: inline

    /// The `pathOrInlineDv` and `sizeInBytes` of a deletion vector stored inline in the log.
    ///
    /// - Complexity: O(*n*) in the serialized size; keep inline deletion vectors small.
    public static func inlinePathOrInlineDv(_ bitmap: RowIndexBitmap) -> (pathOrInlineDv: String, sizeInBytes: Int) {
        let bytes = bitmap.serialized()
        return (Z85.encode(bytes), bytes.count)
    }

    /// The deleted rows of an inline descriptor.
    ///
    /// - Throws: ``CatalogError`` from ``Z85/decode(_:byteCount:)`` and
    ///   ``RowIndexBitmap/init(serialized:)``: `corruptData` for text that is not Z85 of
    ///   `sizeInBytes` bytes or bytes that are not a valid bitmap (such as PROTOCOL.md's inline
    ///   example, in the old native format), `invalidArgument` for a negative size.
    public static func inlineBitmap(_ pathOrInlineDv: String, sizeInBytes: Int) throws(CatalogError) -> RowIndexBitmap {
        try RowIndexBitmap(serialized: try Z85.decode(pathOrInlineDv, byteCount: sizeInBytes))
    }
}
