/// A column of variable-length byte strings (UTF-8 text or raw bytes): 32-bit offsets into one
/// contiguous byte buffer, with an optional validity bitmap.
///
/// Row *i* is `bytes[offsets[i]..<offsets[i+1]]`. Slicing shares both buffers.
///
/// ```swift
/// let names = BinaryColumn(["ada", nil, "grace"])
/// names.string(at: 2)   // "grace"
/// ```
public struct BinaryColumn: Sendable {
    /// `count + 1` offsets into `bytes`, non-decreasing.
    public let offsets: ValueBuffer<Int32>
    /// The concatenated bytes of every row.
    public let bytes: ValueBuffer<UInt8>
    /// Which rows are present; `nil` means every row is.
    public let validity: Bitmap?

    /// Creates a column from its buffers, checking every offset (kernels read through them).
    ///
    /// - Precondition: `offsets` is non-empty, starts at 0 or more, never decreases and ends
    ///   within `bytes`; use ``validated(offsets:bytes:validity:)`` to get an error instead.
    /// - Complexity: O(*n*).
    public init(offsets: ValueBuffer<Int32>, bytes: ValueBuffer<UInt8>, validity: Bitmap? = nil) {
        precondition(offsets.count >= 1, "offsets needs count + 1 entries")
        let sound = offsets.withUnsafeBufferPointer { o in
            guard o[0] >= 0 else { return false }
            for i in 1..<o.count where o[i] < o[i - 1] { return false }
            return Int(o[o.count - 1]) <= bytes.count
        }
        precondition(sound, "binary column offsets must be non-decreasing and within the bytes")
        self.init(unchecked: offsets, bytes: bytes, validity: validity)
    }

    /// Creates a column from buffers the caller has already validated (kernels' own output).
    @usableFromInline
    init(unchecked offsets: ValueBuffer<Int32>, bytes: ValueBuffer<UInt8>, validity: Bitmap?) {
        precondition(validity == nil || validity!.count == offsets.count - 1, "validity length differs from rows")
        self.offsets = offsets
        self.bytes = bytes
        self.validity = validity
    }

    /// Creates a column from untrusted buffers, checking every offset.
    ///
    /// - Throws: ``ColumnarError`` with code `.invalidArgument` naming the first bad offset.
    public static func validated(offsets: ValueBuffer<Int32>, bytes: ValueBuffer<UInt8>, validity: Bitmap? = nil) throws -> BinaryColumn {
        guard offsets.count >= 1 else { throw ColumnarError(.invalidArgument, "a binary column needs at least one offset") }
        if let validity, validity.count != offsets.count - 1 {
            throw ColumnarError(.lengthMismatch, "validity has \(validity.count) bits for \(offsets.count - 1) rows")
        }
        var previous = offsets[0]
        guard previous >= 0 else { throw ColumnarError(.invalidArgument, "negative first offset", row: 0) }
        for i in 1..<offsets.count {
            let next = offsets[i]
            guard next >= previous, Int(next) <= bytes.count else {
                throw ColumnarError(.invalidArgument, "offset \(next) out of order or past \(bytes.count) bytes", row: i - 1)
            }
            previous = next
        }
        return BinaryColumn(unchecked: offsets, bytes: bytes, validity: validity)
    }

    /// Creates a column from optional strings; `nil` becomes null.
    public init(_ strings: [String?]) {
        var builder = BinaryColumnBuilder(capacity: strings.count)
        for s in strings {
            if let s { builder.append(s) } else { builder.appendNull() }
        }
        self = builder.finish()
    }

    /// Creates a column from optional byte arrays; `nil` becomes null.
    public init(bytes rows: [[UInt8]?]) {
        var builder = BinaryColumnBuilder(capacity: rows.count)
        for row in rows {
            if let row { builder.append(bytes: row) } else { builder.appendNull() }
        }
        self = builder.finish()
    }

    /// The number of rows.
    @inlinable public var count: Int { offsets.count - 1 }

    /// The number of null rows.
    public var nullCount: Int { validity.map { count - $0.setCount } ?? 0 }

    /// Whether row `index` is null.
    @inlinable
    public func isNull(_ index: Int) -> Bool {
        guard let validity else { return false }
        return !validity[index]
    }

