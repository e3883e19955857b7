import ColumnarCore
import ParquetKit

/// What a commit did.
public struct DeltaCommitResult: Sendable, Hashable {
    /// The version written (or, for a transaction already recorded, the current version).
    public var version: Int64
    /// Rows added by the commit's data files.
    public var rowsAdded: Int64
    /// Rows deleted (by deletion vectors or removed files).
    public var rowsDeleted: Int64
    /// False when a `txn` showed the write had been done already, so nothing was written.
    public var committed: Bool
}

extension DeltaTable {
    /// The engine string in `commitInfo.engineInfo`.
    static let engineInfo = "LakehouseKit/0.1.0"

    /// Creates a table: version 0 with the protocol, the metadata and no data.
    ///
    /// - Parameters:
    ///   - configuration: Table properties (`metaData.configuration`), such as a primary key.
    /// - Throws: ``CatalogError`` `.alreadyExists` when a table exists at `root`,
    ///   `.unsupportedFeature` for a column type Delta cannot hold.
    @discardableResult
    public static func create(in store: any ObjectStore, at root: String, schema: Schema, configuration: [String: String] = [:],
                              name: String? = nil, description: String? = nil, checkpointInterval: Int = 10) throws(CatalogError) -> DeltaTable {
        let table = try DeltaTable(store: store, root: root, checkpointInterval: checkpointInterval)
        let (metadata, protocolAction) = try table.newMetadata(schema: schema, configuration: configuration, name: name, description: description, id: _randomUUID())
        let actions: [DeltaAction] = [
            table.commitInfo(operation: "CREATE TABLE", parameters: [("mode", .string("ErrorIfExists"))]),
            .protocol(protocolAction), .metadata(metadata),
        ]
        guard try store.putIfAbsent(try table.key("_delta_log/" + commitName(0)), DeltaAction.encodeCommit(actions)) else {
            throw CatalogError(.alreadyExists, "a Delta table exists here already", table: table.name)
        }
        return table
    }

    /// Metadata for `schema` with stable field ids, and the protocol it needs.
    func newMetadata(schema: Schema, configuration: [String: String], name: String?, description: String?, id: String,
                     previous: Schema? = nil, previousProtocol: DeltaProtocol? = nil) throws(CatalogError) -> (DeltaMetadata, DeltaProtocol) {
        var seen = Set<String>()
        for field in schema.fields {
            guard !field.name.isEmpty else { throw CatalogError(.invalidName, "a column name may not be empty", table: self.name) }
            guard seen.insert(field.name.lowercased()).inserted else {
                throw CatalogError(.invalidName, "column \(field.name) appears twice (Delta column names are case-insensitive)", table: self.name)
            }
        }
        var nextID = (previous?.fields.compactMap { $0.metadata[DeltaSchema.fieldIDKey].flatMap { Int($0) } }.max() ?? 0) + 1
        var fields: [Field] = []
        for field in schema.fields {
            var f = field
            f.metadata = [:]
            if let old = previous?.fields.first(where: { $0.name.lowercased() == field.name.lowercased() }), let id = old.metadata[DeltaSchema.fieldIDKey] {
                f.metadata[DeltaSchema.fieldIDKey] = id
            } else {
                f.metadata[DeltaSchema.fieldIDKey] = String(nextID)
                nextID += 1
            }
            fields.append(f)
        }
        let schemaString = try DeltaSchema.schemaString(Schema(fields))
        var protocolAction = previousProtocol ?? DeltaProtocol()
        if fields.contains(where: { Self.needsTimestampNTZ($0.dataType) }) {
            protocolAction = Self.adding(feature: "timestampNtz", to: protocolAction)
        }
        if configuration["delta.enableDeletionVectors"] == "true" {
            protocolAction = Self.adding(feature: "deletionVectors", to: protocolAction)
        }
        let metadata = DeltaMetadata(id: id, name: name, description: description, schemaString: schemaString,
                                     configuration: configuration, createdTime: _currentMilliseconds())
        return (metadata, protocolAction)
    }

    static func needsTimestampNTZ(_ type: DataType) -> Bool {
        switch type {
        case .timestamp(_, let zone): return zone == nil
        case .list(let element), .fixedSizeList(let element, _): return needsTimestampNTZ(element.dataType)
        case .struct(let fields): return fields.contains { needsTimestampNTZ($0.dataType) }
        default: return false
        }
    }

    /// The protocol raised to reader 3 / writer 7 with `feature` listed.
    static func adding(feature: String, to p: DeltaProtocol) -> DeltaProtocol {
        var result = p
        if result.minReaderVersion < 3 || result.minWriterVersion < 7 {
            result = DeltaProtocol(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [], writerFeatures: [])
            // Features implied by the old writer version stay listed (appendOnly, invariants at 2).
            if p.minWriterVersion >= 2 { result.writerFeatures = ["appendOnly", "invariants"] }
        }
        if !(result.readerFeatures ?? []).contains(feature) { result.readerFeatures = (result.readerFeatures ?? []) + [feature] }
        if !(result.writerFeatures ?? []).contains(feature) { result.writerFeatures = (result.writerFeatures ?? []) + [feature] }
        return result
    }

