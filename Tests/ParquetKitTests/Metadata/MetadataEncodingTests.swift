import ColumnarCore
import Foundation
@testable import ParquetKit
import Testing

/// Decodes `bytes` with `body` and checks that it consumed every byte.
private func decode<T>(
    _ bytes: [UInt8], _ body: (inout ThriftCompactDecoder) throws(ParquetError) -> T,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> T {
    let (value, left) = try _withBytes(bytes) { (raw) throws(ParquetError) -> (T, Int) in
        var decoder = ThriftCompactDecoder(raw)
        let value = try body(&decoder)
        return (value, decoder.remaining)
    }
    #expect(left == 0, "the decoder left \(left) of \(bytes.count) bytes", sourceLocation: sourceLocation)
    return value
}

/// The bytes an encoder writes for one struct whose fields `body` writes.
private func structBytes(_ body: (inout ThriftCompactEncoder) -> Void) -> [UInt8] {
    var encoder = ThriftCompactEncoder()
    encoder.beginStruct()
    body(&encoder)
    encoder.endStruct()
    return encoder.bytes
}

private func roundTrip(_ metadata: FileMetadata) throws -> FileMetadata {
    try decode(try metadata.thriftEncoded()) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try FileMetadata.decode(&d) }
}

private func roundTrip(_ header: PageHeader) throws -> PageHeader {
    try decode(header.thriftEncoded()) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try PageHeader.decode(&d) }
}

private func roundTrip(_ element: SchemaElement) throws -> SchemaElement {
    var encoder = ThriftCompactEncoder()
    try element.encode(into: &encoder)
    return try decode(encoder.bytes) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try SchemaElement.decode(&d) }
}

// MARK: - Byte-exact encodings worked out by hand from the compact-protocol specification

@Suite struct ThriftCompactEncoderTests {
    @Test("a struct with field 1 i32 = 1 is [0x15, 0x02, 0x00]")
    func smallestStruct() {
        // Header: delta 1 in the high nibble, type I32 (5) in the low: 0x15. ZigZag(1) = 2: 0x02.
        // STOP: 0x00.
        #expect(structBytes { $0.writeI32(field: 1, 1) } == [0x15, 0x02, 0x00])
    }

    @Test("a field id more than 15 above the previous one uses the long form")
    func longFieldHeader() {
        // Field 1 i32 -1: 0x15, ZigZag(-1) = 1: 0x01.
        // Field 20 i64 150: delta 19 > 15, so the type byte 0x06 alone, then ZigZag(20) = 40: 0x28.
        // ZigZag(150) = 300 = 0b10_0101100: low seven bits 0x2C | 0x80 = 0xAC, then 300 >> 7 = 0x02.
        let bytes = structBytes {
            $0.writeI32(field: 1, -1)
            $0.writeI64(field: 20, 150)
        }
        #expect(bytes == [0x15, 0x01, 0x06, 0x28, 0xAC, 0x02, 0x00])
    }

    @Test("a field id below the previous one, or a first id above 15, uses the long form")
    func decreasingAndLargeFirstIDs() {
        // Field 3 i32 0: 0x35 0x00. Field 1 (delta -2): 0x05, ZigZag(1) = 0x02, value 0x00.
        #expect(structBytes { $0.writeI32(field: 3, 0); $0.writeI32(field: 1, 0) } == [0x35, 0x00, 0x05, 0x02, 0x00, 0x00])
        // First field 16: delta 16 > 15: 0x05, ZigZag(16) = 32 = 0x20, value 0x00. Field 31 is
        // delta 15, the largest short form: 0xF5.
        #expect(structBytes { $0.writeI32(field: 16, 0); $0.writeI32(field: 31, 0) } == [0x05, 0x20, 0x00, 0xF5, 0x00, 0x00])
    }

    @Test("boolean fields carry their value in the header type: 1 true, 2 false")
    func booleanFields() {
        // Field 1 true: delta 1, type 1: 0x11. Field 2 false: delta 1, type 2: 0x12. A nil
        // optional writes nothing, so field 4 is delta 2 from field 2: 0x21.
        let bytes = structBytes {
            $0.writeBool(field: 1, true)
            $0.writeBool(field: 2, false)
            $0.writeBool(field: 3, nil)
            $0.writeBool(field: 4, true)
        }
        #expect(bytes == [0x11, 0x12, 0x21, 0x00])
    }

