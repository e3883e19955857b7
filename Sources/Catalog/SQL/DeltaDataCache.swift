import ColumnarCore
import Synchronization

/// Decoded data files of hot tables, in memory, under a byte limit with least-recently-used
/// eviction.
///
/// A data file never changes once written, so a cached file is never stale: what changes is
/// which of its rows are live, and that comes from the deletion vector of the snapshot being
/// read, applied to the cached rows at every scan. An upsert therefore leaves the big base file
/// cached and only its (small) new file is read. Dropping the cache at any moment changes no
/// result, only speed.
///
/// Tables are cached once they are pinned (``pin(_:)``) or have been scanned
/// ``scansBeforeCaching`` times.
public final class DeltaDataCache: Sendable {
    /// The most bytes of decoded columns kept.
    public let memoryLimit: Int
    /// Scans of an unpinned table before its files are cached.
    public let scansBeforeCaching: Int

    struct Key: Hashable {
        var root: String
        var path: String
        /// The table schema's column names and types the batches are in.
        var schema: Int
    }

    struct Entry {
        var batches: [RecordBatch]
        var bytes: Int
        var lastUse: UInt64
        /// The file's live rows under one deletion vector (its unique id), filtered once and
        /// reused by every scan of snapshots with that vector.
        var liveVector: String?
        var live: [RecordBatch]?
        var liveBytes = 0
        /// Whether `live` is zero-copy slices around the deleted rows, and how often it was read.
        var liveSliced = false
        var liveUses = 0
        /// The deleted rows (physical, ascending) `live` leaves out.
        var liveDeleted: [Int64] = []
    }

    struct State {
        var entries: [Key: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var pinned: Set<String> = []
        var scans: [String: Int] = [:]
        var hits = 0
        var misses = 0
        /// Decoded deletion vectors by table root and unique id.
        var vectors: [String: [Int64]] = [:]
    }

    let state = Mutex(State())

    public init(memoryLimit: Int = 1 << 30, scansBeforeCaching: Int = 2) {
        self.memoryLimit = max(0, memoryLimit)
        self.scansBeforeCaching = max(1, scansBeforeCaching)
    }

    /// Keeps the files of the table at `root` cached (subject to the memory limit).
    public func pin(_ root: String) { state.withLock { _ = $0.pinned.insert(root) } }

    /// Lets the table at `root` be evicted like any other.
    public func unpin(_ root: String) { state.withLock { _ = $0.pinned.remove(root) } }

    /// Drops every cached file.
    public func removeAll() {
        state.withLock { state in
            state.entries.removeAll()
            state.bytes = 0
        }
    }

    /// Cached bytes, cached files, and hits and misses so far.
    public var statistics: (bytes: Int, files: Int, hits: Int, misses: Int) {
        state.withLock { ($0.bytes, $0.entries.count, $0.hits, $0.misses) }
    }

    /// Counts a scan of the table at `root` and says whether its files are to be cached.
    func noteScan(_ root: String) -> Bool {
        if memoryLimit == 0 { return false }
        return state.withLock { state in
            if state.pinned.contains(root) { return true }
            state.scans[root, default: 0] += 1
            return state.scans[root]! >= scansBeforeCaching
        }
    }

    func get(_ key: Key) -> [RecordBatch]? {
        state.withLock { state in
            guard var entry = state.entries[key] else {
                state.misses += 1
                return nil
            }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[key] = entry
            state.hits += 1
            return entry.batches
        }
    }

    func put(_ key: Key, _ batches: [RecordBatch]) {
        let bytes = Self.estimatedBytes(batches)
        guard bytes <= memoryLimit else { return }
        state.withLock { state in
            if let old = state.entries[key] { state.bytes -= old.bytes + old.liveBytes }
            state.clock += 1
            state.entries[key] = Entry(batches: batches, bytes: bytes, lastUse: state.clock)
            state.bytes += bytes
            evict(&state, keeping: key)
        }
    }

    /// The live rows of a cached file under deletion vector `vector`, when they were kept.
    func live(_ key: Key, vector: String) -> (batches: [RecordBatch], sliced: Bool, uses: Int)? {
        state.withLock { state in
            guard var entry = state.entries[key], entry.liveVector == vector, let live = entry.live else { return nil }
            entry.liveUses += 1
            state.entries[key] = entry
            return (live, entry.liveSliced, entry.liveUses)
        }
    }

    /// Keeps the live rows of a cached file under deletion vector `vector` (replacing those of
    /// an older vector: a file's vector only ever grows, newer snapshots are the ones read);
    /// `bytes` is what they add (slices of the cached batches add nothing).
    /// The live rows kept for a cached file under whichever deletion vector was read last,
    /// with the rows that vector deletes and the bytes they hold.
    func previousLive(_ key: Key) -> (batches: [RecordBatch], deleted: [Int64], bytes: Int)? {
        state.withLock { state in
            guard let entry = state.entries[key], let live = entry.live else { return nil }
            return (live, entry.liveDeleted, entry.liveBytes)
        }
    }

