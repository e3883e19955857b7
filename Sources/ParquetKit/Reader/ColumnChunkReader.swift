import ColumnarCore

/// Decodes every page of one flat column chunk (no repeated ancestors) into a ColumnarCore
/// column: dictionary and data pages v1/v2, PLAIN and dictionary encodings, every codec.
struct ColumnChunkReader {
    let leaf: LeafColumn
    let chunk: ColumnChunkMetadata
    let context: ParquetError.Context
    /// The end of the file's column data (where the footer starts).
    let dataEnd: Int
    let maxUncompressedPage = 1 << 30
    /// Whether all-dictionary text chunks come back as ``DictionaryColumn``s.
    var keepDictionaries = true
    /// When set, only the data pages whose ordinal (0-based, data pages only) it contains are
    /// decoded; the others are skipped without decompression.
    var selectedDataPages: Set<Int>? = nil
    /// How far a page may run past the chunk's declared size: some writers (old parquet-mr,
    /// parquet-cpp) left the dictionary page header out of `total_compressed_size`.
    static let overrunAllowance = 1 << 16

    func corrupt(_ message: String, page: Int? = nil, offset: Int? = nil) -> ParquetError {
        var at = context
        at.pageIndex = page
        at.byteOffset = offset
        return ParquetError(code: .corruptFile, message: message, context: at)
    }

    func unsupported(_ message: String) -> ParquetError {
        ParquetError(code: .unsupportedFeature, message: message, context: context)
    }

    /// Reads the chunk's bytes from `source` and decodes them into a column (flat leaves).
    func read(from source: any ParquetByteSource) throws(ParquetError) -> Column {
        guard leaf.maxRepetitionLevel == 0 else { throw unsupported("a repeated leaf is read through readLevels") }
        guard case .column(let column) = try load(from: source, collectLevels: false) else {
            throw ParquetError(code: .internalError, message: "flat read produced levels", context: context)
        }
        return column
    }

    /// Reads the chunk as raw levels and present values, for nested assembly.
    func readLevels(from source: any ParquetByteSource) throws(ParquetError) -> LeafLevels {
        guard case .levels(let levels) = try load(from: source, collectLevels: true) else {
            throw ParquetError(code: .internalError, message: "nested read produced a column", context: context)
        }
        return levels
    }

    enum Loaded {
        case column(Column)
        case levels(LeafLevels)
    }

    private func load(from source: any ParquetByteSource, collectLevels: Bool) throws(ParquetError) -> Loaded {
        guard chunk.filePath == nil || chunk.filePath == "" else { throw unsupported("column data in another file (\(chunk.filePath!))") }
        guard !chunk.isEncrypted else { throw ParquetError(code: .unsupportedFeature, message: "encrypted column, no key given", context: context) }
        guard let codec = chunk.codec else { throw ParquetError(code: .unsupportedCodec, message: "unknown compression codec \(chunk.codecRawValue)", context: context) }
        let size = try source.size()
        let start = Int(clamping: chunk.startOffset)
        let length = Int(clamping: chunk.totalCompressedSize)
        guard start >= 0, length >= 0, start <= size else { throw corrupt("column chunk at \(start) lies outside the \(size)-byte file", offset: start) }
        let declared = min(length, size - start)
        // Read a little past the declared end (never into the footer) so a page that overruns
        // a miscounted chunk size still decodes; pages are only started before the declared end.
        let limit = max(declared, min(declared + ColumnChunkReader.overrunAllowance, max(0, min(dataEnd, size) - start)))
        let bytes = try source.read(offset: start, count: limit)
        return try _withBytes(bytes) { (raw) throws(ParquetError) in
            try decode(raw, declaredLength: declared, fileOffset: start, codec: codec, collectLevels: collectLevels)
        }
    }

