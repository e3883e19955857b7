import ColumnarCore
import ParquetKit
import SQLPlanner

/// A snapshot of a Delta table as an SQL table: scans read only the requested columns of the
/// files whose statistics do not rule out the scan's filters, skip row groups and pages the same
/// way, fill columns a file lacks (added later by schema evolution) with nulls, add partition
/// values, and drop the rows deletion vectors mark.
public final class DeltaTableProvider: SQLTableProvider {
    public let table: DeltaTable
    public let snapshot: DeltaSnapshot
    public var schema: Schema { snapshot.schema }

    /// Where decoded files of hot tables are kept (nil: read from the store every time).
    public let cache: DeltaDataCache?

    /// The provider of `snapshot` (by default the newest).
    public init(table: DeltaTable, snapshot: DeltaSnapshot? = nil, cache: DeltaDataCache? = nil) throws(CatalogError) {
        self.table = table
        self.cache = cache
        if let snapshot { self.snapshot = snapshot } else { self.snapshot = try table.snapshot() }
    }

    public var estimatedRowCount: Int? { snapshot.rowCount.map { Int(clamping: $0) } }

    /// The files the filters do not rule out (by their statistics).
    func candidateFiles(_ request: SQLScanRequest) -> [DeltaAddFile] {
        snapshot.files.filter { Self.mayMatch($0, filters: request.filters, snapshot: snapshot) }
    }

    /// Whether `file` may hold a row meeting every one of `filters` (false only when its
    /// statistics prove it cannot; partition columns are not judged here).
    static func mayMatch(_ file: DeltaAddFile, filters: [SQLScanFilter], snapshot: DeltaSnapshot) -> Bool {
        guard let stats = DeltaFileStatistics.parsed(file) else { return true }
        if stats.numRecords == 0 { return false }
        for filter in filters {
            let field = snapshot.schema.fields[filter.column]
            if snapshot.metadata.partitionColumns.contains(where: { $0.lowercased() == field.name.lowercased() }) { continue }
            if !stats.mayMatch(column: field.name, type: field.dataType, op: filter.op, value: filter.value) { return false }
        }
        return true
    }

    public func partitions(_ request: SQLScanRequest) throws(SQLError) -> [SQLScanPartition] {
        let columns = request.columns ?? Array(schema.fields.indices)
        let outputSchema = Schema(columns.map { schema.fields[$0] })
        var pieces: [SQLScanPartition] = []
        if let cache, cache.noteScan(table.root) {
            return candidateFiles(request).map { cachedPartition($0, cache: cache, columns: columns, outputSchema: outputSchema) }
        }
        do throws(CatalogError) {
            for file in candidateFiles(request) {
                let reader = try DeltaFileReader(table: table, file: file, tableSchema: schema, partitionColumns: snapshot.metadata.partitionColumns)
                for group in try reader.rowGroups(request) {
                    pieces.append(SQLScanPartition {
                        let batch = try reader.read(rowGroup: group, columns: columns, filters: request.filters)
                        return batch.count == 0 ? [] : [try RecordBatch(schema: outputSchema, columns: batch.columns, count: batch.count)]
                    })
                }
            }
        } catch {
            throw SQLError(.runtime, "\(error)")
        }
        return pieces
    }