    @Test("a nested struct keeps its own field-id deltas and restores the outer one")
    func nestedStructs() {
        // Field 1 struct: 0x1C. Inside, field 5 i32 1: 0x55 0x02, STOP 0x00. Outer field 2 is
        // delta 1 from field 1 (not from the inner 5): 0x15 0x02. STOP 0x00.
        let bytes = structBytes {
            $0.writeFieldHeader(id: 1, type: .struct)
            $0.beginStruct()
            $0.writeI32(field: 5, 1)
            $0.endStruct()
            $0.writeI32(field: 2, 1)
        }
        #expect(bytes == [0x1C, 0x55, 0x02, 0x00, 0x15, 0x02, 0x00])
    }

    @Test("list headers: the short form below 15 elements, 0xF0 | type and a varint from 15")
    func listHeaders() {
        // Field 2 list: 0x29. Three i32: size 3 high nibble, type 5: 0x35, then 0x02 0x04 0x06.
        let short = structBytes {
            $0.writeFieldHeader(id: 2, type: .list)
            $0.writeListHeader(elementType: .i32, count: 3)
            for value: Int32 in 1...3 { $0.writeI32(value) }
        }
        #expect(short == [0x29, 0x35, 0x02, 0x04, 0x06, 0x00])
        var encoder = ThriftCompactEncoder()
        encoder.writeListHeader(elementType: .binary, count: 0)
        encoder.writeListHeader(elementType: .i64, count: 14)
        encoder.writeListHeader(elementType: .i64, count: 15)
        encoder.writeListHeader(elementType: .struct, count: 300)
        // 0 binaries: 0x08. 14 i64: 0xE6. 15 i64: 0xF6 0x0F. 300 structs: 0xFC, 300 = 0xAC 0x02.
        #expect(encoder.bytes == [0x08, 0xE6, 0xF6, 0x0F, 0xFC, 0xAC, 0x02])
    }

    @Test("booleans in a list are one byte each, 1 true and 2 false, as parquet-cpp writes them")
    func listBooleans() {
        // pyarrow 26 writes a one-page null_pages [false] as 0x19 0x11 0x02.
        let bytes = structBytes {
            $0.writeFieldHeader(id: 1, type: .list)
            $0.writeListHeader(elementType: .booleanTrue, count: 2)
            $0.writeCollectionBool(true)
            $0.writeCollectionBool(false)
        }
        #expect(bytes == [0x19, 0x21, 0x01, 0x02, 0x00])
    }

    @Test("binary is a varint length and the bytes, zero bytes included; doubles are little-endian")
    func binaryAndDouble() {
        // Field 1 binary [0x00, 0xFF]: 0x18, length 0x02, 0x00 0xFF. Field 2 empty string: 0x18 0x00.
        // Field 3 double 1.0 = 0x3FF0000000000000: 0x17, then its bytes low first.
        let bytes = structBytes {
            $0.writeBinary(field: 1, [0x00, 0xFF])
            $0.writeString(field: 2, "")
            $0.writeDouble(field: 3, 1.0)
        }
        #expect(bytes == [0x18, 0x02, 0x00, 0xFF, 0x18, 0x00, 0x17, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x00])
    }

    /// Values and their ZigZag varints.
    static let zigZagVectors: [(Int64, [UInt8])] = [
        // Int64.min → ZigZag UInt64.max: nine 0xFF bytes then 0x01 (63 + 1 bits).
        (Int64.min, [UInt8](repeating: 0xFF, count: 9) + [0x01]),
        // Int64.max → UInt64.max - 1: 0xFE, eight 0xFF, 0x01.
        (Int64.max, [0xFE] + [UInt8](repeating: 0xFF, count: 8) + [0x01]),
        // Int32.min → 2^32 - 1: four 0xFF then 0x0F.
        (Int64(Int32.min), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
        (Int64(Int32.max), [0xFE, 0xFF, 0xFF, 0xFF, 0x0F]),
        (-64, [0x7F]), (64, [0x80, 0x01]), (0, [0x00]),
    ]

    @Test("ZigZag varints of the extreme values", arguments: zigZagVectors)
    func zigZag(value: Int64, expected: [UInt8]) throws {
        var encoder = ThriftCompactEncoder()
        encoder.writeI64(value)
        #expect(encoder.bytes == expected)
        let decoded = try decode(encoder.bytes) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try d.readI64() }
        #expect(decoded == value)
    }

