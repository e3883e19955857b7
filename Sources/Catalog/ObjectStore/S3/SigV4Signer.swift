import Crypto
import Foundation

/// AWS credentials: an access key id, its secret and, for temporary credentials, a session token.
///
/// The secret and the session token never appear in any rendering of the value: `description`,
/// `debugDescription` and the reflection used by `dump` and `print` show `<redacted>` for all three
/// parts, the access key id included.
///
/// ```swift
/// let credentials = AWSCredentials(accessKeyID: "AKIA…", secretAccessKey: "…")
/// print(credentials)   // AWSCredentials(accessKeyID: <redacted>, secretAccessKey: <redacted>)
/// ```
public struct AWSCredentials: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The access key id (`AKIA…`, `ASIA…` for temporary credentials).
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: String
    /// The session token of temporary credentials, sent as `x-amz-security-token`.
    public var sessionToken: String?

    /// Creates credentials.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// The credentials with every part redacted.
    public var description: String {
        "AWSCredentials(accessKeyID: <redacted>, secretAccessKey: <redacted>\(sessionToken == nil ? "" : ", sessionToken: <redacted>"))"
    }

    /// The same as ``description``: every part redacted.
    public var debugDescription: String { description }

    /// A mirror with one redacted child, so that `dump` shows no credential.
    public var customMirror: Mirror { Mirror(self, children: ["redacted": description], displayStyle: .struct) }

    /// `text` with every occurrence of the access key id, the secret and the session token
    /// replaced by `<redacted>` (values shorter than 6 characters, such as a test server's
    /// `test`, are left alone: they are no secret, and replacing them would garble messages).
    func redacting(_ text: String) -> String {
        var result = text
        for secret in [secretAccessKey, sessionToken ?? "", accessKeyID] where secret.count >= 6 {
            result = result.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return result
    }
}

/// Signs HTTP requests with AWS Signature Version 4, the way S3 expects them.
///
/// The signer builds the canonical request (S3 rules: the path is not normalised, each path
/// segment is percent-encoded and `/` kept; query parameters are encoded and sorted; header
/// values are trimmed and inner runs of spaces collapsed), the string to sign, the day's signing
/// key (`AWS4` + secret → date → region → service → `aws4_request`, each an HMAC-SHA256) and the
/// `Authorization` header. It signs every header it is given, plus `host`, `x-amz-date`,
/// `x-amz-content-sha256` and, with temporary credentials, `x-amz-security-token`.
///
/// It is a value with no clock: pass the date, so that signatures can be checked against fixed
/// vectors (the tests pin them against botocore's `S3SigV4Auth`).
///
/// ```swift
/// let signer = SigV4Signer(credentials: credentials, region: "us-east-1")
/// let request = SigV4Signer.Request(method: "GET", host: "127.0.0.1:5055", path: "/lake/t/a b.bin",
///                                   headers: ["range": "bytes=0-9"])
/// let headers = signer.sign(request, date: Date())   // authorization, x-amz-date, x-amz-content-sha256, range
/// let url = "http://127.0.0.1:5055" + request.encodedPath
/// ```
public struct SigV4Signer: Sendable, CustomStringConvertible {
    /// The `x-amz-content-sha256` value that leaves the body out of the signature.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// The SHA-256 of no bytes, the payload hash of GET, HEAD and DELETE requests.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The credentials that sign.
    public var credentials: AWSCredentials
    /// The region of the service, for example `us-east-1`.
    public var region: String
    /// The service name in the credential scope, `s3` for S3.
    public var service: String

