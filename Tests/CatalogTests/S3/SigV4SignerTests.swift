import Foundation
import Testing
@testable import Catalog

/// A request and the `Authorization` header botocore computed for it.
struct SigV4Vector: Sendable, CustomTestStringConvertible {
    var name: String
    var method: String
    var host: String
    var path: String
    var query: [(name: String, value: String)] = []
    var headers: [String: String] = [:]
    var body: [UInt8]? = nil
    var unsignedPayload = false
    var sessionToken: String? = nil
    var region = "us-east-1"
    var expectedPayloadHash = SigV4Signer.emptyPayloadHash
    var expectedAuthorization: String

    var testDescription: String { name }
}

@Suite struct SigV4SignerTests {
    static let keyID = "AKIAIOSFODNN7EXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    /// 2013-05-24T00:00:00Z, the date of the AWS documentation's S3 examples.
    static let date = Date(timeIntervalSince1970: 1_369_353_600)
    static let credential = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "

    /// Expected values printed by `python3 Scripts/sigv4_vectors.py` (botocore 1.43.11,
    /// `S3SigV4Auth` with the clock pinned to 2013-05-24T00:00:00Z). The first one is also the
    /// example of the AWS S3 SigV4 documentation ("GET Object" with a Range header).
    static let vectors: [SigV4Vector] = [
        SigV4Vector(
            name: "AWS documentation example: GET with a Range header, virtual-host",
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/test.txt", headers: ["Range": "bytes=0-9"],
            expectedAuthorization: credential + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
        SigV4Vector(
            name: "ListObjectsV2 with query parameters to encode and sort",
            method: "GET", host: "127.0.0.1:5055", path: "/lake",
            query: [("list-type", "2"), ("prefix", "t/_log/"), ("start-after", "t/_log/a=b c.json"), ("max-keys", "2"),
                    ("continuation-token", "1/ab+cd==")],
            expectedAuthorization: credential + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                + "Signature=282a19d2a048458d2a1de7b0fe6ccb231361147fd19c52c915ce458d136f74c4"),
        SigV4Vector(
            name: "GET with a suffix range, path-style",
            method: "GET", host: "127.0.0.1:5055", path: "/lake/t/a.bin", headers: ["Range": "bytes=-4"],
            expectedAuthorization: credential + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=9c1ed91cdcf89fa83bb0ecf3d9cf4bf04c0d17e7193bcf4b3ab6cd5f6887d0a4"),
        SigV4Vector(
            name: "PUT with the payload hash, Content-Type and If-None-Match",
            method: "PUT", host: "127.0.0.1:5055", path: "/lake/t/_delta_log/00000000000000000000.json",
            headers: ["Content-Type": "application/octet-stream", "If-None-Match": "*"], body: Array("{\"commitInfo\":{}}\n".utf8),
            expectedPayloadHash: "0beff100ff52665adadee9c22e4cc8d34a6d67d99bf83e64ad37eab9f3ab3515",
            expectedAuthorization: credential + "SignedHeaders=content-type;host;if-none-match;x-amz-content-sha256;x-amz-date, "
                + "Signature=9ed05db9c32db1dd33a032e02e56560f3ee7219f9d0a3d0e81d61c3e2d8e2972"),
        SigV4Vector(
            name: "a key with spaces, Unicode and special characters, another region",
            method: "GET", host: "lake.s3.eu-west-1.amazonaws.com", path: "/dir one/Übergrößen €/a+b=c&d(1)!*'@$,;:.parquet",
            region: "eu-west-1",
            expectedAuthorization: "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/eu-west-1/s3/aws4_request, "
                + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                + "Signature=71560ae6e431e0f5a296174c6242b3029e07846d07f83dddb92a1f40159e2c5c"),
        SigV4Vector(
            name: "HEAD with a session token",
            method: "HEAD", host: "127.0.0.1:5055", path: "/lake/t/a.bin", sessionToken: "FQoGZXIvYXdzEXAMPLE/TOKEN+abc==",
            expectedAuthorization: credential + "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, "
                + "Signature=e0bc436f53011e7dc12a49a737437cc5fb672e28d17fad5efdd38ac6b6a9e08d"),
        SigV4Vector(
            name: "CreateMultipartUpload: an empty query value and UNSIGNED-PAYLOAD",
            method: "POST", host: "lake.s3.amazonaws.com", path: "/big.parquet", query: [("uploads", "")],
            headers: ["Content-Type": "application/octet-stream"], unsignedPayload: true,
            expectedPayloadHash: SigV4Signer.unsignedPayload,
            expectedAuthorization: credential + "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, "
                + "Signature=544e175d38ecfc978d4167e1e59fc58824b28b77c5774c977f0f31b6da0fb639"),
    ]

    @Test("matches botocore's Authorization header", arguments: vectors)
    func matchesBotocore(_ vector: SigV4Vector) {
        let credentials = AWSCredentials(accessKeyID: Self.keyID, secretAccessKey: Self.secret, sessionToken: vector.sessionToken)
        let signer = SigV4Signer(credentials: credentials, region: vector.region)
        let payloadHash = vector.unsignedPayload ? SigV4Signer.unsignedPayload
            : vector.body.map { SigV4Signer.payloadHash($0) } ?? SigV4Signer.emptyPayloadHash
        let request = SigV4Signer.Request(method: vector.method, host: vector.host, path: vector.path, query: vector.query,
                                          headers: vector.headers, payloadHash: payloadHash)
        let headers = signer.sign(request, date: Self.date)
        #expect(payloadHash == vector.expectedPayloadHash)
        #expect(headers["x-amz-content-sha256"] == vector.expectedPayloadHash)
        #expect(headers["x-amz-date"] == "20130524T000000Z")
        #expect(headers["x-amz-security-token"] == vector.sessionToken)
        #expect(headers["authorization"] == vector.expectedAuthorization)
        #expect(headers["host"] == nil, "the HTTP client sends Host from the URL")
    }

    @Test("encodes each path segment and keeps '/', as botocore's quote(key, safe='/~')")
    func encodesPaths() {
        let request = SigV4Signer.Request(method: "GET", host: "h", path: "/dir one/Übergrößen €/a+b=c&d(1)!*'@$,;:.parquet")
        #expect(request.encodedPath == "/dir%20one/%C3%9Cbergr%C3%B6%C3%9Fen%20%E2%82%AC/a%2Bb%3Dc%26d%281%29%21%2A%27%40%24%2C%3B%3A.parquet")
        #expect(SigV4Signer.Request(method: "GET", host: "h", path: "/a-b_c.d~e/").encodedPath == "/a-b_c.d~e/")
        #expect(SigV4Signer.Request(method: "GET", host: "h", path: "").encodedPath == "/")
    }

    @Test("encodes query names and values ('/' included) and sorts them by name, then value")
    func encodesQueries() {
        let request = SigV4Signer.Request(method: "GET", host: "h", path: "/b",
                                          query: [("prefix", "a/b c"), ("list-type", "2"), ("x", "2"), ("x", "1"), ("uploads", "")])
        #expect(request.encodedQuery == "list-type=2&prefix=a%2Fb%20c&uploads=&x=1&x=2")
    }

    @Test("canonical request and string to sign of the AWS documentation example")
    func canonicalRequest() {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: Self.keyID, secretAccessKey: Self.secret), region: "us-east-1")
        let request = SigV4Signer.Request(method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/test.txt", headers: ["Range": "bytes=0-9"])
        let canonical = signer.canonicalRequest(request, headers: signer.signedHeaders(request, timestamp: "20130524T000000Z"))
        #expect(canonical == """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(signer.stringToSign(canonicalRequest: canonical, timestamp: "20130524T000000Z") == """
            AWS4-HMAC-SHA256
            20130524T000000Z
            20130524/us-east-1/s3/aws4_request
            7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
            """)
    }

    @Test("trims header values and collapses inner runs of spaces")
    func trimsHeaderValues() {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "id", secretAccessKey: "secret"), region: "us-east-1")
        let request = SigV4Signer.Request(method: "GET", host: "H:80", path: "/", headers: ["X-Amz-Meta-A": "  one   two  "])
        let headers = signer.signedHeaders(request, timestamp: "20130524T000000Z")
        #expect(headers["x-amz-meta-a"] == "one two")
        #expect(headers["host"] == "h:80")
    }

    @Test("formats x-amz-date in UTC", arguments: [
        (0.0, "19700101T000000Z"), (1_369_353_600.0, "20130524T000000Z"), (951_825_599.9, "20000229T115959Z"),
        (4_102_444_800.0, "21000101T000000Z"),
    ])
    func timestamps(_ seconds: Double, _ expected: String) {
        #expect(SigV4Signer.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test("never shows the credentials in descriptions, debug descriptions or dumps")
    func redactsCredentials() {
        let credentials = AWSCredentials(accessKeyID: Self.keyID, secretAccessKey: Self.secret, sessionToken: "SESSION-TOKEN-123")
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1")
        var dumped = ""
        dump(signer, to: &dumped)
        for text in [String(describing: credentials), String(reflecting: credentials), String(describing: signer),
                     String(reflecting: signer), dumped, "\(credentials)"] {
            #expect(!text.contains(Self.secret))
            #expect(!text.contains(Self.keyID))
            #expect(!text.contains("SESSION-TOKEN-123"))
        }
        #expect(credentials.redacting("key \(Self.keyID) secret \(Self.secret)") == "key <redacted> secret <redacted>")
    }
}
