import Catalog
import ColumnarCore
import Ingest
import SQLPlanner
import Synchronization

/// What an upsert did.
public struct UpsertResult: Sendable {
    public var dataset: String
    /// The row-level change (version, rows inserted and updated, bytes written).
    public var change: DeltaRowChange
    /// The compaction the thresholds triggered after the commit, if any.
    public var compaction: DeltaCompactionResult?
    /// The embedding pass that followed, for an embedded dataset.
    public var embedding: EmbedResult?
    /// Whether the upsert created the dataset.
    public var createdDataset: Bool
}

extension Lakehouse {
    /// The primary key index of a dataset, kept in memory and brought up to date on use.
    func primaryKeyIndex(_ info: DatasetInfo) -> PrimaryKeyIndex {
        let location = info.location
        let key = info.primaryKey
        let wanted = key.joined(separator: "\u{1}").lowercased()
        return keyIndexes.withLock { indexes in
            if let index = indexes[location], index.columns.joined(separator: "\u{1}").lowercased() == wanted { return index }
            let index = PrimaryKeyIndex(columns: key)
            indexes[location] = index
            return index
        }
    }

    /// The dataset's entry with a primary key: the declared one, or `key` (declared now when the
    /// dataset has none).
    func keyedDataset(_ name: String, key: [String]?) throws -> DatasetInfo {
        guard var info = try catalog.dataset(name) else {
            throw CatalogError(.notFound, "no dataset \(name)")
        }
        let declared: [String] = info.primaryKey.map { $0.lowercased() }
        if let key, !key.isEmpty, key.map({ $0.lowercased() }) != declared {
            guard info.primaryKey.isEmpty else {
                throw LakehouseError(.invalidArgument, "dataset \(info.name) has the primary key (\(info.primaryKey.joined(separator: ", "))), not (\(key.joined(separator: ", ")))")
            }
            let schema = try catalog.table(info.name).snapshot().schema
            for column in key where !schema.fields.contains(where: { $0.name.lowercased() == column.lowercased() }) {
                throw LakehouseError(.invalidArgument, "dataset \(info.name) has no column \(column); columns: \(schema.fields.map(\.name).joined(separator: ", "))")
            }
            info = try catalog.updateDataset(info.name, operation: "SET PRIMARY KEY") { $0.primaryKey = key }
        }
        guard !info.primaryKey.isEmpty else {
            throw LakehouseError(.invalidArgument, "dataset \(info.name) has no primary key: name one (--key COLUMN) to upsert")
        }
        return info
    }

    /// Inserts rows into dataset `name`, replacing the rows with the same primary key, in one
    /// commit that rewrites no file: the new rows become one small Parquet file and the old
    /// versions are marked deleted with deletion vectors. The next query sees the change. When
    /// the dataset is embedded, the new and changed rows are embedded and indexed too (their old
    /// vectors leave search results).
    ///
    /// - Parameters:
    ///   - key: The primary key columns, for a dataset that has none declared yet (or is new).
    /// - Throws: ``LakehouseError`` `.invalidArgument` (no primary key, a null key);
    ///   ``CatalogError`` (schema mismatch, a concurrent writer's conflict).
    @discardableResult
    public func upsert(_ rows: [RecordBatch], into name: String, key: [String]? = nil) async throws -> UpsertResult {
        var created = false
        if try catalog.dataset(name) == nil {
            guard let key, !key.isEmpty, let first = rows.first else {
                throw LakehouseError(.invalidArgument, "no dataset \(name): to create it by upsert, give rows and the primary key")
            }
            try catalog.createDataset(name, schema: first.schema, primaryKey: key)
            created = true
        }
        let info = try keyedDataset(name, key: key)
        let table = try catalog.table(info.name)
        // An embedded dataset's vectors commit first (see ``ingest(_:into:options:embed:id:)``).
        var embedding: EmbedResult?
        if EmbeddingSpec(info.embedding) != nil {
            let schema = try table.snapshot().schema
            let written = try await writeEmbeddings(of: info.name, info: info, schema: schema, columns: nil, id: nil, pending: rows, replacing: true)
            embedding = written.result
        }
        let change = try upsertRows(rows, table: table, info: info)
        return try await finishChange(info, table: table, change: change, created: created, embedding: embedding)
    }

