import ColumnarCore
import ParquetKit

/// A write to a Delta table whose rows arrive batch by batch, so that a file larger than memory
/// can become one commit: data files are written into the table's folder as the rows come (and
/// are invisible, since no commit names them), then ``commit(operation:parameters:transaction:)``
/// publishes them all in one version, or ``abort()`` deletes them.
///
/// ```swift
/// let write = try DeltaStagedWrite.create(in: store, at: "tables/t", schema: schema)
/// for batch in batches { try write.write(batch) }
/// let result = try write.commit()
/// ```
///
/// Not thread-safe: one writer feeds it.
public final class DeltaStagedWrite {
    /// The table written.
    public let table: DeltaTable
    /// The table's columns once the write commits, with their field ids; batches are matched to
    /// them by name.
    public let schema: Schema
    /// Rows written so far.
    public private(set) var rowsWritten: Int64 = 0

    private let snapshot: DeltaSnapshot?
    private let metadata: DeltaMetadata?
    private let protocolAction: DeltaProtocol?
    private let fileSchema: Schema
    private var adds: [DeltaAddFile] = []
    private var open: OpenFile?
    private var finished = false
    private let rowsPerFile: Int

    private struct OpenFile {
        var key: ObjectKey
        var relative: String
        var sink: ObjectStoreSink
        var writer: ParquetFileWriter
        var statistics: DeltaFileStatistics.Accumulator
        var rows: Int
    }

    private init(table: DeltaTable, schema: Schema, snapshot: DeltaSnapshot?, metadata: DeltaMetadata?, protocolAction: DeltaProtocol?,
                 rowsPerFile: Int) {
        self.table = table
        self.schema = schema
        self.snapshot = snapshot
        self.metadata = metadata
        self.protocolAction = protocolAction
        self.rowsPerFile = max(1, rowsPerFile)
        fileSchema = Schema(schema.fields.enumerated().map { k, field in
            Field(field.name, DeltaSchema.storageType(field.dataType), nullable: field.isNullable,
                  metadata: ["field_id": field.metadata[DeltaSchema.fieldIDKey] ?? String(k + 1)])
        })
    }

    /// Starts a write that creates a table at `root`; the commit is its version 0, holding the
    /// metadata and the rows together.
    ///
    /// - Throws: ``CatalogError`` `.alreadyExists` when a table exists there.
    public static func create(in store: any ObjectStore, at root: String, schema: Schema, configuration: [String: String] = [:],
                              name: String? = nil, description: String? = nil, checkpointInterval: Int = 10,
                              rowsPerFile: Int = DeltaTable.rowsPerFile) throws(CatalogError) -> DeltaStagedWrite {
        let table = try DeltaTable(store: store, root: root, checkpointInterval: checkpointInterval)
        if try table.exists() { throw CatalogError(.alreadyExists, "a Delta table exists here already", table: table.name) }
        let (metadata, protocolAction) = try table.newMetadata(schema: schema, configuration: configuration, name: name, description: description,
                                                               id: _randomUUID())
        let withIDs = try DeltaSchema.schema(from: metadata.schemaString)
        return DeltaStagedWrite(table: table, schema: withIDs, snapshot: nil, metadata: metadata, protocolAction: protocolAction,
                                rowsPerFile: rowsPerFile)
    }

    /// Starts an append to an existing table. Columns of `incoming` the table lacks are added
    /// (nullable) when `mergeSchema` is set; otherwise they are an error.
    ///
    /// - Throws: ``CatalogError`` `.schemaMismatch`, `.notFound`.
    public static func append(to table: DeltaTable, incoming: Schema, mergeSchema: Bool,
                              rowsPerFile: Int = DeltaTable.rowsPerFile) throws(CatalogError) -> DeltaStagedWrite {
        let snapshot = try table.snapshot()
        let extra = incoming.fields.filter { field in !snapshot.schema.fields.contains { $0.name.lowercased() == field.name.lowercased() } }
        guard !extra.isEmpty else {
            return DeltaStagedWrite(table: table, schema: snapshot.schema, snapshot: snapshot, metadata: nil, protocolAction: nil, rowsPerFile: rowsPerFile)
        }
        guard mergeSchema else {
            throw CatalogError(.schemaMismatch, "the rows have columns the table lacks: \(extra.map(\.name).joined(separator: ", "))", table: table.name)
        }
        let widened = Schema(snapshot.schema.fields + extra.map { Field($0.name, $0.dataType, nullable: true) })
        let (m, p) = try table.newMetadata(schema: widened, configuration: snapshot.metadata.configuration, name: snapshot.metadata.name,
                                           description: snapshot.metadata.description, id: snapshot.metadata.id, previous: snapshot.schema,
                                           previousProtocol: snapshot.protocol)
        let withIDs = try DeltaSchema.schema(from: m.schemaString)
        return DeltaStagedWrite(table: table, schema: withIDs, snapshot: snapshot, metadata: m, protocolAction: p == snapshot.protocol ? nil : p,
                                rowsPerFile: rowsPerFile)
    }

    /// Whether the write creates the table.
    public var createsTable: Bool { snapshot == nil }

    /// The version the write was based on (nil when it creates the table).
    public var readVersion: Int64? { snapshot?.version }

    /// The versions of application transactions recorded in the table read (`txn` actions).
    public var transactions: [String: Int64] { snapshot?.transactions ?? [:] }

