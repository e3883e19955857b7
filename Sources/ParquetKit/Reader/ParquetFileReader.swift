import ColumnarCore
import Dispatch
import Synchronization

/// Reads a Parquet file: the footer first, then row groups of the selected columns as record
/// batches.
///
/// ```swift
/// let reader = try ParquetFileReader(source: LocalFileByteSource(path: "people.parquet"))
/// for group in 0..<reader.metadata.rowGroups.count {
///     let batch = try reader.readRowGroup(group, columns: ["name", "address.city"])
/// }
/// ```
///
/// Every physical type, logical and legacy converted type, encoding (PLAIN, dictionary, RLE,
/// DELTA_*, BYTE_STREAM_SPLIT), data page v1 and v2 and nested layout (3-level, 2-level and
/// unannotated lists, maps, structs) is read. LZO and Brotli pages and encrypted columns throw
/// ``ParquetError`` with an unsupported code; corrupt input throws a typed error naming the file,
/// row group, column, page and byte offset.
public struct ParquetFileReader: Sendable {
    /// Where the bytes come from.
    public let source: any ParquetByteSource
    /// The decoded footer.
    public let metadata: FileMetadata
    /// The leaf columns, in chunk order.
    public let leaves: [LeafColumn]
    /// The top-level fields as schema trees.
    let roots: [SchemaNode]
    /// Where the footer starts: no column data lies beyond.
    let dataEnd: Int

    /// The choices this reader makes (INT96 representation).
    public let options: ParquetReadOptions

    /// Opens a file by reading and decoding its footer.
    ///
    /// - Throws: ``ParquetError`` for a corrupt footer or schema.
    public init(source: any ParquetByteSource, options: ParquetReadOptions = ParquetReadOptions()) throws(ParquetError) {
        self.source = source
        self.options = options
        (self.metadata, self.dataEnd) = try ParquetFooter.locate(in: source)
        do throws(ParquetError) {
            var leaves = try LeafColumn.leaves(of: metadata.schema)
            for index in leaves.indices { leaves[index].int96 = options.int96 }
            self.leaves = leaves
            self.roots = try SchemaNode.tree(metadata.schema)
        } catch {
            throw error.inFile(source.name)
        }
    }

    /// Whether a top-level field is a single flat leaf.
    func isFlat(_ node: SchemaNode) -> Bool { node.isLeaf && !node.isRepeated }

    /// The top-level fields and their ColumnarCore types (lists, maps as lists of key/value
    /// structs, and structs for nested groups).
    ///
    /// - Throws: ``ParquetError`` `.unsupportedFeature` for annotations without a ColumnarCore
    ///   type.
    public func schema() throws(ParquetError) -> Schema {
        var fields: [Field] = []
        for node in roots { fields.append(try field(for: node)) }
        return Schema(fields, metadata: schemaMetadata)
    }

