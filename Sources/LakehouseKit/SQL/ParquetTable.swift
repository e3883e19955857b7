import ColumnarCore
import ParquetKit
import SQLPlanner
import Catalog
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parquet files as one SQL table: what `read_parquet('path or glob')` returns. The schema is
/// the first file's (every file must have the same columns); scans read only the requested
/// columns, and skip row groups and pages whose statistics rule out the scan's filters.
public final class ParquetTable: SQLTableProvider {
    public let paths: [String]
    public let schema: Schema
    private let readers: [ParquetFileReader]

    /// Opens the files (reading their footers).
    ///
    /// - Throws: ``SQLError`` `.runtime` naming the file that cannot be read, or whose columns
    ///   differ from the first file's.
    public init(paths: [String]) throws(SQLError) {
        guard let first = paths.first else { throw SQLError(.runtime, "read_parquet: no files") }
        self.paths = paths
        var readers: [ParquetFileReader] = []
        var schema: Schema?
        for path in paths {
            do throws(ParquetError) {
                let reader = try ParquetFileReader(source: try LocalFileByteSource(path: path))
                let fileSchema = try reader.schema()
                if let schema, schema.fields.map(\.name) != fileSchema.fields.map(\.name) || schema.fields.map(\.dataType) != fileSchema.fields.map(\.dataType) {
                    throw ParquetError(code: .invalidArgument, message: "its columns differ from those of \(first)", context: .init(filePath: path))
                }
                schema = schema ?? fileSchema
                readers.append(reader)
            } catch {
                throw SQLError(.runtime, "read_parquet: \(error)")
            }
        }
        self.readers = readers
        self.schema = schema!
    }

    public var estimatedRowCount: Int? {
        // Footers are untrusted: negative or huge counts must not trap.
        readers.reduce(0) { total, reader in
            let rows = Int(clamping: Swift.max(0, reader.metadata.numRows))
            let (sum, overflow) = total.addingReportingOverflow(rows)
            return overflow ? Int.max : sum
        }
    }

    private let distinctCounts = Mutex<[Int: Int]>([:])

    /// Estimated from the first row group: the number of distinct values `D` for which a
    /// uniform sample of that group's size would show the distinct values it has
    /// (`d = D·(1 − e^(−n/D))`), at most the table's row count. Computed once per column.
    public func estimatedDistinctCount(column: Int) -> Int? {
        if let known = distinctCounts.withLock({ $0[column] }) { return known }
        guard let reader = readers.first, !reader.metadata.rowGroups.isEmpty,
              let batch = try? reader.readRowGroups([0], columns: [schema.fields[column].name], parallel: false).first,
              batch.count > 0, let groups = try? Kernels.groupIDs([batch.columns[0]]) else { return nil }
        let n = Double(batch.count), d = Double(groups.groupCount)
        let total = Double(estimatedRowCount ?? batch.count)
        var estimate: Double
        if d >= n * 0.999 {
            estimate = total
        } else {
            var low = d, high = total
            for _ in 0..<60 {
                let mid = (low + high) / 2
                if mid * (1 - exp(-n / mid)) < d { low = mid } else { high = mid }
            }
            estimate = (low + high) / 2
        }
        let bounded = min(estimate, total, 1e18)
        let result = bounded.isFinite && bounded > 0 ? Int(bounded.rounded()) : 1
        distinctCounts.withLock { $0[column] = result }
        return result
    }

    /// One piece per row group that the filters do not rule out, read on its own (pages pruned
    /// by the filters too).
    public func partitions(_ request: SQLScanRequest) throws(SQLError) -> [SQLScanPartition] {
        let names = (request.columns ?? Array(schema.fields.indices)).map { schema.fields[$0].name }
        let outputSchema = Schema(names.map { name in schema.fields.first { $0.name == name }! })
        let predicates = request.filters.map { ParquetPredicate.compare(schema.fields[$0.column].name, $0.op, $0.value) }
        let predicate = predicates.isEmpty ? nil : ParquetPredicate.and(predicates)
        var pieces: [SQLScanPartition] = []
        do throws(ParquetError) {
            for reader in readers {
                let groups = try predicate.map { (p) throws(ParquetError) -> [Int] in try reader.rowGroups(matching: p) } ?? Array(reader.metadata.rowGroups.indices)
                for group in groups {
                    pieces.append(SQLScanPartition {
                        let batch: RecordBatch
                        if let predicate {
                            batch = try reader.readRowGroup(group, columns: names, pruningPagesBy: predicate)
                        } else {
                            batch = try reader.readRowGroups([group], columns: names, parallel: false)[0]
                        }
                        return [try RecordBatch(schema: outputSchema, columns: batch.columns, count: batch.count)]
                    })
                }
            }
        } catch {
            throw SQLError(.runtime, "read_parquet: \(error)")
        }
        return pieces
    }

