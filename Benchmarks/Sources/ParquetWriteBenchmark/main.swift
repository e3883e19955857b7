// Writes a Parquet file's rows (read into memory first, untimed) with ParquetKit's writer and
// prints {"seconds", "bytes"}. Run by Scripts/parquet_write_vs_pyarrow.py:
// ParquetWriteBenchmark IN OUT snappy|zstd [serial]  (serial: column chunks encoded on one core)
import ColumnarCore
import Foundation
import ParquetKit

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    FileHandle.standardError.write("usage: ParquetWriteBenchmark IN OUT snappy|zstd\n".data(using: .utf8)!)
    exit(2)
}
var readOptions = ParquetReadOptions()
readOptions.keepDictionaries = false  // plain text in memory, as pyarrow's read_table gives it
let reader = try ParquetFileReader(source: LocalFileByteSource(path: arguments[1]), options: readOptions)
let batches = try reader.readRowGroups()
var options = ParquetWriterOptions()
options.codec = arguments[3] == "zstd" ? .zstd : .snappy
options.parallel = !(arguments.count >= 5 && arguments[4] == "serial")
let start = DispatchTime.now().uptimeNanoseconds
let writer = try ParquetFileWriter(path: arguments[2], schema: batches[0].schema, options: options)
for batch in batches { try writer.write(batch) }
try writer.close()
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
let bytes = (try? FileManager.default.attributesOfItem(atPath: arguments[2])[.size] as? Int) ?? 0
print("{\"seconds\": \(seconds), \"bytes\": \(bytes)}")
