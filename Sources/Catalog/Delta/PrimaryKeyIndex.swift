import ColumnarCore
import Synchronization

/// Where each primary key's row lives in a Delta table: key → (data file, physical row). It lets
/// an upsert find the rows it replaces without scanning the table.
///
/// The index belongs to one table and follows it: ``refresh(_:snapshot:)`` brings it to a
/// snapshot by reading only the key columns of files it has not seen and the deletion vectors
/// that changed, and ``apply(_:newRows:)`` records a change this process committed without
/// reading anything. It is a cache: dropping it and building it again gives the same index.
public final class PrimaryKeyIndex: Sendable {
    /// The key columns, as declared on the dataset.
    public let columns: [String]

    struct FileEntry {
        var path: String
        /// The deletion vector the entry reflects (`uniqueID`), nil for none.
        var deletionVector: String?
        /// Each physical row's key (nil for deleted rows).
        var keys: [[Scalar]?]
    }

    struct Location: Hashable {
        var file: Int32
        var row: UInt32
    }

    struct State {
        var version: Int64 = -1
        var files: [Int32: FileEntry] = [:]
        var fileByPath: [String: Int32] = [:]
        var nextFile: Int32 = 0
        /// The first live row of each key; further rows of the same key (a table written without
        /// the constraint) in `extra`.
        var rows: [[Scalar]: Location] = [:]
        var extra: [[Scalar]: [Location]] = [:]

        mutating func insert(_ key: [Scalar], _ location: Location) {
            if rows[key] == nil { rows[key] = location } else { extra[key, default: []].append(location) }
        }

        mutating func remove(_ key: [Scalar], _ location: Location) {
            if rows[key] == location {
                if var more = extra[key], !more.isEmpty {
                    rows[key] = more.removeFirst()
                    extra[key] = more.isEmpty ? nil : more
                } else {
                    rows[key] = nil
                }
            } else if var more = extra[key], let k = more.firstIndex(of: location) {
                more.remove(at: k)
                extra[key] = more.isEmpty ? nil : more
            }
        }

        mutating func dropFile(_ id: Int32) {
            guard let entry = files[id] else { return }
            for (row, key) in entry.keys.enumerated() {
                if let key { remove(key, Location(file: id, row: UInt32(row))) }
            }
            files[id] = nil
            fileByPath[entry.path] = nil
        }
    }

    let state = Mutex(State())

    public init(columns: [String]) {
        precondition(!columns.isEmpty, "a primary key has at least one column")
        self.columns = columns
    }

    /// The table version the index shows (-1 before the first refresh).
    public var version: Int64 { state.withLock { $0.version } }

    /// How many keys the index holds.
    public var count: Int { state.withLock { $0.rows.count } }

    /// The key column positions in `schema`.
    func keyPositions(_ schema: Schema) throws(CatalogError) -> [Int] {
        var out: [Int] = []
        for column in columns {
            guard let k = schema.fields.firstIndex(where: { $0.name.lowercased() == column.lowercased() }) else {
                throw CatalogError(.invalidArgument, "primary key column \(column) is not a column of the table (columns: \(schema.fields.map(\.name).joined(separator: ", ")))")
            }
            out.append(k)
        }
        return out
    }

    /// The key of each row of `keyColumns` (one column per key column).
    static func keys(_ keyColumns: [Column], count: Int) -> [[Scalar]] {
        (0..<count).map { row in keyColumns.map { $0.scalar(at: row) } }
    }

    /// Brings the index to `snapshot`: files no longer live are dropped, new files' keys read,
    /// and rows newly marked by deletion vectors removed.
    public func refresh(_ table: DeltaTable, snapshot: DeltaSnapshot) throws(CatalogError) {
        if state.withLock({ $0.version == snapshot.version }) { return }
        let positions = try keyPositions(snapshot.schema)
        var current = state.withLock { $0 }
        let live = Set(snapshot.files.map(\.path))
        for (id, entry) in current.files where !live.contains(entry.path) { current.dropFile(id) }
        for file in snapshot.files {
            let dv = file.deletionVector?.uniqueID
            if let id = current.fileByPath[file.path], let entry = current.files[id] {
                guard entry.deletionVector != dv else { continue }
                // The same file with another deletion vector: drop the rows it now marks.
                let deleted = try file.deletionVector.map { (d) throws(CatalogError) in try table.deletedRows(d) } ?? []
                var updated = entry
                for row in deleted where Int(row) < updated.keys.count {
                    if let key = updated.keys[Int(row)] {
                        current.remove(key, Location(file: id, row: UInt32(row)))
                        updated.keys[Int(row)] = nil
                    }
                }
                updated.deletionVector = dv
                current.files[id] = updated
                continue
            }
            // A file not seen: read its key columns.
            let id = current.nextFile
            current.nextFile += 1
            let physical = Int(try table.physicalRowCount(file, snapshot: snapshot))
            var entry = FileEntry(path: file.path, deletionVector: dv, keys: Array(repeating: nil, count: physical))
            try table.forEachLiveRowGroup(snapshot: snapshot, columns: positions, files: [file]) { (_, batch, rows) throws(CatalogError) in
                for (k, key) in Self.keys(batch.columns, count: batch.count).enumerated() {
                    let row = Int(rows[k])
                    if row >= entry.keys.count { entry.keys += Array(repeating: nil, count: row + 1 - entry.keys.count) }
                    entry.keys[row] = key
                    current.insert(key, Location(file: id, row: UInt32(row)))
                }
            }
            current.files[id] = entry
            current.fileByPath[file.path] = id
        }
        current.version = snapshot.version
        let done = current
        state.withLock { $0 = done }
    }