    func commitInfo(operation: String, parameters: [(String, JSONValue)], readVersion: Int64? = nil) -> DeltaAction {
        var members: [(String, JSONValue)] = [
            ("timestamp", .int(_currentMilliseconds())),
            ("operation", .string(operation)),
            ("operationParameters", .object(parameters)),
        ]
        if let readVersion { members.append(("readVersion", .int(readVersion))) }
        members.append(("isBlindAppend", .bool(operation == "WRITE" && parameters.contains { $0.0 == "mode" && $0.1 == .string("Append") })))
        members.append(("engineInfo", .string(Self.engineInfo)))
        return .commitInfo(.object(members))
    }

    // MARK: Writing data files

    /// Writes `batches` (already in the table's storage schema order) as one Parquet data file
    /// and returns its `add` action. The file is invisible until a commit names it.
    func writeDataFile(_ batches: [RecordBatch], tableSchema: Schema) throws(CatalogError) -> DeltaAddFile {
        // The file's schema: storage types, with each column's stable id as its Parquet field id.
        let fileSchema = Schema(tableSchema.fields.enumerated().map { k, field in
            var metadata: [String: String] = [:]
            metadata["field_id"] = field.metadata[DeltaSchema.fieldIDKey] ?? String(k + 1)
            return Field(field.name, DeltaSchema.storageType(field.dataType), nullable: field.isNullable, metadata: metadata)
        })
        let relative = "part-00000-\(_randomUUID())-c000.snappy.parquet"
        let key = try key(relative)
        var written: [RecordBatch] = []
        do {
            let sink = try ObjectStoreSink(store: store, key: key, ifAbsent: true)
            var options = ParquetWriterOptions()
            options.codec = .snappy
            options.createdBy = Self.engineInfo
            let writer = try ParquetFileWriter(sink: sink, schema: fileSchema, options: options)
            for batch in batches where batch.count > 0 {
                var columns: [Column] = []
                for (k, field) in fileSchema.fields.enumerated() {
                    let column = batch.columns[k]
                    columns.append(column.dataType == field.dataType ? column : try Kernels.cast(column, to: field.dataType))
                }
                let converted = try RecordBatch(schema: fileSchema, columns: columns, count: batch.count)
                try writer.write(converted)
                written.append(converted)
            }
            _ = try writer.close()
            let stats = DeltaFileStatistics.compute(written, schema: fileSchema)
            return DeltaAddFile(path: _encodedPath(relative), size: Int64(sink.bytesWritten), modificationTime: _currentMilliseconds(),
                                dataChange: true, stats: stats.jsonText)
        } catch let error as CatalogError {
            throw error.adding(key: key.rawValue, table: name)
        } catch {
            try? store.delete(key)
            throw CatalogError(code: .storeFailure, message: "cannot write a data file: \(error)", context: .init(store: store.location, key: key.rawValue, table: name), underlying: error)
        }
    }

    /// The rows of `batches` in the table's columns: matched by name (case-insensitive), missing
    /// columns null, values cast to the column types.
    func conform(_ batches: [RecordBatch], to schema: Schema) throws(CatalogError) -> [RecordBatch] {
        var out: [RecordBatch] = []
        for batch in batches {
            var columns: [Column] = []
            for field in schema.fields {
                do {
                    if let k = batch.schema.fields.firstIndex(where: { $0.name.lowercased() == field.name.lowercased() }) {
                        let column = batch.columns[k]
                        let cast = column.dataType == field.dataType ? column : try Kernels.cast(column, to: field.dataType)
                        if !field.isNullable && cast.nullCount > 0 {
                            throw CatalogError(.schemaMismatch, "column \(field.name) is NOT NULL but the rows hold nulls", table: name)
                        }
                        columns.append(cast)
                    } else {
                        guard field.isNullable else { throw CatalogError(.schemaMismatch, "column \(field.name) is NOT NULL but the rows lack it", table: name) }
                        columns.append(try Column.nulls(field.dataType, count: batch.count))
                    }
                } catch let error as CatalogError {
                    throw error
                } catch {
                    throw CatalogError(.schemaMismatch, "column \(field.name): \(error)", table: name)
                }
            }
            do {
                out.append(try RecordBatch(schema: schema, columns: columns, count: batch.count))
            } catch {
                throw CatalogError(.schemaMismatch, "\(error)", table: name)
            }
        }
        return out
    }

