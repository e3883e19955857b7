import ColumnarCore

// Encoding of the footer, page-header and page-index structures in the Thrift compact protocol,
// field by field as parquet.thrift numbers them: the inverse of MetadataDecoding.swift. Fields
// are written in ascending id order; optional fields that are nil are omitted; empty optional
// key-value lists are omitted (the model does not tell them from absent ones). A value the wire
// format cannot carry (a TIME unit of seconds, a decimal precision beyond i32) throws
// `.invalidArgument` rather than being truncated; encrypted metadata, whose keys the model does
// not keep, throws `.unsupportedFeature`.

extension ThriftCompactEncoder {
    /// Writes a `list<KeyValue>` field.
    mutating func writeKeyValues(field id: Int16, _ pairs: [KeyValue]) {
        writeFieldHeader(id: id, type: .list)
        writeListHeader(elementType: .struct, count: pairs.count)
        for pair in pairs {
            beginStruct()
            writeString(field: 1, pair.key)
            writeString(field: 2, pair.value)
            endStruct()
        }
    }

    /// Writes a union member that carries no data, by id (for members this model only knows by
    /// number). Id 0 writes no member: the union decodes back as unknown member 0.
    mutating func writeUnknownUnionMember(id: Int, of union: String) throws(ParquetError) {
        guard let fieldID = Int16(exactly: id) else {
            throw ParquetError(code: .invalidArgument, message: "\(union) member id \(id) does not fit a Thrift field id")
        }
        if fieldID != 0 { writeEmptyStruct(field: fieldID) }
    }
}

// MARK: - Footer

extension FileMetadata {
    /// Encodes the footer as a Thrift `FileMetaData` struct.
    ///
    /// - Throws: ``ParquetError`` `.unsupportedFeature` when the footer or a column chunk is
    ///   encrypted; `.invalidArgument` for a schema value Parquet cannot represent.
    func encode(into e: inout ThriftCompactEncoder) throws(ParquetError) {
        guard !hasEncryptionAlgorithm else {
            throw ParquetError(code: .unsupportedFeature, message: "cannot encode an encrypted footer: the model does not keep the encryption algorithm")
        }
        e.beginStruct()
        e.writeI32(field: 1, version)
        e.writeFieldHeader(id: 2, type: .list)
        e.writeListHeader(elementType: .struct, count: schema.count)
        for element in schema { try element.encode(into: &e) }
        e.writeI64(field: 3, numRows)
        e.writeFieldHeader(id: 4, type: .list)
        e.writeListHeader(elementType: .struct, count: rowGroups.count)
        for (index, group) in rowGroups.enumerated() {
            do throws(ParquetError) {
                try group.encode(into: &e)
            } catch {
                var located = error
                located.context.rowGroup = index
                throw located
            }
        }
        if !keyValueMetadata.isEmpty { e.writeKeyValues(field: 5, keyValueMetadata) }
        e.writeString(field: 6, createdBy)
        if let columnOrders {
            e.writeFieldHeader(id: 7, type: .list)
            e.writeListHeader(elementType: .struct, count: columnOrders.count)
            for order in columnOrders { try order.encode(into: &e) }
        }
        e.endStruct()
    }

    /// The footer's Thrift bytes: what precedes the 4-byte length and `PAR1` at the end of a file.
    ///
    /// - Throws: See ``encode(into:)``.
    func thriftEncoded() throws(ParquetError) -> [UInt8] {
        let chunks = rowGroups.reduce(0) { $0 + $1.columns.count }
        var encoder = ThriftCompactEncoder(capacity: 256 + 48 * schema.count + 160 * chunks)
        try encode(into: &encoder)
        return encoder.bytes
    }
}

extension ColumnOrder {
    /// Encodes the order as a Thrift `ColumnOrder` union.
    func encode(into e: inout ThriftCompactEncoder) throws(ParquetError) {
        e.beginStruct()
        switch self {
        case .typeDefined: e.writeEmptyStruct(field: 1)
        case .ieee754TotalOrder: e.writeEmptyStruct(field: 2)
        case .int96Timestamp: e.writeEmptyStruct(field: 3)
        case .unknown(let id): try e.writeUnknownUnionMember(id: id, of: "ColumnOrder")
        }
        e.endStruct()
    }
}

// MARK: - Schema

