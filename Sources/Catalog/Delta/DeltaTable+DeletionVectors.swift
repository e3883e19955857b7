import ColumnarCore
import ParquetKit

extension DeltaTable {
    /// The rows a deletion vector marks, read from the descriptor (inline) or the DV file it
    /// names (one ranged get), with the cardinality checked.
    func deletionVectorBitmap(_ dv: DeletionVectorDescriptor) throws(CatalogError) -> RowIndexBitmap {
        let bitmap: RowIndexBitmap
        switch dv.storageType {
        case "i":
            bitmap = try DeletionVectorStorage.inlineBitmap(dv.pathOrInlineDv, sizeInBytes: dv.sizeInBytes)
        case "u":
            let key = try key(try DeletionVectorStorage.relativeFilePath(uuidPathOrInlineDv: dv.pathOrInlineDv))
            let offset = dv.offset ?? 1
            do {
                let bytes = try store.get(key, range: DeletionVectorFile.storedRange(offset: offset, sizeInBytes: dv.sizeInBytes))
                bitmap = try DeletionVectorFile.bitmap(inRange: bytes, offset: offset, sizeInBytes: dv.sizeInBytes)
            } catch {
                throw error.adding(key: key.rawValue, table: name)
            }
        case "p":
            throw CatalogError(.unsupportedFeature, "deletion vector at an absolute path (\(dv.pathOrInlineDv)): tables here must be relocatable", table: name)
        default:
            throw CatalogError(.corruptLog, "unknown deletion vector storage type '\(dv.storageType)'", table: name)
        }
        guard bitmap.count == dv.cardinality else {
            throw CatalogError(.corruptData, "deletion vector \(dv.uniqueID) holds \(bitmap.count) rows but its descriptor says \(dv.cardinality)", table: name)
        }
        return bitmap
    }

    /// The sorted row positions a deletion vector marks as deleted.
    func deletedRows(_ dv: DeletionVectorDescriptor) throws(CatalogError) -> [Int64] {
        try deletionVectorBitmap(dv).map { Int64(bitPattern: $0) }
    }

    /// Bitmaps up to this size are kept inline in the log; larger ones go to a DV file.
    static let inlineLimit = 96