    /// The rows of `new` not in `old` (both ascending), or nil when `old` is not a subset of
    /// `new` (a vector from another history).
    static func added(_ old: [Int64], _ new: [Int64]) -> [Int64]? {
        var fresh: [Int64] = []
        var i = 0
        for row in new {
            if i < old.count, old[i] == row { i += 1 } else if i < old.count, old[i] < row { return nil } else { fresh.append(row) }
        }
        return i == old.count ? fresh : nil
    }

    /// `batches` (read as one sequence of rows) without the rows at `positions` (ascending), as
    /// zero-copy slices.
    static func slices(_ batches: [RecordBatch], dropping positions: [Int]) -> [RecordBatch] {
        var out: [RecordBatch] = []
        var next = 0, start = 0
        for batch in batches {
            let end = start + batch.count
            var from = 0
            while next < positions.count, positions[next] < end {
                let row = positions[next] - start
                if row > from { out.append(batch.slice(from..<row)) }
                from = row + 1
                next += 1
            }
            if from == 0 { out.append(batch) } else if from < batch.count { out.append(batch.slice(from..<batch.count)) }
            start = end
        }
        return out
    }

    /// `batches` (physical rows, in order) without the rows at `deleted` (ascending), copied.
    static func filtered(_ batches: [RecordBatch], dropping deleted: [Int64]) throws -> [RecordBatch] {
        var out: [RecordBatch] = []
        var start: Int64 = 0, lower = 0
        for batch in batches {
            let end = start + Int64(batch.count)
            defer { start = end }
            var keep = [Bool](repeating: true, count: batch.count)
            var count = batch.count
            while lower < deleted.count, deleted[lower] < end {
                if deleted[lower] >= start {
                    keep[Int(deleted[lower] - start)] = false
                    count -= 1
                }
                lower += 1
            }
            if count == batch.count { out.append(batch); continue }
            if count == 0 { continue }
            let mask = BooleanColumn(values: Bitmap(keep))
            out.append(try RecordBatch(schema: batch.schema, columns: try batch.columns.map { try Kernels.filter($0, mask) }, count: count))
        }
        return out
    }

    func putLive(_ key: Key, vector: String, _ batches: [RecordBatch], bytes: Int, sliced: Bool, deleted: [Int64]) {
        state.withLock { state in
            guard var entry = state.entries[key], entry.bytes + bytes <= memoryLimit else { return }
            entry.liveDeleted = deleted
            state.bytes += bytes - entry.liveBytes
            entry.liveUses = entry.liveVector == vector ? entry.liveUses : 0
            entry.liveVector = vector
            entry.live = batches
            entry.liveBytes = bytes
            entry.liveSliced = sliced
            state.entries[key] = entry
            evict(&state, keeping: key)
        }
    }

    /// Evicts the least recently used files, unpinned ones first, until the limit holds.
    private func evict(_ state: inout State, keeping key: Key) {
        while state.bytes > memoryLimit {
            let victims = state.entries.filter { $0.key != key }
            let unpinned = victims.filter { !state.pinned.contains($0.key.root) }
            guard let victim = (unpinned.isEmpty ? victims : unpinned).min(by: { $0.value.lastUse < $1.value.lastUse }) else { break }
            state.bytes -= victim.value.bytes + victim.value.liveBytes
            state.entries[victim.key] = nil
        }
    }

    static func estimatedBytes(_ batches: [RecordBatch]) -> Int {
        batches.reduce(0) { total, batch in total + batch.columns.reduce(0) { $0 + estimatedBytes($1) } }
    }

    /// The deleted rows of a deletion vector, decoded once.
    func deletedRows(_ table: DeltaTable, _ dv: DeletionVectorDescriptor) throws(CatalogError) -> [Int64] {
        let key = table.root + "|" + dv.uniqueID
        if let rows = state.withLock({ $0.vectors[key] }) { return rows }
        let rows = try table.deletedRows(dv)
        state.withLock { state in
            if state.vectors.count >= 4096 { state.vectors.removeAll() }
            state.vectors[key] = rows
        }
        return rows
    }

    /// About how many bytes a column's buffers take.
    static func estimatedBytes(_ column: Column) -> Int {
        switch column {
        case .utf8(let b), .binary(let b): return b.offsets.count * 4 + b.bytes.count
        case .dictionary(let d): return d.indices.values.count * 4 + d.dictionary.offsets.count * 4 + d.dictionary.bytes.count
        case .fixedSizeList(let f): return f.values.count * 4
        case .boolean: return column.count / 4 + 8
        case .decimal128, .wideTimestamp: return column.count * 16 + column.count / 8
        default: return column.count * 8 + column.count / 8
        }
    }

    static func schemaKey(_ schema: Schema) -> Int {
        var hasher = Hasher()
        for field in schema.fields {
            hasher.combine(field.name)
            hasher.combine("\(field.dataType)")
        }
        return hasher.finalize()
    }
}