    @Test("every scalar reads back through the decoder")
    func scalarsRoundTrip() throws {
        var encoder = ThriftCompactEncoder()
        encoder.writeI16(.min)
        encoder.writeI16(.max)
        encoder.writeI32(.min)
        encoder.writeI32(-1)
        encoder.writeI8(-128)
        encoder.writeDouble(-0.0)
        encoder.writeDouble(.infinity)
        encoder.writeString("Grüße")
        encoder.writeBinary([UInt8](repeating: 0, count: 200))
        try _withBytes(encoder.bytes) { (raw) throws(ParquetError) in
            var d = ThriftCompactDecoder(raw)
            #expect(try d.readI16() == .min)
            #expect(try d.readI16() == .max)
            #expect(try d.readI32() == .min)
            #expect(try d.readI32() == -1)
            #expect(try d.readI8() == -128)
            let zero = try d.readDouble()
            #expect(zero == 0 && zero.sign == .minus)
            #expect(try d.readDouble() == .infinity)
            #expect(try d.readString() == "Grüße")
            #expect(try d.readBinary() == [UInt8](repeating: 0, count: 200))
            #expect(d.remaining == 0)
        }
    }
}

// MARK: - Metadata structures

/// A schema with one leaf per logical type, nested groups, and more than 14 children at the root.
private func richSchema() -> [SchemaElement] {
    func leaf(_ name: String, _ type: PhysicalType, _ logical: LogicalType?, repetition: Repetition = .optional) -> SchemaElement {
        var element = SchemaElement(name: name)
        element.type = type
        element.repetition = repetition
        element.logicalType = logical
        return element
    }
    var root = SchemaElement(name: "schema")
    var leaves: [SchemaElement] = [
        leaf("s", .byteArray, .string), leaf("e", .byteArray, .enum), leaf("j", .byteArray, .json),
        leaf("b", .byteArray, .bson), leaf("d", .int32, .date), leaf("n", .int32, .unknown),
        leaf("f16", .fixedLenByteArray, .float16), leaf("v", .byteArray, .variant),
        leaf("geom", .byteArray, .geometry), leaf("geog", .byteArray, .geography),
        leaf("t_ms", .int32, .time(isAdjustedToUTC: true, unit: .millisecond)),
        leaf("t_ns", .int64, .time(isAdjustedToUTC: false, unit: .nanosecond)),
        leaf("ts_us", .int64, .timestamp(isAdjustedToUTC: true, unit: .microsecond), repetition: .required),
        leaf("ts_ms", .int64, .timestamp(isAdjustedToUTC: false, unit: .millisecond)),
        leaf("u8", .int32, .integer(bitWidth: 8, isSigned: false)),
        leaf("i64", .int64, .integer(bitWidth: 64, isSigned: true)),
        leaf("future", .int32, .other(id: 42)),
        leaf("raw", .int96, nil),
    ]
    var uuid = leaf("id", .fixedLenByteArray, .uuid)
    uuid.typeLength = 16
    uuid.fieldID = Int32.min
    var decimal = leaf("price", .fixedLenByteArray, .decimal(precision: 38, scale: 10))
    decimal.typeLength = 16
    decimal.convertedType = ConvertedType(rawValue: 5)
    decimal.scale = 10
    decimal.precision = 38
    decimal.fieldID = 2_000_000_000
    leaves += [uuid, decimal]
    // A MAP<string, LIST<int32>> group: map / key_value / (key, value list / list / element).
    var map = SchemaElement(name: "tags")
    map.repetition = .optional
    map.numChildren = 1
    map.logicalType = .map
    map.convertedType = ConvertedType(rawValue: 1)
    var keyValue = SchemaElement(name: "key_value")
    keyValue.repetition = .repeated
    keyValue.numChildren = 2
    var list = SchemaElement(name: "value")
    list.repetition = .optional
    list.numChildren = 1
    list.logicalType = .list
    var repeated = SchemaElement(name: "list")
    repeated.repetition = .repeated
    repeated.numChildren = 1
    let group = [map, keyValue, leaf("key", .byteArray, .string, repetition: .required), list, repeated, leaf("element", .int32, nil)]
    root.numChildren = Int32(leaves.count + 1)
    return [root] + leaves + group
}