    public func scan(_ request: SQLScanRequest) throws(SQLError) -> [RecordBatch] {
        let names = (request.columns ?? Array(schema.fields.indices)).map { schema.fields[$0].name }
        let outputSchema = Schema(names.map { name in schema.fields.first { $0.name == name }! })
        let predicates = request.filters.map { ParquetPredicate.compare(schema.fields[$0.column].name, $0.op, $0.value) }
        var batches: [RecordBatch] = []
        var remaining = request.limit ?? Int.max
        do throws(ParquetError) {
            for reader in readers where remaining > 0 {
                var read: [RecordBatch]
                if predicates.isEmpty {
                    read = try reader.readRowGroups(columns: names)
                } else {
                    let predicate = ParquetPredicate.and(predicates)
                    read = []
                    for group in try reader.rowGroups(matching: predicate) {
                        read.append(try reader.readRowGroup(group, columns: names, pruningPagesBy: predicate))
                    }
                }
                for batch in read where remaining > 0 {
                    let rows = batch.count > remaining ? batch.slice(0..<remaining) : batch
                    remaining -= rows.count
                    do {
                        batches.append(try RecordBatch(schema: outputSchema, columns: rows.columns, count: rows.count))
                    } catch {
                        throw ParquetError(code: .invalidArgument, message: "\(error)", context: .init(filePath: reader.source.name))
                    }
                }
            }
        } catch {
            throw SQLError(.runtime, "read_parquet: \(error)")
        }
        return batches
    }
}

/// `read_parquet('path')` and `read_parquet('dir/*.parquet')`: a ``ParquetTable`` over the
/// file, or the files a glob pattern matches (in name order).
public struct ReadParquetFunction: SQLTableFunction {
    public init() {}

    public func table(arguments: [Scalar]) throws(SQLError) -> any SQLTableProvider {
        guard arguments.count == 1, case .utf8(let pattern) = arguments[0] else {
            throw SQLError(.typeMismatch, "read_parquet takes one text argument: a path or a glob pattern")
        }
        let paths = _expandGlob(pattern)
        guard !paths.isEmpty else { throw SQLError(.runtime, "read_parquet: no file matches \(pattern)") }
        return try ParquetTable(paths: paths)
    }
}

/// The paths a glob pattern matches, sorted; a pattern without wildcards is itself.
func _expandGlob(_ pattern: String) -> [String] {
    guard pattern.contains(where: { "*?[".contains($0) }) else { return [pattern] }
    var result = glob_t()
    defer { globfree(&result) }
    guard glob(pattern, 0, nil, &result) == 0 else { return [] }
    var paths: [String] = []
    for i in 0..<Int(result.gl_pathc) {
        if let path = result.gl_pathv[i] { paths.append(String(cString: path)) }
    }
    return paths.sorted()
}

extension SQLSession {
    /// A session with LakehouseKit's table functions (`read_parquet`) registered.
    public static func lakehouse() -> SQLSession {
        let session = SQLSession()
        session.register(function: "read_parquet", ReadParquetFunction())
        session.register(function: "parquet_scan", ReadParquetFunction())
        session.register(function: "delta_scan", DeltaScanFunction { (path: String) throws(CatalogError) in
            if path.hasPrefix("s3://") || path.contains("://") {
                return (try Lakehouse.openStore(path), "")
            }
            return (try LocalFileSystemStore(root: path, create: false), "")
        })
        return session
    }
}
