// Times ColumnarCore kernels on inputs written by Scripts/kernels_vs_pyarrow.py, so both engines
// see the same bytes. Prints one JSON object per operation: {"op", "median_ms", "samples_ms"}.
import ColumnarCore
import Foundation

func load<T: BitwiseCopyable>(_ path: String, as: T.Type) throws -> ValueBuffer<T> {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let count = data.count / MemoryLayout<T>.stride
    return ValueBuffer<T>(unsafeUninitializedCount: count) { out in
        data.withUnsafeBytes { raw in
            UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<(count * MemoryLayout<T>.stride)]))
        }
    }
}

func samples(_ runs: Int, _ body: () throws -> Void) rethrows -> [Double] {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return times
}

let only = ProcessInfo.processInfo.environment["LAKEHOUSE_BENCH_ONLY"]

func measure(_ op: String, _ runs: Int, _ body: () throws -> Void) rethrows {
    if let only, !op.contains(only) { return }
    report(op, try samples(runs, body))
}

func report(_ op: String, _ times: [Double]) {
    let sorted = times.sorted()
    let list = times.map { String(format: "%.3f", $0) }.joined(separator: ", ")
    print("{\"op\": \"\(op)\", \"median_ms\": \(String(format: "%.3f", sorted[sorted.count / 2])), \"samples_ms\": [\(list)]}")
    fflush(nil)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write("usage: KernelBenchmarks DATA_DIR [RUNS]\n".data(using: .utf8)!)
    exit(2)
}
let directory = arguments[1]
let runs = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5

let ints = Column.int64(PrimitiveColumn(values: try load("\(directory)/ints.i64", as: Int64.self)))
let maskBytes = try load("\(directory)/mask.u8", as: UInt8.self)
let mask = BooleanColumn(values: Bitmap(unsafeUninitializedCount: maskBytes.count) { words in
    maskBytes.withUnsafeBufferPointer { bytes in
        for w in 0..<words.count {
            var word: UInt64 = 0
            for j in 0..<64 where w * 64 + j < bytes.count { word |= UInt64(bytes[w * 64 + j] & 1) << UInt64(j) }
            words[w] = word
        }
    }
})
let strings = Column.utf8(try BinaryColumn.validated(
    offsets: try load("\(directory)/strs.offsets", as: Int32.self),
    bytes: try load("\(directory)/strs.bytes", as: UInt8.self)
))

var sink = 0
try measure("int64.sum", runs) { if case .decimal128(let v, _, _) = try Kernels.sum(ints) { sink &+= Int(truncatingIfNeeded: v) } }
try measure("int64.filter", runs) { sink &+= try Kernels.filter(ints, mask).count }
try measure("int64.hash", runs) { sink &+= try Kernels.hash([ints]).count }
try measure("int64.group_ids", max(1, runs / 2)) { sink &+= try Kernels.groupIDs([ints]).groupCount }
try measure("int64.sort", max(1, runs / 2)) { sink &+= try Kernels.sortIndices(ints).count }
try measure("string.min_max", runs) { sink &+= (try Kernels.min(strings)).hashValue & 1; sink &+= (try Kernels.max(strings)).hashValue & 1 }
try measure("string.filter", runs) { sink &+= try Kernels.filter(strings, mask).count }
try measure("string.hash", runs) { sink &+= try Kernels.hash([strings]).count }
try measure("string.group_ids", max(1, runs / 2)) { sink &+= try Kernels.groupIDs([strings]).groupCount }
try measure("string.sort", max(1, runs / 2)) { sink &+= try Kernels.sortIndices(strings).count }
FileHandle.standardError.write("checksum \(sink)\n".data(using: .utf8)!)