    /// Creates a signer.
    public init(credentials: AWSCredentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The region, the service and the redacted credentials.
    public var description: String { "SigV4Signer(region: \(region), service: \(service), credentials: \(credentials))" }

    /// An HTTP request to sign, with its path and query not yet percent-encoded.
    public struct Request: Sendable {
        /// The method, upper-case (`GET`, `PUT`, …).
        public var method: String
        /// The `Host` header the client will send: the host name, with `:port` unless the port is
        /// the scheme's default.
        public var host: String
        /// The path, not encoded, starting with `/` (`/bucket/dir/a b.parquet`).
        public var path: String
        /// The query parameters, not encoded, in any order (`[("list-type", "2"), ("uploads", "")]`).
        public var query: [(name: String, value: String)]
        /// The headers to sign and send besides the ones the signer adds; names in any case.
        public var headers: [String: String]
        /// The hex SHA-256 of the body (``SigV4Signer/payloadHash(_:)``), or
        /// ``SigV4Signer/unsignedPayload``.
        public var payloadHash: String

        /// Creates a request.
        public init(method: String, host: String, path: String, query: [(name: String, value: String)] = [],
                    headers: [String: String] = [:], payloadHash: String = SigV4Signer.emptyPayloadHash) {
            self.method = method
            self.host = host
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }

        /// The path as it must appear in the URL and in the canonical request: every byte outside
        /// `A-Z a-z 0-9 - _ . ~ /` percent-encoded.
        public var encodedPath: String { SigV4Signer.percentEncode(path.isEmpty ? "/" : path, keepingSlash: true) }

        /// The query as it must appear in the URL and in the canonical request: names and values
        /// percent-encoded (`/` too), sorted by name then value, `name=value` joined by `&`.
        public var encodedQuery: String {
            query.map { (SigV4Signer.percentEncode($0.name, keepingSlash: false), SigV4Signer.percentEncode($0.value, keepingSlash: false)) }
                .sorted { $0.0 != $1.0 ? $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) : $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) }
                .map { "\($0.0)=\($0.1)" }
                .joined(separator: "&")
        }
    }

    /// Signs a request at `date`.
    ///
    /// - Returns: the headers to send: the request's own headers, `x-amz-date`,
    ///   `x-amz-content-sha256`, `x-amz-security-token` (with a session token) and `authorization`.
    ///   `host` is signed but not returned: the HTTP client sends it from the URL.
    public func sign(_ request: Request, date: Date) -> [String: String] {
        let stamp = Self.timestamp(date)
        let headers = signedHeaders(request, timestamp: stamp)
        let canonical = canonicalRequest(request, headers: headers)
        let toSign = stringToSign(canonicalRequest: canonical, timestamp: stamp)
        let key = signingKey(day: String(stamp.prefix(8)))
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(toSign.utf8), using: key))
        var result = headers.filter { $0.key != "host" }
        result["authorization"] = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(day: String(stamp.prefix(8)))), "
            + "SignedHeaders=\(headers.keys.sorted().joined(separator: ";")), Signature=\(signature)"
        return result
    }

    /// The hex SHA-256 of a body, for ``Request/payloadHash``.
    public static func payloadHash(_ body: some DataProtocol) -> String { hex(SHA256.hash(data: body)) }

    // MARK: Steps of the signature (internal for tests)

    /// Every header that is signed, by lower-case name, with its value trimmed.
    func signedHeaders(_ request: Request, timestamp: String) -> [String: String] {
        var headers: [String: String] = [:]
        for (name, value) in request.headers {
            headers[name.lowercased()] = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        }
        headers["host"] = request.host.lowercased()
        headers["x-amz-date"] = timestamp
        headers["x-amz-content-sha256"] = request.payloadHash
        if let token = credentials.sessionToken { headers["x-amz-security-token"] = token }
        return headers
    }

    /// The canonical request: method, path, query, headers, signed header names, payload hash.
    func canonicalRequest(_ request: Request, headers: [String: String]) -> String {
        let names = headers.keys.sorted()
        return [
            request.method.uppercased(),
            request.encodedPath,
            request.encodedQuery,
            names.map { "\($0):\(headers[$0]!)\n" }.joined(),
            names.joined(separator: ";"),
            request.payloadHash,
        ].joined(separator: "\n")
    }

    /// The string to sign: algorithm, timestamp, credential scope, hash of the canonical request.
    func stringToSign(canonicalRequest: String, timestamp: String) -> String {
        ["AWS4-HMAC-SHA256", timestamp, scope(day: String(timestamp.prefix(8))), Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8)))]
            .joined(separator: "\n")
    }

    /// `yyyyMMdd/region/service/aws4_request`.
    func scope(day: String) -> String { "\(day)/\(region)/\(service)/aws4_request" }

    /// The signing key of a day (`yyyyMMdd`).
    func signingKey(day: String) -> SymmetricKey {
        func step(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key))
        }
        let start = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        return step(step(step(step(start, day), region), service), "aws4_request")
    }

    // MARK: Encoding

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func timestamp(_ date: Date) -> String {
        let parts = _CivilTime(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down)))
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.year)\(two(parts.month))\(two(parts.day))T\(two(parts.hour))\(two(parts.minute))\(two(parts.second))Z"
    }

    /// RFC 3986 percent-encoding of the UTF-8 bytes: `A-Z a-z 0-9 - _ . ~` stay, and `/` when asked.
    static func percentEncode(_ text: String, keepingSlash: Bool) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepingSlash:
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes { out += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] }
        return String(decoding: out, as: UTF8.self)
    }
}