    /// A file's live rows from the cache (read whole and cached on a miss): the cached batches
    /// hold every physical row; the snapshot's deletion vector is applied here.
    func cachedPartition(_ file: DeltaAddFile, cache: DeltaDataCache, columns: [Int], outputSchema: Schema) -> SQLScanPartition {
        let key = DeltaDataCache.Key(root: table.root, path: file.path, schema: DeltaDataCache.schemaKey(schema))
        let table = table, schema = schema, partitionColumns = snapshot.metadata.partitionColumns
        return SQLScanPartition {
            var batches: [RecordBatch]
            if let cached = cache.get(key) {
                batches = cached
            } else {
                let reader = try DeltaFileReader(table: table, file: file, tableSchema: schema, partitionColumns: partitionColumns)
                batches = []
                for group in reader.reader.metadata.rowGroups.indices {
                    batches.append(try reader.read(rowGroup: group, columns: Array(schema.fields.indices), filters: [], applyDeletionVector: false))
                }
                cache.put(key, batches)
            }
            if let dv = file.deletionVector {
                // The live rows under this deletion vector: filtered once, then reused.
                if let (live, sliced, uses) = cache.live(key, vector: dv.uniqueID) {
                    batches = live
                    if sliced, uses >= 2, live.count > 1 {
                        // Read again under the same vector: one contiguous copy now serves the
                        // following scans better than many slices.
                        let merged = try RecordBatch(schema: live[0].schema, columns: try live[0].columns.indices.map { c in
                            try Kernels.concatenate(live.map { $0.columns[c] })
                        })
                        cache.putLive(key, vector: dv.uniqueID, [merged], bytes: DeltaDataCache.estimatedBytes([merged]), sliced: false,
                                      deleted: try cache.deletedRows(table, dv))
                        batches = [merged]
                    }
                } else {
                    // Cut from the live rows kept under an earlier vector when this one only adds
                    // a few rows to it (a commit marked them), else from the whole file.
                    let deleted = try cache.deletedRows(table, dv)
                    var base = (batches: batches, deleted: [Int64](), bytes: 0)
                    var fresh = deleted
                    if let previous = cache.previousLive(key), let more = DeltaDataCache.added(previous.deleted, deleted) {
                        base = previous
                        fresh = more
                    }
                    if fresh.count <= 32, base.batches.count + fresh.count <= 64 {
                        // Zero-copy slices around the new rows (the row at physical p sits before
                        // the earlier deletions below p).
                        let positions = fresh.map { p in Int(p) - base.deleted.partitionPoint { $0 < p } }
                        batches = DeltaDataCache.slices(base.batches, dropping: positions)
                        cache.putLive(key, vector: dv.uniqueID, batches, bytes: base.bytes, sliced: true, deleted: deleted)
                    } else {
                        batches = try DeltaDataCache.filtered(batches, dropping: deleted)
                        cache.putLive(key, vector: dv.uniqueID, batches, bytes: DeltaDataCache.estimatedBytes(batches), sliced: false, deleted: deleted)
                    }
                }
            }
            var out: [RecordBatch] = []
            for batch in batches where batch.count > 0 {
                out.append(try RecordBatch(schema: outputSchema, columns: columns.map { batch.columns[$0] }, count: batch.count))
            }
            return out
        }
    }

    public func scan(_ request: SQLScanRequest) throws(SQLError) -> [RecordBatch] {
        var batches: [RecordBatch] = []
        var remaining = request.limit ?? Int.max
        for piece in try partitions(request) where remaining > 0 {
            do {
                for batch in try piece.read() where remaining > 0 {
                    let rows = batch.count > remaining ? batch.slice(0..<remaining) : batch
                    remaining -= rows.count
                    batches.append(rows)
                }
            } catch let error as SQLError {
                throw error
            } catch {
                throw SQLError(.runtime, "\(error)")
            }
        }
        return batches
    }
}

/// Reads one data file of a Delta table in the table's columns.
final class DeltaFileReader: Sendable {
    let table: DeltaTable
    let file: DeltaAddFile
    let tableSchema: Schema
    let partitionColumns: [String]
    let reader: ParquetFileReader
    let fileSchema: Schema
    /// Deleted row positions of the file (sorted), from its deletion vector.
    let deleted: [Int64]
    /// The first row of each row group within the file.
    let rowGroupStarts: [Int64]

    init(table: DeltaTable, file: DeltaAddFile, tableSchema: Schema, partitionColumns: [String]) throws(CatalogError) {
        self.table = table
        self.file = file
        self.tableSchema = tableSchema
        self.partitionColumns = partitionColumns
        let key = try table.key(_decodedPath(file.path))
        do {
            reader = try ParquetFileReader(source: try ObjectStoreByteSource(store: table.store, key: key, size: file.size > 0 ? Int(file.size) : nil))
            fileSchema = try reader.schema()
        } catch {
            throw CatalogError(code: .corruptData, message: "cannot read data file: \(error)", context: .init(store: table.store.location, key: key.rawValue, table: table.name))
        }
        deleted = try file.deletionVector.map { (dv) throws(CatalogError) in try table.deletedRows(dv) } ?? []
        var starts: [Int64] = []
        var total: Int64 = 0
        for group in reader.metadata.rowGroups {
            starts.append(total)
            total += group.numRows
        }
        rowGroupStarts = starts
    }