private func chunk(_ path: [String], _ type: PhysicalType, full: Bool) -> ColumnChunkMetadata {
    var statistics = ColumnStatistics()
    if full {
        statistics.legacyMax = [0xFF, 0x00]
        statistics.legacyMin = []
        statistics.nullCount = 0
        statistics.distinctCount = Int64.max
        statistics.maxValue = [0x00, 0x00, 0x00]
        statistics.minValue = [0x80]
        statistics.isMaxValueExact = true
        statistics.isMinValueExact = false
        statistics.nanCount = 3
    }
    return ColumnChunkMetadata(
        filePath: full ? "part-0.parquet" : nil, type: type,
        encodings: full ? [.plain, .rle, .rleDictionary, Encoding(rawValue: 77)] : [], pathInSchema: path,
        codecRawValue: full ? 6 : 99, numValues: full ? Int64.max : 0, totalUncompressedSize: 1 << 40,
        totalCompressedSize: -1, keyValueMetadata: full ? [KeyValue(key: "k", value: nil), KeyValue(key: "", value: "v")] : [],
        dataPageOffset: 4, indexPageOffset: full ? 7 : nil, dictionaryPageOffset: full ? 0 : nil,
        statistics: full ? statistics : nil, offsetIndexOffset: full ? Int64.min : nil, offsetIndexLength: full ? Int32.max : nil,
        columnIndexOffset: full ? 1 : nil, columnIndexLength: full ? 0 : nil, isEncrypted: false)
}

private func richMetadata() -> FileMetadata {
    let schema = richSchema()
    let leaves = schema.filter { $0.type != nil }
    func group(_ index: Int, full: Bool) -> RowGroupMetadata {
        RowGroupMetadata(
            columns: leaves.enumerated().map { chunk([$0.element.name], $0.element.type ?? .int32, full: full && $0.offset % 2 == 0) },
            totalByteSize: Int64(index) * 1000, numRows: full ? Int64.max : 0,
            fileOffset: full ? 4 : nil, totalCompressedSize: full ? Int64.min : nil, ordinal: full ? Int16.max : nil)
    }
    let orders: [ColumnOrder] = leaves.indices.map {
        [.typeDefined, .ieee754TotalOrder, .int96Timestamp, .unknown(id: 200)][$0 % 4]
    }
    return FileMetadata(
        version: 2, schema: schema, numRows: Int64.max, rowGroups: [group(0, full: true), group(1, full: false)],
        keyValueMetadata: [KeyValue(key: "ARROW:schema", value: String(repeating: "x", count: 1000)), KeyValue(key: "empty", value: nil)],
        createdBy: "LakehouseKit test", columnOrders: orders, hasEncryptionAlgorithm: false)
}

@Suite struct MetadataEncodingTests {
    @Test("a footer with every field, long lists and extreme values decodes to itself")
    func footerRoundTrip() throws {
        let metadata = richMetadata()
        #expect(metadata.schema.count > 15 && metadata.rowGroups[0].columns.count > 15)
        #expect(try roundTrip(metadata) == metadata)
    }

