import ColumnarCore
import Dispatch
import Synchronization

/// Writes record batches as a Parquet file: batches of any size are buffered into row groups
/// of ``ParquetWriterOptions/rowGroupRows`` rows (or ``ParquetWriterOptions/rowGroupBytes``),
/// whose column chunks are encoded in parallel; ``close()`` writes the page indexes and footer.
///
/// ```swift
/// let writer = try ParquetFileWriter(path: "people.parquet", schema: batch.schema)
/// try writer.write(batch)
/// try writer.close()       // only now does people.parquet appear, complete
/// ```
///
/// The schema's metadata becomes the footer's key-value metadata, except `ARROW:schema`: an
/// Arrow schema carried over from another writer's file need not describe this file's columns.
///
/// To a local file the write is atomic (see ``LocalFileSink``): an error, a crash or a writer
/// released without ``close()`` leaves no file under the final name.
public final class ParquetFileWriter {
    /// The schema every batch must have.
    public let schema: Schema
    /// The layout choices.
    public let options: ParquetWriterOptions
    private let sink: any ParquetSink
    private let layout: WriterSchema
    private var position = 0
    private var pending: [RecordBatch] = []
    private var pendingRows = 0
    private var pendingBytes = 0
    private var rowGroups: [RowGroupMetadata] = []
    private var indexes: [[(ColumnIndex?, [PageLocation])]] = []
    private var totalRows: Int64 = 0
    private var closed = false

    /// Starts a file at `path`, written atomically.
    ///
    /// - Throws: ``ParquetError`` `.unsupportedFeature` for a type Parquet cannot store,
    ///   `.invalidArgument` when the file cannot be created or an option is out of range.
    public convenience init(path: String, schema: Schema, options: ParquetWriterOptions = ParquetWriterOptions()) throws(ParquetError) {
        try self.init(sink: LocalFileSink(path: path), schema: schema, options: options)
    }

    /// Starts a file written to `sink`.
    public init(sink: any ParquetSink, schema: Schema, options: ParquetWriterOptions = ParquetWriterOptions()) throws(ParquetError) {
        guard options.pageVersion == 1 || options.pageVersion == 2 else {
            sink.abort()
            throw ParquetError(code: .invalidArgument, message: "page version must be 1 or 2, not \(options.pageVersion)")
        }
        guard options.rowGroupRows > 0, options.dataPageSize > 0, options.maxRowsPerPage > 0 else {
            sink.abort()
            throw ParquetError(code: .invalidArgument, message: "row-group rows, page size and rows per page must be positive")
        }
        self.sink = sink
        self.schema = schema
        self.options = options
        do throws(ParquetError) {
            self.layout = try WriterSchema(schema)
            let paths = Set(layout.leaves.map { $0.path.joined(separator: ".") })
            for name in Set(options.columnEncodings.keys).union(options.columnCodecs.keys).union(options.plainColumns) where !paths.contains(name) {
                throw ParquetError(code: .invalidArgument,
                                   message: "the options name column \(name), which is not a leaf; leaves are \(paths.sorted().joined(separator: ", "))")
            }
            // Encodings that do not fit their column are refused now, not at the first flush.
            for leaf in layout.leaves { _ = try ColumnChunkWriter(leaf: leaf, options: options).chosenEncoding() }
            try sink.write(Array("PAR1".utf8))
        } catch {
            sink.abort()
            throw error.inFile(sink.name)
        }
        position = 4
    }

    deinit {
        if !closed { sink.abort() }
    }

