import ColumnarCore

extension DeltaTable {
    /// Inserts rows, replacing the rows that have the same primary key, in one commit: the new
    /// rows go to one small data file and the rows they replace are marked deleted in their old
    /// files with deletion vectors; no file is rewritten. When several incoming rows share a key,
    /// the last one wins.
    ///
    /// The rows to replace are found through `index` (brought to the table's newest snapshot
    /// first, which reads only what changed since it last looked).
    ///
    /// - Parameters:
    ///   - batches: Rows with the table's columns (matched by name, cast to the column types;
    ///     missing nullable columns are null).
    ///   - index: The table's primary key index (keep one per table to avoid reading the keys
    ///     again; a new one reads them once).
    /// - Throws: ``CatalogError`` `.invalidArgument` for a null key (naming the row),
    ///   `.schemaMismatch`, `.commitConflict` when another writer changed the table meanwhile.
    @discardableResult
    public func upsert(_ batches: [RecordBatch], index: PrimaryKeyIndex) throws(CatalogError) -> DeltaRowChange {
        let snapshot = try snapshot()
        let positions = try index.keyPositions(snapshot.schema)
        let rows = try conform(batches, to: snapshot.schema)
        // The incoming keys; the last row of each key wins.
        var keys: [[Scalar]] = []
        var origin: [(batch: Int, row: Int)] = []
        var lastOf: [[Scalar]: Int] = [:]
        var rowNumber = 0
        for (b, batch) in rows.enumerated() {
            for (r, key) in PrimaryKeyIndex.keys(positions.map { batch.columns[$0] }, count: batch.count).enumerated() {
                rowNumber += 1
                if key.contains(.null) {
                    throw CatalogError(.invalidArgument, "row \(rowNumber) has a null in the primary key (\(index.columns.joined(separator: ", ")))", table: name)
                }
                lastOf[key] = keys.count
                keys.append(key)
                origin.append((b, r))
            }
        }
        if keys.isEmpty { return .unchanged(snapshot.version) }
        let winners = keys.indices.filter { lastOf[keys[$0]] == $0 }
        let winningKeys = winners.map { keys[$0] }
        let (marks, found) = try rowsHolding(winningKeys, index: index, snapshot: snapshot)
        let updated = found.filter { $0 }.count
        // The winning rows, in arrival order.
        var newRows: [RecordBatch] = []
        if winners.count == keys.count {
            newRows = rows
        } else {
            var byBatch: [Int: [UInt32]] = [:]
            for w in winners { byBatch[origin[w].batch, default: []].append(UInt32(origin[w].row)) }
            for (b, batch) in rows.enumerated() {
                guard let take = byBatch[b] else { continue }
                do {
                    let selection = SelectionVector(indices: ValueBuffer(take))
                    newRows.append(try RecordBatch(schema: batch.schema, columns: try batch.columns.map { try Kernels.take($0, selection) }, count: take.count))
                } catch {
                    throw CatalogError.internalError("\(error)")
                }
            }
        }
        let result = try commitRowChanges(snapshot: snapshot, marks: marks, newRows: newRows, operation: "MERGE",
                                          parameters: [("predicate", .string("primary key (\(index.columns.joined(separator: ", ")))")),
                                                       ("matchedPredicates", .string("[{\"actionType\":\"update\"}]")),
                                                       ("notMatchedPredicates", .string("[{\"actionType\":\"insert\"}]"))])
        let change = DeltaRowChange(version: result.version, committed: true, rowsInserted: Int64(winners.count - updated), rowsUpdated: Int64(updated),
                                    rowsDeleted: 0, bytesWritten: result.bytes,
                                    addedFiles: result.added.map { DeltaRowChange.AddedFile(path: $0.path, rows: Self.rowCount(of: $0)) },
                                    deletedPositions: result.marked)
        index.apply(change, previousVersion: snapshot.version, newKeys: winningKeys)
        return change
    }

    /// Deletes the rows whose primary key is one of `keys` (rows of the key columns, by name),
    /// in one commit with deletion vectors.
    ///
    /// - Returns: What changed; `rowsDeleted` counts the rows removed (keys not present are ignored).
    @discardableResult
    public func delete(keys: RecordBatch, index: PrimaryKeyIndex) throws(CatalogError) -> DeltaRowChange {
        let snapshot = try snapshot()
        var keyColumns: [Column] = []
        for (column, position) in zip(index.columns, try index.keyPositions(snapshot.schema)) {
            guard let k = keys.schema.fields.firstIndex(where: { $0.name.lowercased() == column.lowercased() }) else {
                throw CatalogError(.invalidArgument, "the keys lack the primary key column \(column)", table: name)
            }
            let type = snapshot.schema.fields[position].dataType
            do {
                keyColumns.append(keys.columns[k].dataType == type ? keys.columns[k] : try Kernels.cast(keys.columns[k], to: type))
            } catch {
                throw CatalogError(.schemaMismatch, "key column \(column): \(error)", table: name)
            }
        }
        let wanted = Array(Set(PrimaryKeyIndex.keys(keyColumns, count: keys.count)))
        let (marks, _) = try rowsHolding(wanted, index: index, snapshot: snapshot)
        let count = marks.values.reduce(0) { $0 + $1.count }
        if count == 0 { return .unchanged(snapshot.version) }
        let result = try commitRowChanges(snapshot: snapshot, marks: marks, newRows: [], operation: "DELETE",
                                          parameters: [("predicate", .string("primary key in \(wanted.count) keys"))])
        let change = DeltaRowChange(version: result.version, committed: true, rowsInserted: 0, rowsUpdated: 0, rowsDeleted: Int64(count),
                                    bytesWritten: result.bytes, addedFiles: [], deletedPositions: result.marked)
        index.apply(change, previousVersion: snapshot.version, newKeys: [])
        return change
    }

    /// The rows holding `keys`: through the index when it has been built; before that, through
    /// the files' statistics when they rule out most of the table (a one-off upsert from the
    /// command line reads a few files' key columns, not the whole table's); otherwise the index
    /// is built (or brought up to date) and asked.
    func rowsHolding(_ keys: [[Scalar]], index: PrimaryKeyIndex, snapshot: DeltaSnapshot) throws(CatalogError) -> (marks: [String: [UInt64]], found: [Bool]) {
        if index.version < 0, let direct = try index.lookupByStatistics(self, snapshot: snapshot, keys: keys) { return direct }
        try index.refresh(self, snapshot: snapshot)
        return index.marks(for: keys)
    }
}
