// The Swift side of Benchmarks/Scripts/vectors_vs_peers.py: reads the raw float32 base and
// query vectors and the exact top-10 the script wrote, then measures exact search and HNSW
// (M 16 and 32) the way the script measures hnswlib and faiss: build time on 2 threads, memory,
// recall@10, single-query latency on one thread (p50/p99) and QPS with 2 threads.
//
//   VectorBenchmark --base base.f32 --queries queries.f32 --gt gt.i32 --dim 768 \
//                   --efs 16,32,64,128,256 --out ours.json [--ms 16,32] [--ef-construction 200]
import Dispatch
import VectorIndex
#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    print("VectorBenchmark: \(message)")
    exit(2)
}

func readFile(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { fail("cannot open \(path)") }
    defer { fclose(file) }
    fseek(file, 0, SEEK_END)
    let size = ftell(file)
    fseek(file, 0, SEEK_SET)
    var bytes = [UInt8](repeating: 0, count: size)
    guard fread(&bytes, 1, size, file) == size else { fail("cannot read \(path)") }
    return bytes
}

func floats(_ path: String) -> [Float] {
    let bytes = readFile(path)
    return bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
}

func int32s(_ path: String) -> [Int32] {
    let bytes = readFile(path)
    return bytes.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func peakRSSMegabytes() -> Double {
    guard let file = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, 256, file) != nil {
        let text = String(cString: line)
        if text.hasPrefix("VmHWM:") {
            let digits = text.split(separator: " ").compactMap { Double($0) }
            return (digits.first ?? 0) / 1024
        }
    }
    return 0
}

func run() throws {
    var arguments: [String: String] = [:]
    var it = CommandLine.arguments.dropFirst().makeIterator()
    while let key = it.next() {
        guard key.hasPrefix("--"), let value = it.next() else { fail("usage: --base F --queries F --gt F --dim D --efs 16,64 --out F") }
        arguments[String(key.dropFirst(2))] = value
    }
    guard let basePath = arguments["base"], let queryPath = arguments["queries"], let gtPath = arguments["gt"],
          let dimension = arguments["dim"].flatMap(Int.init), let out = arguments["out"] else {
        fail("usage: --base F --queries F --gt F --dim D --efs 16,64 --out F")
    }
    let efs = (arguments["efs"] ?? "16,32,64,128,256").split(separator: ",").compactMap { Int($0) }
    let ms = (arguments["ms"] ?? "16,32").split(separator: ",").compactMap { Int($0) }
    let efConstruction = arguments["ef-construction"].flatMap(Int.init) ?? 200
    let metric = VectorMetric(rawValue: arguments["metric"] ?? "ip") ?? .innerProduct

    let base = try Vectors(dimension: dimension, values: floats(basePath))
    let queryValues = floats(queryPath)
    let queries = (0..<(queryValues.count / dimension)).map { Array(queryValues[($0 * dimension)..<(($0 + 1) * dimension)]) }
    let gt = int32s(gtPath)
    let gtWidth = gt.count / queries.count
    print("VectorBenchmark: \(base.count) × \(dimension) base, \(queries.count) queries, ground truth top-\(gtWidth)")

    func recall(_ results: [[Neighbor]]) -> Double {
        var hits = 0
        for (q, found) in results.enumerated() {
            let truth = Set(gt[(q * gtWidth)..<(q * gtWidth + min(10, gtWidth))].map { Int($0) })
            hits += found.prefix(10).filter { truth.contains($0.id) }.count
        }
        return Double(hits) / Double(results.count * 10)
    }

    func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    /// Single-query latency on this thread (each query once after a warm-up), then QPS with two
    /// threads splitting the queries.
    func measure(_ search: @Sendable ([Float]) throws -> [Neighbor]) throws -> (results: [[Neighbor]], p50: Double, p99: Double, qps: Double) {
        for query in queries.prefix(20) { _ = try search(query) }
        var times: [Double] = []
        var results: [[Neighbor]] = []
        for query in queries {
            let start = now()
            results.append(try search(query))
            times.append((now() - start) * 1000)
        }
        times.sort()
        // QPS: at least 1 s of work, two threads.
        let snapshot = queries
        var rounds = 0
        let start = now()
        repeat {
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                let begin = snapshot.count * part / 2, end = snapshot.count * (part + 1) / 2
                for q in begin..<end { _ = try? search(snapshot[q]) }
            }
            rounds += 1
        } while now() - start < 1.0
        let qps = Double(rounds * snapshot.count) / (now() - start)
        return (results, percentile(times, 0.5), percentile(times, 0.99), qps)
    }

    var rows: [String] = []
    func row(_ index: String, build: Double, megabytes: Double, ef: Int?, recall: Double, p50: Double, p99: Double, qps: Double) {
        let efText = ef.map(String.init) ?? "null"
        rows.append(#"{"index":"\#(index)","build_s":\#(build),"index_mb":\#(megabytes),"ef":\#(efText),"recall10":\#(recall),"p50_ms":\#(p50),"p99_ms":\#(p99),"qps_2t":\#(qps)}"#)
        print("  \(index) ef \(efText): recall \(recall) p50 \(p50) ms p99 \(p99) ms qps(2t) \(Int(qps)) build \(build) s")
    }

    // Exact: one thread per query for latency; the batched two-thread search for QPS.
    do {
        let exact = ExactIndex(vectors: base, metric: metric)
        let measured = try measure { try exact.search($0, k: 10, threads: 1) }
        let batchQueries = try Vectors(queries)
        _ = try exact.search(batch: batchQueries, k: 10, threads: 2)
        var batchRounds = 0
        let start = now()
        repeat {
            _ = try exact.search(batch: batchQueries, k: 10, threads: 2)
            batchRounds += 1
        } while now() - start < 2.0
        let batchQPS = Double(batchRounds * queries.count) / (now() - start)
        row("exact", build: 0, megabytes: Double(base.count * dimension * 4) / 1_048_576, ef: nil, recall: recall(measured.results),
            p50: measured.p50, p99: measured.p99, qps: max(batchQPS, measured.qps))
    }

    for m in ms {
        let start = now()
        let index = try HNSWIndex.build(base, metric: metric, configuration: HNSWConfiguration(m: m, efConstruction: efConstruction), threads: 2)
        let build = now() - start
        let megabytes = Double(index.memoryFootprint) / 1_048_576
        print("VectorBenchmark: HNSW M \(m) built in \(build) s, \(megabytes) MB, peak RSS \(peakRSSMegabytes()) MB")
        for ef in efs {
            let measured = try measure { try index.search($0, k: 10, ef: ef) }
            row("hnsw_m\(m)", build: build, megabytes: megabytes, ef: ef, recall: recall(measured.results), p50: measured.p50, p99: measured.p99, qps: measured.qps)
        }
    }

    let json = #"{"system":"LakehouseKit","peak_rss_mb":\#(peakRSSMegabytes()),"rows":[\#(rows.joined(separator: ","))]}"#
    guard let file = fopen(out, "w") else { fail("cannot write \(out)") }
    fputs(json + "\n", file)
    fclose(file)

}

try run()