    @Test("a minimal footer: no row groups, no key-value metadata, no writer, no column orders")
    func minimalFooter() throws {
        let metadata = FileMetadata(
            version: Int32.min, schema: [SchemaElement(name: "")], numRows: Int64.min, rowGroups: [], keyValueMetadata: [],
            createdBy: nil, columnOrders: nil, hasEncryptionAlgorithm: false)
        #expect(try roundTrip(metadata) == metadata)
        // Field 1 i32 Int32.min: 0x15 + 5 bytes; field 2 list of one struct holding field 4 "":
        // 0x19 0x1C 0x48 0x00 0x00; field 3 i64: 0x16 + 10 bytes; field 4 empty list: 0x19 0x0C; STOP.
        let bytes = try metadata.thriftEncoded()
        #expect(bytes == [0x15, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x19, 0x1C, 0x48, 0x00, 0x00, 0x16]
            + [UInt8](repeating: 0xFF, count: 9) + [0x01, 0x19, 0x0C, 0x00])
    }

    static let allLogicalTypes: [LogicalType] = [
        .string, .map, .list, .enum, .decimal(precision: 9, scale: 0), .decimal(precision: 76, scale: 38), .date,
        .time(isAdjustedToUTC: true, unit: .millisecond), .time(isAdjustedToUTC: false, unit: .microsecond),
        .time(isAdjustedToUTC: true, unit: .nanosecond), .timestamp(isAdjustedToUTC: false, unit: .millisecond),
        .timestamp(isAdjustedToUTC: true, unit: .microsecond), .timestamp(isAdjustedToUTC: false, unit: .nanosecond),
        .integer(bitWidth: 8, isSigned: true), .integer(bitWidth: 16, isSigned: false), .integer(bitWidth: 32, isSigned: true),
        .integer(bitWidth: 64, isSigned: false), .unknown, .json, .bson, .uuid, .float16, .variant, .geometry, .geography,
        .other(id: 19), .other(id: 0), .other(id: -3), .other(id: Int(Int16.max)),
    ]

    static let refusedLogicalTypes: [LogicalType] = [
        .time(isAdjustedToUTC: true, unit: .second), .timestamp(isAdjustedToUTC: false, unit: .second),
        .integer(bitWidth: 128, isSigned: true), .decimal(precision: Int(Int32.max) + 1, scale: 0), .other(id: 40_000),
    ]

    @Test("every logical type survives a schema element round trip", arguments: allLogicalTypes)
    func logicalTypes(logicalType: LogicalType) throws {
        var element = SchemaElement(name: "c")
        element.logicalType = logicalType
        #expect(try roundTrip(element).logicalType == logicalType)
    }

    @Test("TIMESTAMP(MICROS, UTC) is the union field 8 holding isAdjustedToUTC and the unit union")
    func timestampBytes() throws {
        // Union field 8 struct: 0x8C. TimestampType field 1 true: 0x11; field 2 struct: 0x1C.
        // TimeUnit field 2 (MICROS) empty struct: 0x2C 0x00. Then the STOPs of TimeUnit,
        // TimestampType and LogicalType.
        var encoder = ThriftCompactEncoder()
        try LogicalType.timestamp(isAdjustedToUTC: true, unit: .microsecond).encode(into: &encoder)
        #expect(encoder.bytes == [0x8C, 0x11, 0x1C, 0x2C, 0x00, 0x00, 0x00, 0x00])
        // DECIMAL(10, 2): field 5 struct 0x5C; scale 2 → 0x15 0x04; precision 10 → 0x15 0x14; STOPs.
        encoder = ThriftCompactEncoder()
        try LogicalType.decimal(precision: 10, scale: 2).encode(into: &encoder)
        #expect(encoder.bytes == [0x5C, 0x15, 0x04, 0x15, 0x14, 0x00, 0x00])
        // INTEGER(8, unsigned): field 10 struct 0xAC; bitWidth i8 8 → 0x13 0x08; isSigned false → 0x12.
        encoder = ThriftCompactEncoder()
        try LogicalType.integer(bitWidth: 8, isSigned: false).encode(into: &encoder)
        #expect(encoder.bytes == [0xAC, 0x13, 0x08, 0x12, 0x00, 0x00])
    }

    @Test("values Parquet cannot carry are refused, not truncated", arguments: refusedLogicalTypes)
    func unrepresentableLogicalTypes(logicalType: LogicalType) {
        var element = SchemaElement(name: "bad")
        element.logicalType = logicalType
        var encoder = ThriftCompactEncoder()
        let error = #expect(throws: ParquetError.self) { try element.encode(into: &encoder) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("\"bad\"") == true)
    }

    @Test("encrypted footers and column chunks are refused")
    func encryptedMetadata() {
        var metadata = richMetadata()
        metadata.hasEncryptionAlgorithm = true
        #expect(throws: ParquetError.self) { try metadata.thriftEncoded() }
        metadata.hasEncryptionAlgorithm = false
        metadata.rowGroups[1].columns[3].isEncrypted = true
        let error = #expect(throws: ParquetError.self) { try metadata.thriftEncoded() }
        #expect(error?.code == .unsupportedFeature)
        #expect(error?.context.rowGroup == 1)
        #expect(error?.context.columnPath == metadata.rowGroups[1].columns[3].pathInSchema)
    }

    @Test("page headers of every kind decode to themselves")
    func pageHeaders() throws {
        var statistics = ColumnStatistics()
        statistics.minValue = [0, 0, 0, 0]
        statistics.maxValue = [0xFF, 0xFF, 0xFF, 0x7F]
        statistics.nullCount = 12
        statistics.isMinValueExact = true
        var v1 = PageHeader(type: .dataPage, uncompressedPageSize: Int32.max, compressedPageSize: 0)
        v1.crc = Int32.min
        v1.dataPage = DataPageHeader(numValues: 1000, encoding: .rleDictionary, definitionLevelEncoding: .rle,
                                     repetitionLevelEncoding: .bitPacked, statistics: statistics)
        var dictionary = PageHeader(type: .dictionaryPage, uncompressedPageSize: 10, compressedPageSize: 12)
        dictionary.dictionaryPage = DictionaryPageHeader(numValues: 3, encoding: .plain, isSorted: false)
        var sortedDictionary = dictionary
        sortedDictionary.dictionaryPage?.isSorted = true
        var unsortedUnknown = dictionary
        unsortedUnknown.dictionaryPage?.isSorted = nil
        var v2 = PageHeader(type: .dataPageV2, uncompressedPageSize: 5, compressedPageSize: 5)
        v2.crc = -1
        v2.dataPageV2 = DataPageHeaderV2(numValues: 7, numNulls: 2, numRows: 3, encoding: .deltaBinaryPacked,
                                         definitionLevelsByteLength: 4, repetitionLevelsByteLength: 0,
                                         isCompressed: false, statistics: ColumnStatistics())
        var v2Compressed = v2
        v2Compressed.dataPageV2?.isCompressed = true
        v2Compressed.dataPageV2?.statistics = nil
        for header in [v1, dictionary, sortedDictionary, unsortedUnknown, v2, v2Compressed] {
            #expect(try roundTrip(header) == header)
        }
    }

    @Test("a data page header, worked out byte by byte")
    func dataPageHeaderBytes() {
        // type 0: 0x15 0x00; uncompressed 100 → ZigZag 200: 0x15 0xC8 0x01; compressed 50 → 100:
        // 0x15 0x64; data_page_header (field 5, delta 2): 0x2C, then num_values 10 → 0x15 0x14,
        // PLAIN 0x15 0x00, RLE 0x15 0x06, RLE 0x15 0x06, STOP; the page header's STOP.
        var header = PageHeader(type: .dataPage, uncompressedPageSize: 100, compressedPageSize: 50)
        header.dataPage = DataPageHeader(numValues: 10, encoding: .plain, definitionLevelEncoding: .rle,
                                         repetitionLevelEncoding: .rle, statistics: nil)
        #expect(header.thriftEncoded() == [0x15, 0x00, 0x15, 0xC8, 0x01, 0x15, 0x64, 0x2C,
                                           0x15, 0x14, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06, 0x00, 0x00])
    }

    @Test("column and offset indexes, empty and longer than 14 pages, decode to themselves", arguments: [0, 1, 14, 15, 40])
    func pageIndexes(pages: Int) throws {
        let index = ColumnIndex(
            nullPages: (0..<pages).map { $0 % 3 == 0 }, minValues: (0..<pages).map { $0 % 3 == 0 ? [] : [0, UInt8($0)] },
            maxValues: (0..<pages).map { [UInt8](repeating: 0, count: $0) }, boundaryOrder: 1,
            nullCounts: (0..<pages).map { $0 == 1 ? Int64.min : Int64($0) })
        let decodedIndex = try decode(try index.thriftEncoded()) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try ColumnIndex.decode(&d) }
        #expect(decodedIndex == index)
        var withoutCounts = index
        withoutCounts.nullCounts = nil
        withoutCounts.boundaryOrder = 2
        let decodedWithout = try decode(try withoutCounts.thriftEncoded()) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try ColumnIndex.decode(&d) }
        #expect(decodedWithout == withoutCounts)

        let locations = (0..<pages).map { (page: Int) -> PageLocation in
            let offset: Int64 = page == 0 ? .max : Int64(page) << 33
            let size: Int32 = page == 1 ? .min : Int32(page)
            return PageLocation(offset: offset, compressedPageSize: size, firstRowIndex: Int64(page) * 1000)
        }
        let decodedLocations = try decode(PageLocation.offsetIndexEncoded(locations)) { (d: inout ThriftCompactDecoder) throws(ParquetError) in
            try PageLocation.decodeOffsetIndex(&d)
        }
        #expect(decodedLocations == locations)
    }

    @Test("a column index whose lists disagree in length is refused")
    func mismatchedColumnIndex() {
        let index = ColumnIndex(nullPages: [false, false], minValues: [[1], [2]], maxValues: [[3], [4]], boundaryOrder: 0, nullCounts: [0])
        let error = #expect(throws: ParquetError.self) { try index.thriftEncoded() }
        #expect(error?.code == .invalidArgument)
    }
}