extension SchemaElement {
    /// Encodes the node as a Thrift `SchemaElement` struct.
    ///
    /// - Throws: ``ParquetError`` `.invalidArgument` for a logical type Parquet cannot represent,
    ///   naming the element.
    func encode(into e: inout ThriftCompactEncoder) throws(ParquetError) {
        e.beginStruct()
        e.writeI32(field: 1, type?.rawValue)
        e.writeI32(field: 2, typeLength)
        e.writeI32(field: 3, repetition?.rawValue)
        e.writeString(field: 4, name)
        e.writeI32(field: 5, numChildren)
        e.writeI32(field: 6, convertedType?.rawValue)
        e.writeI32(field: 7, scale)
        e.writeI32(field: 8, precision)
        e.writeI32(field: 9, fieldID)
        if let logicalType {
            e.writeFieldHeader(id: 10, type: .struct)
            do throws(ParquetError) {
                try logicalType.encode(into: &e)
            } catch {
                var named = error
                named.message = "schema element \"\(name)\": " + error.message
                throw named
            }
        }
        e.endStruct()
    }
}

extension LogicalType {
    /// Encodes the annotation as a Thrift `LogicalType` union.
    ///
    /// - Throws: ``ParquetError`` `.invalidArgument` for a decimal precision or scale outside
    ///   i32, an integer bit width outside i8, or a time unit of seconds.
    func encode(into e: inout ThriftCompactEncoder) throws(ParquetError) {
        e.beginStruct()
        switch self {
        case .string: e.writeEmptyStruct(field: 1)
        case .map: e.writeEmptyStruct(field: 2)
        case .list: e.writeEmptyStruct(field: 3)
        case .enum: e.writeEmptyStruct(field: 4)
        case .decimal(let precision, let scale):
            guard let precision32 = Int32(exactly: precision), let scale32 = Int32(exactly: scale) else {
                throw ParquetError(code: .invalidArgument, message: "\(self) does not fit Parquet's i32 precision and scale")
            }
            e.writeFieldHeader(id: 5, type: .struct)
            e.beginStruct()
            e.writeI32(field: 1, scale32)
            e.writeI32(field: 2, precision32)
            e.endStruct()
        case .date: e.writeEmptyStruct(field: 6)
        case .time(let isAdjustedToUTC, let unit):
            try Self.encodeTemporal(id: 7, isAdjustedToUTC, unit, into: &e)
        case .timestamp(let isAdjustedToUTC, let unit):
            try Self.encodeTemporal(id: 8, isAdjustedToUTC, unit, into: &e)
        case .integer(let bitWidth, let isSigned):
            guard let width = Int8(exactly: bitWidth) else {
                throw ParquetError(code: .invalidArgument, message: "\(self) has a bit width outside Parquet's i8")
            }
            e.writeFieldHeader(id: 10, type: .struct)
            e.beginStruct()
            e.writeI8(field: 1, width)
            e.writeBool(field: 2, isSigned)
            e.endStruct()
        case .unknown: e.writeEmptyStruct(field: 11)
        case .json: e.writeEmptyStruct(field: 12)
        case .bson: e.writeEmptyStruct(field: 13)
        case .uuid: e.writeEmptyStruct(field: 14)
        case .float16: e.writeEmptyStruct(field: 15)
        // The model keeps no parameters for these three; all of theirs are optional.
        case .variant: e.writeEmptyStruct(field: 16)
        case .geometry: e.writeEmptyStruct(field: 17)
        case .geography: e.writeEmptyStruct(field: 18)
        case .other(let id): try e.writeUnknownUnionMember(id: id, of: "LogicalType")
        }
        e.endStruct()
    }

    /// Writes a `TimeType` or `TimestampType` member: isAdjustedToUTC, then the unit union.
    private static func encodeTemporal(
        id: Int16, _ isAdjustedToUTC: Bool, _ unit: TimeUnit, into e: inout ThriftCompactEncoder
    ) throws(ParquetError) {
        let unitID: Int16
        switch unit {
        case .millisecond: unitID = 1
        case .microsecond: unitID = 2
        case .nanosecond: unitID = 3
        case .second:
            throw ParquetError(code: .invalidArgument, message: "Parquet TIME and TIMESTAMP have no unit of seconds")
        }
        e.writeFieldHeader(id: id, type: .struct)
        e.beginStruct()
        e.writeBool(field: 1, isAdjustedToUTC)
        e.writeFieldHeader(id: 2, type: .struct)
        e.beginStruct()
        e.writeEmptyStruct(field: unitID)
        e.endStruct()
        e.endStruct()
    }
}

// MARK: - Row groups and column chunks

extension RowGroupMetadata {
    /// Encodes the row group as a Thrift `RowGroup` struct.
    ///
    /// - Throws: ``ParquetError`` `.unsupportedFeature` for an encrypted column chunk.
    func encode(into e: inout ThriftCompactEncoder) throws(ParquetError) {
        e.beginStruct()
        e.writeFieldHeader(id: 1, type: .list)
        e.writeListHeader(elementType: .struct, count: columns.count)
        for column in columns { try column.encode(into: &e) }
        e.writeI64(field: 2, totalByteSize)
        e.writeI64(field: 3, numRows)
        e.writeI64(field: 5, fileOffset)
        e.writeI64(field: 6, totalCompressedSize)
        e.writeI16(field: 7, ordinal)
        e.endStruct()
    }
}

