import ColumnarCore
import Synchronization

/// What a scan asks of a table: which columns (by position; nil for all) and, when the plan
/// allows it, at most how many rows. Filters join this request in later steps.
public struct SQLScanRequest: Sendable {
    public var columns: [Int]?
    public var limit: Int?
    /// Conditions every row the plan uses meets: a table may skip data that cannot meet them
    /// (row groups, pages, files) but need not; the plan filters the rows again.
    public var filters: [SQLScanFilter]

    public init(columns: [Int]? = nil, limit: Int? = nil, filters: [SQLScanFilter] = []) {
        self.columns = columns
        self.limit = limit
        self.filters = filters
    }
}

/// `column op constant` over a table's column (by position in the table's schema), with the
/// constant of the column's type.
public struct SQLScanFilter: Sendable {
    public var column: Int
    public var op: ComparisonOperator
    public var value: Scalar

    public init(column: Int, op: ComparisonOperator, value: Scalar) {
        self.column = column
        self.op = op
        self.value = value
    }
}

/// A function in FROM that makes a table from constant arguments: `read_parquet('x/*.parquet')`.
public protocol SQLTableFunction: Sendable {
    func table(arguments: [Scalar]) throws(SQLError) -> any SQLTableProvider
}

/// The only way SQLPlanner reaches data: a schema and scans returning record batches.
public protocol SQLTableProvider: Sendable {
    var schema: Schema { get }
    /// The batches of the requested columns (in the requested order).
    func scan(_ request: SQLScanRequest) throws(SQLError) -> [RecordBatch]
    /// About how many rows the table has, for ordering joins (nil when unknown).
    var estimatedRowCount: Int? { get }
    /// About how many distinct values a column holds, for estimating join sizes (nil when
    /// unknown).
    func estimatedDistinctCount(column: Int) -> Int?
    /// The scan split into pieces that can be read independently and in parallel (a Parquet
    /// row group each): the engine streams each piece through filters, projections and
    /// partial aggregation, so a large table is never held in memory whole. The default is one
    /// piece, the whole ``scan(_:)``.
    func partitions(_ request: SQLScanRequest) throws(SQLError) -> [SQLScanPartition]
}

extension SQLTableProvider {
    public var estimatedRowCount: Int? { nil }

    public func estimatedDistinctCount(column: Int) -> Int? { nil }

    public func partitions(_ request: SQLScanRequest) throws(SQLError) -> [SQLScanPartition] {
        [SQLScanPartition { try self.scan(request) }]
    }
}

/// One independently readable piece of a scan.
public struct SQLScanPartition: Sendable {
    /// Reads the piece's batches (with the request's columns, in order).
    public let read: @Sendable () throws -> [RecordBatch]

    public init(_ read: @escaping @Sendable () throws -> [RecordBatch]) {
        self.read = read
    }
}

/// A table held in memory: what `CREATE TABLE` and `INSERT` make.
public final class MemoryTable: SQLTableProvider {
    public let schema: Schema
    private let batches: Mutex<[RecordBatch]>

    public init(schema: Schema, batches: [RecordBatch] = []) {
        self.schema = schema
        self.batches = Mutex(batches)
    }

    /// Appends rows (the batch must have the table's schema).
    public func append(_ batch: RecordBatch) {
        guard batch.count > 0 else { return }
        batches.withLock { $0.append(batch) }
    }

    /// Replaces every row.
    public func replace(with newBatches: [RecordBatch]) {
        batches.withLock { $0 = newBatches }
    }

    public var rowCount: Int { batches.withLock { $0.reduce(0) { $0 + $1.count } } }

    public var estimatedRowCount: Int? { rowCount }

    public func estimatedDistinctCount(column: Int) -> Int? {
        guard let batches = try? scan(SQLScanRequest(columns: [column])), !batches.isEmpty,
              let all = try? Kernels.concatenate(batches.map { $0.columns[0] }), all.count > 0,
              let groups = try? Kernels.groupIDs([all]) else { return nil }
        return groups.groupCount
    }

    public func partitions(_ request: SQLScanRequest) throws(SQLError) -> [SQLScanPartition] {
        let batches = try scan(request)
        return batches.map { batch in SQLScanPartition { [batch] } }
    }

    public func scan(_ request: SQLScanRequest) throws(SQLError) -> [RecordBatch] {
        let all = batches.withLock { $0 }
        var result: [RecordBatch] = []
        var remaining = request.limit ?? Int.max
        for batch in all where remaining > 0 {
            let rows = batch.count > remaining ? batch.slice(0..<remaining) : batch
            remaining -= rows.count
            guard let columns = request.columns else { result.append(rows); continue }
            do {
                result.append(try RecordBatch(schema: Schema(columns.map { schema.fields[$0] }), columns: columns.map { rows.columns[$0] }, count: rows.count))
            } catch {
                throw SQLError(.internalError, "projecting a memory table: \(error)")
            }
        }
        return result
    }
}

/// A memory table with DuckDB's `rowid` pseudo-column appended (hidden from `*`): each row's
/// position in the table, from 0, in the order the rows are stored.
struct RowIDTable: SQLTableProvider {
    let base: MemoryTable
    static let columnName = _hiddenPrefix + "rowid"

    var schema: Schema { Schema(base.schema.fields + [Field(RowIDTable.columnName, .int64, nullable: false)]) }
    var estimatedRowCount: Int? { base.estimatedRowCount }
    func estimatedDistinctCount(column: Int) -> Int? {
        column < base.schema.fields.count ? base.estimatedDistinctCount(column: column) : base.estimatedRowCount
    }

    /// One piece per stored batch, as the memory table itself offers them.
    func partitions(_ request: SQLScanRequest) throws(SQLError) -> [SQLScanPartition] {
        try scan(request).map { batch in SQLScanPartition { [batch] } }
    }

    func scan(_ request: SQLScanRequest) throws(SQLError) -> [RecordBatch] {
        let width = base.schema.fields.count
        let wanted = request.columns ?? Array(0...width)
        // The base columns asked for (at least one, so that every batch knows its row count);
        // no filters, so the row positions stay exact (a limit keeps the first rows: exact too).
        var baseColumns = wanted.filter { $0 < width }
        if baseColumns.isEmpty { baseColumns = [0] }
        let batches = try base.scan(SQLScanRequest(columns: baseColumns, limit: request.limit))
        var offset: Int64 = 0
        var result: [RecordBatch] = []
        let fields = schema.fields
        for batch in batches {
            let start = offset
            let ids = Column.int64(PrimitiveColumn(values: ValueBuffer(unsafeUninitializedCount: batch.count) { out in
                for i in 0..<batch.count { out[i] = start + Int64(i) }
            }))
            offset += Int64(batch.count)
            let columns = wanted.map { k in k < width ? batch.columns[baseColumns.firstIndex(of: k)!] : ids }
            do {
                result.append(try RecordBatch(schema: Schema(wanted.map { fields[$0] }), columns: columns, count: batch.count))
            } catch {
                throw SQLError(.internalError, "rowid scan: \(error)")
            }
        }
        return result
    }
}
