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
        guard let predicate else {
            // Every row: no file needs reading, each one's rows are counted by its statistics.
            let snapshot = try snapshot()
            var marks: [String: [UInt64]] = [:]
            var deleted: Int64 = 0
            for file in snapshot.files {
                let physicalRows = try physicalRowCount(file, snapshot: snapshot)
                let old = try file.deletionVector.map { (dv) throws(CatalogError) in try deletionVectorBitmap(dv) } ?? RowIndexBitmap()
                marks[file.path] = (0..<UInt64(max(0, physicalRows))).filter { !old.contains($0) }
                deleted += Int64(marks[file.path]!.count)
            }
            guard deleted > 0 else { return DeltaCommitResult(version: snapshot.version, rowsAdded: 0, rowsDeleted: 0, committed: false) }
            let result = try commitRowChanges(snapshot: snapshot, marks: marks, newRows: [], operation: "DELETE",
                                              parameters: [("predicate", .string(description ?? "true"))])
            return DeltaCommitResult(version: result.version, rowsAdded: 0, rowsDeleted: deleted, committed: true)
        }
        let change = try mergeRows(operation: "DELETE", parameters: [("predicate", .string(description ?? "<predicate>"))]) { batch in
            (try predicate(batch), nil)
        }
        return DeltaCommitResult(version: change.version, rowsAdded: 0, rowsDeleted: change.rowsDeleted, committed: change.committed)
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
