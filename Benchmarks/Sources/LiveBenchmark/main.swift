// Live updates on the staffing candidates table (issue 9), as Benchmarks/Scripts/live_vs_deltalake.py
// runs it:
//
//   LiveBenchmark --candidates candidates.csv --work DIR [--updates 200] [--queries 2000] [--bulk 10000] --out ours.json
//
// 1. Ingests candidates.csv into a fresh lakehouse, declares candidate_id the primary key and pins the
//    dataset in the hot cache.
// 2. `--updates` times: one candidate's phone changes (an upsert of that one row) → commit; the next
//    point query must show the new phone. Reports the commit latency, the bytes the commit wrote and
//    the latency of that first query; also the same change as SQL UPDATE … WHERE candidate_id = ….
// 3. `--queries` point queries (SELECT * … WHERE candidate_id = k) from the hot cache.
// 4. `--bulk` single-row upserts in a row, then compaction: time, files before and after, and query
//    latency (point query, and a whole-table aggregate) before and after.
//
// Latencies are medians and 99th percentiles of wall time per operation, in one process.
import Catalog
import ColumnarCore
import Foundation
import LakehouseKit

func fail(_ message: String) -> Never {
    FileHandle.standardError.write((message + "\n").data(using: .utf8)!)
    exit(1)
}

var options: [String: String] = [:]
var it = CommandLine.arguments.dropFirst().makeIterator()
while let key = it.next() {
    guard key.hasPrefix("--"), let value = it.next() else {
        fail("usage: --candidates FILE --work DIR [--updates N] [--queries N] [--bulk N] --out FILE")
    }
    options[String(key.dropFirst(2))] = value
}
guard let candidates = options["candidates"], let work = options["work"], let out = options["out"] else {
    fail("usage: --candidates FILE --work DIR [--updates N] [--queries N] [--bulk N] --out FILE")
}
let updates = Int(options["updates"] ?? "200")!
let queryCount = Int(options["queries"] ?? "2000")!
let bulk = Int(options["bulk"] ?? "10000")!

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func summary(_ seconds: [Double]) -> [String: Double] {
    let sorted = seconds.sorted()
    guard !sorted.isEmpty else { return [:] }
    func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * q + 0.5))] * 1000 }
    return ["p50_ms": at(0.5), "p99_ms": at(0.99), "mean_ms": sorted.reduce(0, +) / Double(sorted.count) * 1000, "n": Double(sorted.count)]
}

/// A generator of candidate ids and phone numbers that is the same on every run.
struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

let root = work + "/lake"
try? FileManager.default.removeItem(atPath: root)
let lake = try Lakehouse.open(at: root, live: LiveOptions(autoCompact: false))
let ingest = try lake.ingest(candidates, into: "candidates")
_ = try lake.catalog.updateDataset("candidates", operation: "SET PRIMARY KEY") { $0.primaryKey = ["candidate_id"] }
try lake.pin("candidates")
let described = try lake.describe("candidates")
let tableBytes = described.bytes
let idColumn = try lake.sql("SELECT CAST(candidate_id AS BIGINT) FROM candidates ORDER BY candidate_id").batch.columns[0]
let ids: [Int64] = (0..<idColumn.count).compactMap { row in
    if case .int64(let id) = idColumn.scalar(at: row) { return id }
    return nil
}
guard !ids.isEmpty else { fail("no candidates in \(candidates)") }
var random = Random(state: 42)

@MainActor func point(_ id: Int64) throws -> RecordBatch {
    try lake.sql("SELECT * FROM candidates WHERE candidate_id = \(id)").batch
}
// Warm: the cache fills on the second scan of a file.
for _ in 0..<3 { _ = try point(ids[0]) }

/// The row of candidate `id` with a new phone number.
@MainActor func changed(_ id: Int64, phone: String) throws -> RecordBatch {
    let row = try point(id)
    guard row.count == 1, let k = row.schema.fields.firstIndex(where: { $0.name == "phone" }) else { fail("no row for candidate \(id)") }
    var columns = row.columns
    columns[k] = try Kernels.cast(.utf8(BinaryColumn([phone])), to: row.schema.fields[k].dataType)
    return try RecordBatch(schema: row.schema, columns: columns)
}

@MainActor func phone(of id: Int64) throws -> String {
    let batch = try lake.sql("SELECT phone FROM candidates WHERE candidate_id = \(id)").batch
    guard batch.count == 1, case .utf8(let text) = batch.columns[0].scalar(at: 0) else { return "?" }
    return text
}

