import ColumnarCore

// Decoding of the footer and page-header structures from the Thrift compact protocol, field by
// field as parquet.thrift numbers them. Unknown fields are skipped; a known field id with an
// unexpected wire type is skipped too (so a newer writer's variant never breaks reading); a
// missing required field is a corrupt-file error.

extension ThriftCompactDecoder {
    func missing(_ field: String, in structure: String) -> ParquetError {
        corrupt("\(structure) lacks its required field \(field)")
    }

    mutating func readKeyValues() throws(ParquetError) -> [KeyValue] {
        try readList(.struct) { (d: inout ThriftCompactDecoder) throws(ParquetError) -> KeyValue in
            var key: String?
            var value: String?
            try d.readStruct { d, id, type throws(ParquetError) in
                switch (id, type) {
                case (1, .binary): key = try d.readString()
                case (2, .binary): value = try d.readString()
                default: try d.skip(type)
                }
            }
            guard let key else { throw d.missing("key", in: "KeyValue") }
            return KeyValue(key: key, value: value)
        }
    }

    mutating func readI32List() throws(ParquetError) -> [Int32] {
        try readList(.i32) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try d.readI32() }
    }

    /// Reads a union: the id of its one set member (whose value, a struct, is passed to `body`).
    mutating func readUnion(_ body: (inout ThriftCompactDecoder, Int16) throws(ParquetError) -> Void) throws(ParquetError) {
        try readStruct { d, id, type throws(ParquetError) in
            if type == .struct { try body(&d, id) } else { try d.skip(type) }
        }
    }
}

extension FileMetadata {
    /// Decodes a FileMetaData structure.
    static func decode(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> FileMetadata {
        var version: Int32?
        var schema: [SchemaElement]?
        var numRows: Int64?
        var rowGroups: [RowGroupMetadata]?
        var keyValues: [KeyValue] = []
        var createdBy: String?
        var columnOrders: [ColumnOrder]?
        var encrypted = false
        try d.readStruct { d, id, type throws(ParquetError) in
            switch (id, type) {
            case (1, .i32): version = try d.readI32()
            case (2, .list): schema = try d.readList(.struct) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try SchemaElement.decode(&d) }
            case (3, .i64): numRows = try d.readI64()
            case (4, .list): rowGroups = try d.readList(.struct) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try RowGroupMetadata.decode(&d) }
            case (5, .list): keyValues = try d.readKeyValues()
            case (6, .binary): createdBy = try d.readString()
            case (7, .list):
                columnOrders = try d.readList(.struct) { (d: inout ThriftCompactDecoder) throws(ParquetError) -> ColumnOrder in
                    var order = ColumnOrder.unknown(id: 0)
                    try d.readUnion { d, id throws(ParquetError) in
                        try d.skip(.struct)
                        switch id {
                        case 1: order = .typeDefined
                        case 2: order = .ieee754TotalOrder
                        case 3: order = .int96Timestamp
                        default: order = .unknown(id: Int(id))
                        }
                    }
                    return order
                }
            case (8, .struct):
                encrypted = true
                try d.skip(type)
            default: try d.skip(type)
            }
        }
        guard let version else { throw d.missing("version", in: "FileMetaData") }
        guard let schema else { throw d.missing("schema", in: "FileMetaData") }
        guard let numRows else { throw d.missing("num_rows", in: "FileMetaData") }
        guard let rowGroups else { throw d.missing("row_groups", in: "FileMetaData") }
        return FileMetadata(
            version: version, schema: schema, numRows: numRows, rowGroups: rowGroups, keyValueMetadata: keyValues,
            createdBy: createdBy, columnOrders: columnOrders, hasEncryptionAlgorithm: encrypted)
    }
}

