import Foundation
import Testing
@testable import Catalog

@Suite struct S3ConfigurationTests {
    static let environment = ["AWS_ACCESS_KEY_ID": "AKIAEXAMPLEKEYID0001", "AWS_SECRET_ACCESS_KEY": "very/secret+key"]

    @Test("reads s3://bucket/prefix and the AWS environment; AWS endpoints use virtual-host addressing")
    func awsDefaults() throws {
        let store = try S3Store(url: "s3://lake/tables/prod/", environment: Self.environment.merging(["AWS_DEFAULT_REGION": "eu-west-1"]) { $1 })
        #expect(store.location == "s3://lake/tables/prod")
        #expect(store.configuration.prefix == "tables/prod")
        #expect(store.configuration.region == "eu-west-1")
        #expect(store.configuration.endpoint == nil)
        #expect(store.configuration.addressing == .virtualHost)
        #expect(store.hostHeader == "lake.s3.eu-west-1.amazonaws.com")
        #expect(store.scheme == "https")
        #expect(store.path(of: store.fullKey("a b.parquet")) == "/tables/prod/a b.parquet")
        #expect(store.configuration.credentials?.sessionToken == nil)
    }

    @Test("an endpoint means path-style addressing; AWS_ENDPOINT_URL_S3 wins over AWS_ENDPOINT_URL and LAKE_S3_ENDPOINT")
    func endpoints() throws {
        var environment = Self.environment
        environment["LAKE_S3_ENDPOINT"] = "http://127.0.0.1:1"
        #expect(try S3Store(url: "s3://lake", environment: environment).hostHeader == "127.0.0.1:1")
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:2"
        #expect(try S3Store(url: "s3://lake", environment: environment).hostHeader == "127.0.0.1:2")
        environment["AWS_ENDPOINT_URL_S3"] = "https://minio.local:443/base/"
        environment["AWS_REGION"] = "eu-central-1"
        environment["AWS_DEFAULT_REGION"] = "us-west-2"
        environment["AWS_SESSION_TOKEN"] = "token"
        let store = try S3Store(url: "s3://lake/p", environment: environment)
        #expect(store.hostHeader == "minio.local")
        #expect(store.configuration.addressing == .path)
        #expect(store.configuration.region == "eu-central-1")
        #expect(store.configuration.credentials?.sessionToken == "token")
        #expect(store.path(of: store.fullKey("k")) == "/base/lake/p/k")
        #expect(store.path(of: nil) == "/base/lake")
        let virtual = try S3Store(url: "s3://lake/p", environment: environment, addressing: .virtualHost)
        #expect(virtual.hostHeader == "lake.minio.local")
        #expect(virtual.path(of: nil) == "/base/")
    }

    @Test("no credentials means unsigned requests; only one of key id and secret is an error")
    func credentials() throws {
        #expect(try S3Store(url: "s3://lake", environment: [:]).signer == nil)
        #expect(throws: CatalogError.self) { try S3Store(url: "s3://lake", environment: ["AWS_ACCESS_KEY_ID": "x"]) }
    }

    @Test("refuses malformed URLs, bucket names, prefixes, endpoints and part sizes", arguments: [
        "http://lake/x", "s3://", "s3://ab", "s3://Upper", "s3://lake/a/../b", "s3://lake/a//b",
    ])
    func refuses(_ url: String) {
        do {
            _ = try S3Store(url: url, environment: [:])
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.code == .invalidArgument)
        }
    }

    @Test("refuses endpoints that are not http(s) URLs and parts under 5 MiB")
    func refusesSettings() {
        #expect(throws: CatalogError.self) { try S3Store(url: "s3://lake", environment: ["LAKE_S3_ENDPOINT": "ftp://host"]) }
        #expect(throws: CatalogError.self) { try S3Store(S3Store.Configuration(bucket: "lake", credentials: nil, partSize: 1 << 20)) }
    }

    @Test("the configuration's descriptions do not show the credentials")
    func redacted() throws {
        let store = try S3Store(url: "s3://lake", environment: Self.environment.merging(["AWS_SESSION_TOKEN": "the-session-token"]) { $1 })
        var dumped = ""
        dump(store, to: &dumped)
        for text in [String(describing: store.configuration), String(reflecting: store.configuration), dumped] {
            #expect(!text.contains("very/secret+key"))
            #expect(!text.contains("the-session-token"))
            #expect(!text.contains("AKIAEXAMPLEKEYID0001"))
        }
    }

    @Test("retry backoff grows exponentially up to the cap, with jitter")
    func backoff() {
        let policy = S3Store.RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(300))
        for attempt in 1...6 {
            let wait = policy.backoff(after: attempt)
            #expect(wait >= 0 && wait <= min(0.3, 0.1 * Double(1 << (attempt - 1))) + 1e-9)
        }
    }
}