// 2. One row changes → commit → the next query shows it.
var commitTimes: [Double] = [], firstQueryTimes: [Double] = [], bytesWritten: [Double] = [], sqlUpdateTimes: [Double] = []
for u in 0..<updates {
    let id = ids[random.below(ids.count)]
    let newPhone = "555-\(String(format: "%04d", u))-\(random.below(10_000))"
    let row = try changed(id, phone: newPhone)
    let t0 = now()
    let result = try await lake.upsert([row], into: "candidates")
    let t1 = now()
    let seen = try phone(of: id)
    let t2 = now()
    guard seen == newPhone else { fail("after the upsert of candidate \(id) the query shows phone \(seen), not \(newPhone)") }
    commitTimes.append(t1 - t0)
    firstQueryTimes.append(t2 - t1)
    bytesWritten.append(Double(result.change.bytesWritten))
}
for u in 0..<max(1, updates / 4) {
    let id = ids[random.below(ids.count)]
    let newPhone = "556-\(String(format: "%04d", u))"
    let t0 = now()
    try lake.sql("UPDATE candidates SET phone = '\(newPhone)' WHERE candidate_id = \(id)")
    sqlUpdateTimes.append(now() - t0)
    guard try phone(of: id) == newPhone else { fail("after UPDATE of candidate \(id) the query does not show \(newPhone)") }
}

// 3. Point queries from the hot cache.
@MainActor func pointQueries(_ n: Int) throws -> [Double] {
    var times: [Double] = []
    for _ in 0..<n {
        let id = ids[random.below(ids.count)]
        let t0 = now()
        let batch = try point(id)
        times.append(now() - t0)
        guard batch.count == 1 else { fail("point query for candidate \(id) returned \(batch.count) rows") }
    }
    return times
}
let pointTimes = try pointQueries(queryCount)
let aggregateSQL = "SELECT state, count(*), avg(years_experience) FROM candidates GROUP BY state"
@MainActor func aggregates(_ n: Int) throws -> [Double] {
    var times: [Double] = []
    for _ in 0..<n {
        let t0 = now()
        _ = try lake.sql(aggregateSQL).batch
        times.append(now() - t0)
    }
    return times
}
let cacheStats = lake.cache.statistics

// 4. Many single-row upserts, then compaction.
var bulkTimes: [Double] = []
let bulkStart = now()
for u in 0..<bulk {
    let id = ids[random.below(ids.count)]
    let row = try changed(id, phone: "557-\(u)")
    let t0 = now()
    try await lake.upsert([row], into: "candidates")
    bulkTimes.append(now() - t0)
}
let bulkSeconds = now() - bulkStart
let before = try lake.describe("candidates")
let pointBefore = try pointQueries(min(queryCount, 500))
let aggregateBefore = try aggregates(20)
let t0 = now()
let compaction = try lake.compact("candidates")
let compactSeconds = now() - t0
let after = try lake.describe("candidates")
for _ in 0..<3 { _ = try point(ids[0]); _ = try lake.sql(aggregateSQL).batch }
let pointAfter = try pointQueries(min(queryCount, 500))
let aggregateAfter = try aggregates(20)
let rowsAfter = try lake.sql("SELECT count(*) FROM candidates").batch.columns[0].scalar(at: 0)

let report: [String: Any] = [
    "system": "LakehouseKit",
    "rows": ids.count, "ingest_rows": ingest.rows, "table_bytes": tableBytes, "files_at_start": described.files,
    "upsert_commit": summary(commitTimes), "first_query_after_commit": summary(firstQueryTimes),
    "bytes_written": ["median": bytesWritten.sorted()[bytesWritten.count / 2], "max": bytesWritten.max() ?? 0],
    "sql_update": summary(sqlUpdateTimes),
    "point_query": summary(pointTimes),
    "cache": ["bytes": cacheStats.bytes, "files": cacheStats.files, "hits": cacheStats.hits, "misses": cacheStats.misses],
    "bulk": [
        "upserts": bulk, "seconds": bulkSeconds, "per_upsert": summary(bulkTimes),
        "files_before": before.files, "bytes_before": before.bytes, "version_before": before.version,
        "point_before": summary(pointBefore), "aggregate_before": summary(aggregateBefore),
        "compact_seconds": compactSeconds, "files_removed": compaction.filesRemoved, "files_added": compaction.filesAdded,
        "files_after": after.files, "bytes_after": after.bytes,
        "point_after": summary(pointAfter), "aggregate_after": summary(aggregateAfter),
        "rows_after": "\(rowsAfter)",
    ],
]
let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
try data.write(to: URL(fileURLWithPath: out))
print(String(data: data, encoding: .utf8)!)
