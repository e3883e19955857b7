import ColumnarCore
import Foundation
import Ingest
import SQLPlanner
import Testing
@testable import Catalog

/// Ingest into an S3-compatible bucket: the moto_server named by `LAKE_S3_ENDPOINT`, which
/// `bash Scripts/with_moto.sh swift test` starts. Without it the suite is reported as skipped.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LAKE_S3_ENDPOINT"] != nil, "needs LAKE_S3_ENDPOINT (bash Scripts/with_moto.sh)"))
struct S3IngestTests {
    static func makeCatalog() throws -> DatasetCatalog {
        let environment = ProcessInfo.processInfo.environment
        let bucket = "ingest-test-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let store = try S3Store(url: "s3://\(bucket)/lake", environment: [
            "LAKE_S3_ENDPOINT": environment["LAKE_S3_ENDPOINT"] ?? "",
            "AWS_ACCESS_KEY_ID": environment["AWS_ACCESS_KEY_ID"] ?? "test",
            "AWS_SECRET_ACCESS_KEY": environment["AWS_SECRET_ACCESS_KEY"] ?? "test",
            "AWS_REGION": "us-east-1",
        ])
        let response = try store.send(S3Request(method: "PUT", key: nil), "CreateBucket", key: nil)
        guard response.succeeded else { throw store.failure(response, "CreateBucket", key: nil) }
        return DatasetCatalog(store: store)
    }

    @Test("a CSV file streamed in windows into a bucket is one commit, queryable, and idempotent")
    func ingestIntoBucket() throws {
        let catalog = try Self.makeCatalog()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("s3-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = "id,city,rate\n"
        for i in 1...500 { text += "\(i),\(i % 2 == 0 ? "Denver" : "\"Austin, TX\""),\(i).50\n" }
        let path = folder.appendingPathComponent("rates.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var options = IngestOptions()
        options.windowBytes = 1024
        let ingester = Ingester(catalog: catalog, options: options)

        let result = try ingester.ingest(file: path, into: "rates")
        #expect(result.version == 0 && result.rows == 500 && result.createdDataset)
        let session = SQLSession()
        session.catalog = CatalogSQLTables(catalog)
        let batch = try session.execute("SELECT count(*), sum(rate), count(*) FILTER (WHERE city = 'Austin, TX') FROM rates")
        // sum of (i + 0.5) for i in 1...500 = 125,250 + 250.
        #expect(batch.columns.map { $0.scalar(at: 0) } == [.int64(500), .decimal128(12_550_000, precision: 38, scale: 2), .int64(250)])

        let again = try ingester.ingest(file: path, into: "rates")
        #expect(again.alreadyIngested && again.version == 0 && again.rows == 0)

        // A bad file leaves no object behind in the bucket.
        let bad = folder.appendingPathComponent("bad.csv").path
        try "id,city\n1,Denver\n2,Austin,extra\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: IngestError.self) { try ingester.ingest(file: bad, into: "bad") }
        #expect(try catalog.dataset("bad") == nil)
        let objects = try catalog.store.listAll(prefix: "tables/").map(\.key.rawValue)
        #expect(objects.allSatisfy { $0.hasPrefix("tables/rates-") })
    }
}
