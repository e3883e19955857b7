import Catalog
import ColumnarCore
import Foundation
import Ingest
import SQLPlanner
import Testing

/// A lakehouse in memory and a temporary folder for the files a test ingests; the folder is
/// removed when the workspace goes away.
final class Workspace {
    let directory: URL
    let store = MemoryStore()
    let catalog: DatasetCatalog

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lakehouse-ingest-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        catalog = DatasetCatalog(store: store)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// The path of a file (existing or not) in the folder.
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The folder's path.
    var folder: String { directory.path }

    /// Writes `text` (as UTF-8) to a file of the folder; returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        try file(name, bytes: Array(text.utf8))
    }

    /// Writes `bytes` to a file of the folder; returns its path.
    func file(_ name: String, bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    @discardableResult
    func ingest(_ path: String, into dataset: String, _ options: IngestOptions = IngestOptions()) throws(IngestError) -> IngestResult {
        try Ingester(catalog: catalog, options: options).ingest(file: path, into: dataset)
    }

    /// The error an ingest throws, or nil when it succeeds.
    func failure(_ path: String, into dataset: String, _ options: IngestOptions = IngestOptions()) -> IngestError? {
        do {
            try ingest(path, into: dataset, options)
            return nil
        } catch {
            return error
        }
    }

    /// The dataset's rows through SQL, as scalars (in file order unless `orderBy` is given).
    func rows(_ dataset: String, orderBy: String? = nil) throws -> [[Scalar]] {
        let session = SQLSession()
        session.catalog = CatalogSQLTables(catalog)
        let order = orderBy.map { " ORDER BY \($0)" } ?? ""
        let batch = try session.execute("SELECT * FROM \(dataset)\(order)")
        return (0..<batch.count).map { r in batch.columns.map { $0.scalar(at: r) } }
    }

    /// The dataset's columns as (name, type), from the table's latest snapshot.
    func columns(_ dataset: String) throws -> [NamedType] {
        try catalog.table(dataset).snapshot().schema.fields.map { NamedType(name: $0.name, type: $0.dataType) }
    }

    /// The keys of the Parquet objects under `tables/`.
    func dataObjects() throws -> [String] {
        try store.listAll(prefix: "tables/").map(\.key.rawValue).filter { $0.hasSuffix(".parquet") }
    }

    /// Checks that nothing was committed to a lakehouse that was empty before a failed ingest:
    /// no dataset, no data file.
    func expectNothingCommitted(sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try catalog.datasets().isEmpty, sourceLocation: sourceLocation)
        #expect(try dataObjects() == [], sourceLocation: sourceLocation)
    }

}

/// A column name and type, compared as a pair.
struct NamedType: Hashable, CustomStringConvertible {
    var name: String
    var type: DataType
    var description: String { "\(name) \(type)" }
}

/// `name type` pairs for schema expectations.
func schema(_ pairs: (String, DataType)...) -> [NamedType] {
    pairs.map { NamedType(name: $0.0, type: $0.1) }
}

extension Schema {
    var pairs: [NamedType] { fields.map { NamedType(name: $0.name, type: $0.dataType) } }
}

/// Options with the given changes.
func options(_ change: (inout IngestOptions) -> Void) -> IngestOptions {
    var options = IngestOptions()
    change(&options)
    return options
}

// MARK: Scalars

/// Days since 1970-01-01, computed here from the civil date (Howard Hinnant's `days_from_civil`),
/// and checked against known values in ``SupportTests``.
func days(_ year: Int, _ month: Int, _ day: Int) -> Int32 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return Int32(era * 146_097 + doe - 719_468)
}

func date(_ year: Int, _ month: Int, _ day: Int) -> Scalar { .date32(days(year, month, day)) }

/// Microseconds since 1970 of a civil date and time (UTC or wall clock).
func micros(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0, micro: Int = 0) -> Int64 {
    (Int64(days(year, month, day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second)) * 1_000_000 + Int64(micro)
}

func naive(_ micros: Int64) -> Scalar { .timestamp(micros, .microsecond, timeZone: nil) }
func utc(_ micros: Int64) -> Scalar { .timestamp(micros, .microsecond, timeZone: "UTC") }
func text(_ value: String) -> Scalar { .utf8(value) }
func int(_ value: Int64) -> Scalar { .int64(value) }

// MARK: SHA-256

/// SHA-256 (FIPS 180-4), written here so content hashes are checked against an implementation
/// that shares nothing with the module's.
func sha256Hex(_ message: [UInt8]) -> String {
    let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
    var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    var padded = message
    padded.append(0x80)
    while padded.count % 64 != 56 { padded.append(0) }
    let bits = UInt64(message.count) * 8
    for shift in stride(from: 56, through: 0, by: -8) { padded.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
    var w = [UInt32](repeating: 0, count: 64)
    for block in stride(from: 0, to: padded.count, by: 64) {
        for t in 0..<16 {
            let j = block + t * 4
            w[t] = UInt32(padded[j]) << 24 | UInt32(padded[j + 1]) << 16 | UInt32(padded[j + 2]) << 8 | UInt32(padded[j + 3])
        }
        for t in 16..<64 {
            let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
            let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
        for t in 0..<64 {
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let choice = (e & f) ^ (~e & g)
            let t1 = hh &+ s1 &+ choice &+ k[t] &+ w[t]
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ majority
            (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
        }
        for (i, v) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ v }
    }
    return h.map { word in
        let hex = String(word, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }.joined()
}

@Suite struct SupportTests {
    @Test("the test's own SHA-256 matches the FIPS 180-2 test vectors")
    func sha256Vectors() {
        #expect(sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(sha256Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("the test's own day count matches dates counted by hand")
    func dayCounts() {
        #expect(days(1970, 1, 1) == 0)
        #expect(days(2000, 1, 1) == 10_957)
        // 2024-01-01: 54 years of 365 days plus 13 leap days (1972…2020).
        #expect(days(2024, 1, 1) == 19_723)
        // 2026-03-07: 56 × 365 + 14 leap days (1972…2024) + 31 + 28 + 6.
        #expect(days(2026, 3, 7) == 20_519)
        #expect(days(2024, 2, 29) == 19_782)
        #expect(days(1969, 12, 31) == -1)
    }
}