    /// The rows holding `keys` in `snapshot`, found without building the index: only the files
    /// whose statistics (min/max of every key column) admit one of the keys are read, and only
    /// their key columns. Nil when that would not save much — too many keys, or the files left
    /// hold more than a quarter of the table's rows — and building the index is the better buy.
    func lookupByStatistics(_ table: DeltaTable, snapshot: DeltaSnapshot, keys: [[Scalar]]) throws(CatalogError) -> (marks: [String: [UInt64]], found: [Bool])? {
        guard !keys.isEmpty, keys.count <= 1_000 else { return nil }
        let positions = try keyPositions(snapshot.schema)
        let fields = positions.map { snapshot.schema.fields[$0] }
        var candidates: [DeltaAddFile] = []
        var total: Int64 = 0, kept: Int64 = 0
        for file in snapshot.files {
            let rows = Int64(DeltaTable.rowCount(of: file))
            total += rows
            guard let stats = DeltaFileStatistics.parsed(file) else {
                candidates.append(file)
                kept += rows
                continue
            }
            let admits = keys.contains { key in
                zip(fields, key).allSatisfy { field, value in stats.mayMatch(column: field.name, type: field.dataType, op: .equal, value: value) }
            }
            if admits {
                candidates.append(file)
                kept += rows
            }
        }
        guard kept * 4 <= total else { return nil }
        let wanted = Dictionary(keys.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var found = [Bool](repeating: false, count: keys.count)
        var marks: [String: [UInt64]] = [:]
        try table.forEachLiveRowGroup(snapshot: snapshot, columns: positions, files: candidates) { (file, batch, rows) throws(CatalogError) in
            for (k, key) in Self.keys(batch.columns, count: batch.count).enumerated() {
                guard let at = wanted[key] else { continue }
                found[at] = true
                marks[file.path, default: []].append(rows[k])
            }
        }
        return (marks, found)
    }

    /// The rows holding `key` now, as (file path, physical row).
    func locations(_ key: [Scalar], in state: State) -> [(String, UInt64)] {
        var out: [(String, UInt64)] = []
        if let first = state.rows[key], let entry = state.files[first.file] { out.append((entry.path, UInt64(first.row))) }
        for more in state.extra[key] ?? [] {
            if let entry = state.files[more.file] { out.append((entry.path, UInt64(more.row))) }
        }
        return out
    }

    /// The rows holding each key, by file path.
    func marks(for keys: [[Scalar]]) -> (marks: [String: [UInt64]], found: [Bool]) {
        state.withLock { state in
            var marks: [String: [UInt64]] = [:]
            var found: [Bool] = []
            found.reserveCapacity(keys.count)
            for key in keys {
                let hits = locations(key, in: state)
                found.append(!hits.isEmpty)
                for (path, row) in hits { marks[path, default: []].append(row) }
            }
            return (marks, found)
        }
    }

    /// Whether a key is present.
    public func contains(_ key: [Scalar]) -> Bool { state.withLock { $0.rows[key] != nil } }

    /// Records a change this process committed on top of the version the index shows: marked
    /// rows leave, the new files' rows (their keys in file order) arrive.
    func apply(_ change: DeltaRowChange, previousVersion: Int64, newKeys: [[Scalar]]) {
        state.withLock { state in
            guard state.version == previousVersion else { return }   // stale: the next refresh rebuilds what changed
            for (path, rows) in change.deletedPositions {
                guard let id = state.fileByPath[path], var entry = state.files[id] else { continue }
                for row in rows where Int(row) < entry.keys.count {
                    if let key = entry.keys[Int(row)] {
                        state.remove(key, Location(file: id, row: UInt32(row)))
                        entry.keys[Int(row)] = nil
                    }
                }
                // The entry's deletion vector is now the commit's: mark it unknown so a refresh
                // re-reads it only if another writer changed it again.
                entry.deletionVector = Self.pendingVector
                state.files[id] = entry
            }
            var offset = 0
            for file in change.addedFiles {
                let id = state.nextFile
                state.nextFile += 1
                let keys = Array(newKeys[offset..<min(newKeys.count, offset + file.rows)])
                offset += file.rows
                for (row, key) in keys.enumerated() { state.insert(key, Location(file: id, row: UInt32(row))) }
                state.files[id] = FileEntry(path: file.path, deletionVector: nil, keys: keys.map { Optional($0) })
                state.fileByPath[file.path] = id
            }
            state.version = change.version
        }
    }

    static let pendingVector = "\u{0}pending"
}