// MARK: - Real footers, page headers and page indexes from the shared corpus

/// The Thrift bytes of a file's footer.
private func footerBytes(_ path: String) throws -> [UInt8] {
    let source = try LocalFileByteSource(path: path)
    let size = source.size()
    let tail = try source.read(offset: size - 8, count: 8)
    let length = Int(tail[0]) | Int(tail[1]) << 8 | Int(tail[2]) << 16 | Int(tail[3]) << 24
    return try source.read(offset: size - 8 - length, count: length)
}

private func decodeFooter(_ bytes: [UInt8]) throws -> FileMetadata {
    try decode(bytes) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try FileMetadata.decode(&d) }
}

private func isEncrypted(_ metadata: FileMetadata) -> Bool {
    metadata.hasEncryptionAlgorithm || metadata.rowGroups.contains { $0.columns.contains(where: \.isEncrypted) }
}

@Suite struct MetadataEncodingCorpusTests {
    @Test("alltypes_plain.parquet: the footer, re-encoded and decoded again, matches field by field")
    func alltypesPlain() throws {
        let path = ParquetCorpus.root.appendingPathComponent("files/parquet-testing/data/alltypes_plain.parquet").path
        let original = try decodeFooter(try footerBytes(path))
        let again = try decodeFooter(try original.thriftEncoded())
        #expect(again.version == original.version)
        #expect(again.schema == original.schema)
        #expect(again.numRows == original.numRows)
        #expect(again.keyValueMetadata == original.keyValueMetadata)
        #expect(again.createdBy == original.createdBy)
        #expect(again.columnOrders == original.columnOrders)
        #expect(again.rowGroups.count == original.rowGroups.count)
        for (ours, theirs) in zip(again.rowGroups, original.rowGroups) {
            #expect(ours.numRows == theirs.numRows && ours.totalByteSize == theirs.totalByteSize)
            for (a, b) in zip(ours.columns, theirs.columns) {
                #expect(a == b, "\(b.pathInSchema)")
            }
        }
        #expect(again == original)
    }

