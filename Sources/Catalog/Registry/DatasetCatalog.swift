import ColumnarCore
import Synchronization

/// The registry of a lakehouse's datasets, kept in the object store beside the tables so that
/// the store alone is the whole lakehouse: opening it on an empty machine gives back every
/// dataset, table and version.
///
/// The registry is versioned like a Delta log: version `n` is the object
/// `_lakehouse/catalog/<20-digit n>.json`, holding the whole list of datasets and the change that
/// made it, written with put-if-absent. A writer that loses the race for a version re-reads the
/// winner and re-applies its change (or reports the conflict, as when both create one name).
///
/// ```swift
/// let catalog = DatasetCatalog(store: try LocalFileSystemStore(root: "/data/lake"))
/// try catalog.createDataset("candidates", rows: [batch], primaryKey: ["email"])
/// let table = try catalog.table("candidates")   // a DeltaTable
/// ```
public final class DatasetCatalog: Sendable {
    public let store: any ObjectStore
    /// Checkpoint interval of the tables the catalog creates.
    public let checkpointInterval: Int
    static let prefix = "_lakehouse/catalog/"
    /// The tables' replayed logs, shared by every ``table(_:)`` of this catalog.
    public let logCache = DeltaLogCache()
    /// The newest registry version read, checked with one existence test before use.
    private let latest = Mutex<Version?>(nil)

    public init(store: any ObjectStore, checkpointInterval: Int = 10) {
        self.store = store
        self.checkpointInterval = checkpointInterval
    }

    /// One version of the registry.
    public struct Version: Sendable {
        public var version: Int64
        public var timestamp: Int64
        /// `CREATE`, `REPLACE`, `DROP`, `UPDATE`.
        public var operation: String
        /// The dataset the change concerned.
        public var dataset: String?
        public var datasets: [DatasetInfo]
    }

    static func key(_ version: Int64) throws(CatalogError) -> ObjectKey {
        try ObjectKey(prefix + DeltaTable.commitName(version))
    }

    /// The registry's versions present in the store (numbers only).
    func versions() throws(CatalogError) -> [Int64] {
        try store.listAll(prefix: Self.prefix).compactMap { object in
            let name = object.key.rawValue.dropFirst(Self.prefix.count)
            guard name.count == 25, name.hasSuffix(".json") else { return nil }
            return Int64(name.prefix(20))
        }.sorted()
    }

    func read(_ version: Int64) throws(CatalogError) -> Version {
        let key = try Self.key(version)
        do {
            let json = try JSONValue.parse(String(decoding: try store.get(key), as: UTF8.self))
            var datasets: [DatasetInfo] = []
            for entry in json["datasets"]?.arrayValue ?? [] { datasets.append(try DatasetInfo(json: entry)) }
            return Version(version: version, timestamp: json["timestamp"]?.int64Value ?? 0, operation: json["operation"]?.stringValue ?? "",
                           dataset: json["dataset"]?.stringValue, datasets: datasets)
        } catch {
            throw error.adding(key: key.rawValue, version: version)
        }
    }

    /// The newest registry state (version -1 and no datasets for a new lakehouse).
    public func current() throws(CatalogError) -> Version {
        if let cached = latest.withLock({ $0 }), try store.head(try Self.key(cached.version + 1)) == nil {
            return cached
        }
        guard let newest = try versions().last else { return Version(version: -1, timestamp: 0, operation: "", dataset: nil, datasets: []) }
        let version = try read(newest)
        latest.withLock { cached in
            if (cached?.version ?? -1) < version.version { cached = version }
        }
        return version
    }

    /// Every dataset, by name.
    public func datasets() throws(CatalogError) -> [DatasetInfo] {
        try current().datasets.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }

    /// The dataset named `name` (case-insensitive), or nil.
    public func dataset(_ name: String) throws(CatalogError) -> DatasetInfo? {
        try current().datasets.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The Delta table of a dataset.
    ///
    /// - Throws: ``CatalogError`` `.notFound` with the names that exist.
    public func table(_ name: String) throws(CatalogError) -> DeltaTable {
        guard let info = try dataset(name) else {
            let names = try datasets().map(\.name)
            throw CatalogError(.notFound, "no dataset \(_printable(name))" + (names.isEmpty ? "" : "; datasets: \(names.joined(separator: ", "))"))
        }
        return try DeltaTable(store: store, root: info.location, checkpointInterval: checkpointInterval, logCache: logCache)
    }

    /// Every version of the registry, oldest first.
    public func history() throws(CatalogError) -> [Version] {
        var out: [Version] = []
        for v in try versions() { out.append(try read(v)) }
        return out
    }

    /// Commits a change: `change` gets the current datasets and returns the new list, or throws.
    /// Retried on a lost race with the winner's state.
    func commit(operation: String, dataset: String?, _ change: ([DatasetInfo]) throws(CatalogError) -> [DatasetInfo]) throws(CatalogError) -> Version {
        for _ in 0..<50 {
            let state = try current()
            let next = try change(state.datasets)
            let version = Version(version: state.version + 1, timestamp: _currentMilliseconds(), operation: operation, dataset: dataset, datasets: next)
            var members: [(String, JSONValue)] = [("version", .int(version.version)), ("timestamp", .int(version.timestamp)), ("operation", .string(operation))]
            if let dataset { members.append(("dataset", .string(dataset))) }
            members.append(("datasets", .array(next.map(\.json))))
            if try store.putIfAbsent(try Self.key(version.version), Array(JSONValue.object(members).text.utf8) + [0x0A]) {
                return version
            }
        }
        throw CatalogError(.commitConflict, "gave up after 50 lost races for the registry's next version")
    }

    // MARK: Changes

    /// Creates a dataset: a new Delta table (with `rows`, in its first commit after creation) and
    /// its registry entry. The table exists before the entry: a crash between the two leaves an
    /// unreferenced folder, never an entry without a table.
    ///
    /// - Parameters:
    ///   - replace: Replaces the rows and columns of a dataset of that name with a new version of
    ///     its table (an overwrite; earlier versions stay readable).
    /// - Throws: ``CatalogError`` `.invalidName`, `.alreadyExists`.
    @discardableResult
    public func createDataset(_ name: String, schema: Schema? = nil, rows: [RecordBatch] = [], description: String? = nil,
                              primaryKey: [String] = [], embedding: [String: String] = [:], sources: [DatasetSource] = [],
                              replace: Bool = false) throws(CatalogError) -> DatasetInfo {
        try DatasetInfo.validate(name: name)
        guard let schema = schema ?? rows.first?.schema else {
            throw CatalogError(.invalidArgument, "a dataset needs a schema or rows", table: name)
        }
        let existing = try dataset(name)
        if existing != nil && !replace { throw CatalogError(.alreadyExists, "dataset \(name) exists already", table: name) }
        for column in primaryKey where !schema.fields.contains(where: { $0.name.lowercased() == column.lowercased() }) {
            throw CatalogError(.invalidArgument, "primary key column \(column) is not a column of the dataset", table: name)
        }
        if let existing {
            // Replacing keeps the table: a new version with the new rows and columns, so the old
            // ones stay readable by time travel.
            let table = try DeltaTable(store: store, root: existing.location, checkpointInterval: checkpointInterval)
            try table.overwrite(rows, schema: schema)
            return try updateDataset(name, operation: "REPLACE") { info in
                info.description = description ?? info.description
                info.primaryKey = primaryKey
                info.sources = sources
                info.embedding = embedding
            }
        }
        let suffix = String(_randomUUID().prefix(8))
        let location = "tables/\(name.lowercased())-\(suffix)"
        var configuration: [String: String] = [:]
        if !primaryKey.isEmpty { configuration["lakehouse.primaryKey"] = primaryKey.joined(separator: ",") }
        for (k, v) in embedding { configuration["lakehouse.embedding.\(k)"] = v }
        let table = try DeltaTable.create(in: store, at: location, schema: schema, configuration: configuration, name: name,
                                          description: description, checkpointInterval: checkpointInterval)
        if rows.contains(where: { $0.count > 0 }) { try table.append(rows) }
        let info = DatasetInfo(name: name, location: location, description: description, primaryKey: primaryKey, sources: sources,
                               embedding: embedding, createdAt: _currentMilliseconds())
        _ = try commit(operation: "CREATE", dataset: name) { (datasets) throws(CatalogError) in
            if datasets.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                throw CatalogError(.alreadyExists, "dataset \(name) was created by another writer", table: name)
            }
            return datasets + [info]
        }
        return info
    }

    /// Removes a dataset from the registry; returns false when there was none. Its table's files
    /// stay in the store (the registry's history still names them).
    @discardableResult
    public func dropDataset(_ name: String) throws(CatalogError) -> Bool {
        guard try dataset(name) != nil else { return false }
        var dropped = false
        _ = try commit(operation: "DROP", dataset: name) { (datasets) throws(CatalogError) in
            dropped = datasets.contains { $0.name.lowercased() == name.lowercased() }
            return datasets.filter { $0.name.lowercased() != name.lowercased() }
        }
        return dropped
    }

    /// Changes a dataset's entry (description, sources, embedding settings).
    @discardableResult
    public func updateDataset(_ name: String, operation: String = "UPDATE", _ update: @escaping (inout DatasetInfo) -> Void) throws(CatalogError) -> DatasetInfo {
        var result: DatasetInfo?
        _ = try commit(operation: operation, dataset: name) { (datasets) throws(CatalogError) in
            guard let k = datasets.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw CatalogError(.notFound, "no dataset \(_printable(name))", table: name)
            }
            var copy = datasets
            update(&copy[k])
            copy[k].name = datasets[k].name
            copy[k].location = datasets[k].location
            result = copy[k]
            return copy
        }
        return result!
    }
}