    /// Deletes the rows for which `predicate` returns true (all rows when nil), in one commit.
    ///
    /// Files whose every row goes are removed; the others keep their Parquet file and get a
    /// deletion vector (cumulative: it includes rows deleted before). The first delete raises the
    /// table's protocol to reader 3 / writer 7 with the `deletionVectors` feature.
    ///
    /// - Parameter predicate: Gets each row group's rows in the table's columns and returns, per
    ///   row, whether to delete it.
    /// - Throws: ``CatalogError`` `.commitConflict` when another writer changed the files meanwhile.
    @discardableResult
    public func delete(where predicate: ((RecordBatch) throws -> [Bool])?, description: String? = nil) throws(CatalogError) -> DeltaCommitResult {
        let snapshot = try snapshot()
        var removes: [DeltaAction] = []
        var adds: [DeltaAddFile] = []
        var pending: [(file: DeltaAddFile, bitmap: RowIndexBitmap)] = []
        var deleted: Int64 = 0
        let now = _currentMilliseconds()
        func remove(_ file: DeltaAddFile) -> DeltaAction {
            .remove(DeltaRemoveFile(path: file.path, deletionTimestamp: now, dataChange: true, extendedFileMetadata: true,
                                    partitionValues: file.partitionValues, size: file.size, deletionVector: file.deletionVector))
        }
        for file in snapshot.files {
            let reader = try DeltaFileReader(table: self, file: file, tableSchema: snapshot.schema, partitionColumns: snapshot.metadata.partitionColumns)
            let physicalRows = reader.reader.metadata.numRows
            let old = try file.deletionVector.map { (dv) throws(CatalogError) in try deletionVectorBitmap(dv) } ?? RowIndexBitmap()
            var marked: [UInt64] = []
            if let predicate {
                for group in reader.reader.metadata.rowGroups.indices {
                    let batch: RecordBatch
                    let mask: [Bool]
                    do {
                        batch = try reader.read(rowGroup: group, columns: Array(snapshot.schema.fields.indices), filters: [], applyDeletionVector: false)
                        mask = try predicate(batch)
                    } catch let error as CatalogError {
                        throw error
                    } catch {
                        throw CatalogError(code: .invalidArgument, message: "the delete condition failed: \(error)",
                                           context: .init(store: store.location, key: file.path, table: name), underlying: error)
                    }
                    guard mask.count == batch.count else { throw CatalogError.internalError("the delete condition returned \(mask.count) results for \(batch.count) rows") }
                    let start = UInt64(reader.rowGroupStarts[group])
                    for (k, hit) in mask.enumerated() where hit {
                        let row = start + UInt64(k)
                        if !old.contains(row) { marked.append(row) }
                    }
                }
            } else {
                marked = (0..<UInt64(max(0, physicalRows))).filter { !old.contains($0) }
            }
            if marked.isEmpty { continue }
            deleted += Int64(marked.count)
            let combined = old.union(RowIndexBitmap(marked))
            removes.append(remove(file))
            if Int64(combined.count) >= physicalRows { continue }   // every row gone: drop the file
            pending.append((file, combined))
        }
        guard !removes.isEmpty else {
            return DeltaCommitResult(version: snapshot.version, rowsAdded: 0, rowsDeleted: 0, committed: false)
        }
        // Small vectors inline, the others in one new DV file beside the data.
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
        var dvKey: ObjectKey?
        if !fileVectors.isEmpty {
            let uuid = DeletionVectorStorage.randomUUID()
            let pathOrInline = try DeletionVectorStorage.uuidPathOrInlineDv(uuid: uuid)
            let key = try key(try DeletionVectorStorage.relativeFilePath(uuidPathOrInlineDv: pathOrInline))
            guard try store.putIfAbsent(key, dvFile.bytes) else { throw CatalogError(.alreadyExists, "the deletion vector file exists already", key: key.rawValue, table: name) }
            dvKey = key
            for (k, location) in fileVectors {
                descriptors[k] = DeletionVectorDescriptor(storageType: "u", pathOrInlineDv: pathOrInline, offset: location.offset,
                                                          sizeInBytes: location.sizeInBytes, cardinality: Int64(location.cardinality))
            }
        }
        for (k, item) in pending.enumerated() {
            var add = item.file
            add.deletionVector = descriptors[k]
            add.dataChange = true
            add.stats = Self.statsForDeletionVector(add.stats, physicalRows: try DeltaFileReader(table: self, file: item.file, tableSchema: snapshot.schema,
                                                                                                 partitionColumns: snapshot.metadata.partitionColumns).reader.metadata.numRows)
            adds.append(add)
        }
        var actions: [DeltaAction] = [commitInfo(operation: "DELETE", parameters: [("predicate", .string(description ?? (predicate == nil ? "true" : "<predicate>")))],
                                                 readVersion: snapshot.version)]
        if !adds.isEmpty && !(snapshot.protocol.readerFeatures ?? []).contains("deletionVectors") {
            actions.append(.protocol(Self.adding(feature: "deletionVectors", to: snapshot.protocol)))
            var metadata = snapshot.metadata
            metadata.configuration["delta.enableDeletionVectors"] = "true"
            actions.append(.metadata(metadata))
        }
        actions += removes
        actions += adds.map { .add($0) }
        do throws(CatalogError) {
            let version = try commit(actions, readVersion: snapshot.version, blindAppend: false)
            return DeltaCommitResult(version: version, rowsAdded: 0, rowsDeleted: deleted, committed: true)
        } catch {
            if let dvKey { try? store.delete(dvKey) }
            throw error
        }
    }

    /// A file's statistics for an `add` with a deletion vector: `numRecords` must be the physical
    /// row count, and the bounds are no longer tight.
    static func statsForDeletionVector(_ text: String?, physicalRows: Int64) -> String {
        var members: [(String, JSONValue)] = []
        if let text, let json = try? JSONValue.parse(text), let object = json.objectValue {
            members = object.filter { $0.0 != "tightBounds" && $0.0 != "numRecords" }
        }
        return JSONValue.object([("numRecords", .int(physicalRows))] + members + [("tightBounds", .bool(false))]).text
    }
}
