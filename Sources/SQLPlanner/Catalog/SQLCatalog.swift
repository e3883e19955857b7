import ColumnarCore

/// Which version of a catalog table a query reads: `FROM t AS OF VERSION 3`,
/// `FROM t AS OF TIMESTAMP '2026-01-01 00:00:00'`.
public enum SQLTableVersion: Hashable, Sendable {
    case version(Int64)
    /// A timestamp text, as written in the query.
    case timestamp(String)
}

/// Tables that live outside the session (a lakehouse's datasets): found by name when the session
/// has no table of that name, and the target of `CREATE TABLE`, `INSERT INTO` and `DROP TABLE`.
/// Each of those statements is one commit.
public protocol SQLCatalog: AnyObject, Sendable {
    /// Every table name, for messages.
    func tableNames() throws(SQLError) -> [String]
    /// The table named `name` (lower-case) at `version` (the newest when nil), or nil when there is none.
    func table(_ name: String, at version: SQLTableVersion?) throws(SQLError) -> (any SQLTableProvider)?
    /// Creates a table holding `rows` (with `rows.schema`); replaces an existing one when `replace`.
    func createTable(_ name: String, rows: RecordBatch, replace: Bool) throws(SQLError)
    /// Appends rows already in the table's columns and types; returns how many.
    func insert(into name: String, rows: RecordBatch) throws(SQLError) -> Int
    /// Deletes the rows for which `predicate` returns true (every row when nil), as one commit;
    /// returns how many were deleted. The predicate gets batches in the table's columns.
    func delete(from name: String, where predicate: (@Sendable (RecordBatch) throws -> [Bool])?) throws(SQLError) -> Int
    /// Rewrites rows, as one commit: `transform` gets batches in the table's columns and returns
    /// which rows change and their new versions (in the table's columns, one per changed row).
    /// Rows that can change meet every one of `filters` (the table may skip data that cannot).
    /// Returns how many rows changed.
    func update(_ name: String, filters: [SQLScanFilter], _ transform: @escaping @Sendable (RecordBatch) throws -> (changed: [Bool], replacement: RecordBatch)) throws(SQLError) -> Int
    /// Changes rows, as one commit: `transform` gets batches in the table's columns and returns
    /// which rows go and rows that take their place (any number); after the last batch, `then`
    /// returns rows to add as well. Returns the rows updated, deleted and inserted.
    func merge(into name: String, _ transform: @escaping @Sendable (RecordBatch) throws -> (removed: [Bool], added: RecordBatch?),
               then final: @escaping @Sendable () throws -> RecordBatch?) throws(SQLError) -> (updated: Int, deleted: Int, inserted: Int)
    /// Adds a column (existing rows read it as null), as one commit.
    func addColumn(to name: String, _ field: Field) throws(SQLError)
    /// Drops the table; false when there was none.
    func dropTable(_ name: String) throws(SQLError) -> Bool
}

extension SQLCatalog {
    public func update(_ name: String, filters: [SQLScanFilter], _ transform: @escaping @Sendable (RecordBatch) throws -> (changed: [Bool], replacement: RecordBatch)) throws(SQLError) -> Int {
        throw SQLError(.unsupported, "UPDATE is not supported on the tables of this catalog")
    }

    public func merge(into name: String, _ transform: @escaping @Sendable (RecordBatch) throws -> (removed: [Bool], added: RecordBatch?),
                      then final: @escaping @Sendable () throws -> RecordBatch?) throws(SQLError) -> (updated: Int, deleted: Int, inserted: Int) {
        throw SQLError(.unsupported, "MERGE is not supported on the tables of this catalog")
    }
}
