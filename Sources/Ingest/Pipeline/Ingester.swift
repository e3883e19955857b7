import Catalog
import ColumnarCore
import Crypto

/// What an ingest did.
public struct IngestResult: Sendable {
    /// The dataset written.
    public var dataset: String
    /// The dataset's table version holding the rows (the existing one when the same bytes had
    /// been ingested before).
    public var version: Int64
    /// Rows added (0 when the file had been ingested before).
    public var rows: Int64
    /// Rows skipped for having the wrong number of fields (``CSVOptions/RaggedRowPolicy/skip``).
    public var skippedRows: Int
    /// The file's size in bytes.
    public var bytes: Int64
    /// The SHA-256 of the file's bytes, lower-case hex.
    public var contentHash: String
    /// The columns read from the file, with the types they were given.
    public var schema: Schema
    /// True when the same bytes had been ingested into the dataset before: nothing was written.
    public var alreadyIngested: Bool
    /// Whether the ingest created the dataset.
    public var createdDataset: Bool
}

/// Reads CSV and JSON files into datasets: the format, dialect, header and column types are
/// detected; the rows stream into Parquet data files of the dataset's Delta table; one commit
/// publishes them. A failure at any step leaves the lakehouse as it was.
///
/// ```swift
/// let ingester = Ingester(catalog: lakehouse.catalog)
/// let result = try ingester.ingest(file: "exports/candidates.csv", into: "candidates")
/// print(result.rows, result.schema)
/// ```
public struct Ingester: Sendable {
    public let catalog: DatasetCatalog
    public var options: IngestOptions

    public init(catalog: DatasetCatalog, options: IngestOptions = IngestOptions()) {
        self.catalog = catalog
        self.options = options
    }

    /// Ingests `path` into dataset `name` (created when missing; otherwise appended to, adding the
    /// file's new columns). Ingesting the same bytes into the same dataset again does nothing and
    /// reports the version that holds them.
    ///
    /// - Throws: ``IngestError`` naming the file and, for bad content, the line, column and byte.
    @discardableResult
    public func ingest(file path: String, into name: String) throws(IngestError) -> IngestResult {
        do throws(IngestError) {
            return try run(path: path, name: name)
        } catch {
            throw error.adding(file: path)
        }
    }

    /// Reads a CSV or JSON file into memory and writes nothing: its rows in batches, with the
    /// columns and types inference gives, or those of `existing` for the columns it has (for an
    /// upsert into a dataset).
    ///
    /// - Throws: ``IngestError`` naming the file, line and column, as ``ingest(file:into:)`` does.
    public func read(file path: String, existing: Schema? = nil) throws(IngestError) -> (schema: Schema, batches: [RecordBatch]) {
        do throws(IngestError) {
            let file = try InputFile(path: path)
            var format = options.format ?? .csv
            if options.format == nil { format = try detectFormat(file) }
            final class Collected: @unchecked Sendable { var batches: [RecordBatch] = [] }
            for speculate in [true, false] {
                let job = IngestJob(file: file, options: options, format: format)
                try job.survey(speculate: speculate)
                let plan = try job.plan(existing: existing)
                let collected = Collected()
                do throws(IngestError) {
                    try job.convert(plan: plan) { (batch) throws(IngestError) in collected.batches.append(batch) }
                } catch {
                    if error.code == .speculationFailed && speculate { continue }
                    throw error
                }
                return (plan.schema, collected.batches)
            }
            throw IngestError(.speculationFailed, "the file's types could not be settled", file: path)
        } catch {
            throw error.adding(file: path)
        }
    }

    static func ingestTransaction(_ hash: String) -> String { "lakehouse.ingest.sha256." + hash }

    /// What ``ingest(file:into:)`` would report without writing anything when dataset `name`
    /// already holds the bytes of `path`; nil when it does not.
    public func alreadyIngested(file path: String, into name: String) throws(IngestError) -> IngestResult? {
        do throws(IngestError) {
            let file = try InputFile(path: path)
            var format = options.format ?? .csv
            if options.format == nil { format = try detectFormat(file) }
            return try previousIngest(of: file, job: IngestJob(file: file, options: options, format: format), into: name)
        } catch {
            throw error.adding(file: path)
        }
    }

    /// A dataset that has a source of this size may hold these bytes already: hash first.
    private func previousIngest(of file: InputFile, job: IngestJob, into name: String) throws(IngestError) -> IngestResult? {
        let existing: DatasetInfo?
        do { existing = try catalog.dataset(name) } catch { throw IngestError(error, file: file.path) }
        guard let existing, existing.sources.contains(where: { $0.size == Int64(file.size) }) else { return nil }
        let hash = try job.hashWholeFile()
        if let table = try? catalog.table(name), let snapshot = try? table.snapshot(),
           snapshot.transactions[Self.ingestTransaction(hash)] != nil || existing.sources.contains(where: { $0.contentHash == hash }) {
            return IngestResult(dataset: existing.name, version: snapshot.version, rows: 0, skippedRows: 0, bytes: Int64(file.size),
                                contentHash: hash, schema: snapshot.schema, alreadyIngested: true, createdDataset: false)
        }
        return nil
    }

