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
        // Pooled memory: chunk after chunk reuses the same (already faulted-in) blocks.
        let bytes = ScratchBuffer(byteCount: limit)
        try source.read(offset: start, into: bytes.bytes)
        return try withExtendedLifetime(bytes) { () throws(ParquetError) in
            try decode(UnsafeRawBufferPointer(bytes.bytes), declaredLength: declared, fileOffset: start, codec: codec, collectLevels: collectLevels)
        }
    }

    private func decode(_ raw: UnsafeRawBufferPointer, declaredLength: Int, fileOffset: Int, codec: CompressionCodec, collectLevels: Bool) throws(ParquetError) -> Loaded {
        var definitionLevels: [UInt16] = []
        var repetitionLevels: [UInt16] = []
        let maxRepetition = leaf.maxRepetitionLevel
        let repetitionWidth = bitWidth(forMaximum: maxRepetition)
        let keepsIndices = keepDictionaries && !collectLevels && (try? leaf.columnarType()) == .utf8
        // The footer's value count is a hint for the first allocation only (it may be wrong).
        let expected = Int(clamping: Swift.max(0, Swift.min(chunk.numValues, 1 << 24)))
        // Byte arrays: the uncompressed size bounds PLAIN value bytes (also a hint only).
        let expectedBytes = Int(clamping: Swift.max(0, Swift.min(chunk.totalUncompressedSize, 1 << 28)))
        var values = try PhysicalValues(leaf.element.type ?? .int32, capacity: expected, byteCapacity: expectedBytes)
        // INT32 annotated as a narrower integer: each page's values are range-checked as they
        // arrive, so an error names the page.
        let narrowRange: (type: DataType, range: ClosedRange<Int64>, unsigned: Bool)?
        switch values.type == .int32 ? try? leaf.columnarType() : nil {
        case .int8?: narrowRange = (.int8, -128...127, false)
        case .int16?: narrowRange = (.int16, -32_768...32_767, false)
        case .uint8?: narrowRange = (.uint8, 0...255, true)
        case .uint16?: narrowRange = (.uint16, 0...65_535, true)
        default: narrowRange = nil
        }
        let widensDecimals: Bool
        if case .decimal128? = try? leaf.columnarType(), values.type == .int32 || values.type == .int64 {
            widensDecimals = true
            values.decimals.reserveCapacity(expected)
            values.int32s = ValueBufferBuilder()
            values.int64s = ValueBufferBuilder()
        } else {
            widensDecimals = false
        }
        var dictionary: PhysicalValues.Dictionary?
        var validity = BitmapBuilder(capacity: expected)
        var anyNull = false
        let plain = PlainDecoder(typeLength: Int(leaf.element.typeLength ?? 0), context: context)
        // Text that every page encodes with the dictionary stays dictionary-encoded: only the
        // indices are kept. A page in another encoding (a writer's fallback) materialises them.
        var dictionaryIndices: ValueBufferBuilder<Int32>? = keepsIndices ? ValueBufferBuilder(capacity: expected) : nil
        let maxDefinition = leaf.maxDefinitionLevel
        let definitionWidth = bitWidth(forMaximum: maxDefinition)
        // One decompression buffer and one level buffer for all pages of the chunk.
        let scratch = _PageScratch()
        var levels: [UInt32] = []
        var offset = 0
        var page = 0
        var dataPage = 0
        while offset < declaredLength {
            var headerDecoder = ThriftCompactDecoder(UnsafeRawBufferPointer(rebasing: raw[offset...]), fileOffset: fileOffset + offset, context: context)
            let header = try PageHeader.decode(&headerDecoder)
            let bodyStart = offset + headerDecoder.position
            let bodyLength = Int(header.compressedPageSize)
            guard bodyLength >= 0, bodyLength <= raw.count - bodyStart else {
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
                guard let info = header.dictionaryPage else { throw corrupt("dictionary page without its header", page: page, offset: fileOffset + bodyStart) }
                let data = try codec.decompress(body, uncompressedSize: Int(header.uncompressedPageSize), limit: maxUncompressedPage, context: pageContext)
                var entries = try PhysicalValues(leaf.element.type ?? .int32)
                try _withBytes(data) { (d) throws(ParquetError) in try plain.decode(d, count: Int(info.numValues), into: &entries) }
                dictionary = PhysicalValues.Dictionary(entries)
            case .dataPage, .dataPageV2:
                defer { dataPage += 1 }
                if let selected = selectedDataPages, !selected.contains(dataPage) { continue }
                let page = try splitDataPage(header, body: body, codec: codec, scratch: scratch, context: pageContext)
                let numValues = page.numValues
                // Definition levels → validity; count the present values.
                var present = numValues
                if maxDefinition > 0 {
                    if levels.count < numValues { levels = [UInt32](repeating: 0, count: numValues) }
                    var decoder = try RLEHybridDecoder(page.definitionLevels, bitWidth: definitionWidth, context: pageContext)
                    try levels.withUnsafeMutableBufferPointer { (all) throws(ParquetError) in
                        try decoder.decode(into: UnsafeMutableBufferPointer(rebasing: all[..<numValues]))
                    }
                    if collectLevels { definitionLevels.append(contentsOf: levels[..<numValues].lazy.map { UInt16(truncatingIfNeeded: $0) }) }
                    present = try appendValidity(levels, count: numValues, maxDefinition: maxDefinition, to: &validity, context: pageContext)
                    if present < numValues { anyNull = true }
                } else {
                    validity.append(true, count: numValues)
                    if collectLevels { definitionLevels.append(contentsOf: repeatElement(0, count: numValues)) }
                }
                if maxRepetition > 0 {
                    var repetition = [UInt32](repeating: 0, count: numValues)
                    var decoder = try RLEHybridDecoder(page.repetitionLevels, bitWidth: repetitionWidth, context: pageContext)
                    try repetition.withUnsafeMutableBufferPointer { (out) throws(ParquetError) in try decoder.decode(into: out) }
                    for level in repetition where level > UInt32(maxRepetition) {
                        throw ParquetError(code: .corruptFile, message: "repetition level \(level) above \(maxRepetition)", context: pageContext)
                    }
                    if repetitionLevels.isEmpty, let first = repetition.first, first != 0 {
                        throw ParquetError(code: .corruptFile, message: "the chunk's first repetition level is \(first): a column chunk must start a new record", context: pageContext)
                    }
                    repetitionLevels.append(contentsOf: repetition.lazy.map { UInt16(truncatingIfNeeded: $0) })
                } else if collectLevels {
                    repetitionLevels.append(contentsOf: repeatElement(0, count: numValues))
                }
                let v = page.values
                if var kept = dictionaryIndices {
                    if page.encoding == .plainDictionary || page.encoding == .rleDictionary, let dictionary {
                        dictionaryIndices = nil  // unique ownership while appending
                        try appendIndices(v, count: present, dictionarySize: dictionary.count, to: &kept, context: pageContext)
                        dictionaryIndices = kept
                        continue
                    }
                    // Fallback page: gather what was kept so far, then decode normally.
                    if let dictionary, kept.count > 0 {
                        let positions = kept.withUnsafeBufferPointer { $0.map { UInt32(bitPattern: $0) } }
                        try positions.withUnsafeBufferPointer { (i) throws(ParquetError) in try values.appendGathered(from: dictionary, i, context: pageContext) }
                    }
                    dictionaryIndices = nil
                }
                let before = values.int32s.count
                try decodeValues(v, count: present, encoding: page.encoding, dictionary: dictionary, plain: plain, into: &values, context: pageContext)
                if widensDecimals { values.widenDecimals() }
                if let narrow = narrowRange, let bad = _firstOutside(narrow, values.int32s, from: before) {
                    throw ParquetError(code: .corruptFile, message: "value \(bad) does not fit \(narrow.type)", context: pageContext)
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
        if var kept = dictionaryIndices, let strings = dictionary?.strings, values.count == 0 {
            return .column(try dictionaryColumn(kept.finish(), strings: strings, validity: rowValidity, rows: rows))
        }
        return .column(try ColumnConverter(leaf: leaf, context: context).column(from: values, validity: rowValidity, rows: rows))
    }

    /// The most values one data page may declare (its level buffer is allocated up front).
    static let maxValuesPerPage = 1 << 26

    /// A data page's parts, pointing into the chunk's bytes or into `scratch` (valid until the
    /// next page is split).
    struct DataPageParts {
        var numValues: Int
        var encoding: Encoding
        var repetitionLevels: UnsafeRawBufferPointer
        var definitionLevels: UnsafeRawBufferPointer
        var values: UnsafeRawBufferPointer
    }

    /// Decompresses a data page (v1 or v2) as needed and splits it into levels and values.
    private func splitDataPage(
        _ header: PageHeader, body: UnsafeRawBufferPointer, codec: CompressionCodec, scratch: _PageScratch,
        context: ParquetError.Context
    ) throws(ParquetError) -> DataPageParts {
        func corrupt(_ message: String) -> ParquetError {
            ParquetError(code: .corruptFile, message: message, context: context)
        }
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        if let v1 = header.dataPage {
            let numValues = Int(v1.numValues)
            guard numValues <= Self.maxValuesPerPage else { throw corrupt("data page declares \(numValues) values, more than \(Self.maxValuesPerPage)") }
            let data = try scratch.decompress(body, codec: codec, uncompressedSize: Int(header.uncompressedPageSize), limit: maxUncompressedPage, context: context)
            var parts = DataPageParts(numValues: numValues, encoding: v1.encoding, repetitionLevels: empty, definitionLevels: empty, values: empty)
            var position = 0
            func lengthPrefixed(_ what: String) throws(ParquetError) -> UnsafeRawBufferPointer {
                guard data.count - position >= 4 else { throw corrupt("data page too short for its \(what) levels") }
                let length = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                guard length <= data.count - position - 4 else { throw corrupt("\(what) levels of \(length) bytes run past the page") }
                defer { position += 4 + length }
                return UnsafeRawBufferPointer(rebasing: data[(position + 4)..<(position + 4 + length)])
            }
            if leaf.maxRepetitionLevel > 0 {
                guard v1.repetitionLevelEncoding == .rle else {
                    throw ParquetError(code: .unsupportedFeature, message: "repetition levels in \(v1.repetitionLevelEncoding) are not supported", context: context)
                }
                parts.repetitionLevels = try lengthPrefixed("repetition")
            }
            if leaf.maxDefinitionLevel > 0 {
                guard v1.definitionLevelEncoding == .rle else {
                    throw ParquetError(code: .unsupportedFeature, message: "definition levels in \(v1.definitionLevelEncoding) are not supported", context: context)
                }
                parts.definitionLevels = try lengthPrefixed("definition")
            }
            parts.values = UnsafeRawBufferPointer(rebasing: data[position...])
            return parts
        }
        guard let v2 = header.dataPageV2 else { throw corrupt("data page without its header") }
        let numValues = Int(v2.numValues)
        guard numValues >= 0, numValues <= Self.maxValuesPerPage else { throw corrupt("data page declares \(numValues) values") }
        let repetitionLength = Int(v2.repetitionLevelsByteLength)
        let definitionLength = Int(v2.definitionLevelsByteLength)
        guard repetitionLength >= 0, definitionLength >= 0, repetitionLength + definitionLength <= body.count else {
            throw corrupt("levels of \(repetitionLength) + \(definitionLength) bytes do not fit the \(body.count)-byte page")
        }
        let rest = UnsafeRawBufferPointer(rebasing: body[(repetitionLength + definitionLength)...])
        let expected = Int(header.uncompressedPageSize) - repetitionLength - definitionLength
        guard expected >= 0 else { throw corrupt("uncompressed page size smaller than its levels") }
        // pyarrow < 3 compressed v2 pages it flagged uncompressed: a size that does not match
        // the header's betrays them.
        let mislabelled = !v2.isCompressed && codec != .uncompressed && rest.count != expected
        let values: UnsafeRawBufferPointer
        if (v2.isCompressed || mislabelled) && codec != .uncompressed {
            values = try scratch.decompress(rest, codec: codec, uncompressedSize: expected, limit: maxUncompressedPage, context: context)
        } else {
            values = rest
        }
        return DataPageParts(
            numValues: numValues, encoding: v2.encoding,
            repetitionLevels: UnsafeRawBufferPointer(rebasing: body[0..<repetitionLength]),
            definitionLevels: UnsafeRawBufferPointer(rebasing: body[repetitionLength..<(repetitionLength + definitionLength)]),
            values: values)
    }

    /// Appends one validity bit per level (present when it is the maximum) and returns how many
    /// values are present; a level above the maximum is an error.
    private func appendValidity(
        _ levels: [UInt32], count: Int, maxDefinition: Int, to validity: inout BitmapBuilder, context: ParquetError.Context
    ) throws(ParquetError) -> Int {
        let top = UInt32(maxDefinition)
        var present = 0
        var worst: UInt32 = 0
        levels.withUnsafeBufferPointer { all in
            for i in 0..<count {
                let level = all[i]
                worst = Swift.max(worst, level)
                present &+= level == top ? 1 : 0
            }
        }
        guard worst <= top else {
            throw ParquetError(code: .corruptFile, message: "definition level \(worst) above \(maxDefinition)", context: context)
        }
        if present == count {
            validity.append(true, count: count)
        } else {
            levels.withUnsafeBufferPointer { all in
                for i in 0..<count { validity.append(all[i] == top) }
            }
        }
        return present
    }

    /// Dictionary indices of one page, checked against the dictionary, appended to `indices`.
    private func appendIndices(_ bytes: UnsafeRawBufferPointer, count: Int, dictionarySize: Int, to indices: inout ValueBufferBuilder<Int32>, context: ParquetError.Context) throws(ParquetError) {
        guard count > 0 else { return }
        guard let width = bytes.first else { throw ParquetError(code: .corruptFile, message: "dictionary page data lacks its bit width", context: context) }
        var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: Int(width), context: context)
        try indices.appendUninitialized(count: count) { (page) throws(ParquetError) in
            try page.withMemoryRebound(to: UInt32.self) { (raw) throws(ParquetError) in try decoder.decode(into: raw) }
            let limit = UInt32(dictionarySize)
            var worst: UInt32 = 0
            for i in page.indices { worst = Swift.max(worst, UInt32(bitPattern: page[i])) }
            if worst >= limit {
                throw ParquetError(code: .corruptFile, message: "dictionary index \(worst) outside \(dictionarySize) entries", context: context)
            }
        }
    }

    /// The chunk as a dictionary column: indices placed at the present rows.
    private func dictionaryColumn(_ present: ValueBuffer<Int32>, strings: BinaryColumn, validity: Bitmap?, rows: Int) throws(ParquetError) -> Column {
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
            indices = PrimitiveColumn(values: present)
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
            var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: Int(width), context: context)
            try _withIndexScratch(count: count) { (indices) throws(ParquetError) in
                try decoder.decode(into: indices)
                try values.appendGathered(from: dictionary, UnsafeBufferPointer(indices), context: context)
            }
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

/// Runs `body` on a temporary buffer of `count` dictionary indices.
func _withIndexScratch(count: Int, _ body: (UnsafeMutableBufferPointer<UInt32>) throws(ParquetError) -> Void) throws(ParquetError) {
    let indices = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: count)
    defer { indices.deallocate() }
    indices.initialize(repeating: 0)
    try body(indices)
}

/// The buffer that one column chunk's pages are decompressed into, reused from page to page.
final class _PageScratch {
    private var storage = ScratchBuffer(byteCount: 0)

    /// Decompresses `body` (or passes it through when uncompressed) and returns the page's bytes,
    /// valid until the next call.
    func decompress(
        _ body: UnsafeRawBufferPointer, codec: CompressionCodec, uncompressedSize: Int, limit: Int, context: ParquetError.Context
    ) throws(ParquetError) -> UnsafeRawBufferPointer {
        if codec == .uncompressed {
            guard body.count == uncompressedSize else {
                throw ParquetError(code: .uncompressedSizeMismatch, message: "uncompressed page holds \(body.count) bytes, header says \(uncompressedSize)", context: context)
            }
            return body
        }
        guard uncompressedSize >= 0, uncompressedSize <= limit else {
            throw ParquetError(code: .sizeLimitExceeded, message: "declared uncompressed page size \(uncompressedSize) is outside 0...\(limit)", context: context)
        }
        if storage.bytes.count < uncompressedSize {
            storage = ScratchBuffer(byteCount: Swift.max(uncompressedSize, storage.bytes.count * 2))
        }
        let target = UnsafeMutableRawBufferPointer(rebasing: storage.bytes[..<uncompressedSize])
        do {
            var span = target.mutableBytes
            try codec.decompress(body.bytes, into: &span)
        } catch {
            var located = error
            located.context = context
            throw located
        }
        return UnsafeRawBufferPointer(target)
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

/// The first value at or after `start` outside the range (unsigned types read the bits as UInt32).
func _firstOutside(_ check: (type: DataType, range: ClosedRange<Int64>, unsigned: Bool), _ values: ValueBufferBuilder<Int32>, from start: Int) -> Int64? {
    values.withUnsafeBufferPointer { all -> Int64? in
        guard start < all.count else { return nil }
        for i in start..<all.count {
            let value = check.unsigned ? Int64(UInt32(bitPattern: all[i])) : Int64(all[i])
            if !check.range.contains(value) { return value }
        }
        return nil
    }
}