    @Test("every readable, unencrypted corpus footer survives decode → encode → decode")
    func corpusFooters() throws {
        var checked = 0
        for entry in try ParquetCorpus.entries() where entry.tier < 4 && entry.tail_magic != "PARE" {
            let original = try decodeFooter(try footerBytes(ParquetCorpus.path(entry)))
            guard !isEncrypted(original) else { continue }
            let encoded = try original.thriftEncoded()
            #expect(try decodeFooter(encoded) == original, "\(entry.file)")
            checked += 1
        }
        #expect(checked > 80)
    }

    @Test("every corpus page header re-encodes to its original bytes, but for v2 headers that leave is_compressed to its default")
    func corpusPageHeaders() throws {
        var identical = 0
        var defaultOmitted = 0
        for entry in try ParquetCorpus.entries() where entry.tier < 4 && entry.tail_magic != "PARE" {
            let source = try LocalFileByteSource(path: ParquetCorpus.path(entry))
            guard let metadata = try? ParquetFooter.read(from: source), !isEncrypted(metadata) else { continue }
            for (group, rowGroup) in metadata.rowGroups.prefix(2).enumerated() {
                for chunk in rowGroup.columns {
                    guard let headers = try? ParquetFooter.pageHeaders(of: chunk, in: source, rowGroup: group) else { continue }
                    for (offset, header) in headers {
                        let place: Comment = "\(entry.file) \(chunk.pathInSchema) page at \(offset)"
                        #expect(try roundTrip(header) == header, place)
                        let encoded = header.thriftEncoded()
                        let original = try originalHeaderBytes(source, at: offset)
                        if encoded == original {
                            identical += 1
                        } else {
                            // parquet-mr omits is_compressed when true; we always write it (one byte).
                            #expect(header.dataPageV2?.isCompressed == true && original.count == encoded.count - 1, place)
                            defaultOmitted += 1
                        }
                    }
                }
            }
        }
        #expect(identical > 50_000)
        #expect(defaultOmitted < 200)
    }

