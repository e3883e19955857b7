import ColumnarCore

/// A column chunk encoded in memory: its bytes (pages, dictionary page first) and its metadata,
/// with every offset relative to the chunk's first byte until the file writer places it.
struct EncodedChunk {
    var bytes: [UInt8]
    var metadata: ColumnChunkMetadata
    var columnIndex: ColumnIndex?
    var pageLocations: [PageLocation]
}

/// Encodes one leaf's levels and values into pages.
struct ColumnChunkWriter {
    let leaf: WriterLeaf
    let options: ParquetWriterOptions

    func encode(_ shredded: ShreddedLeaf) throws(ParquetError) -> EncodedChunk {
        let codec = options.codec(for: leaf.path)
        let values = try PhysicalColumn(shredded.values, leaf: leaf)
        let valueEncoding = try chosenEncoding()
        let entries = shredded.entries
        var bytes: [UInt8] = []
        var encodings: Set<Int32> = [Encoding.rle.rawValue]
        var uncompressedTotal = 0

        // Dictionary: the distinct physical values in first-appearance order, while small enough.
        var dictionary: (values: PhysicalColumn, indices: ValueBuffer<UInt32>)?
        if options.dictionaryEnabled(for: leaf.path), leaf.physicalType != .boolean, values.count > 0 {
            dictionary = try buildDictionary(values)
        }
        var dictionaryPageOffset: Int64?
        if let dictionary {
            var plain: [UInt8] = []
            dictionary.values.appendPlain(0..<dictionary.values.count, to: &plain)
            let body = try compress(plain, codec)
            let header = PageHeader(
                type: .dictionaryPage, uncompressedPageSize: Int32(plain.count), compressedPageSize: Int32(body.count), crc: nil,
                dataPage: nil, dictionaryPage: DictionaryPageHeader(numValues: Int32(dictionary.values.count), encoding: .plain, isSorted: false),
                dataPageV2: nil)
            dictionaryPageOffset = 0
            var checked = header
            if options.pageChecksums { checked.crc = _crc(body) }
            let encodedHeader = _serialize(checked)
            bytes += encodedHeader
            bytes += body
            uncompressedTotal += encodedHeader.count + plain.count
            encodings.insert(Encoding.plain.rawValue)
            encodings.insert(Encoding.rleDictionary.rawValue)
        } else {
            encodings.insert(valueEncoding.rawValue)
        }

        // Pages: split at record boundaries near the target size.
        let valueWidth: Int = {
            if dictionary != nil { return 2 }
            switch values {
            case .boolean: return 1
            case .int32, .float: return 4
            case .int64, .double: return 8
            case .bytes(let c): return Swift.max(1, Int(c.offsets[c.count] - c.offsets[0]) / Swift.max(1, c.count) + 4)
            case .fixed(_, let width): return width
            }
        }()
        let entriesPerPage = Swift.max(1, Swift.min(options.maxRowsPerPage, options.dataPageSize / valueWidth))
        let definition = shredded.definition
        let repetition = shredded.repetition
        if let definition, definition.contains(where: { Int($0) > leaf.maxDefinitionLevel }) {
            throw ParquetError(code: .internalError, message: "definition levels above \(leaf.maxDefinitionLevel) for \(leaf.path.joined(separator: "."))")
        }
        var firstDataPageOffset: Int64?
        var locations: [PageLocation] = []
        var index = ColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: 0, nullCounts: [])
        var chunkStatistics: ValueStatistics?
        var start = 0
        var valueStart = 0
        var rowsBefore: Int64 = 0
        repeat {
            var end = Swift.min(entries, start + entriesPerPage)
            if let repetition { while end < entries && repetition[end] != 0 { end += 1 } }
            // Present values and rows in the page.
            var present = end - start
            if let definition {
                present = 0
                for i in start..<end where Int(definition[i]) == leaf.maxDefinitionLevel { present += 1 }
            }
            var rows = end - start
            if let repetition {
                rows = 0
                for i in start..<end where repetition[i] == 0 { rows += 1 }
            }
            let valueRange = valueStart..<(valueStart + present)
            let pageOffset = Int64(bytes.count)
            if firstDataPageOffset == nil { firstDataPageOffset = pageOffset }
            let statistics = options.statistics ? ValueStatistics(values, valueRange, leaf: leaf) : nil
            let nulls = (end - start) - present
            let (header, body, uncompressed) = try dataPage(
                values: values, dictionary: dictionary, valueRange: valueRange, definition: definition, repetition: repetition,
                levels: start..<end, rows: rows, nulls: nulls, statistics: statistics, codec: codec, valueEncoding: valueEncoding)
            var checked = header
            if options.pageChecksums { checked.crc = _crc(body) }
            let encodedHeader = _serialize(checked)
            bytes += encodedHeader
            bytes += body
            uncompressedTotal += encodedHeader.count + uncompressed
            locations.append(PageLocation(offset: pageOffset, compressedPageSize: Int32(encodedHeader.count + body.count), firstRowIndex: rowsBefore))
            index.nullPages.append(present == 0)
            index.minValues.append(statistics?.min ?? [])
            index.maxValues.append(statistics?.max ?? [])
            index.nullCounts?.append(Int64(nulls))
            if let statistics {
                if var merged = chunkStatistics {
                    merged.merge(statistics, values: values, leaf: leaf)
                    chunkStatistics = merged
                } else {
                    chunkStatistics = statistics
                }
            }
            rowsBefore += Int64(rows)
            valueStart += present
            start = end
        } while start < entries
        encodings.insert((dictionary != nil ? Encoding.rleDictionary : valueEncoding).rawValue)

