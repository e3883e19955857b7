import ColumnarCore
import ParquetKit

/// What one row-level change (upsert, update, delete by key or condition) did, in its one commit.
public struct DeltaRowChange: Sendable {
    /// The version written; the table's version when nothing changed.
    public var version: Int64
    /// False when the change touched no row, so nothing was committed.
    public var committed: Bool
    /// Rows whose key was new.
    public var rowsInserted: Int64
    /// Rows that replaced a row of the same key (or that an UPDATE rewrote).
    public var rowsUpdated: Int64
    /// Rows removed without a replacement.
    public var rowsDeleted: Int64
    /// Bytes the change wrote: new data files, the deletion vector file, the commit.
    public var bytesWritten: Int64
    /// The data files the commit added, as named in the log, with their rows' count.
    public var addedFiles: [AddedFile]
    /// The physical row positions the commit newly marked deleted, by file path (as in the log).
    public var deletedPositions: [String: [UInt64]]

    public struct AddedFile: Sendable, Hashable {
        public var path: String
        public var rows: Int
    }

    static func unchanged(_ version: Int64) -> DeltaRowChange {
        DeltaRowChange(version: version, committed: false, rowsInserted: 0, rowsUpdated: 0, rowsDeleted: 0, bytesWritten: 0, addedFiles: [], deletedPositions: [:])
    }
}

extension DeltaTable {
    /// The physical row count of a file: its statistics' `numRecords`, else its Parquet footer.
    func physicalRowCount(_ file: DeltaAddFile, snapshot: DeltaSnapshot) throws(CatalogError) -> Int64 {
        if let stats = DeltaFileStatistics.parsed(file), stats.numRecords >= 0 { return stats.numRecords }
        let reader = try DeltaFileReader(table: self, file: file, tableSchema: snapshot.schema, partitionColumns: snapshot.metadata.partitionColumns)
        return reader.reader.metadata.numRows
    }

    /// Writes one commit that marks `marks` (physical row positions by file path) deleted with
    /// deletion vectors and adds `newRows` (in the table's columns) as new data files. A file
    /// whose every row is gone is removed instead. Nothing is visible until the commit lands;
    /// on failure the files written are deleted again.
    ///
    /// - Returns: The version, the added files, the positions newly marked, and the bytes written.
    func commitRowChanges(snapshot: DeltaSnapshot, marks: [String: [UInt64]], newRows: [RecordBatch], operation: String,
                          parameters: [(String, JSONValue)]) throws(CatalogError) -> (version: Int64, added: [DeltaAddFile], marked: [String: [UInt64]], bytes: Int64) {
        let now = _currentMilliseconds()
        var removes: [DeltaAction] = []
        var pending: [(file: DeltaAddFile, bitmap: RowIndexBitmap, physicalRows: Int64)] = []
        var marked: [String: [UInt64]] = [:]
        for file in snapshot.files {
            guard let positions = marks[file.path], !positions.isEmpty else { continue }
            let old = try file.deletionVector.map { (dv) throws(CatalogError) in try deletionVectorBitmap(dv) } ?? RowIndexBitmap()
            let fresh = Array(Set(positions.filter { !old.contains($0) })).sorted()
            if fresh.isEmpty { continue }
            marked[file.path] = fresh
            let physicalRows = try physicalRowCount(file, snapshot: snapshot)
            if let last = fresh.last, Int64(last) >= physicalRows {
                throw CatalogError.internalError("row \(last) marked deleted in \(file.path), which has \(physicalRows) rows")
            }
            removes.append(.remove(DeltaRemoveFile(path: file.path, deletionTimestamp: now, dataChange: true, extendedFileMetadata: true,
                                                   partitionValues: file.partitionValues, size: file.size, deletionVector: file.deletionVector)))
            let combined = old.union(RowIndexBitmap(fresh))
            if Int64(combined.count) >= physicalRows { continue }   // every row gone: the file goes
            pending.append((file, combined, physicalRows))
        }
        let rowsToAdd = newRows.reduce(0) { $0 + $1.count }
        if removes.isEmpty && rowsToAdd == 0 { return (snapshot.version, [], [:], 0) }

        var written: [ObjectKey] = []
        var bytes: Int64 = 0
        do throws(CatalogError) {
            // Deletion vectors: small ones inline in the log, the others in one new file.
            var dvFile = DeletionVectorFile()
            var fileVectors: [(Int, DeletionVectorFile.Location)] = []
            var descriptors: [DeletionVectorDescriptor?] = Array(repeating: nil, count: pending.count)
            for (k, item) in pending.enumerated() {
                let (text, size) = DeletionVectorStorage.inlinePathOrInlineDv(item.bitmap)
                if size <= Self.inlineLimit {
                    descriptors[k] = DeletionVectorDescriptor(storageType: "i", pathOrInlineDv: text, sizeInBytes: size, cardinality: Int64(item.bitmap.count))
                } else {
                    fileVectors.append((k, dvFile.append(item.bitmap)))
                }
            }
            if !fileVectors.isEmpty {
                let pathOrInline = try DeletionVectorStorage.uuidPathOrInlineDv(uuid: DeletionVectorStorage.randomUUID())
                let key = try key(try DeletionVectorStorage.relativeFilePath(uuidPathOrInlineDv: pathOrInline))
                guard try store.putIfAbsent(key, dvFile.bytes) else {
                    throw CatalogError(.alreadyExists, "the deletion vector file exists already", key: key.rawValue, table: name)
                }
                written.append(key)
                bytes += Int64(dvFile.bytes.count)
                for (k, location) in fileVectors {
                    descriptors[k] = DeletionVectorDescriptor(storageType: "u", pathOrInlineDv: pathOrInline, offset: location.offset,
                                                              sizeInBytes: location.sizeInBytes, cardinality: Int64(location.cardinality))
                }
            }
            var adds: [DeltaAddFile] = []
            for (k, item) in pending.enumerated() {
                var add = item.file
                add.deletionVector = descriptors[k]
                add.dataChange = true
                add.stats = Self.statsForDeletionVector(add.stats, physicalRows: item.physicalRows)
                adds.append(add)
            }
            var newFiles: [DeltaAddFile] = []
            for group in Self.fileGroups(newRows, rowsPerFile: Self.rowsPerFile) {
                let add = try writeDataFile(group, tableSchema: snapshot.schema)
                written.append(try key(_decodedPath(add.path)))
                bytes += add.size
                newFiles.append(add)
            }
            var actions: [DeltaAction] = [commitInfo(operation: operation, parameters: parameters, readVersion: snapshot.version)]
            if !adds.isEmpty && !(snapshot.protocol.readerFeatures ?? []).contains("deletionVectors") {
                actions.append(.protocol(Self.adding(feature: "deletionVectors", to: snapshot.protocol)))
                var metadata = snapshot.metadata
                metadata.configuration["delta.enableDeletionVectors"] = "true"
                actions.append(.metadata(metadata))
            }
            actions += removes
            actions += adds.map { .add($0) }
            actions += newFiles.map { .add($0) }
            bytes += Int64(DeltaAction.encodeCommit(actions).count)
            let version = try commit(actions, readVersion: snapshot.version, blindAppend: false)
            return (version, newFiles, marked, bytes)
        } catch {
            for key in written { try? store.delete(key) }
            throw error
        }
    }