    private func decode(_ raw: UnsafeRawBufferPointer, declaredLength: Int, fileOffset: Int, codec: CompressionCodec, collectLevels: Bool) throws(ParquetError) -> Loaded {
        var definitionLevels: [UInt16] = []
        var repetitionLevels: [UInt16] = []
        let maxRepetition = leaf.maxRepetitionLevel
        let repetitionWidth = bitWidth(forMaximum: maxRepetition)
        var values = try PhysicalValues(leaf.element.type ?? .int32)
        var dictionary: PhysicalValues.Dictionary?
        var validity = BitmapBuilder()
        var anyNull = false
        let plain = PlainDecoder(typeLength: Int(leaf.element.typeLength ?? 0), context: context)
        // Text that every page encodes with the dictionary stays dictionary-encoded: only the
        // indices are kept. A page in another encoding (a writer's fallback) materialises them.
        var dictionaryIndices: [Int32]? = keepDictionaries && !collectLevels && (try? leaf.columnarType()) == .utf8 ? [] : nil
        let maxDefinition = leaf.maxDefinitionLevel
        let definitionWidth = bitWidth(forMaximum: maxDefinition)
        var offset = 0
        var page = 0
        var dataPage = 0
        while offset < declaredLength {
            var headerDecoder = ThriftCompactDecoder(UnsafeRawBufferPointer(rebasing: raw[offset...]), fileOffset: fileOffset + offset, context: context)
            let header = try PageHeader.decode(&headerDecoder)
            let bodyStart = offset + headerDecoder.position
            let bodyLength = Int(header.compressedPageSize)
            guard bodyLength <= raw.count - bodyStart else {
                throw corrupt("page of \(bodyLength) bytes runs past the column chunk", page: page, offset: fileOffset + bodyStart)
            }
            let body = UnsafeRawBufferPointer(rebasing: raw[bodyStart..<(bodyStart + bodyLength)])
            defer {
                offset = bodyStart + bodyLength
                page += 1
            }
            var pageContext = context
            pageContext.pageIndex = page
            pageContext.byteOffset = fileOffset + bodyStart
            switch header.type {
            case .dictionaryPage:
                guard let info = header.dictionaryPage else { throw corrupt("dictionary page without its header", page: page) }
                let data = try codec.decompress(body, uncompressedSize: Int(header.uncompressedPageSize), limit: maxUncompressedPage, context: pageContext)
                var entries = try PhysicalValues(leaf.element.type ?? .int32)
                try _withBytes(data) { (d) throws(ParquetError) in try plain.decode(d, count: Int(info.numValues), into: &entries) }
                dictionary = PhysicalValues.Dictionary(entries)
            case .dataPage, .dataPageV2:
                defer { dataPage += 1 }
                if let selected = selectedDataPages, !selected.contains(dataPage) { continue }
                let numValues: Int
                let encoding: Encoding
                let definitionBytes: [UInt8]
                var repetitionBytes: [UInt8] = []
                let valueBytes: [UInt8]
                if let v1 = header.dataPage {
                    numValues = Int(v1.numValues)
                    encoding = v1.encoding
                    let data = try codec.decompress(body, uncompressedSize: Int(header.uncompressedPageSize), limit: maxUncompressedPage, context: pageContext)
                    var position = 0
                    if maxRepetition > 0 {
                        guard v1.repetitionLevelEncoding == .rle else {
                            throw unsupported("repetition levels in \(v1.repetitionLevelEncoding) are not supported")
                        }
                        guard data.count >= 4 else { throw corrupt("data page too short for its repetition levels", page: page) }
                        let length = Int(UInt32(data[0]) | UInt32(data[1]) << 8 | UInt32(data[2]) << 16 | UInt32(data[3]) << 24)
                        guard length <= data.count - 4 else { throw corrupt("repetition levels of \(length) bytes run past the page", page: page) }
                        repetitionBytes = Array(data[4..<(4 + length)])
                        position = 4 + length
                    }
                    if maxDefinition > 0 {
                        guard v1.definitionLevelEncoding == .rle else {
                            throw unsupported("definition levels in \(v1.definitionLevelEncoding) are not supported")
                        }
                        guard data.count - position >= 4 else { throw corrupt("data page too short for its definition levels", page: page) }
                        let p = position
                        let length = Int(UInt32(data[p]) | UInt32(data[p + 1]) << 8 | UInt32(data[p + 2]) << 16 | UInt32(data[p + 3]) << 24)
                        guard length <= data.count - p - 4 else { throw corrupt("definition levels of \(length) bytes run past the page", page: page) }
                        definitionBytes = Array(data[(p + 4)..<(p + 4 + length)])
                        position = p + 4 + length
                    } else {
                        definitionBytes = []
                    }
                    valueBytes = Array(data[position...])
                } else if let v2 = header.dataPageV2 {
                    numValues = Int(v2.numValues)
                    encoding = v2.encoding
                    let repetitionLength = Int(v2.repetitionLevelsByteLength)
                    let definitionLength = Int(v2.definitionLevelsByteLength)
                    guard repetitionLength + definitionLength <= body.count else {
                        throw corrupt("levels of \(repetitionLength + definitionLength) bytes exceed the page", page: page)
                    }
                    repetitionBytes = Array(body[0..<repetitionLength])
                    definitionBytes = Array(body[repetitionLength..<(repetitionLength + definitionLength)])
                    let rest = UnsafeRawBufferPointer(rebasing: body[(repetitionLength + definitionLength)...])
                    let expected = Int(header.uncompressedPageSize) - repetitionLength - definitionLength
                    guard expected >= 0 else { throw corrupt("uncompressed page size smaller than its levels", page: page) }
                    // pyarrow < 3 compressed v2 pages it flagged uncompressed: a size that does
                    // not match the header's betrays them.
                    let mislabelled = !v2.isCompressed && codec != .uncompressed && rest.count != expected
                    if (v2.isCompressed || mislabelled) && codec != .uncompressed {
                        valueBytes = try codec.decompress(rest, uncompressedSize: expected, limit: maxUncompressedPage, context: pageContext)
                    } else {
                        valueBytes = Array(rest)
                    }
                } else {
                    throw corrupt("data page without its header", page: page)
                }
                // Definition levels → validity; count the present values.
                var present = numValues
                if maxDefinition > 0 {
                    var levels = [UInt32](repeating: 0, count: numValues)
                    try _withBytes(definitionBytes) { (d) throws(ParquetError) in
                        var decoder = try RLEHybridDecoder(d, bitWidth: definitionWidth, context: pageContext)
                        try levels.withUnsafeMutableBufferPointer { (out) throws(ParquetError) in try decoder.decode(into: out) }
                    }
                    present = 0
                    if collectLevels { definitionLevels.append(contentsOf: levels.lazy.map { UInt16(truncatingIfNeeded: $0) }) }
                    for level in levels {
                        guard level <= UInt32(maxDefinition) else { throw corrupt("definition level \(level) above \(maxDefinition)", page: page) }
                        let isPresent = level == UInt32(maxDefinition)
                        validity.append(isPresent)
                        if isPresent { present += 1 } else { anyNull = true }
                    }
                } else {
                    validity.append(true, count: numValues)
                    if collectLevels { definitionLevels.append(contentsOf: repeatElement(0, count: numValues)) }
                }
                if maxRepetition > 0 {
                    var levels = [UInt32](repeating: 0, count: numValues)
                    try _withBytes(repetitionBytes) { (r) throws(ParquetError) in
                        var decoder = try RLEHybridDecoder(r, bitWidth: repetitionWidth, context: pageContext)
                        try levels.withUnsafeMutableBufferPointer { (out) throws(ParquetError) in try decoder.decode(into: out) }
                    }
                    for level in levels where level > UInt32(maxRepetition) {
                        throw corrupt("repetition level \(level) above \(maxRepetition)", page: page)
                    }
                    repetitionLevels.append(contentsOf: levels.lazy.map { UInt16(truncatingIfNeeded: $0) })
                } else if collectLevels {
                    repetitionLevels.append(contentsOf: repeatElement(0, count: numValues))
                }
                try _withBytes(valueBytes) { (v) throws(ParquetError) in
                    if var kept = dictionaryIndices {
                        if encoding == .plainDictionary || encoding == .rleDictionary, let dictionary {
                            dictionaryIndices = nil  // unique ownership while appending
                            try appendIndices(v, count: present, dictionarySize: dictionary.count, to: &kept, context: pageContext)
                            dictionaryIndices = kept
                            return
                        }
                        // Fallback page: gather what was kept so far, then decode normally.
                        if let dictionary, !kept.isEmpty {
                            let positions = kept.map { UInt32(bitPattern: $0) }
                            try positions.withUnsafeBufferPointer { (i) throws(ParquetError) in try values.appendGathered(from: dictionary, i, context: pageContext) }
                        }
                        dictionaryIndices = nil
                    }
                    try decodeValues(v, count: present, encoding: encoding, dictionary: dictionary, plain: plain, into: &values, context: pageContext)
                }
            default:
                continue  // index pages and unknown page types carry no values
            }
        }
        let rows = validity.count
        guard values.count <= rows else { throw corrupt("more values than rows in the column chunk") }
        let rowValidity = anyNull ? validity.finish() : nil
        if collectLevels {
            // Present values as a dense column (no nulls): the assembler places them.
            let dense = try ColumnConverter(leaf: leaf, context: context).column(from: values, validity: nil, rows: values.count)
            return .levels(LeafLevels(definition: definitionLevels, repetition: repetitionLevels, values: dense))
        }
        if let kept = dictionaryIndices, let strings = dictionary?.strings, values.count == 0 {
            return .column(try dictionaryColumn(kept, strings: strings, validity: rowValidity, rows: rows))
        }
        return .column(try ColumnConverter(leaf: leaf, context: context).column(from: values, validity: rowValidity, rows: rows))
    }