@Suite struct S3ResponseParsingTests {
    @Test("reads a ListBucketResult with entities, CDATA and a namespace")
    func listing() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>lake</Name><Prefix>p/</Prefix>
            <KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
            <Contents><Key>p/a &amp; b&lt;c&gt;&#233;&#x20AC;</Key><LastModified>2024-02-29T12:34:56.789Z</LastModified>
            <ETag>&quot;abc&quot;</ETag><Size>10</Size><StorageClass>STANDARD</StorageClass></Contents>
            <Contents><Key><![CDATA[p/x<y]]></Key><Size>0</Size><Owner/></Contents>
            <NextContinuationToken>tok/en==</NextContinuationToken></ListBucketResult>
            """
        let root = try #require(S3XMLNode.parse(Array(xml.utf8)))
        #expect(root.name == "ListBucketResult")
        #expect(root.value("IsTruncated") == "true")
        #expect(root.value("NextContinuationToken") == "tok/en==")
        let contents = root.children("Contents")
        #expect(contents.map { $0.value("Key") } == ["p/a & b<c>é€", "p/x<y"])
        #expect(contents[0].value("ETag") == "\"abc\"")
        #expect(contents[0].value("LastModified").flatMap(_CivilTime.iso8601Milliseconds) == 1_709_210_096_789)
    }

    @Test("finds the code and message of error documents, 200 responses included when asked")
    func errors() {
        let body = Array("<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Please reduce</Message></Error>".utf8)
        #expect(S3Response(status: 503, headers: [:], body: body).errorCode == "SlowDown")
        #expect(S3Store.isRetryable(S3Response(status: 400, headers: [:], body: Array("<Error><Code>RequestTimeout</Code></Error>".utf8))))
        #expect(!S3Store.isRetryable(S3Response(status: 400, headers: [:], body: Array("<Error><Code>InvalidRange</Code></Error>".utf8))))
        var completed = S3Response(status: 200, headers: [:], body: body)
        #expect(completed.succeeded, "a GET of an object that happens to hold an error document")
        completed.errorMayComeWith200 = true
        #expect(!completed.succeeded && S3Store.isRetryable(completed))
        #expect(S3XMLNode.parse(Array("<a><b></a>".utf8)) == nil)
    }

    @Test("parses HTTP dates and round-trips civil times", arguments: [Int64(0), 951_782_400, 1_709_210_096, -86_401, 4_102_444_800])
    func dates(_ seconds: Int64) {
        #expect(_CivilTime(secondsSince1970: seconds).secondsSince1970 == seconds)
        #expect(_CivilTime.httpDateMilliseconds("Thu, 29 Feb 2024 12:34:56 GMT") == 1_709_210_096_000)
    }

    @Test("computes S3's multipart ETag from the part ETags")
    func multipartETag() {
        // MD5("a") and MD5("b"); the object's ETag is MD5(md5(a) ‖ md5(b)) followed by "-2".
        let parts = ["\"0cc175b9c0f1b6a831c399e269772661\"", "\"92eb5ffee6ae2fec3ad71c777531578f\""]
        #expect(S3Store.multipartETag(parts) == "\"96e024ba2074fe77e8e965ba43a704be-2\"")   // hashlib.md5(md5(a) + md5(b))
    }
}