extension SchemaElement {
    static func decode(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> SchemaElement {
        var element = SchemaElement(name: "")
        var hasName = false
        try d.readStruct { d, id, type throws(ParquetError) in
            switch (id, type) {
            case (1, .i32): element.type = PhysicalType(rawValue: try d.readI32())
            case (2, .i32): element.typeLength = try d.readI32()
            case (3, .i32): element.repetition = Repetition(rawValue: try d.readI32())
            case (4, .binary):
                element.name = try d.readString()
                hasName = true
            case (5, .i32): element.numChildren = try d.readI32()
            case (6, .i32): element.convertedType = ConvertedType(rawValue: try d.readI32())
            case (7, .i32): element.scale = try d.readI32()
            case (8, .i32): element.precision = try d.readI32()
            case (9, .i32): element.fieldID = try d.readI32()
            case (10, .struct): element.logicalType = try LogicalType.decode(&d)
            default: try d.skip(type)
            }
        }
        guard hasName else { throw d.missing("name", in: "SchemaElement") }
        return element
    }

    init(name: String) {
        self.name = name
    }
}

extension LogicalType {
    static func decode(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> LogicalType {
        var result = LogicalType.other(id: 0)
        try d.readUnion { d, id throws(ParquetError) in
            switch id {
            case 1: result = .string
            case 2: result = .map
            case 3: result = .list
            case 4: result = .enum
            case 5:
                var scale: Int32 = 0
                var precision: Int32 = 0
                try d.readStruct { d, id, type throws(ParquetError) in
                    switch (id, type) {
                    case (1, .i32): scale = try d.readI32()
                    case (2, .i32): precision = try d.readI32()
                    default: try d.skip(type)
                    }
                }
                result = .decimal(precision: Int(precision), scale: Int(scale))
                return
            case 6: result = .date
            case 7, 8:
                var utc = false
                var unit = TimeUnit.millisecond
                try d.readStruct { d, field, type throws(ParquetError) in
                    switch (field, type) {
                    case (1, .booleanTrue): utc = true
                    case (1, .booleanFalse): utc = false
                    case (2, .struct): unit = try TimeUnit.decodeParquet(&d)
                    default: try d.skip(type)
                    }
                }
                result = id == 7 ? .time(isAdjustedToUTC: utc, unit: unit) : .timestamp(isAdjustedToUTC: utc, unit: unit)
                return
            case 10:
                var bits: Int8 = 0
                var signed = true
                try d.readStruct { d, field, type throws(ParquetError) in
                    switch (field, type) {
                    case (1, .byte): bits = try d.readI8()
                    case (2, .booleanTrue): signed = true
                    case (2, .booleanFalse): signed = false
                    default: try d.skip(type)
                    }
                }
                result = .integer(bitWidth: Int(bits), isSigned: signed)
                return
            case 11: result = .unknown
            case 12: result = .json
            case 13: result = .bson
            case 14: result = .uuid
            case 15: result = .float16
            case 16: result = .variant
            case 17: result = .geometry
            case 18: result = .geography
            default: result = .other(id: Int(id))
            }
            try d.skip(.struct)
        }
        return result
    }
}

extension TimeUnit {
    static func decodeParquet(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> TimeUnit {
        var unit = TimeUnit.millisecond
        try d.readUnion { d, id throws(ParquetError) in
            switch id {
            case 2: unit = .microsecond
            case 3: unit = .nanosecond
            default: unit = .millisecond
            }
            try d.skip(.struct)
        }
        return unit
    }
}

extension RowGroupMetadata {
    static func decode(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> RowGroupMetadata {
        var columns: [ColumnChunkMetadata]?
        var totalByteSize: Int64 = 0
        var numRows: Int64?
        var group = RowGroupMetadata(columns: [], totalByteSize: 0, numRows: 0)
        try d.readStruct { d, id, type throws(ParquetError) in
            switch (id, type) {
            case (1, .list): columns = try d.readList(.struct) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try ColumnChunkMetadata.decode(&d) }
            case (2, .i64): totalByteSize = try d.readI64()
            case (3, .i64): numRows = try d.readI64()
            case (5, .i64): group.fileOffset = try d.readI64()
            case (6, .i64): group.totalCompressedSize = try d.readI64()
            case (7, .i16): group.ordinal = try d.readI16()
            default: try d.skip(type)
            }
        }
        guard let columns else { throw d.missing("columns", in: "RowGroup") }
        guard let numRows else { throw d.missing("num_rows", in: "RowGroup") }
        group.columns = columns
        group.totalByteSize = totalByteSize
        group.numRows = numRows
        return group
    }
}

extension ColumnChunkMetadata {
    static func decode(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> ColumnChunkMetadata {
        var chunk: ColumnChunkMetadata?
        var filePath: String?
        var offsets: (Int64?, Int32?, Int64?, Int32?) = (nil, nil, nil, nil)
        var encrypted = false
        try d.readStruct { d, id, type throws(ParquetError) in
            switch (id, type) {
            case (1, .binary): filePath = try d.readString()
            case (3, .struct): chunk = try ColumnChunkMetadata.decodeColumnMetaData(&d)
            case (4, .i64): offsets.0 = try d.readI64()
            case (5, .i32): offsets.1 = try d.readI32()
            case (6, .i64): offsets.2 = try d.readI64()
            case (7, .i32): offsets.3 = try d.readI32()
            case (8, .struct), (9, .binary):
                encrypted = true
                try d.skip(type)
            default: try d.skip(type)
            }
        }
        guard var chunk else {
            if encrypted {
                throw ParquetError(code: .unsupportedFeature, message: "encrypted column metadata, no key given", context: d.context)
            }
            throw d.missing("meta_data", in: "ColumnChunk")
        }
        chunk.filePath = filePath
        (chunk.offsetIndexOffset, chunk.offsetIndexLength, chunk.columnIndexOffset, chunk.columnIndexLength) = offsets
        chunk.isEncrypted = encrypted
        return chunk
    }

    static func decodeColumnMetaData(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> ColumnChunkMetadata {
        var type: PhysicalType?
        var encodings: [Encoding] = []
        var path: [String]?
        var codec: Int32?
        var numValues: Int64?
        var uncompressed: Int64 = 0
        var compressed: Int64 = 0
        var keyValues: [KeyValue] = []
        var dataPageOffset: Int64?
        var indexPageOffset: Int64?
        var dictionaryPageOffset: Int64?
        var statistics: ColumnStatistics?
        try d.readStruct { d, id, fieldType throws(ParquetError) in
            switch (id, fieldType) {
            case (1, .i32): type = PhysicalType(rawValue: try d.readI32())
            case (2, .list): encodings = try d.readI32List().map(Encoding.init(rawValue:))
            case (3, .list): path = try d.readList(.binary) { (d: inout ThriftCompactDecoder) throws(ParquetError) in try d.readString() }
            case (4, .i32): codec = try d.readI32()
            case (5, .i64): numValues = try d.readI64()
            case (6, .i64): uncompressed = try d.readI64()
            case (7, .i64): compressed = try d.readI64()
            case (8, .list): keyValues = try d.readKeyValues()
            case (9, .i64): dataPageOffset = try d.readI64()
            case (10, .i64): indexPageOffset = try d.readI64()
            case (11, .i64): dictionaryPageOffset = try d.readI64()
            case (12, .struct): statistics = try ColumnStatistics.decode(&d)
            default: try d.skip(fieldType)
            }
        }
        guard let type else { throw d.missing("type", in: "ColumnMetaData") }
        guard let path else { throw d.missing("path_in_schema", in: "ColumnMetaData") }
        guard let codecValue = codec else { throw d.missing("codec", in: "ColumnMetaData") }
        guard let numValues else { throw d.missing("num_values", in: "ColumnMetaData") }
        guard let dataPageOffset else { throw d.missing("data_page_offset", in: "ColumnMetaData") }
        return ColumnChunkMetadata(
            filePath: nil, type: type, encodings: encodings, pathInSchema: path, codecRawValue: codecValue,
            numValues: numValues, totalUncompressedSize: uncompressed, totalCompressedSize: compressed,
            keyValueMetadata: keyValues, dataPageOffset: dataPageOffset, indexPageOffset: indexPageOffset,
            dictionaryPageOffset: dictionaryPageOffset, statistics: statistics, offsetIndexOffset: nil,
            offsetIndexLength: nil, columnIndexOffset: nil, columnIndexLength: nil, isEncrypted: false)
    }
}

extension ColumnStatistics {
    static func decode(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> ColumnStatistics {
        var stats = ColumnStatistics()
        try d.readStruct { d, id, type throws(ParquetError) in
            switch (id, type) {
            case (1, .binary): stats.legacyMax = try d.readBinary()
            case (2, .binary): stats.legacyMin = try d.readBinary()
            case (3, .i64): stats.nullCount = try d.readI64()
            case (4, .i64): stats.distinctCount = try d.readI64()
            case (5, .binary): stats.maxValue = try d.readBinary()
            case (6, .binary): stats.minValue = try d.readBinary()
            case (7, .booleanTrue), (7, .booleanFalse): stats.isMaxValueExact = type == .booleanTrue
            case (8, .booleanTrue), (8, .booleanFalse): stats.isMinValueExact = type == .booleanTrue
            case (9, .i64): stats.nanCount = try d.readI64()
            default: try d.skip(type)
            }
        }
        return stats
    }
}

extension PageHeader {
    /// Decodes a page header.
    static func decode(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> PageHeader {
        var type: Int32?
        var uncompressed: Int32?
        var compressed: Int32?
        var header = PageHeader(type: .dataPage, uncompressedPageSize: 0, compressedPageSize: 0)
        try d.readStruct { d, id, fieldType throws(ParquetError) in
            switch (id, fieldType) {
            case (1, .i32): type = try d.readI32()
            case (2, .i32): uncompressed = try d.readI32()
            case (3, .i32): compressed = try d.readI32()
            case (4, .i32): header.crc = try d.readI32()
            case (5, .struct): header.dataPage = try DataPageHeader.decode(&d)
            case (7, .struct): header.dictionaryPage = try DictionaryPageHeader.decode(&d)
            case (8, .struct): header.dataPageV2 = try DataPageHeaderV2.decode(&d)
            default: try d.skip(fieldType)
            }
        }
        guard let type else { throw d.missing("type", in: "PageHeader") }
        guard let uncompressed, uncompressed >= 0 else { throw d.missing("a valid uncompressed_page_size", in: "PageHeader") }
        guard let compressed, compressed >= 0 else { throw d.missing("a valid compressed_page_size", in: "PageHeader") }
        header.type = PageType(rawValue: type)
        header.uncompressedPageSize = uncompressed
        header.compressedPageSize = compressed
        return header
    }

    init(type: PageType, uncompressedPageSize: Int32, compressedPageSize: Int32) {
        self.type = type
        self.uncompressedPageSize = uncompressedPageSize
        self.compressedPageSize = compressedPageSize
    }
}

extension DataPageHeader {
    static func decode(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> DataPageHeader {
        var values: Int32?
        var encoding: Int32?
        var definition: Int32 = 3
        var repetition: Int32 = 3
        var statistics: ColumnStatistics?
        try d.readStruct { d, id, type throws(ParquetError) in
            switch (id, type) {
            case (1, .i32): values = try d.readI32()
            case (2, .i32): encoding = try d.readI32()
            case (3, .i32): definition = try d.readI32()
            case (4, .i32): repetition = try d.readI32()
            case (5, .struct): statistics = try ColumnStatistics.decode(&d)
            default: try d.skip(type)
            }
        }
        guard let values, values >= 0 else { throw d.missing("a valid num_values", in: "DataPageHeader") }
        guard let encoding else { throw d.missing("encoding", in: "DataPageHeader") }
        return DataPageHeader(
            numValues: values, encoding: Encoding(rawValue: encoding), definitionLevelEncoding: Encoding(rawValue: definition),
            repetitionLevelEncoding: Encoding(rawValue: repetition), statistics: statistics)
    }
}

extension DictionaryPageHeader {
    static func decode(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> DictionaryPageHeader {
        var values: Int32?
        var encoding: Int32 = 0
        var sorted: Bool?
        try d.readStruct { d, id, type throws(ParquetError) in
            switch (id, type) {
            case (1, .i32): values = try d.readI32()
            case (2, .i32): encoding = try d.readI32()
            case (3, .booleanTrue), (3, .booleanFalse): sorted = type == .booleanTrue
            default: try d.skip(type)
            }
        }
        guard let values, values >= 0 else { throw d.missing("a valid num_values", in: "DictionaryPageHeader") }
        return DictionaryPageHeader(numValues: values, encoding: Encoding(rawValue: encoding), isSorted: sorted)
    }
}

extension DataPageHeaderV2 {
    static func decode(_ d: inout ThriftCompactDecoder) throws(ParquetError) -> DataPageHeaderV2 {
        var fields: [Int16: Int32] = [:]
        var compressed = true
        var statistics: ColumnStatistics?
        try d.readStruct { d, id, type throws(ParquetError) in
            switch (id, type) {
            case (1...6, .i32): fields[id] = try d.readI32()
            case (7, .booleanTrue), (7, .booleanFalse): compressed = type == .booleanTrue
            case (8, .struct): statistics = try ColumnStatistics.decode(&d)
            default: try d.skip(type)
            }
        }
        let names: [Int16: String] = [1: "num_values", 2: "num_nulls", 3: "num_rows", 4: "encoding",
                                      5: "definition_levels_byte_length", 6: "repetition_levels_byte_length"]
        for id in Int16(1)...6 where fields[id] == nil || (id != 4 && fields[id]! < 0) {
            throw d.missing("a valid \(names[id]!)", in: "DataPageHeaderV2")
        }
        return DataPageHeaderV2(
            numValues: fields[1]!, numNulls: fields[2]!, numRows: fields[3]!, encoding: Encoding(rawValue: fields[4]!),
            definitionLevelsByteLength: fields[5]!, repetitionLevelsByteLength: fields[6]!,
            isCompressed: compressed, statistics: statistics)
    }
}
