import ColumnarCore

/// When a table is compacted, and into what.
public struct DeltaCompactionPolicy: Sendable, Hashable {
    /// Files smaller than this many bytes are small.
    public var smallFileBytes: Int64
    /// Compact automatically when at least this many small files are live.
    public var maxSmallFiles: Int
    /// Compact automatically when a file has at least this share of its rows deleted.
    public var maxDeletedFraction: Double
    /// Rows per file written.
    public var rowsPerFile: Int

    public init(smallFileBytes: Int64 = 8 << 20, maxSmallFiles: Int = 32, maxDeletedFraction: Double = 0.25, rowsPerFile: Int = 1_000_000) {
        self.smallFileBytes = smallFileBytes
        self.maxSmallFiles = maxSmallFiles
        self.maxDeletedFraction = maxDeletedFraction
        self.rowsPerFile = rowsPerFile
    }
}

/// What a compaction did.
public struct DeltaCompactionResult: Sendable, Hashable {
    /// The version written, or the table's version when nothing was compacted.
    public var version: Int64
    public var committed: Bool
    public var filesBefore: Int
    public var filesAfter: Int
    /// Files replaced and files written.
    public var filesRemoved: Int
    public var filesAdded: Int
    /// Live rows rewritten, and deleted rows dropped for good.
    public var rowsRewritten: Int64
    public var deletedRowsDropped: Int64
}

extension DeltaTable {
    /// Whether `policy`'s thresholds call for a compaction of `snapshot`.
    public func needsCompaction(_ snapshot: DeltaSnapshot, policy: DeltaCompactionPolicy = DeltaCompactionPolicy()) -> Bool {
        var small = 0
        for file in snapshot.files {
            if file.size < policy.smallFileBytes { small += 1 }
            if let dv = file.deletionVector, let stats = DeltaFileStatistics.parsed(file), stats.numRecords > 0,
               Double(dv.cardinality) / Double(stats.numRecords) >= policy.maxDeletedFraction {
                return true
            }
        }
        return small >= policy.maxSmallFiles
    }

    /// Merges small files and files with deleted rows into new files, dropping the deleted rows,
    /// in one commit whose actions say `dataChange: false` (the table's rows do not change).
    /// Readers of older versions keep working: no file is deleted (see ``vacuum(retentionMilliseconds:now:dryRun:)``).
    ///
    /// - Parameter force: Compact whatever can be merged (two or more small files, or any file
    ///   with deleted rows) even below the policy's thresholds.
    /// - Throws: ``CatalogError`` `.commitConflict` when a writer changed the files meanwhile
    ///   (nothing is lost: compact again).
    @discardableResult
    public func compact(policy: DeltaCompactionPolicy = DeltaCompactionPolicy(), force: Bool = true) throws(CatalogError) -> DeltaCompactionResult {
        let snapshot = try snapshot()
        let before = snapshot.files.count
        let nothing = DeltaCompactionResult(version: snapshot.version, committed: false, filesBefore: before, filesAfter: before,
                                            filesRemoved: 0, filesAdded: 0, rowsRewritten: 0, deletedRowsDropped: 0)
        if !force && !needsCompaction(snapshot, policy: policy) { return nothing }
        let small = snapshot.files.filter { $0.size < policy.smallFileBytes }
        let withDeletes = snapshot.files.filter { ($0.deletionVector?.cardinality ?? 0) > 0 }
        var chosen = Set(withDeletes.map(\.path))
        if small.count >= 2 { chosen.formUnion(small.map(\.path)) }
        let files = snapshot.files.filter { chosen.contains($0.path) }
        if files.isEmpty { return nothing }
        var rows: [RecordBatch] = []
        var rewritten: Int64 = 0
        try forEachLiveRowGroup(snapshot: snapshot, columns: Array(snapshot.schema.fields.indices), files: files) { (_, batch, _) throws(CatalogError) in
            rows.append(batch)
            rewritten += Int64(batch.count)
        }
        let dropped = files.reduce(Int64(0)) { $0 + ($1.deletionVector?.cardinality ?? 0) }
        var adds: [DeltaAddFile] = []
        do throws(CatalogError) {
            for group in Self.fileGroups(rows, rowsPerFile: max(1, policy.rowsPerFile)) {
                var add = try writeDataFile(group, tableSchema: snapshot.schema)
                add.dataChange = false
                adds.append(add)
            }
            let now = _currentMilliseconds()
            var actions: [DeltaAction] = [commitInfo(operation: "OPTIMIZE", parameters: [("predicate", .string("[]")), ("zOrderBy", .string("[]"))],
                                                     readVersion: snapshot.version)]
            for file in files {
                actions.append(.remove(DeltaRemoveFile(path: file.path, deletionTimestamp: now, dataChange: false, extendedFileMetadata: true,
                                                       partitionValues: file.partitionValues, size: file.size, deletionVector: file.deletionVector)))
            }
            actions += adds.map { .add($0) }
            let version = try commit(actions, readVersion: snapshot.version, blindAppend: false)
            return DeltaCompactionResult(version: version, committed: true, filesBefore: before, filesAfter: before - files.count + adds.count,
                                         filesRemoved: files.count, filesAdded: adds.count, rowsRewritten: rewritten, deletedRowsDropped: dropped)
        } catch {
            for add in adds { try? store.delete(try key(_decodedPath(add.path))) }
            throw error
        }
    }