    /// Live rows of every file, one row group at a time: the batch (in `columns` of the table)
    /// and the physical position of each of its rows.
    func forEachLiveRowGroup(snapshot: DeltaSnapshot, columns: [Int], files: [DeltaAddFile]? = nil,
                             _ body: (DeltaAddFile, RecordBatch, [UInt64]) throws(CatalogError) -> Void) throws(CatalogError) {
        for file in files ?? snapshot.files {
            let reader = try DeltaFileReader(table: self, file: file, tableSchema: snapshot.schema, partitionColumns: snapshot.metadata.partitionColumns)
            for group in reader.reader.metadata.rowGroups.indices {
                let batch: RecordBatch
                do {
                    batch = try reader.read(rowGroup: group, columns: columns, filters: [], applyDeletionVector: false)
                } catch let error as CatalogError {
                    throw error
                } catch {
                    throw CatalogError(code: .corruptData, message: "row group \(group): \(error)", context: .init(store: store.location, key: file.path, table: name), underlying: error)
                }
                let start = reader.rowGroupStarts[group]
                var positions: [UInt64] = []
                positions.reserveCapacity(batch.count)
                var live: [UInt32] = []
                var lower = reader.deleted.partitionPoint { $0 < start }
                for k in 0..<batch.count {
                    let row = start + Int64(k)
                    if lower < reader.deleted.count, reader.deleted[lower] == row { lower += 1; continue }
                    positions.append(UInt64(row))
                    live.append(UInt32(k))
                }
                if positions.isEmpty { continue }
                let liveBatch: RecordBatch
                if live.count == batch.count {
                    liveBatch = batch
                } else {
                    do {
                        let selection = SelectionVector(indices: ValueBuffer(live))
                        liveBatch = try RecordBatch(schema: batch.schema, columns: try batch.columns.map { try Kernels.take($0, selection) }, count: live.count)
                    } catch {
                        throw CatalogError.internalError("\(error)")
                    }
                }
                try body(file, liveBatch, positions)
            }
        }
    }

