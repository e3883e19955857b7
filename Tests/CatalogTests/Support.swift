import ColumnarCore
import Testing
@testable import Catalog
#if canImport(Glibc)
import Glibc
#endif

/// A fresh empty directory under the system's temporary directory.
func temporaryDirectory(_ label: String = #function) -> String {
    var template = Array("/tmp/lakehouse-catalog-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(made != nil, "mkdtemp failed")
    return String(cString: template)
}

/// `rm -rf`.
func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if (info.st_mode & S_IFMT) == S_IFDIR {
        if let dir = opendir(path) {
            var names: [String] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(dir)
            for name in names { removeTree(path + "/" + name) }
        }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// A batch of (id BIGINT, name VARCHAR, score DOUBLE) rows.
func peopleBatch(_ ids: [Int64], names: [String?]? = nil) throws -> RecordBatch {
    let schema = Schema([Field("id", .int64, nullable: false), Field("name", .utf8), Field("score", .float64)])
    let nameValues = names ?? ids.map { "p\($0)" }
    return try RecordBatch(schema: schema, columns: [
        try Column(.int64, ids.map { .int64($0) }),
        try Column(.utf8, nameValues.map { $0.map(Scalar.utf8) ?? .null }),
        try Column(.float64, ids.map { .float64(Double($0) / 2) }),
    ])
}

/// The rows of batches as arrays of scalars, sorted by their text (order-insensitive comparison).
func sortedRows(_ batches: [RecordBatch]) -> [[String]] {
    var rows: [[String]] = []
    for batch in batches {
        for r in 0..<batch.count { rows.append(batch.columns.map { $0.scalar(at: r).formatted }) }
    }
    return rows.sorted { $0.lexicographicallyPrecedes($1) }
}
