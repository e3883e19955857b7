/// A Delta deletion-vector file being built, and the reader of the deletion vectors in one.
///
/// The format (PROTOCOL.md, "Deletion Vector File Storage Format") is big-endian: a version byte
/// `1`, then for each deletion vector a `UInt32` size, the bitmap in the portable
/// `RoaringBitmapArray` format (``RowIndexBitmap/serialized()``) and the `UInt32` CRC-32 of the
/// bitmap. A descriptor's `offset` points at the size field, so the first deletion vector of a file
/// is at offset 1.
///
/// ```swift
/// var file = DeletionVectorFile()
/// let first = file.append([0, 3, 4])         // offset 1, sizeInBytes 38, cardinality 3
/// let second = file.append([1, 2])           // offset 47
/// try store.put(key, file.bytes)
///
/// let rows = try DeletionVectorFile.bitmap(in: file.bytes, offset: second.offset, sizeInBytes: second.sizeInBytes)
/// ```
public struct DeletionVectorFile: Sendable {
    /// The file format version this type writes and reads.
    public static let formatVersion: UInt8 = 1

    /// Where a deletion vector lies in its file: the fields of its descriptor.
    public struct Location: Hashable, Sendable {
        /// The offset of the deletion vector's size field in the file (the descriptor's `offset`).
        public var offset: Int
        /// The size of the serialized bitmap, without the size field and checksum (`sizeInBytes`).
        public var sizeInBytes: Int
        /// The number of deleted rows (`cardinality`).
        public var cardinality: Int

        /// Creates a location.
        public init(offset: Int, sizeInBytes: Int, cardinality: Int) {
            self.offset = offset
            self.sizeInBytes = sizeInBytes
            self.cardinality = cardinality
        }
    }

    /// The file's bytes so far: the version byte and the deletion vectors appended.
    public private(set) var bytes: [UInt8] = [formatVersion]
    /// The location of each deletion vector appended, in order.
    public private(set) var locations: [Location] = []

    /// An empty file: the version byte only.
    public init() {}

    /// A file holding the given bitmaps in order; ``locations`` has one entry for each.
    public init(_ bitmaps: [RowIndexBitmap]) {
        for bitmap in bitmaps { append(bitmap) }
    }

    /// Appends a deletion vector.
    ///
    /// - Parameter bitmap: The deleted rows of one data file. Its serialized form must stay under
    ///   2 GiB (Delta sizes are 32-bit signed), which takes billions of deleted rows.
    /// - Returns: Its location, for the descriptor.
    @discardableResult
    public mutating func append(_ bitmap: RowIndexBitmap) -> Location {
        let serialized = bitmap.serialized()
        precondition(serialized.count <= Int(Int32.max), "a deletion vector of \(serialized.count) bytes is too large for Delta")
        let location = Location(offset: bytes.count, sizeInBytes: serialized.count, cardinality: bitmap.count)
        bytes.reserveCapacity(bytes.count + serialized.count + 8)
        bytes.appendBigEndian(UInt32(serialized.count))
        bytes.append(contentsOf: serialized)
        bytes.appendBigEndian(CRC32.checksum(serialized[...]))
        locations.append(location)
        return location
    }