        var statistics = ColumnStatistics()
        statistics.nullCount = Int64(entries - values.count)
        // Free with a dictionary (its entries are the distinct physical values).
        if let dictionary, leaf.physicalType != .float, leaf.physicalType != .double { statistics.distinctCount = Int64(dictionary.values.count) }
        if let chunkStatistics {
            statistics.minValue = chunkStatistics.min
            statistics.maxValue = chunkStatistics.max
            statistics.isMinValueExact = chunkStatistics.minIsExact
            statistics.isMaxValueExact = chunkStatistics.maxIsExact
            // The legacy min/max fields use signed order: fill them only where that agrees.
            let signedOrder = [PhysicalType.int32, .int64, .float, .double].contains(leaf.physicalType)
                && !(leaf.logicalType.map(_isUnsignedOrDecimal) ?? false)
            if signedOrder {
                statistics.legacyMin = chunkStatistics.min
                statistics.legacyMax = chunkStatistics.max
            }
        }
        let metadata = ColumnChunkMetadata(
            filePath: nil, type: leaf.physicalType, encodings: encodings.sorted().map(Encoding.init(rawValue:)), pathInSchema: leaf.path,
            codecRawValue: codec.rawValue, numValues: Int64(entries), totalUncompressedSize: Int64(uncompressedTotal),
            totalCompressedSize: Int64(bytes.count), keyValueMetadata: [], dataPageOffset: firstDataPageOffset ?? 0, indexPageOffset: nil,
            dictionaryPageOffset: dictionaryPageOffset, statistics: options.statistics ? statistics : nil, offsetIndexOffset: nil,
            offsetIndexLength: nil, columnIndexOffset: nil, columnIndexLength: nil, isEncrypted: false)
        // A page with values but no min/max (all NaN) cannot be described: no column index then.
        let describable = zip(index.nullPages, index.minValues).allSatisfy { $0 || !$1.isEmpty }
        return EncodedChunk(bytes: bytes, metadata: metadata,
                            columnIndex: options.statistics && leaf.physicalType != .int96 && describable ? index : nil,
                            pageLocations: locations)
    }

    /// The distinct values and each value's index, unless the dictionary would exceed the
    /// configured limit (then PLAIN is used: a dictionary that large saves little).
    private func buildDictionary(_ values: PhysicalColumn) throws(ParquetError) -> (values: PhysicalColumn, indices: ValueBuffer<UInt32>)? {
        let identity = values.identityColumn
        // A sample first: when its distinct values, extrapolated to the chunk, would already
        // overflow the dictionary limit, skip hashing the rest (mostly unique columns).
        let sample = Swift.min(values.count, 32_768)
        if sample < values.count {
            let sampled = try groups(identity.slice(0..<sample))
            let width = Swift.max(1, PhysicalColumn.plainSize(values) / Swift.max(1, values.count))
            let projected = Double(sampled.groupCount) / Double(sample) * Double(values.count) * Double(width)
            if projected > Double(options.dictionaryPageSizeLimit) * 1.5 { return nil }
        }
        let groups = try groups(identity)
        let distinct = values.taking(groups.representatives)
        var size = 0
        switch distinct {
        case .bytes(let c): size = c.bytes.count + 4 * c.count
        case .fixed(let v, _): size = v.count
        case .int32, .float: size = 4 * distinct.count
        default: size = 8 * distinct.count
        }
        guard size <= options.dictionaryPageSizeLimit, groups.groupCount <= Int(Int32.max) else { return nil }
        // Worth it only when values repeat.
        guard groups.groupCount < values.count || values.count < 2 else { return nil }
        return (distinct, groups.ids)
    }

    /// The value encoding of pages without a dictionary, checked against the physical type.
    func chosenEncoding() throws(ParquetError) -> Encoding {
        guard let chosen = options.columnEncodings[leaf.path.joined(separator: ".")] else { return .plain }
        let allowed: [PhysicalType]
        switch chosen {
        case .plain: allowed = [.boolean, .int32, .int64, .int96, .float, .double, .byteArray, .fixedLenByteArray]
        case .deltaBinaryPacked: allowed = [.int32, .int64]
        case .deltaLengthByteArray, .deltaByteArray: allowed = [.byteArray]
        case .byteStreamSplit: allowed = [.float, .double, .int32, .int64, .fixedLenByteArray]
        default: allowed = []
        }
        guard allowed.contains(leaf.physicalType) else {
            throw ParquetError(code: .invalidArgument, message: "\(chosen) cannot encode the \(leaf.physicalType) column \(leaf.path.joined(separator: "."))")
        }
        return chosen
    }

    private func encodeValues(_ values: PhysicalColumn, _ range: Range<Int>, _ encoding: Encoding, into out: inout [UInt8]) {
        switch (encoding, values) {
        case (.deltaBinaryPacked, .int32(let v)):
            v.withUnsafeBufferPointer { DeltaEncoders.binaryPacked(UnsafeBufferPointer(rebasing: $0[range]), into: &out) }
        case (.deltaBinaryPacked, .int64(let v)):
            v.withUnsafeBufferPointer { DeltaEncoders.binaryPacked(UnsafeBufferPointer(rebasing: $0[range]), into: &out) }
        case (.deltaLengthByteArray, .bytes(let c)):
            DeltaEncoders.lengthByteArray(BinaryColumnRange(column: c, range: range), into: &out)
        case (.deltaByteArray, .bytes(let c)):
            DeltaEncoders.byteArray(BinaryColumnRange(column: c, range: range), into: &out)
        case (.byteStreamSplit, _):
            var plain: [UInt8] = []
            values.appendPlain(range, to: &plain)
            DeltaEncoders.byteStreamSplit(plain, width: range.isEmpty ? 0 : plain.count / range.count, into: &out)
        default:
            values.appendPlain(range, to: &out)
        }
    }

    private func groups(_ column: Column) throws(ParquetError) -> GroupIDs {
        do {
            return try Kernels.groupIDs([column])
        } catch {
            throw ParquetError(code: .internalError, message: "dictionary for \(leaf.path.joined(separator: ".")): \(error)")
        }
    }

    private func compress(_ bytes: [UInt8], _ codec: CompressionCodec) throws(ParquetError) -> [UInt8] {
        if codec == .uncompressed { return bytes }
        return try codec.compress(bytes, level: options.compressionLevel(for: leaf.path))
    }

    /// One data page (v1 or v2) with its header; returns the uncompressed size of the body.
    private func dataPage(
        values: PhysicalColumn, dictionary: (values: PhysicalColumn, indices: ValueBuffer<UInt32>)?, valueRange: Range<Int>,
        definition: [UInt16]?, repetition: [UInt16]?, levels: Range<Int>, rows: Int, nulls: Int,
        statistics: ValueStatistics?, codec: CompressionCodec, valueEncoding: Encoding
    ) throws(ParquetError) -> (PageHeader, [UInt8], Int) {
        func levelBytes(_ source: [UInt16]?, maximum: Int, prefixed: Bool) -> [UInt8] {
            guard let source, maximum > 0 else { return [] }
            let widened = source[levels].map { UInt32($0) }
            var out: [UInt8] = []
            widened.withUnsafeBufferPointer { buffer in
                if prefixed {
                    RLEHybridEncoder.encodeWithLength(buffer, bitWidth: _bitWidth(maximum), into: &out)
                } else {
                    RLEHybridEncoder.encode(buffer, bitWidth: _bitWidth(maximum), into: &out)
                }
            }
            return out
        }
        var valueBytes: [UInt8] = []
        let encoding: Encoding
        if let dictionary {
            let width = Swift.max(1, _bitWidth(dictionary.values.count - 1))
            valueBytes.append(UInt8(width))
            dictionary.indices.withUnsafeBufferPointer { all in
                RLEHybridEncoder.encode(UnsafeBufferPointer(rebasing: all[valueRange]), bitWidth: width, into: &valueBytes)
            }
            encoding = .rleDictionary
        } else {
            encodeValues(values, valueRange, valueEncoding, into: &valueBytes)
            encoding = valueEncoding
        }
        var pageStatistics: ColumnStatistics?
        if let statistics {
            var s = ColumnStatistics()
            s.nullCount = Int64(nulls)
            s.minValue = statistics.min
            s.maxValue = statistics.max
            pageStatistics = s
        } else if options.statistics {
            var s = ColumnStatistics()
            s.nullCount = Int64(nulls)
            pageStatistics = s
        }
        let count = levels.count
        if options.pageVersion == 2 {
            let repetitionBytes = levelBytes(repetition, maximum: leaf.maxRepetitionLevel, prefixed: false)
            let definitionBytes = levelBytes(definition, maximum: leaf.maxDefinitionLevel, prefixed: false)
            let compressed = try compress(valueBytes, codec)
            let header = PageHeader(
                type: .dataPageV2, uncompressedPageSize: Int32(repetitionBytes.count + definitionBytes.count + valueBytes.count),
                compressedPageSize: Int32(repetitionBytes.count + definitionBytes.count + compressed.count), crc: nil,
                dataPage: nil, dictionaryPage: nil,
                dataPageV2: DataPageHeaderV2(
                    numValues: Int32(count), numNulls: Int32(nulls), numRows: Int32(rows), encoding: encoding,
                    definitionLevelsByteLength: Int32(definitionBytes.count), repetitionLevelsByteLength: Int32(repetitionBytes.count),
                    isCompressed: codec != .uncompressed, statistics: pageStatistics))
            return (header, repetitionBytes + definitionBytes + compressed, repetitionBytes.count + definitionBytes.count + valueBytes.count)
        }
        let body = levelBytes(repetition, maximum: leaf.maxRepetitionLevel, prefixed: true)
            + levelBytes(definition, maximum: leaf.maxDefinitionLevel, prefixed: true) + valueBytes
        let compressed = try compress(body, codec)
        let header = PageHeader(
            type: .dataPage, uncompressedPageSize: Int32(body.count), compressedPageSize: Int32(compressed.count), crc: nil,
            dataPage: DataPageHeader(numValues: Int32(count), encoding: encoding, definitionLevelEncoding: .rle,
                                     repetitionLevelEncoding: .rle, statistics: pageStatistics),
            dictionaryPage: nil, dataPageV2: nil)
        return (header, compressed, body.count)
    }
}