    /// Appends a batch's rows.
    ///
    /// - Throws: ``ParquetError`` `.invalidArgument` when the batch's schema differs from the
    ///   writer's or a NOT NULL column holds nulls; the file is then abandoned.
    public func write(_ batch: RecordBatch) throws(ParquetError) {
        guard !closed else { throw ParquetError(code: .invalidArgument, message: "the writer is closed", context: .init(filePath: sink.name)) }
        guard batch.schema.fields.map(\.dataType) == schema.fields.map(\.dataType),
              batch.schema.fields.map(\.name) == schema.fields.map(\.name) else {
            fail()
            throw ParquetError(code: .invalidArgument, message: "batch schema \(batch.schema) differs from the file's \(schema)", context: .init(filePath: sink.name))
        }
        do {
            // Rows per part: bounded by the row-group row limit and, from the batch's average
            // row size, by the byte limit, so one huge batch still becomes several row groups.
            let batchBytes = batch.columns.reduce(0) { $0 + _estimatedBytes($1) }
            let bytesPerRow = Swift.max(1, batchBytes / Swift.max(1, batch.count))
            var offset = 0
            while offset < batch.count {
                let byRows = options.rowGroupRows - pendingRows
                let byBytes = Swift.max(1, (options.rowGroupBytes - pendingBytes) / bytesPerRow)
                let take = Swift.min(batch.count - offset, byRows, byBytes)
                let part = offset == 0 && take == batch.count ? batch : batch.slice(offset..<(offset + take))
                pending.append(part)
                pendingRows += take
                pendingBytes += take * bytesPerRow
                offset += take
                if pendingRows >= options.rowGroupRows || pendingBytes >= options.rowGroupBytes {
                    try flushRowGroup()
                }
            }
        } catch {
            // A row group may be half written: the file is abandoned, never committed short.
            fail()
            throw error.inFile(sink.name)
        }
    }