    func predicate(_ filters: [SQLScanFilter]) -> ParquetPredicate? {
        let parts = filters.compactMap { filter -> ParquetPredicate? in
            let name = tableSchema.fields[filter.column].name
            guard let stored = fileSchema.fields.first(where: { $0.name.lowercased() == name.lowercased() }), stored.dataType == tableSchema.fields[filter.column].dataType else { return nil }
            return .compare(stored.name, filter.op, filter.value)
        }
        return parts.isEmpty ? nil : .and(parts)
    }

    func rowGroups(_ request: SQLScanRequest) throws(CatalogError) -> [Int] {
        guard let predicate = predicate(request.filters) else { return Array(reader.metadata.rowGroups.indices) }
        do { return try reader.rowGroups(matching: predicate) } catch {
            throw CatalogError(code: .corruptData, message: "\(error)", context: .init(key: file.path, table: table.name))
        }
    }

    /// The rows of one row group in the requested table columns, deleted rows dropped.
    func read(rowGroup group: Int, columns: [Int], filters: [SQLScanFilter], applyDeletionVector: Bool = true) throws -> RecordBatch {
        let wanted = columns.map { tableSchema.fields[$0] }
        let partitionNames = Set(partitionColumns.map { $0.lowercased() })
        var physical: [String] = []
        for field in wanted where !partitionNames.contains(field.name.lowercased()) {
            if let stored = fileSchema.fields.first(where: { $0.name.lowercased() == field.name.lowercased() }), !physical.contains(stored.name) { physical.append(stored.name) }
        }
        let rowsInGroup = Int(reader.metadata.rowGroups[group].numRows)
        let raw: RecordBatch
        let usePagePruning = deleted.isEmpty && applyDeletionVector && !physical.isEmpty
        if usePagePruning, let predicate = predicate(filters) {
            raw = try reader.readRowGroup(group, columns: physical, pruningPagesBy: predicate)
        } else if physical.isEmpty {
            raw = try RecordBatch(schema: Schema([]), columns: [], count: rowsInGroup)
        } else {
            raw = try reader.readRowGroups([group], columns: physical, parallel: false)[0]
        }
        var out: [Column] = []
        for field in wanted {
            if partitionNames.contains(field.name.lowercased()) {
                let key = file.partitionValues.keys.first { $0.lowercased() == field.name.lowercased() }
                let text: String?? = key.map { file.partitionValues[$0]! }
                let value: Scalar = (text ?? nil).map { .utf8($0) } ?? .null
                let column = try Column(.utf8, [Scalar](repeating: value, count: raw.count))
                out.append(field.dataType == .utf8 ? column : try Kernels.cast(column, to: field.dataType))
            } else if let k = raw.schema.fields.firstIndex(where: { $0.name.lowercased() == field.name.lowercased() }) {
                let column = raw.columns[k]
                out.append(column.dataType == field.dataType ? column : try Kernels.cast(column, to: field.dataType))
            } else {
                out.append(try Column.nulls(field.dataType, count: raw.count))
            }
        }
        var batch = try RecordBatch(schema: Schema(wanted), columns: out, count: raw.count)
        if !deleted.isEmpty && applyDeletionVector {
            let start = rowGroupStarts[group]
            let end = start + Int64(rowsInGroup)
            var lower = deleted.partitionPoint { $0 < start }
            var keep = [Bool](repeating: true, count: rowsInGroup)
            var any = false
            while lower < deleted.count, deleted[lower] < end {
                keep[Int(deleted[lower] - start)] = false
                any = true
                lower += 1
            }
            if any {
                let mask = BooleanColumn(values: Bitmap(keep))
                batch = try RecordBatch(schema: batch.schema, columns: try batch.columns.map { try Kernels.filter($0, mask) }, count: keep.lazy.filter { $0 }.count)
            }
        }
        return batch
    }
}

extension Array {
    /// The first index whose element fails `belongs` (the array is partitioned by it).
    func partitionPoint(_ belongs: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
