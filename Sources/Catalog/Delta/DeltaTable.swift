import ColumnarCore
import Synchronization

/// A Delta Lake table in an object store: Parquet data files plus a `_delta_log/` of JSON commits
/// (delta-io `PROTOCOL.md`), readable in place by Spark, Trino, DuckDB and delta-rs.
///
/// One writer at a time is assumed, but racing writers are safe: each commit is written with
/// put-if-absent of the next `_delta_log/<20-digit version>.json`; the loser reloads, checks that
/// nothing it read has changed, and retries at the next version. Data files are written before the
/// commit and are invisible until it succeeds, so a crash or a lost race leaves no visible change.
/// All paths in the log are relative, so a table copied from a folder to a bucket still works.
///
/// ```swift
/// let store = try LocalFileSystemStore(root: "/data/lake")
/// let table = try DeltaTable.create(in: store, at: "tables/sales", schema: batch.schema)
/// try table.append([batch])
/// let rows = try table.snapshot().rowCount
/// ```
public final class DeltaTable: Sendable {
    /// The store holding the table.
    public let store: any ObjectStore
    /// Replayed logs shared by the tables of one catalog, so that reading the newest snapshot
    /// costs one existence check when nothing changed, and reading only the new commits when
    /// something did.
    let logCache: DeltaLogCache?
    /// The key prefix of the table's root (`""` when the table is the store's root).
    public let root: String
    /// Commits at multiples of this version get a checkpoint (0: never).
    public let checkpointInterval: Int

    /// A table at `root` in `store` (which need not exist yet: see ``create(in:at:schema:configuration:name:description:)``).
    public convenience init(store: any ObjectStore, root: String, checkpointInterval: Int = 10) throws(CatalogError) {
        try self.init(store: store, root: root, checkpointInterval: checkpointInterval, logCache: nil)
    }

    init(store: any ObjectStore, root: String, checkpointInterval: Int, logCache: DeltaLogCache?) throws(CatalogError) {
        let trimmed = root.hasSuffix("/") ? String(root.dropLast()) : root
        if !trimmed.isEmpty { _ = try ObjectKey(trimmed) }
        self.store = store
        self.logCache = logCache
        self.root = trimmed
        self.checkpointInterval = checkpointInterval
    }

    /// The name used in messages.
    public var name: String { root.isEmpty ? store.location : store.location + "/" + root }

    func key(_ relative: String) throws(CatalogError) -> ObjectKey {
        try ObjectKey(root.isEmpty ? relative : root + "/" + relative)
    }

    var logPrefix: String { (root.isEmpty ? "" : root + "/") + "_delta_log/" }