    /// The file's key-value metadata as schema metadata (the first value of a repeated key).
    var schemaMetadata: [String: String] {
        Dictionary(metadata.keyValueMetadata.map { ($0.key, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    /// The ColumnarCore field of a top-level schema node (pruned or whole).
    func field(for node: SchemaNode) throws(ParquetError) -> Field {
        do throws(ParquetError) {
            return try unlocatedField(for: node)
        } catch {
            throw error.inFile(source.name)
        }
    }

    private func unlocatedField(for node: SchemaNode) throws(ParquetError) -> Field {
        var metadata = node.element.annotationMetadata
        if let id = node.element.fieldID { metadata["field_id"] = String(id) }
        if isFlat(node) {
            let leaf = leaves[node.leaves[0]]
            return Field(node.element.name, try leaf.columnarType(), nullable: leaf.maxDefinitionLevel > 0, metadata: metadata)
        }
        let assembler = NestedAssembler(leaves: leaves, levels: [:], context: .init(filePath: source.name))
        return Field(node.element.name, try assembler.type(of: node), nullable: node.element.repetition != .required, metadata: metadata)
    }

    /// A top-level field to read, possibly pruned to some of its nested fields.
    struct ProjectedField {
        let node: SchemaNode
        let field: Field
    }

    /// Resolves column names to top-level fields to read.
    ///
    /// A name is a top-level field, or a dotted path of Parquet schema names into a nested one
    /// (`address.city`, `tags.list.element`): the top-level field is then read with only the
    /// named branches, as pyarrow does. Paths into the same field merge, in first-mention order.
    func projection(_ names: [String]?) throws(ParquetError) -> [ProjectedField] {
        guard let names else {
            var all: [ProjectedField] = []
            for node in roots { all.append(ProjectedField(node: node, field: try field(for: node))) }
            return all
        }
        var order: [Int] = []
        var paths: [Int: [[String]]] = [:]
        for name in names {
            let root: Int
            let rest: [String]
            if let exact = roots.firstIndex(where: { $0.element.name == name }) {
                (root, rest) = (exact, [])
            } else {
                let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                guard parts.count > 1, let top = roots.firstIndex(where: { $0.element.name == parts[0] }) else {
                    throw ParquetError(code: .invalidArgument, message: "no column \(name); columns are \(roots.map(\.element.name).joined(separator: ", "))",
                                       context: .init(filePath: source.name))
                }
                (root, rest) = (top, Array(parts.dropFirst()))
            }
            if paths[root] == nil { order.append(root) }
            paths[root, default: []].append(rest)
        }
        var projected: [ProjectedField] = []
        for root in order {
            let node = try roots[root].pruned(to: paths[root]!, file: source.name)
            projected.append(ProjectedField(node: node, field: try field(for: node)))
        }
        return projected
    }

    /// Decodes one row group's columns (all, or those named — top-level names or dotted paths
    /// into nested fields, see ``readRowGroups(_:columns:parallel:)``) into a batch, the columns in
    /// parallel across cores unless `parallel` is false.
    ///
    /// - Throws: ``ParquetError`` naming the file, row group, column, page and offset of the
    ///   first problem; `.invalidArgument` for an unknown column name or row group.
    public func readRowGroup(_ index: Int, columns names: [String]? = nil, parallel: Bool = true) throws(ParquetError) -> RecordBatch {
        try readRowGroups([index], columns: names, parallel: parallel)[0]
    }

    /// Decodes several row groups (all by default) into one batch each, spreading every
    /// (row group, column) chunk over the cores unless `parallel` is false — so one slow column
    /// does not hold the others back.
    ///
    /// A column name is a top-level field or a dotted path of Parquet schema names into one
    /// (`address.city`, `tags.list.element.name`): that top-level field is then read pruned to
    /// the named branches, so only their column chunks are decoded. A name that is itself a
    /// top-level field wins over a path.
    ///
    /// - Throws: as ``readRowGroup(_:columns:parallel:)``.
    public func readRowGroups(_ indices: [Int]? = nil, columns names: [String]? = nil, parallel: Bool = true) throws(ParquetError) -> [RecordBatch] {
        let groups = indices ?? Array(metadata.rowGroups.indices)
        for index in groups where !metadata.rowGroups.indices.contains(index) {
            throw ParquetError(code: .invalidArgument, message: "row group \(index) of \(metadata.rowGroups.count)", context: .init(filePath: source.name))
        }
        return try readRowGroups(groups, projection: try projection(names), parallel: parallel)
    }

    /// Decodes the projected fields of row groups already checked to exist.
    func readRowGroups(_ groups: [Int], projection selected: [ProjectedField], parallel: Bool) throws(ParquetError) -> [RecordBatch] {
        var jobs: [FieldJob] = []
        for index in groups {
            let group = metadata.rowGroups[index]
            guard group.columns.count == leaves.count else {
                throw ParquetError(code: .corruptFile, message: "row group has \(group.columns.count) column chunks for \(leaves.count) leaf columns",
                                   context: .init(filePath: source.name, rowGroup: index))
            }
            for projected in selected {
                let node = projected.node
                var readers: [ColumnChunkReader] = []
                for leaf in node.leaves {
                    var reader = ColumnChunkReader(
                        leaf: leaves[leaf], chunk: group.columns[leaf],
                        context: ParquetError.Context(filePath: source.name, rowGroup: index, columnPath: leaves[leaf].path,
                                                      byteOffset: Int(clamping: group.columns[leaf].startOffset)),
                        dataEnd: dataEnd)
                    reader.keepDictionaries = options.keepDictionaries
                    readers.append(reader)
                }
                jobs.append(FieldJob(node: node, flat: isFlat(node), readers: readers, leaves: leaves,
                                     context: ParquetError.Context(filePath: source.name, rowGroup: index, columnPath: [node.element.name],
                                                                   byteOffset: node.leaves.first.map { Int(clamping: group.columns[$0].startOffset) })))
            }
        }
        let source = self.source
        let decoded = parallel ? _decodeInParallel(jobs, source: source) : _decodeSerially(jobs, source: source)
        let schema = Schema(selected.map(\.field), metadata: schemaMetadata)
        var batches: [RecordBatch] = []
        for (ordinal, index) in groups.enumerated() {
            var columns: [Column] = []
            for slot in 0..<selected.count { columns.append(try decoded[ordinal * selected.count + slot].get()) }
            let rows = columns.first?.count ?? Int(clamping: metadata.rowGroups[index].numRows)
            for (projected, column) in zip(selected, columns) where column.count != rows {
                throw ParquetError(code: .corruptFile, message: "column has \(column.count) rows where others have \(rows)",
                                   context: .init(filePath: source.name, rowGroup: index, columnPath: [projected.node.element.name]))
            }
            do {
                batches.append(try RecordBatch(schema: schema, columns: columns, count: rows))
            } catch {
                throw ParquetError(code: .corruptFile, message: "decoded columns disagree with the schema: \(error)", context: .init(filePath: source.name, rowGroup: index))
            }
        }
        return batches
    }
}

/// Results of parallel chunk decoding, one slot per job.
private final class _DecodedSlots: Sendable {
    let slots: Mutex<[Result<Column, ParquetError>?]>
    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
}

/// Decodes the jobs one after the other on the calling thread.
private func _decodeSerially(_ jobs: [FieldJob], source: any ParquetByteSource) -> [Result<Column, ParquetError>] {
    var results: [Result<Column, ParquetError>] = []
    for job in jobs {
        do throws(ParquetError) {
            results.append(.success(try job.run(source)))
        } catch {
            results.append(.failure(error))
        }
    }
    return results
}

/// Decodes every job on the available cores (Dispatch's concurrentPerform sizes the width).
private func _decodeInParallel(_ jobs: [FieldJob], source: any ParquetByteSource) -> [Result<Column, ParquetError>] {
    let results = _DecodedSlots(count: jobs.count)
    DispatchQueue.concurrentPerform(iterations: jobs.count) { job in
        let result: Result<Column, ParquetError>
        do throws(ParquetError) {
            result = .success(try jobs[job].run(source))
        } catch {
            result = .failure(error)
        }
        results.slots.withLock { $0[job] = result }
    }
    return results.slots.withLock { slots in
        slots.map { $0 ?? .failure(ParquetError(code: .internalError, message: "a column chunk was not decoded")) }
    }
}

/// The decoding of one top-level field in one row group: a flat chunk, or the chunks of every
/// leaf below a nested field assembled into lists and structs.
struct FieldJob: Sendable {
    let node: SchemaNode
    let flat: Bool
    let readers: [ColumnChunkReader]
    let leaves: [LeafColumn]
    let context: ParquetError.Context

    func run(_ source: any ParquetByteSource) throws(ParquetError) -> Column {
        if flat { return try readers[0].read(from: source) }
        var levels: [Int: LeafLevels] = [:]
        for (leaf, reader) in zip(node.leaves, readers) { levels[leaf] = try reader.readLevels(from: source) }
        let assembler = NestedAssembler(leaves: leaves, levels: levels, context: context)
        return try assembler.build(node, contextRepetition: 0, contextDefinition: 0)
    }
}
