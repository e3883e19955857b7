import ColumnarCore
import SQLPlanner

/// `delta_scan('path')`: any Delta table, by the location of its root — a folder, or a key prefix
/// in a store the function was made with (`delta_scan('tables/x')` over a lakehouse's store).
/// An optional second argument reads a past version: `delta_scan('path', 3)`.
public struct DeltaScanFunction: SQLTableFunction {
    /// Opens the store a path lives in, and the table's root within it.
    public let resolve: @Sendable (String) throws(CatalogError) -> (any ObjectStore, String)

    /// A function over local folders: the path is the table's folder.
    public init() {
        self.resolve = { (path: String) throws(CatalogError) in (try LocalFileSystemStore(root: path, create: false), "") }
    }

    /// A function with its own path resolution (for object stores).
    public init(resolve: @escaping @Sendable (String) throws(CatalogError) -> (any ObjectStore, String)) {
        self.resolve = resolve
    }

    public func table(arguments: [Scalar]) throws(SQLError) -> any SQLTableProvider {
        guard (1...2).contains(arguments.count), case .utf8(let path) = arguments[0] else {
            throw SQLError(.typeMismatch, "delta_scan takes the table's path and optionally a version")
        }
        var version: Int64?
        if arguments.count == 2 {
            switch arguments[1] {
            case .int64(let v): version = v
            case .int32(let v): version = Int64(v)
            default: throw SQLError(.typeMismatch, "delta_scan's second argument is a version number")
            }
        }
        do throws(CatalogError) {
            let (store, root) = try resolve(path)
            let table = try DeltaTable(store: store, root: root)
            return try DeltaTableProvider(table: table, snapshot: try table.snapshot(version: version))
        } catch {
            throw SQLError(error.code == .notFound ? .unknownName : .runtime, "delta_scan('\(path)'): \(error)")
        }
    }
}
