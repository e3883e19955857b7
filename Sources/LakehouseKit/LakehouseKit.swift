// The umbrella module: an app imports `LakehouseKit` and gets every layer it needs.
@_exported import ColumnarCore
@_exported import ParquetKit
@_exported import SQLPlanner
@_exported import Catalog
@_exported import Ingest

/// Facts about this build of LakehouseKit.
public enum LakehouseVersion {
    /// The semantic version of the library and the `lakehouse` tool.
    public static let current = "0.1.0"
}