    /// Writes any buffered rows, the page indexes and the footer, and makes the file visible.
    ///
    /// - Returns: The footer as written.
    @discardableResult
    public func close() throws(ParquetError) -> FileMetadata {
        guard !closed else { throw ParquetError(code: .invalidArgument, message: "the writer is already closed", context: .init(filePath: sink.name)) }
        do {
            if pendingRows > 0 || rowGroups.isEmpty && !pending.isEmpty { try flushRowGroup() }
            try writeIndexes()
            var metadata = FileMetadata(
                version: 1, schema: layout.elements, numRows: totalRows, rowGroups: rowGroups,
                keyValueMetadata: schema.metadata.filter { $0.key != "ARROW:schema" }.sorted { $0.key < $1.key }
                    .map { KeyValue(key: $0.key, value: $0.value) },
                createdBy: options.createdBy, columnOrders: Array(repeating: .typeDefined, count: layout.leaves.count),
                hasEncryptionAlgorithm: false)
            metadata.columnOrders = layout.leaves.map { $0.physicalType == .int96 ? .int96Timestamp : .typeDefined }
            let footer = try _serialize(metadata)
            try sink.write(footer)
            let length = UInt32(footer.count)
            try sink.write([UInt8(truncatingIfNeeded: length), UInt8(truncatingIfNeeded: length >> 8),
                            UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 24)] + Array("PAR1".utf8))
            try sink.finish()
            closed = true
            return metadata
        } catch {
            fail()
            throw error.inFile(sink.name)
        }
    }

    /// Abandons the file: nothing becomes visible.
    public func abort() {
        fail()
    }

    private func fail() {
        closed = true
        pending = []
        sink.abort()
    }

    private func flushRowGroup() throws(ParquetError) {
        let batches = pending
        let rows = pendingRows
        pending = []
        pendingRows = 0
        pendingBytes = 0
        // Shred every top-level column, then encode the leaves in parallel.
        var shredded: [ShreddedLeaf] = []
        for (index, field) in schema.fields.enumerated() {
            let column: Column
            do {
                column = try Kernels.concatenate(batches.map { $0.columns[index] })
            } catch {
                throw ParquetError(code: .internalError, message: "joining batches of \(field.name): \(error)")
            }
            shredded += try ColumnShredder.shred(column, field: field)
        }
        guard shredded.count == layout.leaves.count else {
            throw ParquetError(code: .internalError, message: "\(shredded.count) leaves shredded for \(layout.leaves.count) in the schema")
        }
        let leaves = layout.leaves
        let options = self.options
        let parts = shredded
        let results = _EncodedSlots(count: leaves.count)
        let encodeOne = { @Sendable (index: Int) in
            let result: Result<EncodedChunk, ParquetError>
            do throws(ParquetError) {
                result = .success(try ColumnChunkWriter(leaf: leaves[index], options: options).encode(parts[index]))
            } catch {
                result = .failure(error)
            }
            results.store(result, at: index)
        }
        if options.parallel {
            DispatchQueue.concurrentPerform(iterations: leaves.count, execute: encodeOne)
        } else {
            for index in leaves.indices { encodeOne(index) }
        }
        var columns: [ColumnChunkMetadata] = []
        var groupIndexes: [(ColumnIndex?, [PageLocation])] = []
        let groupStart = position
        var uncompressed: Int64 = 0
        for (index, outcome) in results.all().enumerated() {
            var chunk: EncodedChunk
            switch outcome {
            case .success(let encoded): chunk = encoded
            case .failure(var error)?:
                error.context.rowGroup = rowGroups.count
                error.context.columnPath = leaves[index].path
                throw error
            case nil: throw ParquetError(code: .internalError, message: "column \(leaves[index].path.joined(separator: ".")) was not encoded")
            }
            let base = Int64(position)
            chunk.metadata.dataPageOffset += base
            chunk.metadata.dictionaryPageOffset = chunk.metadata.dictionaryPageOffset.map { $0 + base }
            for k in chunk.pageLocations.indices { chunk.pageLocations[k].offset += base }
            try sink.write(chunk.bytes)
            position += chunk.bytes.count
            uncompressed += chunk.metadata.totalUncompressedSize
            columns.append(chunk.metadata)
            groupIndexes.append((chunk.columnIndex, chunk.pageLocations))
        }
        rowGroups.append(RowGroupMetadata(
            columns: columns, totalByteSize: uncompressed, numRows: Int64(rows), fileOffset: Int64(groupStart),
            totalCompressedSize: Int64(position - groupStart), ordinal: Int16(truncatingIfNeeded: rowGroups.count)))
        indexes.append(groupIndexes)
        totalRows += Int64(rows)
    }

    /// The column indexes of every chunk, then the offset indexes, before the footer (where
    /// readers of the page index expect them), with their places recorded in the chunks.
    private func writeIndexes() throws(ParquetError) {
        for group in rowGroups.indices {
            for column in rowGroups[group].columns.indices {
                guard let index = indexes[group][column].0 else { continue }
                let bytes = try _serialize(index)
                rowGroups[group].columns[column].columnIndexOffset = Int64(position)
                rowGroups[group].columns[column].columnIndexLength = Int32(bytes.count)
                try sink.write(bytes)
                position += bytes.count
            }
        }
        for group in rowGroups.indices {
            for column in rowGroups[group].columns.indices {
                let bytes = _serializeOffsetIndex(indexes[group][column].1)
                rowGroups[group].columns[column].offsetIndexOffset = Int64(position)
                rowGroups[group].columns[column].offsetIndexLength = Int32(bytes.count)
                try sink.write(bytes)
                position += bytes.count
            }
        }
    }
}

/// Results of parallel chunk encoding, one slot per leaf.
private final class _EncodedSlots: Sendable {
    private let slots: Mutex<[Result<EncodedChunk, ParquetError>?]>
    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
    func store(_ result: Result<EncodedChunk, ParquetError>, at index: Int) { slots.withLock { $0[index] = result } }
    func all() -> [Result<EncodedChunk, ParquetError>?] { slots.withLock { $0 } }
}

/// A rough count of the bytes a column holds (for the row-group byte limit): only the part of
/// shared buffers that a slice actually references.
func _estimatedBytes(_ column: Column) -> Int {
    switch column {
    case .boolean(let c): return c.count / 8 + 1
    case .utf8(let c), .binary(let c): return Int(c.offsets[c.count] - c.offsets[0]) + 4 * c.count
    case .dictionary(let d): return 4 * d.count
    case .fixedSizeList(let f): return 4 * f.count * f.size
    case .list(let l):
        let start = Int(l.offsets[0])
        let end = Int(l.offsets[l.count])
        return 4 * l.count + _estimatedBytes(l.child.slice(start..<end))
    case .struct(let s): return s.children.reduce(0) { $0 + _estimatedBytes($1) }
    default: return column.count * (column.dataType.byteWidth ?? 8)
    }
}