extension ValueStatistics {
    /// Widens these statistics to cover `other` as well (same leaf).
    mutating func merge(_ other: ValueStatistics, values: PhysicalColumn, leaf: WriterLeaf) {
        // Compare through a two-value physical column so the leaf's order applies.
        func pick(_ a: [UInt8], _ b: [UInt8], wantMax: Bool) -> [UInt8] {
            guard let both = ValueStatistics.pair(a, b, like: values, leaf: leaf) else { return a }
            return wantMax ? both.max : both.min
        }
        let newMin = pick(min, other.min, wantMax: false)
        let newMax = pick(max, other.max, wantMax: true)
        minIsExact = newMin == min ? minIsExact : other.minIsExact
        maxIsExact = newMax == max ? maxIsExact : other.maxIsExact
        min = newMin
        max = newMax
    }

    /// Statistics of the two values `a` and `b` (statistics bytes of `values`' kind).
    static func pair(_ a: [UInt8], _ b: [UInt8], like values: PhysicalColumn, leaf: WriterLeaf) -> ValueStatistics? {
        func fixed<T: BitwiseCopyable>(_: T.Type) -> ValueBuffer<T>? {
            guard a.count == MemoryLayout<T>.size, b.count == a.count else { return nil }
            return ValueBuffer<T>(unsafeUninitializedCount: 2) { out in
                out[0] = a.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
                out[1] = b.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
            }
        }
        let pair: PhysicalColumn?
        switch values {
        case .boolean: pair = .boolean(Bitmap([a.first == 1, b.first == 1]), count: 2)
        case .int32: pair = fixed(Int32.self).map(PhysicalColumn.int32)
        case .int64: pair = fixed(Int64.self).map(PhysicalColumn.int64)
        case .float: pair = fixed(Float.self).map(PhysicalColumn.float)
        case .double: pair = fixed(Double.self).map(PhysicalColumn.double)
        case .bytes: pair = .bytes(BinaryColumn(bytes: [a, b]))
        case .fixed(_, let width): pair = a.count == width && b.count == width ? .fixed(ValueBuffer(a + b), width: width) : nil
        }
        guard let pair, var result = ValueStatistics(pair, 0..<2, leaf: leaf) else { return nil }
        if case .bytes = values {
            // Already truncated inputs: keep them as they are.
            result.min = a.lexicographicallyPrecedes(b) ? a : b
            result.max = a.lexicographicallyPrecedes(b) ? b : a
        }
        return result
    }
}

/// Whether statistics in the legacy (signed) fields would mislead old readers.
func _isUnsignedOrDecimal(_ type: LogicalType) -> Bool {
    switch type {
    case .integer(_, let signed): return !signed
    case .decimal: return true
    default: return false
    }
}

/// Bits needed for values up to `maximum`.
func _bitWidth(_ maximum: Int) -> Int {
    maximum <= 0 ? 0 : Int.bitWidth - maximum.leadingZeroBitCount
}

/// The CRC-32 of a page body, as the header's signed 32-bit field stores it.
func _crc(_ body: [UInt8]) -> Int32 {
    Int32(bitPattern: body.withUnsafeBytes { LibCRC32.checksum($0) })
}
