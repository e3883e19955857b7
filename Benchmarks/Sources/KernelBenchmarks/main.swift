// Times ColumnarCore kernels on inputs written by Scripts/kernels_vs_pyarrow.py, so both engines
// see the same bytes. Prints one JSON object per measurement: {"op": ..., "median_ms": ...}.
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

func median(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    times.sort()
    return times[times.count / 2]
}

func report(_ op: String, _ ms: Double) {
    print("{\"op\": \"\(op)\", \"median_ms\": \(String(format: "%.3f", ms))}")
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
report("int64.sum", try median(runs) { if case .int64(let v) = try Kernels.sum(ints) { sink &+= Int(v) } })
report("int64.filter", try median(runs) { sink &+= try Kernels.filter(ints, mask).count })
report("int64.hash", try median(runs) { sink &+= try Kernels.hash([ints]).count })
report("int64.group_ids", try median(max(1, runs / 2)) { sink &+= try Kernels.groupIDs([ints]).groupCount })
report("int64.sort", try median(max(1, runs / 2)) { sink &+= try Kernels.sortIndices(ints).count })
report("string.min_max", try median(runs) { sink &+= (try Kernels.min(strings)).hashValue & 1; sink &+= (try Kernels.max(strings)).hashValue & 1 })
report("string.filter", try median(runs) { sink &+= try Kernels.filter(strings, mask).count })
report("string.hash", try median(runs) { sink &+= try Kernels.hash([strings]).count })
report("string.group_ids", try median(max(1, runs / 2)) { sink &+= try Kernels.groupIDs([strings]).groupCount })
report("string.sort", try median(max(1, runs / 2)) { sink &+= try Kernels.sortIndices(strings).count })
FileHandle.standardError.write("checksum \(sink)\n".data(using: .utf8)!)