    /// Dictionary indices of one page, checked against the dictionary, appended to `indices`.
    private func appendIndices(_ bytes: UnsafeRawBufferPointer, count: Int, dictionarySize: Int, to indices: inout [Int32], context: ParquetError.Context) throws(ParquetError) {
        guard count > 0 else { return }
        guard let width = bytes.first else { throw ParquetError(code: .corruptFile, message: "dictionary page data lacks its bit width", context: context) }
        var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: Int(width), context: context)
        let old = indices.count
        indices.append(contentsOf: repeatElement(0, count: count))
        try indices.withUnsafeMutableBufferPointer { (all) throws(ParquetError) in
            let page = UnsafeMutableBufferPointer(rebasing: all[old...])
            try page.withMemoryRebound(to: UInt32.self) { (raw) throws(ParquetError) in try decoder.decode(into: raw) }
            let limit = UInt32(dictionarySize)
            for i in page.indices where UInt32(bitPattern: page[i]) >= limit {
                throw ParquetError(code: .corruptFile, message: "dictionary index \(UInt32(bitPattern: page[i])) outside \(dictionarySize) entries", context: context)
            }
        }
    }

    /// The chunk as a dictionary column: indices placed at the present rows.
    private func dictionaryColumn(_ present: [Int32], strings: BinaryColumn, validity: Bitmap?, rows: Int) throws(ParquetError) -> Column {
        guard present.count == (validity?.setCount ?? rows) else {
            throw corrupt("the pages hold \(present.count) values for \(validity?.setCount ?? rows) present rows")
        }
        let indices: PrimitiveColumn<Int32>
        if let validity {
            var next = 0
            let full = ValueBuffer<Int32>(unsafeUninitializedCount: rows) { out in
                for row in 0..<rows {
                    if validity[row] { out[row] = present[next]; next += 1 } else { out[row] = 0 }
                }
            }
            indices = PrimitiveColumn(values: full, validity: validity)
        } else {
            indices = PrimitiveColumn(values: ValueBuffer(present))
        }
        do {
            return .dictionary(try DictionaryColumn.validated(indices: indices, dictionary: strings))
        } catch {
            throw corrupt("dictionary indices: \(error)")
        }
    }

    private func decodeValues(
        _ bytes: UnsafeRawBufferPointer, count: Int, encoding: Encoding, dictionary: PhysicalValues.Dictionary?,
        plain: PlainDecoder, into values: inout PhysicalValues, context: ParquetError.Context
    ) throws(ParquetError) {
        switch encoding {
        case .plain:
            try plain.decode(bytes, count: count, into: &values)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw ParquetError(code: .corruptFile, message: "dictionary-encoded page before any dictionary page", context: context) }
            guard count > 0 else { return }
            guard let width = bytes.first else { throw ParquetError(code: .corruptFile, message: "dictionary page data lacks its bit width", context: context) }
            var indices = [UInt32](repeating: 0, count: count)
            var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: Int(width), context: context)
            try indices.withUnsafeMutableBufferPointer { (out) throws(ParquetError) in try decoder.decode(into: out) }
            try indices.withUnsafeBufferPointer { (i) throws(ParquetError) in try values.appendGathered(from: dictionary, i, context: context) }
        case .rle:
            guard values.type == .boolean else {
                throw ParquetError(code: .unsupportedFeature, message: "RLE values for a non-boolean column", context: context)
            }
            guard bytes.count >= 4 else { throw ParquetError(code: .corruptFile, message: "RLE booleans lack their length", context: context) }
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)))
            guard length <= bytes.count - 4 else { throw ParquetError(code: .corruptFile, message: "RLE booleans run past the page", context: context) }
            var decoded = [UInt32](repeating: 0, count: count)
            var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: bytes[4..<(4 + length)]), bitWidth: 1, context: context)
            try decoded.withUnsafeMutableBufferPointer { (out) throws(ParquetError) in try decoder.decode(into: out) }
            for bit in decoded { values.booleans.append(bit == 1) }
        case .deltaBinaryPacked:
            var decoder = DeltaBinaryPackedDecoder(bytes, context: context)
            let decoded = try decoder.decode(limit: count)
            guard decoded.count == count else {
                throw ParquetError(code: .corruptFile, message: "DELTA_BINARY_PACKED holds \(decoded.count) values for \(count)", context: context)
            }
            switch values.type {
            case .int32: values.int32s.append(contentsOf: decoded.lazy.map { Int32(truncatingIfNeeded: $0) })
            case .int64: values.int64s.append(contentsOf: decoded)
            default:
                throw ParquetError(code: .corruptFile, message: "DELTA_BINARY_PACKED on a non-integer column", context: context)
            }
        case .deltaLengthByteArray, .deltaByteArray:
            guard values.type == .byteArray || values.type == .fixedLenByteArray else {
                throw ParquetError(code: .corruptFile, message: "\(encoding) on a column that is not a byte array", context: context)
            }
            if encoding == .deltaLengthByteArray {
                _ = try ByteArrayDecoders.deltaLength(bytes, count: count, into: &values.bytes, context: context)
            } else {
                try ByteArrayDecoders.deltaByteArray(bytes, count: count, into: &values.bytes, context: context)
            }
        case .byteStreamSplit:
            let width: Int
            switch leaf.element.type {
            case .float?, .int32?: width = 4
            case .double?, .int64?: width = 8
            case .fixedLenByteArray?: width = Int(leaf.element.typeLength ?? 0)
            default: throw ParquetError(code: .corruptFile, message: "BYTE_STREAM_SPLIT on \(leaf.element.type.map(\.description) ?? "?")", context: context)
            }
            let joined = try ByteArrayDecoders.byteStreamSplit(bytes, count: count, width: width, context: context)
            try _withBytes(joined) { (b) throws(ParquetError) in try plain.decode(b, count: count, into: &values) }
        default:
            throw ParquetError(code: .unsupportedFeature, message: "\(encoding) encoding is not supported yet", context: context)
        }
    }
}

extension CompressionCodec {
    /// Decompresses a page body to exactly `uncompressedSize` bytes, with page coordinates on errors.
    func decompress(_ body: UnsafeRawBufferPointer, uncompressedSize: Int, limit: Int, context: ParquetError.Context) throws(ParquetError) -> [UInt8] {
        if self == .uncompressed {
            guard body.count == uncompressedSize else {
                throw ParquetError(code: .uncompressedSizeMismatch, message: "uncompressed page holds \(body.count) bytes, header says \(uncompressedSize)", context: context)
            }
            return Array(body)
        }
        do {
            return try decompress(Array(body), uncompressedSize: uncompressedSize, maxUncompressedSize: limit)
        } catch {
            var located = error
            located.context = context
            throw located
        }
    }
}

/// A nested leaf's chunk: one definition and repetition level per entry, and the present values.
struct LeafLevels: Sendable {
    var definition: [UInt16]
    var repetition: [UInt16]
    /// The values of the entries whose definition level is the leaf's maximum, in order.
    var values: Column
}