    private func upsertRows(_ rows: [RecordBatch], table: DeltaTable, info: DatasetInfo) throws -> DeltaRowChange {
        do {
            return try table.upsert(rows, index: primaryKeyIndex(info))
        } catch {
            if let failure = error as? CatalogError, failure.code == .invalidArgument {
                throw LakehouseError(.invalidArgument, info.name + ": " + failure.message)
            }
            throw error
        }
    }

    /// ``upsert(_:into:key:)`` with the rows of a CSV or JSON file, read with the dataset's
    /// column types.
    @discardableResult
    public func upsert(file path: String, into name: String, key: [String]? = nil, options: IngestOptions = IngestOptions()) async throws -> UpsertResult {
        var existing: Schema?
        if try catalog.dataset(name) != nil { existing = try catalog.table(name).snapshot().schema }
        let (_, batches) = try Ingester(catalog: catalog, options: options).read(file: path, existing: existing)
        return try await upsert(batches, into: name, key: key)
    }

    /// Deletes the rows of dataset `name` whose primary key is among `keys` (a batch of the key
    /// columns), in one commit with deletion vectors.
    @discardableResult
    public func delete(from name: String, keys: RecordBatch) async throws -> UpsertResult {
        let info = try keyedDataset(name, key: nil)
        let table = try catalog.table(info.name)
        let change = try table.delete(keys: keys, index: primaryKeyIndex(info))
        return try await finishChange(info, table: table, change: change, created: false, embedding: nil)
    }

    /// After a committed change: compaction when the thresholds call for it, then, for a delete
    /// from an embedded dataset, dropping the deleted rows' vectors (search skips them already).
    private func finishChange(_ info: DatasetInfo, table: DeltaTable, change: DeltaRowChange, created: Bool,
                              embedding written: EmbedResult?) async throws -> UpsertResult {
        var compaction: DeltaCompactionResult?
        if change.committed, live.autoCompact {
            let snapshot = try table.snapshot()
            if table.needsCompaction(snapshot, policy: live.compaction) {
                compaction = try table.compact(policy: live.compaction, force: false)
            }
        }
        var embedding = written
        if embedding == nil, change.committed, EmbeddingSpec(info.embedding) != nil {
            embedding = try await embed(info.name)
        }
        return UpsertResult(dataset: info.name, change: change, compaction: compaction, embedding: embedding, createdDataset: created)
    }

    /// Merges the small files of dataset `name` and drops its deleted rows into new files, in one
    /// commit that changes no row (`dataChange: false`). Readers of older versions keep working.
    ///
    /// - Parameter force: Compact whatever can be merged, below the thresholds too.
    @discardableResult
    public func compact(_ name: String, force: Bool = true) throws -> DeltaCompactionResult {
        guard let info = try catalog.dataset(name) else { throw CatalogError(.notFound, "no dataset \(name)") }
        return try catalog.table(info.name).compact(policy: live.compaction, force: force)
    }

    /// Keeps dataset `name`'s data decoded in memory (the hot cache), filled on its next query.
    public func pin(_ name: String) throws {
        guard let info = try catalog.dataset(name) else { throw CatalogError(.notFound, "no dataset \(name)") }
        cache.pin(info.location)
    }

    /// Deletes the files of dataset `name` that no version within `retentionHours` needs.
    @discardableResult
    public func vacuum(_ name: String, retentionHours: Double = 168, dryRun: Bool = false) throws -> [String] {
        guard retentionHours >= 0 else { throw LakehouseError(.invalidArgument, "the retention must not be negative") }
        guard let info = try catalog.dataset(name) else { throw CatalogError(.notFound, "no dataset \(name)") }
        return try catalog.table(info.name).vacuum(retentionMilliseconds: Int64(retentionHours * 3_600_000), dryRun: dryRun)
    }
}

/// How a lakehouse handles live updates.
public struct LiveOptions: Sendable, Hashable {
    /// Compact a dataset after a change when the policy's thresholds are crossed.
    public var autoCompact: Bool
    public var compaction: DeltaCompactionPolicy
    /// The most bytes of decoded data the hot cache keeps (0 turns it off).
    public var cacheMemoryLimit: Int

    public init(autoCompact: Bool = true, compaction: DeltaCompactionPolicy = DeltaCompactionPolicy(), cacheMemoryLimit: Int = 1 << 30) {
        self.autoCompact = autoCompact
        self.compaction = compaction
        self.cacheMemoryLimit = cacheMemoryLimit
    }
}