    /// The bytes of the page header at `offset`, as long as the decoder finds it.
    private func originalHeaderBytes(_ source: LocalFileByteSource, at offset: Int) throws -> [UInt8] {
        let window = try source.read(offset: offset, count: min(1 << 16, source.size() - offset))
        let length = try _withBytes(window) { (raw) throws(ParquetError) -> Int in
            var decoder = ThriftCompactDecoder(raw)
            _ = try PageHeader.decode(&decoder)
            return decoder.position
        }
        return Array(window[..<length])
    }

    /// Whether `encoded` equals `original`, up to fields the model does not keep that the writer
    /// put at the end (level histograms, unencoded byte-array sizes), and up to the list element
    /// type of booleans (parquet-rs writes 2, the original specification's value; parquet-cpp and
    /// parquet-mr write 1, as we do).
    private func sameUpToUnmodelledFields(_ encoded: [UInt8], _ original: [UInt8]) -> Bool {
        var original = original
        if original.count > 1, encoded.count > 1, original[1] == encoded[1] + 1, encoded[1] & 0x0F == 1 {
            original[1] = encoded[1]
        }
        return original == encoded || original.starts(with: encoded.dropLast())
    }

    @Test("every corpus column and offset index re-encodes to its original bytes, up to fields the model does not keep")
    func corpusPageIndexes() throws {
        var checked = 0
        var identical = 0
        for entry in try ParquetCorpus.entries() where entry.tier < 4 && entry.tail_magic != "PARE" {
            let source = try LocalFileByteSource(path: ParquetCorpus.path(entry))
            guard let reader = try? ParquetFileReader(source: source), !isEncrypted(reader.metadata) else { continue }
            for (group, rowGroup) in reader.metadata.rowGroups.enumerated() {
                for (column, chunk) in rowGroup.columns.enumerated() {
                    if let index = try reader.columnIndex(rowGroup: group, column: column),
                       let offset = chunk.columnIndexOffset, let length = chunk.columnIndexLength {
                        let encoded = try index.thriftEncoded()
                        let again = try decode(encoded) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try ColumnIndex.decode(&d) }
                        #expect(again == index, "\(entry.file)")
                        let original = try source.read(offset: Int(offset), count: Int(length))
                        #expect(sameUpToUnmodelledFields(encoded, original), "\(entry.file) \(chunk.pathInSchema)")
                        checked += 1
                        identical += encoded == original ? 1 : 0
                    }
                    if let locations = try reader.offsetIndex(rowGroup: group, column: column),
                       let offset = chunk.offsetIndexOffset, let length = chunk.offsetIndexLength {
                        let encoded = PageLocation.offsetIndexEncoded(locations)
                        let again = try decode(encoded) { (d: inout ThriftCompactDecoder) throws(ParquetError) in
                            try PageLocation.decodeOffsetIndex(&d)
                        }
                        #expect(again == locations, "\(entry.file)")
                        let original = try source.read(offset: Int(offset), count: Int(length))
                        #expect(sameUpToUnmodelledFields(encoded, original), "\(entry.file) \(chunk.pathInSchema)")
                        checked += 1
                        identical += encoded == original ? 1 : 0
                    }
                }
            }
        }
        #expect(checked > 150)
        #expect(identical > 140)
    }
}