    /// Deletes the data and deletion vector files that no version committed within the retention
    /// period (nor the newest version) needs, and that are older than it: files of abandoned
    /// writes, and files compaction or deletes replaced long enough ago. Time travel to versions
    /// older than the retention stops working for the files removed.
    ///
    /// - Parameters:
    ///   - retentionMilliseconds: How far back readers may still be reading (default 7 days).
    ///   - dryRun: Only list what would be deleted.
    /// - Returns: The keys deleted (or that would be).
    @discardableResult
    public func vacuum(retentionMilliseconds: Int64 = 7 * 24 * 3_600_000, now: Int64? = nil, dryRun: Bool = false) throws(CatalogError) -> [String] {
        let listing = try listLog()
        guard let latest = listing.latest else { return [] }
        let cutoff = (now ?? _currentMilliseconds()) - max(0, retentionMilliseconds)
        // The oldest version a reader may hold: the newest one committed at or before the cutoff,
        // or the oldest one that can still be read.
        let oldestReadable = listing.checkpoints.keys.min().map { min($0, listing.commits.keys.min() ?? $0) } ?? (listing.commits.keys.min() ?? 0)
        var first = oldestReadable
        if let kept = try? snapshot(asOf: cutoff) { first = max(first, kept.version) }
        var needed = Set<String>()
        func need(_ file: DeltaAddFile) throws(CatalogError) {
            needed.insert(_decodedPath(file.path))
            if let dv = file.deletionVector, dv.storageType == "u" {
                needed.insert(try DeletionVectorStorage.relativeFilePath(uuidPathOrInlineDv: dv.pathOrInlineDv))
            }
        }
        let base: DeltaSnapshot
        do {
            base = try snapshot(version: first, listing: listing)
        } catch {
            return []   // the log cannot be replayed from there: delete nothing
        }
        for file in base.files { try need(file) }
        if first < latest {
            for v in (first + 1)...latest {
                for action in try readCommit(v) {
                    if case .add(let file) = action { try need(file) }
                    if case .remove(let file) = action, let dv = file.deletionVector, dv.storageType == "u" {
                        needed.insert(try DeletionVectorStorage.relativeFilePath(uuidPathOrInlineDv: dv.pathOrInlineDv))
                    }
                }
            }
        }
        let prefix = root.isEmpty ? "" : root + "/"
        var doomed: [String] = []
        for object in try store.listAll(prefix: prefix) {
            let relative = String(object.key.rawValue.dropFirst(prefix.count))
            if relative.hasPrefix("_delta_log/") || relative.hasPrefix("_lakehouse/") || relative.hasPrefix("_") { continue }
            let name = relative.split(separator: "/").last.map(String.init) ?? relative
            guard name.hasSuffix(".parquet") || (name.hasPrefix("deletion_vector_") && name.hasSuffix(".bin")) else { continue }
            if needed.contains(relative) { continue }
            if object.lastModifiedMilliseconds > cutoff { continue }   // maybe a write in progress
            doomed.append(object.key.rawValue)
        }
        if !dryRun {
            for key in doomed { try store.delete(try ObjectKey(key)) }
        }
        return doomed.sorted()
    }
}