    private func run(path: String, name: String) throws(IngestError) -> IngestResult {
        do { try DatasetInfo.validate(name: name) } catch { throw IngestError(.invalidOption, error.message, file: path) }
        let file = try InputFile(path: path)
        var format = options.format ?? .csv
        if options.format == nil { format = try detectFormat(file) }
        var job = IngestJob(file: file, options: options, format: format)
        if let done = try previousIngest(of: file, job: job, into: name) { return done }
        let existing: DatasetInfo?
        do { existing = try catalog.dataset(name) } catch { throw IngestError(error, file: path) }
        var existingSchema: Schema?
        if existing != nil {
            do { existingSchema = try catalog.table(name).snapshot().schema } catch { throw IngestError(error, file: path) }
        }
        // Pass 1 (the whole file when it fits one window, else its first window): columns and
        // their types; pass 2 writes the rows. When a value beyond the first window does not fit
        // the types the first window gave, everything written is dropped and both passes run
        // over the whole file.
        var attempt = try stream(job, name: name, path: path, existing: existingSchema, speculate: true)
        if attempt.failedSpeculation {
            job = IngestJob(file: file, options: options, format: format)
            attempt = try stream(job, name: name, path: path, existing: existingSchema, speculate: false)
        }
        let plan = attempt.plan
        let write = attempt.write!
        let hash = job.contentHash
        let source = DatasetSource(path: path, contentHash: hash, size: Int64(file.size), ingestedAt: _currentMilliseconds())
        do throws(CatalogError) {
            let (info, result) = try write.commit(source: source, operation: "WRITE",
                                                  parameters: [("mode", .string("Append")), ("source", .string(path)), ("sha256", .string(hash))],
                                                  transaction: (Self.ingestTransaction(hash), 1))
            return IngestResult(dataset: info.name, version: result.version, rows: result.rowsAdded, skippedRows: job.skippedRows,
                                bytes: Int64(file.size), contentHash: hash, schema: plan.schema, alreadyIngested: !result.committed,
                                createdDataset: write.createsDataset)
        } catch {
            throw IngestError(error.code == .alreadyExists ? .schemaConflict : .catalog, error.message, file: path, underlying: error)
        }
    }

    private struct Attempt {
        var plan: IngestPlan
        var write: DatasetWrite?
        var failedSpeculation: Bool
    }

    /// Surveys the file, starts the dataset write and streams the rows into it (nothing is
    /// committed yet).
    private func stream(_ job: IngestJob, name: String, path: String, existing: Schema?, speculate: Bool) throws(IngestError) -> Attempt {
        try job.survey(speculate: speculate)
        let plan = try job.plan(existing: existing)
        let write: DatasetWrite
        do {
            write = try catalog.beginWrite(name, schema: plan.schema, description: options.description, primaryKey: options.primaryKey)
        } catch {
            throw IngestError(error.code == .invalidArgument ? .invalidOption : .catalog, error.message, file: path, underlying: error)
        }
        do throws(IngestError) {
            let target = UnsafeSendable(write)
            try job.convert(plan: plan) { (batch) throws(IngestError) in
                do throws(CatalogError) { try target.value.write(batch) } catch { throw IngestError(error, file: path) }
            }
        } catch {
            write.abort()
            if error.code == .speculationFailed { return Attempt(plan: plan, write: nil, failedSpeculation: true) }
            throw error
        }
        return Attempt(plan: plan, write: write, failedSpeculation: false)
    }

    private func detectFormat(_ file: InputFile) throws(IngestError) -> IngestOptions.Format {
        let lower = file.path.lowercased()
        if lower.hasSuffix(".json") || lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .json }
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") || lower.hasSuffix(".psv") { return .csv }
        var head: [UInt8] = []
        _ = try file.read(at: 0, count: 4096, appendingTo: &head)
        var k = 0
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { k = 3 }
        while k < head.count && (head[k] == 0x20 || head[k] == 0x0A || head[k] == 0x0D || head[k] == 0x09) { k += 1 }
        if k < head.count && (head[k] == UInt8(ascii: "{") || head[k] == UInt8(ascii: "[")) { return .json }
        return .csv
    }
}

/// A column of the file and what will be done with it.
struct PlannedColumn: Sendable {
    /// The column's index in the file (CSV) or gathered columns (JSON).
    var source: Int
    var name: String
    var type: ResolvedType
    /// JSON arrays: the element kind of a list column.
    var listKind: JSONArrays.ElementKind?
    var dataType: DataType
    /// The type was asked for (`columnTypes`) or is the existing dataset's, not inferred.
    var forced = false
}

struct IngestPlan: Sendable {
    var columns: [PlannedColumn]
    var schema: Schema { Schema(columns.map { Field($0.name, $0.dataType, nullable: true) }) }
}

func _currentMilliseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