    /// Writes rows: columns matched to ``schema`` by name (case-insensitive; missing ones null),
    /// values cast to the column types.
    public func write(_ batch: RecordBatch) throws(CatalogError) {
        guard !finished else { throw CatalogError(.invalidArgument, "the write was committed or aborted already", table: table.name) }
        guard batch.count > 0 else { return }
        let rows = try table.conform([batch], to: schema)[0]
        var start = 0
        while start < rows.count {
            if open == nil { try openFile() }
            let take = min(rows.count - start, rowsPerFile - open!.rows)
            let part = start == 0 && take == rows.count ? rows : rows.slice(start..<(start + take))
            do {
                var columns: [Column] = []
                for (k, field) in fileSchema.fields.enumerated() {
                    let column = part.columns[k]
                    columns.append(column.dataType == field.dataType ? column : try Kernels.cast(column, to: field.dataType))
                }
                let converted = try RecordBatch(schema: fileSchema, columns: columns, count: part.count)
                try open!.writer.write(converted)
                open!.statistics.add(converted)
                open!.rows += part.count
            } catch {
                let key = open!.key.rawValue
                abort()
                throw CatalogError(code: .storeFailure, message: "cannot write a data file: \(error)",
                                   context: .init(store: table.store.location, key: key, table: table.name), underlying: error)
            }
            rowsWritten += Int64(take)
            start += take
            if open!.rows >= rowsPerFile { try closeFile() }
        }
    }

    private func openFile() throws(CatalogError) {
        let relative = "part-\(String(adds.count).leftPadded(to: 5))-\(_randomUUID())-c000.snappy.parquet"
        let key = try table.key(relative)
        let sink = try ObjectStoreSink(store: table.store, key: key, ifAbsent: true)
        var options = ParquetWriterOptions()
        options.codec = .snappy
        options.createdBy = DeltaTable.engineInfo
        do {
            let writer = try ParquetFileWriter(sink: sink, schema: fileSchema, options: options)
            open = OpenFile(key: key, relative: relative, sink: sink, writer: writer, statistics: .init(schema: fileSchema), rows: 0)
        } catch {
            sink.abort()
            throw CatalogError(code: .storeFailure, message: "cannot start a data file: \(error)",
                               context: .init(store: table.store.location, key: key.rawValue, table: table.name), underlying: error)
        }
    }

    private func closeFile() throws(CatalogError) {
        guard let file = open else { return }
        open = nil
        do {
            _ = try file.writer.close()
        } catch {
            try? table.store.delete(file.key)
            abort()
            throw CatalogError(code: .storeFailure, message: "cannot finish a data file: \(error)",
                               context: .init(store: table.store.location, key: file.key.rawValue, table: table.name), underlying: error)
        }
        adds.append(DeltaAddFile(path: _encodedPath(file.relative), size: Int64(file.sink.bytesWritten), modificationTime: _currentMilliseconds(),
                                 dataChange: true, stats: file.statistics.statistics.jsonText))
    }

    /// Publishes every file written in one commit (version 0 when the write creates the table).
    ///
    /// - Parameters:
    ///   - transaction: `(application id, version)` recorded as a `txn` action; when the table
    ///     already records that version for the application, nothing is committed and the result
    ///     says so (`committed == false`).
    /// - Throws: ``CatalogError`` `.commitConflict`, `.alreadyExists`; the files are deleted.
    @discardableResult
    public func commit(operation: String = "WRITE", parameters: [(String, JSONValue)] = [("mode", .string("Append"))],
                       transaction: (String, Int64)? = nil) throws(CatalogError) -> DeltaCommitResult {
        guard !finished else { throw CatalogError(.invalidArgument, "the write was committed or aborted already", table: table.name) }
        try closeFile()
        finished = true
        if let snapshot, let (app, version) = transaction, let done = snapshot.transactions[app], done >= version {
            deleteFiles()
            return DeltaCommitResult(version: snapshot.version, rowsAdded: 0, rowsDeleted: 0, committed: false)
        }
        var actions: [DeltaAction] = [table.commitInfo(operation: operation, parameters: parameters, readVersion: snapshot?.version)]
        if let protocolAction { actions.append(.protocol(protocolAction)) }
        if let metadata { actions.append(.metadata(metadata)) }
        actions += adds.map { .add($0) }
        if let (app, version) = transaction { actions.append(.transaction(appID: app, version: version, lastUpdated: _currentMilliseconds())) }
        do throws(CatalogError) {
            if let snapshot {
                let version = try table.commit(actions, readVersion: snapshot.version, blindAppend: metadata == nil, transaction: transaction)
                return DeltaCommitResult(version: version, rowsAdded: rowsWritten, rowsDeleted: 0, committed: true)
            }
            guard try table.store.putIfAbsent(try table.key("_delta_log/" + DeltaTable.commitName(0)), DeltaAction.encodeCommit(actions)) else {
                throw CatalogError(.alreadyExists, "another writer created a Delta table here first", table: table.name)
            }
            return DeltaCommitResult(version: 0, rowsAdded: rowsWritten, rowsDeleted: 0, committed: true)
        } catch {
            deleteFiles()
            if error.code == .alreadyExists, transaction != nil, snapshot != nil {
                return DeltaCommitResult(version: try table.latestVersion() ?? snapshot!.version, rowsAdded: 0, rowsDeleted: 0, committed: false)
            }
            throw error
        }
    }

    /// Deletes every file written; the table is as it was.
    public func abort() {
        if let file = open {
            file.writer.abort()
            try? table.store.delete(file.key)
            open = nil
        }
        finished = true
        deleteFiles()
    }

    private func deleteFiles() {
        for add in adds {
            if let key = try? table.key(_decodedPath(add.path)) { try? table.store.delete(key) }
        }
        adds = []
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