    /// Splits rows into data files of at most `rowsPerFile` rows.
    static func fileGroups(_ batches: [RecordBatch], rowsPerFile: Int) -> [[RecordBatch]] {
        var groups: [[RecordBatch]] = []
        var current: [RecordBatch] = []
        var rows = 0
        for batch in batches where batch.count > 0 {
            var start = 0
            while start < batch.count {
                let take = min(batch.count - start, rowsPerFile - rows)
                current.append(start == 0 && take == batch.count ? batch : batch.slice(start..<(start + take)))
                rows += take
                start += take
                if rows == rowsPerFile {
                    groups.append(current)
                    current = []
                    rows = 0
                }
            }
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    /// The most rows a data file gets.
    public static let rowsPerFile = 4_000_000

    // MARK: Operations

    /// Appends rows in one commit.
    ///
    /// - Parameters:
    ///   - batches: The rows; columns are matched to the table's by name (missing ones are null).
    ///   - mergeSchema: Adds columns the table lacks (existing rows read them as null); without
    ///     it, extra columns are an error.
    ///   - transaction: `(application id, version)`: the append is skipped, and reported with
    ///     `committed == false`, when the table already records that version (or a later one) for
    ///     the application — exactly-once writes from a retrying writer.
    /// - Throws: ``CatalogError`` `.schemaMismatch`, `.commitConflict` after repeated lost races.
    @discardableResult
    public func append(_ batches: [RecordBatch], mergeSchema: Bool = false, transaction: (String, Int64)? = nil) throws(CatalogError) -> DeltaCommitResult {
        try write(batches, overwrite: false, mergeSchema: mergeSchema, newSchema: nil, transaction: transaction)
    }

    /// Replaces every row in one commit. With `schema`, the table's columns change to it (the
    /// old files are removed; time travel still reads them).
    @discardableResult
    public func overwrite(_ batches: [RecordBatch], schema: Schema? = nil, transaction: (String, Int64)? = nil) throws(CatalogError) -> DeltaCommitResult {
        try write(batches, overwrite: true, mergeSchema: false, newSchema: schema, transaction: transaction)
    }

    private func write(_ batches: [RecordBatch], overwrite: Bool, mergeSchema: Bool, newSchema: Schema?,
                       transaction: (String, Int64)?) throws(CatalogError) -> DeltaCommitResult {
        let snapshot = try snapshot()
        if let (app, version) = transaction, let done = snapshot.transactions[app], done >= version {
            return DeltaCommitResult(version: snapshot.version, rowsAdded: 0, rowsDeleted: 0, committed: false)
        }
        var schema = snapshot.schema
        var metadataAction: DeltaAction?
        var protocolAction: DeltaAction?
        let incoming = batches.first?.schema
        if let newSchema {
            let (m, p) = try newMetadata(schema: newSchema, configuration: snapshot.metadata.configuration, name: snapshot.metadata.name,
                                         description: snapshot.metadata.description, id: snapshot.metadata.id, previous: snapshot.schema, previousProtocol: snapshot.protocol)
            schema = try DeltaSchema.schema(from: m.schemaString)
            metadataAction = .metadata(m)
            if p != snapshot.protocol { protocolAction = .protocol(p) }
        } else if let incoming {
            let extra = incoming.fields.filter { field in !snapshot.schema.fields.contains { $0.name.lowercased() == field.name.lowercased() } }
            if !extra.isEmpty {
                guard mergeSchema || overwrite else {
                    throw CatalogError(.schemaMismatch, "the rows have columns the table lacks: \(extra.map(\.name).joined(separator: ", ")); append with mergeSchema to add them", table: name)
                }
                let widened = Schema(snapshot.schema.fields + extra.map { Field($0.name, $0.dataType, nullable: true) })
                let (m, p) = try newMetadata(schema: widened, configuration: snapshot.metadata.configuration, name: snapshot.metadata.name,
                                             description: snapshot.metadata.description, id: snapshot.metadata.id, previous: snapshot.schema, previousProtocol: snapshot.protocol)
                schema = try DeltaSchema.schema(from: m.schemaString)
                metadataAction = .metadata(m)
                if p != snapshot.protocol { protocolAction = .protocol(p) }
            }
        }
        let rows = try conform(batches, to: schema)
        var adds: [DeltaAddFile] = []
        var written: Int64 = 0
        do throws(CatalogError) {
            for group in Self.fileGroups(rows, rowsPerFile: Self.rowsPerFile) {
                adds.append(try writeDataFile(group, tableSchema: schema))
                written += Int64(group.reduce(0) { $0 + $1.count })
            }
        } catch {
            for add in adds { try? store.delete(try key(_decodedPath(add.path))) }
            throw error
        }
        var actions: [DeltaAction] = [commitInfo(operation: "WRITE", parameters: [("mode", .string(overwrite ? "Overwrite" : "Append"))], readVersion: snapshot.version)]
        if let protocolAction { actions.append(protocolAction) }
        if let metadataAction { actions.append(metadataAction) }
        var deleted: Int64 = 0
        if overwrite {
            let now = _currentMilliseconds()
            for file in snapshot.files {
                actions.append(.remove(DeltaRemoveFile(path: file.path, deletionTimestamp: now, dataChange: true, extendedFileMetadata: true,
                                                       partitionValues: file.partitionValues, size: file.size, deletionVector: file.deletionVector)))
            }
            deleted = snapshot.rowCount ?? 0
        }
        actions += adds.map { .add($0) }
        if let (app, version) = transaction { actions.append(.transaction(appID: app, version: version, lastUpdated: _currentMilliseconds())) }
        let isBlindAppend = !overwrite && metadataAction == nil
        do throws(CatalogError) {
            let version = try commit(actions, readVersion: snapshot.version, blindAppend: isBlindAppend, transaction: transaction)
            return DeltaCommitResult(version: version, rowsAdded: written, rowsDeleted: deleted, committed: true)
        } catch {
            // Nothing references the new files: remove them.
            for add in adds { try? store.delete(try key(_decodedPath(add.path))) }
            if error.code == .alreadyExists, transaction != nil {
                // Another writer recorded the same transaction: this write was a duplicate.
                return DeltaCommitResult(version: try latestVersion() ?? snapshot.version, rowsAdded: 0, rowsDeleted: 0, committed: false)
            }
            throw error
        }
    }

    /// Adds nullable columns in one metadata-only commit; existing rows read them as null.
    ///
    /// - Throws: ``CatalogError`` `.invalidName` when a column exists already.
    @discardableResult
    public func addColumns(_ fields: [Field]) throws(CatalogError) -> DeltaCommitResult {
        let snapshot = try snapshot()
        for field in fields where snapshot.schema.fields.contains(where: { $0.name.lowercased() == field.name.lowercased() }) {
            throw CatalogError(.invalidName, "column \(field.name) exists already", table: name)
        }
        let widened = Schema(snapshot.schema.fields + fields.map { Field($0.name, $0.dataType, nullable: true) })
        let (m, p) = try newMetadata(schema: widened, configuration: snapshot.metadata.configuration, name: snapshot.metadata.name,
                                     description: snapshot.metadata.description, id: snapshot.metadata.id, previous: snapshot.schema, previousProtocol: snapshot.protocol)
        var actions: [DeltaAction] = [commitInfo(operation: "ADD COLUMNS", parameters: [("columns", .array(fields.map { .string($0.name) }))], readVersion: snapshot.version)]
        if p != snapshot.protocol { actions.append(.protocol(p)) }
        actions.append(.metadata(m))
        let version = try commit(actions, readVersion: snapshot.version, blindAppend: false)
        return DeltaCommitResult(version: version, rowsAdded: 0, rowsDeleted: 0, committed: true)
    }

    /// Writes `actions` as the next version after `readVersion`. When another writer took that
    /// version, the winning commits are checked: a blind append only conflicts with a change of
    /// protocol or metadata; any other write conflicts with any change to the files it read. On
    /// no conflict, it retries at the next version.
    ///
    /// - Throws: ``CatalogError`` `.commitConflict`; `.alreadyExists` when a winner recorded the
    ///   same `txn` version.
    func commit(_ actions: [DeltaAction], readVersion: Int64, blindAppend: Bool, transaction: (String, Int64)? = nil) throws(CatalogError) -> Int64 {
        let bytes = DeltaAction.encodeCommit(actions)
        var version = readVersion + 1
        for _ in 0..<100 {
            let key = try key("_delta_log/" + Self.commitName(version))
            if try store.putIfAbsent(key, bytes) {
                if checkpointInterval > 0, version > 0, version % Int64(checkpointInterval) == 0 {
                    // A checkpoint is an optimisation: a failure leaves the table correct.
                    try? writeCheckpoint(version: version)
                }
                return version
            }
            // Lost the race for `version`: look at what won.
            let winner = try readCommit(version)
            for action in winner {
                switch action {
                case .protocol, .metadata:
                    throw CatalogError(.commitConflict, "another writer changed the table's schema or protocol at version \(version); retry the operation", table: name, version: version)
                case .add, .remove:
                    if !blindAppend {
                        throw CatalogError(.commitConflict, "another writer changed the table's files at version \(version) after this operation read version \(readVersion); retry the operation", table: name, version: version)
                    }
                case .transaction(let app, let v, _):
                    if let (ours, mine) = transaction, ours == app, v >= mine {
                        throw CatalogError(.alreadyExists, "transaction \(app) version \(mine) is already recorded", table: name, version: version)
                    }
                default: break
                }
            }
            version += 1
        }
        throw CatalogError(.commitConflict, "gave up after 100 lost races for the next version", table: name, version: version)
    }
}