extension ColumnChunkMetadata {
    /// Encodes the chunk as a Thrift `ColumnChunk` struct with its `ColumnMetaData` inline.
    ///
    /// The deprecated `file_offset` (required by the IDL) is written as 0, as the specification
    /// asks of writers that keep the metadata only in the footer.
    ///
    /// - Throws: ``ParquetError`` `.unsupportedFeature` for an encrypted chunk.
    func encode(into e: inout ThriftCompactEncoder) throws(ParquetError) {
        guard !isEncrypted else {
            throw ParquetError(
                code: .unsupportedFeature, message: "cannot encode encrypted column metadata",
                context: .init(columnPath: pathInSchema))
        }
        e.beginStruct()
        e.writeString(field: 1, filePath)
        e.writeI64(field: 2, 0)
        e.writeFieldHeader(id: 3, type: .struct)
        encodeColumnMetaData(into: &e)
        e.writeI64(field: 4, offsetIndexOffset)
        e.writeI32(field: 5, offsetIndexLength)
        e.writeI64(field: 6, columnIndexOffset)
        e.writeI32(field: 7, columnIndexLength)
        e.endStruct()
    }

    /// Encodes the chunk's Thrift `ColumnMetaData` struct.
    func encodeColumnMetaData(into e: inout ThriftCompactEncoder) {
        e.beginStruct()
        e.writeI32(field: 1, type.rawValue)
        e.writeFieldHeader(id: 2, type: .list)
        e.writeListHeader(elementType: .i32, count: encodings.count)
        for encoding in encodings { e.writeI32(encoding.rawValue) }
        e.writeFieldHeader(id: 3, type: .list)
        e.writeListHeader(elementType: .binary, count: pathInSchema.count)
        for name in pathInSchema { e.writeString(name) }
        e.writeI32(field: 4, codecRawValue)
        e.writeI64(field: 5, numValues)
        e.writeI64(field: 6, totalUncompressedSize)
        e.writeI64(field: 7, totalCompressedSize)
        if !keyValueMetadata.isEmpty { e.writeKeyValues(field: 8, keyValueMetadata) }
        e.writeI64(field: 9, dataPageOffset)
        e.writeI64(field: 10, indexPageOffset)
        e.writeI64(field: 11, dictionaryPageOffset)
        if let statistics {
            e.writeFieldHeader(id: 12, type: .struct)
            statistics.encode(into: &e)
        }
        e.endStruct()
    }
}

extension ColumnStatistics {
    /// Encodes the statistics as a Thrift `Statistics` struct (every field optional).
    func encode(into e: inout ThriftCompactEncoder) {
        e.beginStruct()
        e.writeBinary(field: 1, legacyMax)
        e.writeBinary(field: 2, legacyMin)
        e.writeI64(field: 3, nullCount)
        e.writeI64(field: 4, distinctCount)
        e.writeBinary(field: 5, maxValue)
        e.writeBinary(field: 6, minValue)
        e.writeBool(field: 7, isMaxValueExact)
        e.writeBool(field: 8, isMinValueExact)
        e.writeI64(field: 9, nanCount)
        e.endStruct()
    }
}

// MARK: - Page headers

extension PageHeader {
    /// Encodes the header as a Thrift `PageHeader` struct.
    func encode(into e: inout ThriftCompactEncoder) {
        e.beginStruct()
        e.writeI32(field: 1, type.rawValue)
        e.writeI32(field: 2, uncompressedPageSize)
        e.writeI32(field: 3, compressedPageSize)
        e.writeI32(field: 4, crc)
        if let dataPage {
            e.writeFieldHeader(id: 5, type: .struct)
            dataPage.encode(into: &e)
        }
        if let dictionaryPage {
            e.writeFieldHeader(id: 7, type: .struct)
            dictionaryPage.encode(into: &e)
        }
        if let dataPageV2 {
            e.writeFieldHeader(id: 8, type: .struct)
            dataPageV2.encode(into: &e)
        }
        e.endStruct()
    }

    /// The header's Thrift bytes, which precede the page's bytes in a column chunk.
    func thriftEncoded() -> [UInt8] {
        var encoder = ThriftCompactEncoder(capacity: 64)
        encode(into: &encoder)
        return encoder.bytes
    }
}

