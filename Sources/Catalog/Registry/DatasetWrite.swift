import ColumnarCore

/// A write to a dataset whose rows stream in batch by batch (an ingest): it creates the dataset
/// or appends to it, and becomes visible all at once on ``commit(source:transaction:)``, as one
/// version of the dataset's Delta table (and, for a new dataset, its registry entry). Until then
/// nothing is visible; ``abort()`` removes what was written.
///
/// ```swift
/// let write = try catalog.beginWrite("calls", schema: schema)
/// for batch in batches { try write.write(batch) }
/// let (info, result) = try write.commit(source: source)
/// ```
public final class DatasetWrite {
    /// The dataset's name.
    public let name: String
    /// The rows' destination.
    public let staged: DeltaStagedWrite
    /// Whether the commit creates the dataset.
    public var createsDataset: Bool { staged.createsTable }
    private let catalog: DatasetCatalog
    private let location: String
    private let description: String?
    private let primaryKey: [String]

    init(catalog: DatasetCatalog, name: String, location: String, staged: DeltaStagedWrite, description: String?, primaryKey: [String]) {
        self.catalog = catalog
        self.name = name
        self.location = location
        self.staged = staged
        self.description = description
        self.primaryKey = primaryKey
    }

    /// The dataset's columns once the write commits.
    public var schema: Schema { staged.schema }

    /// Writes rows (columns matched by name, values cast to the column types).
    public func write(_ batch: RecordBatch) throws(CatalogError) { try staged.write(batch) }

    /// Publishes the rows: one Delta commit, then the registry entry (created, or its sources
    /// extended by `source`). A new dataset whose registry entry cannot be written (another writer
    /// took the name) is removed again.
    ///
    /// - Parameters:
    ///   - transaction: Recorded in the Delta commit (see ``DeltaStagedWrite/commit(operation:parameters:transaction:)``).
    /// - Returns: The dataset's entry and what the commit did.
    @discardableResult
    public func commit(source: DatasetSource? = nil, operation: String = "WRITE", parameters: [(String, JSONValue)] = [("mode", .string("Append"))],
                       transaction: (String, Int64)? = nil) throws(CatalogError) -> (DatasetInfo, DeltaCommitResult) {
        let result = try staged.commit(operation: operation, parameters: parameters, transaction: transaction)
        if !staged.createsTable {
            guard result.committed else { return (try catalog.dataset(name) ?? DatasetInfo(name: name, location: location, createdAt: 0), result) }
            guard let source else { return (try catalog.dataset(name) ?? DatasetInfo(name: name, location: location, createdAt: 0), result) }
            let info = try catalog.updateDataset(name, operation: "INGEST") { $0.sources.append(source) }
            return (info, result)
        }
        let info = DatasetInfo(name: name, location: location, description: description, primaryKey: primaryKey,
                               sources: source.map { [$0] } ?? [], createdAt: _currentMilliseconds())
        do throws(CatalogError) {
            _ = try catalog.commit(operation: "CREATE", dataset: name) { (datasets) throws(CatalogError) in
                if datasets.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                    throw CatalogError(.alreadyExists, "dataset \(name) was created by another writer", table: name)
                }
                return datasets + [info]
            }
        } catch {
            catalog.removeTableObjects(location)
            throw error
        }
        return (info, result)
    }

    /// Removes the files written; nothing changes.
    public func abort() { staged.abort() }
}

extension DatasetCatalog {
    /// Starts a streamed write into dataset `name`: a new dataset with `schema` when none exists,
    /// otherwise an append whose new columns are added to the dataset (`mergeSchema`).
    ///
    /// - Throws: ``CatalogError`` `.invalidName`, `.schemaMismatch`.
    public func beginWrite(_ name: String, schema: Schema, description: String? = nil, primaryKey: [String] = [],
                           mergeSchema: Bool = true) throws(CatalogError) -> DatasetWrite {
        try DatasetInfo.validate(name: name)
        if let existing = try dataset(name) {
            let table = try DeltaTable(store: store, root: existing.location, checkpointInterval: checkpointInterval)
            let staged = try DeltaStagedWrite.append(to: table, incoming: schema, mergeSchema: mergeSchema)
            return DatasetWrite(catalog: self, name: existing.name, location: existing.location, staged: staged, description: existing.description,
                                primaryKey: existing.primaryKey)
        }
        for column in primaryKey where !schema.fields.contains(where: { $0.name.lowercased() == column.lowercased() }) {
            throw CatalogError(.invalidArgument, "primary key column \(column) is not a column of the dataset", table: name)
        }
        let location = "tables/\(name.lowercased())-\(String(_randomUUID().prefix(8)))"
        var configuration: [String: String] = [:]
        if !primaryKey.isEmpty { configuration["lakehouse.primaryKey"] = primaryKey.joined(separator: ",") }
        let staged = try DeltaStagedWrite.create(in: store, at: location, schema: schema, configuration: configuration, name: name,
                                                 description: description, checkpointInterval: checkpointInterval)
        return DatasetWrite(catalog: self, name: name, location: location, staged: staged, description: description, primaryKey: primaryKey)
    }

    /// Deletes every object under a table location (best effort): a table no entry refers to.
    func removeTableObjects(_ location: String) {
        guard let objects = try? store.listAll(prefix: location + "/") else { return }
        for object in objects { try? store.delete(object.key) }
    }
}
