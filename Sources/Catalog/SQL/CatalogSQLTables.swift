import ColumnarCore
import SQLPlanner

/// A lakehouse's datasets as SQL tables: `SELECT … FROM candidates`, `… FROM candidates AS OF
/// VERSION 3`, and `CREATE TABLE … AS SELECT`, `INSERT INTO`, `DROP TABLE` as one commit each.
///
/// ```swift
/// let session = SQLSession.lakehouse()
/// session.catalog = CatalogSQLTables(catalog)
/// try session.execute("CREATE TABLE top AS SELECT * FROM candidates WHERE score > 90")
/// ```
public final class CatalogSQLTables: SQLCatalog {
    public let catalog: DatasetCatalog

    /// Decoded files of hot tables (nil: none kept).
    public let cache: DeltaDataCache?

    public init(_ catalog: DatasetCatalog, cache: DeltaDataCache? = nil) {
        self.catalog = catalog
        self.cache = cache
    }

    private func sqlError(_ error: CatalogError) -> SQLError {
        switch error.code {
        case .notFound: return SQLError(.unknownName, error.description)
        case .unsupportedFeature: return SQLError(.unsupported, error.description)
        default: return SQLError(.runtime, error.description)
        }
    }

    public func tableNames() throws(SQLError) -> [String] {
        do { return try catalog.datasets().map { $0.name.lowercased() } } catch { throw sqlError(error) }
    }

    public func table(_ name: String, at version: SQLTableVersion?) throws(SQLError) -> (any SQLTableProvider)? {
        do throws(CatalogError) {
            guard try catalog.dataset(name) != nil else { return nil }
            let table = try catalog.table(name)
            switch version {
            case nil: return try DeltaTableProvider(table: table, cache: cache)
            case .version(let v): return try DeltaTableProvider(table: table, snapshot: try table.snapshot(version: v), cache: cache)
            case .timestamp(let text):
                guard let millis = _parseTimestampMillis(text.count == 10 ? text + "T00:00:00" : text.replacingSpace()) else {
                    throw CatalogError(.invalidArgument, "AS OF TIMESTAMP '\(text)' is not a timestamp (yyyy-mm-dd hh:mm:ss[.fff][+hh:mm], UTC unless an offset is given)")
                }
                return try DeltaTableProvider(table: table, snapshot: try table.snapshot(asOf: millis), cache: cache)
            }
        } catch {
            throw sqlError(error)
        }
    }

    public func createTable(_ name: String, rows: RecordBatch, replace: Bool) throws(SQLError) {
        do { try catalog.createDataset(name, schema: rows.schema, rows: [rows], replace: replace) } catch { throw sqlError(error) }
    }

    public func insert(into name: String, rows: RecordBatch) throws(SQLError) -> Int {
        do {
            try catalog.table(name).append([rows])
            return rows.count
        } catch {
            throw sqlError(error)
        }
    }

    public func delete(from name: String, where predicate: (@Sendable (RecordBatch) throws -> [Bool])?) throws(SQLError) -> Int {
        do { return Int(try catalog.table(name).delete(where: predicate).rowsDeleted) } catch { throw sqlError(error) }
    }

    public func update(_ name: String, filters: [SQLScanFilter], _ transform: @escaping @Sendable (RecordBatch) throws -> (changed: [Bool], replacement: RecordBatch)) throws(SQLError) -> Int {
        do {
            let change = try catalog.table(name).updateRows(files: { file, snapshot in
                DeltaTableProvider.mayMatch(file, filters: filters, snapshot: snapshot)
            }) { batch in
                let (changed, replacement) = try transform(batch)
                return (changed, replacement)
            }
            return Int(change.rowsUpdated)
        } catch {
            throw sqlError(error)
        }
    }

    public func merge(into name: String, _ transform: @escaping @Sendable (RecordBatch) throws -> (removed: [Bool], added: RecordBatch?),
                      then final: @escaping @Sendable () throws -> RecordBatch?) throws(SQLError) -> (updated: Int, deleted: Int, inserted: Int) {
        do {
            let change = try catalog.table(name).mergeRows(transform, then: final)
            return (Int(change.rowsUpdated), Int(change.rowsDeleted), Int(change.rowsInserted))
        } catch {
            // The statement's own error (a row matched twice, a failed cast) as it was thrown.
            if let inner = error.underlying as? SQLError { throw inner }
            throw sqlError(error)
        }
    }

    public func addColumn(to name: String, _ field: Field) throws(SQLError) {
        do { try catalog.table(name).addColumns([field]) } catch { throw sqlError(error) }
    }

    public func dropTable(_ name: String) throws(SQLError) -> Bool {
        do { return try catalog.dropDataset(name) } catch { throw sqlError(error) }
    }
}

extension String {
    /// `2026-01-01 10:00:00` → `2026-01-01T10:00:00`.
    func replacingSpace() -> String {
        guard utf8.count > 10, let space = firstIndex(of: " ") else { return self }
        var copy = self
        copy.replaceSubrange(space...space, with: "T")
        return copy
    }
}