extension DataPageHeader {
    /// Encodes the header as a Thrift `DataPageHeader` struct.
    func encode(into e: inout ThriftCompactEncoder) {
        e.beginStruct()
        e.writeI32(field: 1, numValues)
        e.writeI32(field: 2, encoding.rawValue)
        e.writeI32(field: 3, definitionLevelEncoding.rawValue)
        e.writeI32(field: 4, repetitionLevelEncoding.rawValue)
        if let statistics {
            e.writeFieldHeader(id: 5, type: .struct)
            statistics.encode(into: &e)
        }
        e.endStruct()
    }
}

extension DictionaryPageHeader {
    /// Encodes the header as a Thrift `DictionaryPageHeader` struct.
    func encode(into e: inout ThriftCompactEncoder) {
        e.beginStruct()
        e.writeI32(field: 1, numValues)
        e.writeI32(field: 2, encoding.rawValue)
        e.writeBool(field: 3, isSorted)
        e.endStruct()
    }
}

extension DataPageHeaderV2 {
    /// Encodes the header as a Thrift `DataPageHeaderV2` struct; `is_compressed` is always
    /// written, although true is its default.
    func encode(into e: inout ThriftCompactEncoder) {
        e.beginStruct()
        e.writeI32(field: 1, numValues)
        e.writeI32(field: 2, numNulls)
        e.writeI32(field: 3, numRows)
        e.writeI32(field: 4, encoding.rawValue)
        e.writeI32(field: 5, definitionLevelsByteLength)
        e.writeI32(field: 6, repetitionLevelsByteLength)
        e.writeBool(field: 7, isCompressed)
        if let statistics {
            e.writeFieldHeader(id: 8, type: .struct)
            statistics.encode(into: &e)
        }
        e.endStruct()
    }
}

// MARK: - Page index

extension PageLocation {
    /// Encodes the location as a Thrift `PageLocation` struct.
    func encode(into e: inout ThriftCompactEncoder) {
        e.beginStruct()
        e.writeI64(field: 1, offset)
        e.writeI32(field: 2, compressedPageSize)
        e.writeI64(field: 3, firstRowIndex)
        e.endStruct()
    }

    /// Encodes an `OffsetIndex` struct holding `locations`.
    static func encodeOffsetIndex(_ locations: [PageLocation], into e: inout ThriftCompactEncoder) {
        e.beginStruct()
        e.writeFieldHeader(id: 1, type: .list)
        e.writeListHeader(elementType: .struct, count: locations.count)
        for location in locations { location.encode(into: &e) }
        e.endStruct()
    }

    /// The Thrift bytes of an `OffsetIndex` holding `locations`.
    static func offsetIndexEncoded(_ locations: [PageLocation]) -> [UInt8] {
        var encoder = ThriftCompactEncoder(capacity: 8 + 16 * locations.count)
        encodeOffsetIndex(locations, into: &encoder)
        return encoder.bytes
    }
}

extension ColumnIndex {
    /// Encodes the index as a Thrift `ColumnIndex` struct.
    ///
    /// - Throws: ``ParquetError`` `.invalidArgument` when the per-page lists differ in length
    ///   (a reader would reject the index).
    func encode(into e: inout ThriftCompactEncoder) throws(ParquetError) {
        let pages = nullPages.count
        guard minValues.count == pages, maxValues.count == pages, nullCounts.map({ $0.count == pages }) ?? true else {
            throw ParquetError(
                code: .invalidArgument,
                message: "ColumnIndex lists differ in length: \(pages) null_pages, \(minValues.count) min_values, "
                    + "\(maxValues.count) max_values, \(nullCounts.map { String($0.count) } ?? "no") null_counts")
        }
        e.beginStruct()
        e.writeFieldHeader(id: 1, type: .list)
        e.writeListHeader(elementType: .booleanTrue, count: pages)
        for isNull in nullPages { e.writeCollectionBool(isNull) }
        e.writeFieldHeader(id: 2, type: .list)
        e.writeListHeader(elementType: .binary, count: pages)
        for value in minValues { e.writeBinary(value) }
        e.writeFieldHeader(id: 3, type: .list)
        e.writeListHeader(elementType: .binary, count: pages)
        for value in maxValues { e.writeBinary(value) }
        e.writeI32(field: 4, boundaryOrder)
        if let nullCounts {
            e.writeFieldHeader(id: 5, type: .list)
            e.writeListHeader(elementType: .i64, count: nullCounts.count)
            for count in nullCounts { e.writeI64(count) }
        }
        e.endStruct()
    }

    /// The index's Thrift bytes.
    ///
    /// - Throws: See ``encode(into:)``.
    func thriftEncoded() throws(ParquetError) -> [UInt8] {
        var encoder = ThriftCompactEncoder(capacity: 16 + 32 * nullPages.count)
        try encode(into: &encoder)
        return encoder.bytes
    }
}