    /// Rewrites rows in place, in one commit: `transform` gets each row group's live rows (in the
    /// table's columns) and returns which of them change and the new rows for those (in order,
    /// in the table's columns), or nil to delete them. The rows that change are marked deleted
    /// with deletion vectors; their new versions go to a new data file. No file is rewritten.
    /// `files`, when given, says which files may hold rows that change (by their statistics,
    /// say); the others are not read.
    ///
    /// - Throws: ``CatalogError`` `.invalidArgument` when `transform` throws (its error inside),
    ///   `.schemaMismatch` for new rows that do not fit the columns, `.commitConflict`.
    @discardableResult
    public func updateRows(operation: String = "UPDATE", parameters: [(String, JSONValue)] = [],
                           files: ((DeltaAddFile, DeltaSnapshot) -> Bool)? = nil,
                           _ transform: (RecordBatch) throws -> (changed: [Bool], replacement: RecordBatch?)) throws(CatalogError) -> DeltaRowChange {
        try mergeRows(operation: operation, parameters: parameters, files: files, { batch in
            let result = try transform(batch)
            if let replacement = result.replacement, replacement.count > 0 {
                let changed = result.changed.lazy.filter { $0 }.count
                guard replacement.count == changed else {
                    throw CatalogError.internalError("the \(operation.lowercased()) returned \(replacement.count) new rows for \(changed) changed ones")
                }
            }
            return (result.changed, result.replacement)
        })
    }

    /// The general row-level change, in one commit that rewrites no file: `transform` sees the
    /// live rows of the current snapshot, batch by batch, and returns which of them go (marked
    /// deleted with deletion vectors) and rows that take their place (any number); after the
    /// last batch, `then` returns rows to add as well. Everything new goes to one new data file.
    /// `MERGE INTO` is this: matched rows are removed and their updated versions added; source
    /// rows that matched nothing come from `then`.
    ///
    /// The result counts the added rows that came with removed ones as updated, the other
    /// removed rows as deleted, and the rows of `then` as inserted.
    ///
    /// - Throws: ``CatalogError`` `.invalidArgument` when `transform` or `then` throws (its
    ///   error inside), `.schemaMismatch` for rows that do not fit the columns,
    ///   `.commitConflict`.
    @discardableResult
    public func mergeRows(operation: String = "MERGE", parameters: [(String, JSONValue)] = [],
                          files wanted: ((DeltaAddFile, DeltaSnapshot) -> Bool)? = nil,
                          _ transform: (RecordBatch) throws -> (removed: [Bool], added: RecordBatch?),
                          then final: () throws -> RecordBatch? = { nil }) throws(CatalogError) -> DeltaRowChange {
        let snapshot = try snapshot()
        var marks: [String: [UInt64]] = [:]
        var newRows: [RecordBatch] = []
        var removedRows: Int64 = 0, replacingRows: Int64 = 0
        func failure(_ error: any Error, key: String?) -> CatalogError {
            if let error = error as? CatalogError, error.code == .internalError { return error }
            return CatalogError(code: .invalidArgument, message: "the \(operation.lowercased()) failed: \(error)",
                                context: .init(store: store.location, key: key, table: name), underlying: error)
        }
        let files = wanted.map { wanted in snapshot.files.filter { wanted($0, snapshot) } }
        try forEachLiveRowGroup(snapshot: snapshot, columns: Array(snapshot.schema.fields.indices), files: files) { (file, batch, positions) throws(CatalogError) in
            let result: (removed: [Bool], added: RecordBatch?)
            do {
                result = try transform(batch)
            } catch {
                throw failure(error, key: file.path)
            }
            guard result.removed.count == batch.count else {
                throw CatalogError.internalError("the \(operation.lowercased()) returned \(result.removed.count) flags for \(batch.count) rows")
            }
            for (k, hit) in result.removed.enumerated() where hit {
                marks[file.path, default: []].append(positions[k])
                removedRows += 1
            }
            if let added = result.added, added.count > 0 {
                newRows += try conform([added], to: snapshot.schema)
                replacingRows += Int64(added.count)
            }
        }
        var inserted: Int64 = 0
        let extra: RecordBatch?
        do {
            extra = try final()
        } catch {
            throw failure(error, key: nil)
        }
        if let extra, extra.count > 0 {
            newRows += try conform([extra], to: snapshot.schema)
            inserted = Int64(extra.count)
        }
        if removedRows == 0 && newRows.isEmpty { return .unchanged(snapshot.version) }
        let (version, added, marked, bytes) = try commitRowChanges(snapshot: snapshot, marks: marks, newRows: newRows, operation: operation, parameters: parameters)
        let updated = min(replacingRows, removedRows)
        return DeltaRowChange(version: version, committed: true, rowsInserted: inserted + (replacingRows - updated), rowsUpdated: updated,
                              rowsDeleted: removedRows - updated, bytesWritten: bytes,
                              addedFiles: added.map { DeltaRowChange.AddedFile(path: $0.path, rows: Self.rowCount(of: $0)) },
                              deletedPositions: marked)
    }

    static func rowCount(of file: DeltaAddFile) -> Int {
        DeltaFileStatistics.parsed(file).map { Int($0.numRecords) } ?? 0
    }
}
