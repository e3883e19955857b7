import Catalog
import ColumnarCore
import SQLPlanner

/// A lakehouse: an object store (a folder, or an S3-compatible bucket) holding datasets as Delta
/// Lake tables and the registry naming them. The store is the whole lakehouse: opening the same
/// root on another machine gives back every dataset and version.
///
/// ```swift
/// let lake = try Lakehouse.open("/data/lake")
/// try lake.sql("CREATE TABLE top AS SELECT * FROM read_parquet('in.parquet') WHERE score > 90")
/// let rows = try lake.sql("SELECT count(*) FROM top")
/// ```
public final class Lakehouse: Sendable {
    /// Where everything is kept.
    public let store: any ObjectStore
    /// The datasets.
    public let catalog: DatasetCatalog

    /// A lakehouse over `store`.
    public init(store: any ObjectStore, checkpointInterval: Int = 10) {
        self.store = store
        self.catalog = DatasetCatalog(store: store, checkpointInterval: checkpointInterval)
    }

    /// Opens the lakehouse at `root`: a folder path (created when missing) or
    /// `s3://bucket/prefix` (endpoint, region and credentials from the AWS environment variables).
    public static func open(_ root: String, environment: [String: String] = _environment()) throws(CatalogError) -> Lakehouse {
        Lakehouse(store: try openStore(root, environment: environment))
    }

    /// The object store a root names.
    public static func openStore(_ root: String, environment: [String: String] = _environment()) throws(CatalogError) -> any ObjectStore {
        if root.hasPrefix("s3://") {
            return try S3Store(url: root, environment: environment)
        }
        guard !root.contains("://") else {
            throw CatalogError(.invalidArgument, "unsupported lakehouse root \(root): give a folder path or s3://bucket/prefix")
        }
        return try LocalFileSystemStore(root: root)
    }

    /// A SQL session over the datasets (and `read_parquet`).
    public func session() -> SQLSession {
        let session = SQLSession.lakehouse()
        session.catalog = CatalogSQLTables(catalog)
        return session
    }

    /// Runs SQL statements against the datasets and returns the last result.
    @discardableResult
    public func sql(_ text: String) throws(SQLError) -> RecordBatch {
        try session().execute(text)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process environment.
public func _environment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let eq = text.firstIndex(of: "=") { result[String(text[..<eq])] = String(text[text.index(after: eq)...]) }
        pointer += 1
    }
    return result
}