    static func commitName(_ version: Int64) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".json"
    }

    // MARK: Listing the log

    struct LogListing {
        var commits: [Int64: ObjectMetadata] = [:]
        /// Single-file classic checkpoints by version.
        var checkpoints: [Int64: ObjectMetadata] = [:]
        var latest: Int64? { commits.keys.max() }
    }

    func listLog() throws(CatalogError) -> LogListing {
        var listing = LogListing()
        for object in try store.listAll(prefix: logPrefix) {
            let name = String(object.key.rawValue.dropFirst(logPrefix.count))
            guard !name.contains("/"), name.count >= 20, let version = Int64(name.prefix(20)), version >= 0 else { continue }
            let rest = name.dropFirst(20)
            if rest == ".json" { listing.commits[version] = object }
            if rest == ".checkpoint.parquet" { listing.checkpoints[version] = object }
        }
        return listing
    }

    /// Whether the table has a log.
    public func exists() throws(CatalogError) -> Bool {
        !(try store.list(prefix: logPrefix, startAfter: nil, limit: 1).objects.isEmpty)
    }

    /// The newest version, or nil when the table does not exist.
    public func latestVersion() throws(CatalogError) -> Int64? { try listLog().latest }

    func readCommit(_ version: Int64) throws(CatalogError) -> [DeltaAction] {
        let key = try key("_delta_log/" + Self.commitName(version))
        do {
            return try DeltaAction.parseCommit(try store.get(key))
        } catch {
            throw error.adding(key: key.rawValue, table: name, version: version)
        }
    }

    // MARK: Snapshots

    /// The table at `version` (the newest when nil): replayed from the newest checkpoint at or
    /// below it, then the JSON commits after that.
    ///
    /// - Throws: ``CatalogError`` `.notFound` when the table or the version does not exist,
    ///   `.corruptLog` naming the commit and line of a bad action, `.unsupportedFeature` for
    ///   reader features this version cannot read.
    public func snapshot(version: Int64? = nil) throws(CatalogError) -> DeltaSnapshot {
        guard let logCache else { return try snapshot(version: version, listing: try listLog()) }
        if let entry = logCache.entry(root), version.map({ $0 >= entry.snapshot.version }) ?? true {
            // Read the commits after the cached version, one by one, until one is missing.
            var replay = entry.replay
            var changed = false
            while version.map({ replay.version < $0 }) ?? true {
                let next = replay.version + 1
                let bytes: [UInt8]
                do {
                    bytes = try store.get(try key("_delta_log/" + Self.commitName(next)))
                } catch where error.code == .notFound {
                    break
                }
                let actions: [DeltaAction]
                do { actions = try DeltaAction.parseCommit(bytes) } catch { throw error.adding(table: name, version: next) }
                replay.apply(actions)
                replay.version = next
                replay.timestamp = Self.commitTimestamp(actions) ?? _currentMilliseconds()
                changed = true
            }
            if version == nil || replay.version == version {
                if !changed { return entry.snapshot }
                let snapshot = try replay.snapshot(table: name)
                logCache.store(root, DeltaLogCache.Entry(replay: replay, snapshot: snapshot))
                return snapshot
            }
        }
        let listing = try listLog()
        let replay = try self.replay(version: version, listing: listing)
        let snapshot = try replay.snapshot(table: name)
        if version == nil || version == listing.latest { logCache.store(root, DeltaLogCache.Entry(replay: replay, snapshot: snapshot)) }
        return snapshot
    }

    func snapshot(version: Int64?, listing: LogListing) throws(CatalogError) -> DeltaSnapshot {
        try replay(version: version, listing: listing).snapshot(table: name)
    }

    func replay(version: Int64?, listing: LogListing) throws(CatalogError) -> DeltaReplay {
        guard let latest = listing.latest ?? listing.checkpoints.keys.max() else {
            throw CatalogError(.notFound, "no Delta table here (no _delta_log/ commits)", table: name)
        }
        let target = version ?? latest
        guard target >= 0, target <= latest else {
            throw CatalogError(.notFound, "version \(target) does not exist; the table has versions up to \(latest)", table: name, version: target)
        }
        var replay = DeltaReplay()
        var first: Int64 = 0
        if let checkpoint = listing.checkpoints.keys.filter({ $0 <= target }).max(),
           (checkpoint + 1...max(checkpoint + 1, target)).allSatisfy({ listing.commits[$0] != nil }) || checkpoint == target {
            replay = try readCheckpoint(version: checkpoint, object: listing.checkpoints[checkpoint]!)
            replay.version = checkpoint
            first = checkpoint + 1
            replay.timestamp = listing.commits[checkpoint]?.lastModifiedMilliseconds ?? listing.checkpoints[checkpoint]!.lastModifiedMilliseconds
        }
        if first <= target {
            for v in first...target {
                guard let object = listing.commits[v] else {
                    throw CatalogError(.corruptLog, "commit \(v) is missing from the log (and no checkpoint covers it)", table: name, version: v)
                }
                let actions = try readCommit(v)
                replay.apply(actions)
                replay.version = v
                replay.timestamp = Self.commitTimestamp(actions) ?? object.lastModifiedMilliseconds
            }
        }
        return replay
    }

    /// The newest version committed at or before `timestamp` (milliseconds since 1970).
    ///
    /// - Throws: ``CatalogError`` `.notFound` when every version is newer.
    public func snapshot(asOf timestamp: Int64) throws(CatalogError) -> DeltaSnapshot {
        let listing = try listLog()
        var chosen: Int64?
        for version in listing.commits.keys.sorted() {
            let actions = try readCommit(version)
            let time = Self.commitTimestamp(actions) ?? listing.commits[version]!.lastModifiedMilliseconds
            if time <= timestamp { chosen = version } else { break }
        }
        guard let chosen else {
            throw CatalogError(.notFound, "the table has no version committed at or before \(_timestampText(millis: timestamp, utc: true))", table: name)
        }
        return try snapshot(version: chosen, listing: listing)
    }

    static func commitTimestamp(_ actions: [DeltaAction]) -> Int64? {
        for case .commitInfo(let info) in actions {
            if let t = info["inCommitTimestamp"]?.int64Value ?? info["timestamp"]?.int64Value { return t }
        }
        return nil
    }

    /// Every commit, oldest first.
    public func history() throws(CatalogError) -> [DeltaHistoryEntry] {
        let listing = try listLog()
        var entries: [DeltaHistoryEntry] = []
        for version in listing.commits.keys.sorted() {
            let actions = try readCommit(version)
            var entry = DeltaHistoryEntry(version: version, timestamp: Self.commitTimestamp(actions) ?? listing.commits[version]!.lastModifiedMilliseconds,
                                          operation: nil, operationParameters: nil, addedRows: 0, addedFiles: 0, removedFiles: 0)
            for action in actions {
                switch action {
                case .commitInfo(let info):
                    entry.operation = info["operation"]?.stringValue
                    entry.operationParameters = info["operationParameters"]
                case .add(let add):
                    entry.addedFiles += 1
                    if add.dataChange, let stats = DeltaFileStatistics.parsed(add), stats.numRecords > 0 {
                        entry.addedRows += stats.numRecords - (add.deletionVector?.cardinality ?? 0)
                    }
                case .remove: entry.removedFiles += 1
                default: break
                }
            }
            entries.append(entry)
        }
        return entries
    }

    /// Refuses tables that need reader features this version does not have.
    static func checkReadable(_ p: DeltaProtocol, _ m: DeltaMetadata, table: String) throws(CatalogError) {
        if p.minReaderVersion > 3 {
            throw CatalogError(.unsupportedFeature, "the table needs Delta reader version \(p.minReaderVersion); this version reads up to 3", table: table)
        }
        if p.minReaderVersion == 3 {
            let unknown = (p.readerFeatures ?? []).filter { !DeltaProtocol.supportedReaderFeatures.contains($0) }
            if !unknown.isEmpty {
                throw CatalogError(.unsupportedFeature, "the table uses Delta reader features this version cannot read: \(unknown.sorted().joined(separator: ", "))", table: table)
            }
        }
        if let mode = m.configuration["delta.columnMapping.mode"], mode != "none" {
            throw CatalogError(.unsupportedFeature, "the table uses column mapping mode \(mode), which this version does not read", table: table)
        }
    }
}

/// Replayed Delta logs by table root (see ``DeltaTable``'s `logCache`). Only a cache: a table
/// without one lists and replays its log on every snapshot.
public final class DeltaLogCache: Sendable {
    struct Entry: Sendable {
        var replay: DeltaReplay
        var snapshot: DeltaSnapshot
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    func entry(_ root: String) -> Entry? { entries.withLock { $0[root] } }

    /// Keeps `entry` unless a newer one is there.
    func store(_ root: String, _ entry: Entry) {
        entries.withLock { entries in
            if let current = entries[root], current.snapshot.version > entry.snapshot.version { return }
            entries[root] = entry
        }
    }

    /// Forgets every table.
    public func removeAll() { entries.withLock { $0.removeAll() } }
}