    /// The byte range of row `index` within ``bytes``.
    @inlinable
    public func byteRange(_ index: Int) -> Range<Int> {
        Int(offsets[index])..<Int(offsets[index + 1])
    }

    /// The bytes of row `index` (empty for null rows).
    public func bytes(at index: Int) -> [UInt8] {
        Array(bytes[byteRange(index)])
    }

    /// Row `index` decoded as UTF-8 (invalid sequences replaced), or `nil` when null.
    public func string(at index: Int) -> String? {
        if isNull(index) { return nil }
        let range = byteRange(index)
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// A zero-copy view of the rows in `range`.
    @inlinable
    public func slice(_ range: Range<Int>) -> BinaryColumn {
        BinaryColumn(unchecked: offsets.slice(range.lowerBound..<(range.upperBound + 1)), bytes: bytes, validity: validity?.slice(range))
    }
}

/// A string column stored as 32-bit indices into a small column of distinct values, as Parquet's
/// dictionary pages deliver it. Kernels run on the dictionary where they can.
///
/// ```swift
/// let city = DictionaryColumn(indices: PrimitiveColumn<Int32>([0, 1, 0, nil]),
///                             dictionary: BinaryColumn(["Chicago", "Denver"]))
/// city.string(at: 2)  // "Chicago"
/// ```
public struct DictionaryColumn: Sendable {
    /// One index per row into ``dictionary``; null rows are null here.
    public let indices: PrimitiveColumn<Int32>
    /// The distinct values.
    public let dictionary: BinaryColumn

    /// Creates a column from indices and a dictionary, checking every present index.
    ///
    /// - Precondition: every present index is in `0..<dictionary.count`; use
    ///   ``validated(indices:dictionary:)`` to get an error instead.
    /// - Complexity: O(*n*).
    public init(indices: PrimitiveColumn<Int32>, dictionary: BinaryColumn) {
        let limit = Int32(truncatingIfNeeded: dictionary.count)
        let sound = indices.values.withUnsafeBufferPointer { keys in
            (0..<keys.count).allSatisfy { (keys[$0] >= 0 && keys[$0] < limit) || indices.isNull($0) }
        }
        precondition(sound, "dictionary indices must be within the dictionary")
        self.init(unchecked: indices, dictionary: dictionary)
    }

    /// Creates a column from indices the caller has already validated.
    @usableFromInline
    init(unchecked indices: PrimitiveColumn<Int32>, dictionary: BinaryColumn) {
        self.indices = indices
        self.dictionary = dictionary
    }

    /// Creates a column from untrusted indices, checking each against the dictionary size.
    ///
    /// - Throws: ``ColumnarError`` `.indexOutOfBounds` naming the first bad row.
    public static func validated(indices: PrimitiveColumn<Int32>, dictionary: BinaryColumn) throws -> DictionaryColumn {
        let limit = Int32(truncatingIfNeeded: dictionary.count)
        let bad = indices.values.withUnsafeBufferPointer { values -> Int? in
            for i in 0..<values.count where (values[i] < 0 || values[i] >= limit) && !indices.isNull(i) { return i }
            return nil
        }
        if let bad {
            throw ColumnarError(.indexOutOfBounds, "dictionary index \(indices.values[bad]) outside \(dictionary.count) entries", row: bad)
        }
        return DictionaryColumn(unchecked: indices, dictionary: dictionary)
    }

    /// The number of rows.
    @inlinable public var count: Int { indices.count }

    /// The number of null rows.
    public var nullCount: Int { indices.nullCount }

    /// Whether row `index` is null.
    @inlinable public func isNull(_ index: Int) -> Bool { indices.isNull(index) }

    /// Row `index` as a string, or `nil` when null.
    public func string(at index: Int) -> String? {
        guard let key = indices[index] else { return nil }
        return dictionary.string(at: Int(key))
    }

    /// A zero-copy view of the rows in `range` (the dictionary is shared).
    public func slice(_ range: Range<Int>) -> DictionaryColumn {
        DictionaryColumn(unchecked: indices.slice(range), dictionary: dictionary)
    }
}