    /// Reads the deletion vector at `offset` of a whole DV file.
    ///
    /// - Parameters:
    ///   - file: The file's bytes.
    ///   - offset: The descriptor's `offset`: the position of the size field, at least 1.
    ///   - sizeInBytes: The descriptor's `sizeInBytes`.
    /// - Returns: The deleted rows.
    /// - Throws: ``CatalogError`` `invalidArgument` for an offset below 1 or a negative size;
    ///   `unsupportedFeature` for a file version above 1; `corruptData` for an empty file, version 0,
    ///   a deletion vector running past the end of the file, a stored size other than
    ///   `sizeInBytes`, a checksum mismatch, and the errors of ``RowIndexBitmap/init(serialized:)``.
    ///   Messages give byte offsets in the file.
    public static func bitmap(in file: [UInt8], offset: Int, sizeInBytes: Int) throws(CatalogError) -> RowIndexBitmap {
        guard offset >= 1 else {
            throw CatalogError(.invalidArgument, "deletion vector offset \(offset) is below 1 (byte 0 is the file's version)")
        }
        guard let version = file.first else {
            throw CatalogError(.corruptData, "deletion vector file is empty; expected version byte 1 at byte offset 0")
        }
        guard version == formatVersion else {
            throw version == 0
                ? CatalogError(.corruptData, "deletion vector file version 0 at byte offset 0 is not valid; expected 1")
                : CatalogError(.unsupportedFeature, "deletion vector file version \(version) at byte offset 0; "
                    + "this reader knows version 1")
        }
        guard offset <= file.count else {
            throw CatalogError(.corruptData, "deletion vector offset \(offset) is past the end of the \(file.count)-byte file")
        }
        var reader = DeletionVectorByteReader(file, range: offset..<file.count)
        return try readStored(&reader, sizeInBytes: sizeInBytes)
    }

    /// The bytes to fetch for the deletion vector at `offset`: its size field, bitmap and checksum.
    /// Read them with a ranged get and decode them with ``bitmap(inRange:offset:sizeInBytes:)``.
    public static func storedRange(offset: Int, sizeInBytes: Int) -> ObjectRange {
        .bytes(offset: offset, count: sizeInBytes > Int.max - 8 ? Int.max : sizeInBytes + 8)
    }

    /// Reads a deletion vector from the bytes of ``storedRange(offset:sizeInBytes:)``, without the
    /// rest of the file (the version byte is not checked).
    ///
    /// - Parameters:
    ///   - bytes: The `sizeInBytes + 8` bytes read from `offset`.
    ///   - offset: The descriptor's `offset`, for error messages.
    ///   - sizeInBytes: The descriptor's `sizeInBytes`.
    /// - Throws: ``CatalogError`` as ``bitmap(in:offset:sizeInBytes:)`` does, except for the version.
    public static func bitmap(inRange bytes: [UInt8], offset: Int, sizeInBytes: Int) throws(CatalogError) -> RowIndexBitmap {
        var reader = DeletionVectorByteReader(bytes, origin: offset)
        return try readStored(&reader, sizeInBytes: sizeInBytes)
    }

    /// Reads the size field, bitmap and checksum at the reader's position.
    private static func readStored(_ reader: inout DeletionVectorByteReader, sizeInBytes: Int) throws(CatalogError) -> RowIndexBitmap {
        guard sizeInBytes >= 0 else {
            throw CatalogError(.invalidArgument, "deletion vector sizeInBytes \(sizeInBytes) is negative")
        }
        let sizeOffset = reader.position
        guard sizeInBytes <= reader.remaining - 8 else {
            throw reader.corrupt("a deletion vector of \(sizeInBytes) bytes (plus 8 for its size and checksum) runs past "
                + "the end of the data, \(reader.remaining) bytes from here")
        }
        let stored = try reader.bigEndianUInt32(for: "the deletion vector size")
        guard Int(stored) == sizeInBytes else {
            throw reader.corrupt("the stored deletion vector size \(stored) differs from the descriptor's sizeInBytes "
                + "\(sizeInBytes)", at: sizeOffset)
        }
        let bitmapRange = reader.position ..< reader.position + sizeInBytes
        try reader.skip(sizeInBytes, for: "the bitmap")
        let checksumOffset = reader.position
        let expected = try reader.bigEndianUInt32(for: "the checksum")
        let actual = CRC32.checksum(reader.bytes[bitmapRange])
        guard actual == expected else {
            throw reader.corrupt("CRC-32 mismatch: the file stores 0x\(String(expected, radix: 16)) but the bitmap's is "
                + "0x\(String(actual, radix: 16))", at: checksumOffset)
        }
        var bitmapReader = DeletionVectorByteReader(reader.bytes, range: bitmapRange, origin: reader.origin)
        return try RowIndexBitmap(reading: &bitmapReader)
    }
}
