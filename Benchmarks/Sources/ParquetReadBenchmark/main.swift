// Decodes every column of every row group of a Parquet file into memory — on one thread, or
// with every (row group, column) chunk spread over all cores — and prints {"seconds", "rows"}.
// Run by Scripts/parquet_read_vs_pyarrow.py: ParquetReadBenchmark FILE [1|all] [plain].
// With `plain`, dictionary-encoded text is decoded to plain strings as pyarrow's default does.
import ColumnarCore
import Foundation
import ParquetKit

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write("usage: ParquetReadBenchmark FILE [1|all] [plain]\n".data(using: .utf8)!)
    exit(2)
}
let parallel = arguments.count < 3 || arguments[2] != "1"
var options = ParquetReadOptions()
options.keepDictionaries = !(arguments.count >= 4 && arguments[3] == "plain")
let start = DispatchTime.now().uptimeNanoseconds
let reader = try ParquetFileReader(source: LocalFileByteSource(path: arguments[1]), options: options)
// Everything stays in memory, as read_table's result does.
let batches = try reader.readRowGroups(parallel: parallel)
let rows = batches.reduce(0) { $0 + $1.count }
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
// Columns that came back dictionary-encoded (so the script can ask pyarrow for the same).
var dictionaryColumns: [String] = []
if let first = batches.first {
    for (field, column) in zip(first.schema.fields, first.columns) {
        if case .dictionary = column { dictionaryColumns.append("\"\(field.name)\"") }
    }
}
print("{\"seconds\": \(seconds), \"rows\": \(rows), \"dictionary_columns\": [\(dictionaryColumns.joined(separator: ", "))]}")
