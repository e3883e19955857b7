/// Where one data page of a column chunk lies and which row it starts with (the offset index).
public struct PageLocation: Hashable, Sendable {
    /// File offset of the page header.
    public var offset: Int64
    /// Header plus compressed page size.
    public var compressedPageSize: Int32
    /// The row (within the row group) of the page's first value.
    public var firstRowIndex: Int64
}

/// The per-page bounds of a column chunk (the column index), for skipping pages.
public struct ColumnIndex: Equatable, Sendable {
    /// For each page, whether it holds only nulls (its bounds are then empty).
    public var nullPages: [Bool]
    /// For each page, the PLAIN-encoded lower bound.
    public var minValues: [[UInt8]]
    /// For each page, the PLAIN-encoded upper bound.
    public var maxValues: [[UInt8]]
    /// 0 unordered, 1 ascending, 2 descending.
    public var boundaryOrder: Int32
    /// For each page, its null count, when written.
    public var nullCounts: [Int64]?
}

extension PageLocation {
    static func decode(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> PageLocation {
        var offset: Int64?
        var size: Int32?
        var first: Int64?
        try d.readStruct { d, id, type throws(ParquetError) in
            switch (id, type) {
            case (1, .i64): offset = try d.readI64()
            case (2, .i32): size = try d.readI32()
            case (3, .i64): first = try d.readI64()
            default: try d.skip(type)
            }
        }
        guard let offset, let size, let first else { throw d.missing("offset, compressed_page_size or first_row_index", in: "PageLocation") }
        return PageLocation(offset: offset, compressedPageSize: size, firstRowIndex: first)
    }

    /// Decodes an OffsetIndex: the page locations.
    static func decodeOffsetIndex(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> [PageLocation] {
        var locations: [PageLocation]?
        try d.readStruct { d, id, type throws(ParquetError) in
            switch (id, type) {
            case (1, .list): locations = try d.readList(.struct) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try PageLocation.decode(&d) }
            default: try d.skip(type)
            }
        }
        guard let locations else { throw d.missing("page_locations", in: "OffsetIndex") }
        return locations
    }
}

extension ColumnIndex {
    static func decode(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> ColumnIndex {
        var nullPages: [Bool]?
        var mins: [[UInt8]]?
        var maxs: [[UInt8]]?
        var order: Int32?
        var nullCounts: [Int64]?
        try d.readStruct { d, id, type throws(ParquetError) in
            switch (id, type) {
            case (1, .list): nullPages = try d.readList(.booleanTrue) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try d.readCollectionBool() }
            case (2, .list): mins = try d.readList(.binary) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try d.readBinary() }
            case (3, .list): maxs = try d.readList(.binary) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try d.readBinary() }
            case (4, .i32): order = try d.readI32()
            case (5, .list): nullCounts = try d.readList(.i64) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try d.readI64() }
            default: try d.skip(type)
            }
        }
        guard let nullPages, let mins, let maxs, let order else {
            throw d.missing("null_pages, min_values, max_values or boundary_order", in: "ColumnIndex")
        }
        guard mins.count == nullPages.count, maxs.count == nullPages.count else {
            throw d.corrupt("ColumnIndex lists disagree in length (\(nullPages.count), \(mins.count), \(maxs.count))")
        }
        return ColumnIndex(nullPages: nullPages, minValues: mins, maxValues: maxs, boundaryOrder: order, nullCounts: nullCounts)
    }
}

extension ParquetFileReader {
    /// The page locations of a column chunk, when the writer wrote an offset index; nil if not.
    ///
    /// - Throws: ``ParquetError`` `.corruptFile` for an index that lies outside the file or
    ///   does not decode.
    public func offsetIndex(rowGroup: Int, column: Int) throws(ParquetError) -> [PageLocation]? {
        let chunk = try chunkForIndex(rowGroup, column)
        guard let offset = chunk.offsetIndexOffset, let length = chunk.offsetIndexLength else { return nil }
        return try decodeIndex(offset, length, rowGroup, chunk) { (d) throws(ParquetError) in try PageLocation.decodeOffsetIndex(&d) }
    }

    /// The per-page bounds of a column chunk, when the writer wrote a column index; nil if not.
    ///
    /// - Throws: ``ParquetError`` `.corruptFile` for an index that lies outside the file or
    ///   does not decode.
    public func columnIndex(rowGroup: Int, column: Int) throws(ParquetError) -> ColumnIndex? {
        let chunk = try chunkForIndex(rowGroup, column)
        guard let offset = chunk.columnIndexOffset, let length = chunk.columnIndexLength else { return nil }
        return try decodeIndex(offset, length, rowGroup, chunk) { (d) throws(ParquetError) in try ColumnIndex.decode(&d) }
    }

    private func chunkForIndex(_ rowGroup: Int, _ column: Int) throws(ParquetError) -> ColumnChunkMetadata {
        guard metadata.rowGroups.indices.contains(rowGroup), metadata.rowGroups[rowGroup].columns.indices.contains(column) else {
            throw ParquetError(code: .invalidArgument, message: "no column chunk \(column) in row group \(rowGroup)", context: .init(filePath: source.name))
        }
        return metadata.rowGroups[rowGroup].columns[column]
    }

    private func decodeIndex<T>(
        _ offset: Int64, _ length: Int32, _ rowGroup: Int, _ chunk: ColumnChunkMetadata,
        _ body: (inout ThriftCompactDecoder) throws(ParquetError) -> T
    ) throws(ParquetError) -> T {
        let context = ParquetError.Context(filePath: source.name, rowGroup: rowGroup, columnPath: chunk.pathInSchema, byteOffset: Int(clamping: offset))
        guard offset >= 0, length >= 0, Int(offset) + Int(length) <= dataEnd else {
            throw ParquetError(code: .corruptFile, message: "page index at \(offset)+\(length) lies outside the column data", context: context)
        }
        let bytes = try source.read(offset: Int(offset), count: Int(length))
        return try _withBytes(bytes) { (raw) throws(ParquetError) in
            var decoder = ThriftCompactDecoder(raw, fileOffset: Int(offset), context: context)
            return try body(&decoder)
        }
    }
}
