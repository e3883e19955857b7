import Crypto
import Foundation

/// An ``ObjectStore`` in an S3 bucket, under a key prefix: AWS S3 or any S3-compatible service.
///
/// Requests are signed with ``SigV4Signer`` and sent with `URLSession`; each call blocks until the
/// service answers, within the configured timeouts, retrying 5xx, 429, throttling and network
/// failures with exponential backoff and jitter (see ``RetryPolicy``).
///
/// - ``get(_:range:)`` sends `Range: bytes=a-b` or, for a suffix, `bytes=-n`.
/// - ``putIfAbsent(_:_:)`` sends `If-None-Match: *`: `412` means the key exists; `409
///   ConditionalRequestConflict` (a concurrent conditional write) is answered by sending again.
/// - ``upload(_:ifAbsent:)`` sends one PUT up to ``Configuration-swift.struct/multipartThreshold``
///   and a multipart upload above it, aborted on any failure.
/// - Errors: 403 is `.accessDenied`, 404 `.notFound`, timeouts `.timedOut`, anything else
///   `.storeFailure` with the HTTP status and S3's error code. The credentials never appear in an
///   error, a description or a log.
///
/// ```swift
/// // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL … from the environment
/// let store = try S3Store(url: "s3://lake/prod")
/// try store.put(ObjectKey("hello.txt"), Array("hi".utf8))   // s3://lake/prod/hello.txt
/// ```
public final class S3Store: ObjectStore {
    /// The configuration the store was made with.
    public let configuration: Configuration
    /// `s3://bucket/prefix`.
    public let location: String
    let signer: SigV4Signer?
    let transport: S3Transport
    /// `http` or `https`.
    let scheme: String
    /// The `Host` header: the host (with the bucket for virtual-host addressing) and a non-default port.
    let hostHeader: String
    /// The endpoint's own path, without a trailing `/` (usually empty).
    let basePath: String

    /// A store with an explicit configuration.
    ///
    /// - Throws: ``CatalogError`` `.invalidArgument` for an invalid bucket name, prefix, endpoint,
    ///   region or part size.
    public init(_ configuration: Configuration) throws(CatalogError) {
        try configuration.validate()
        self.configuration = configuration
        self.location = "s3://\(configuration.bucket)" + (configuration.prefix.isEmpty ? "" : "/\(configuration.prefix)")
        self.signer = configuration.credentials.map { SigV4Signer(credentials: $0, region: configuration.region) }
        self.transport = S3Transport(requestTimeout: configuration.requestTimeout, transferTimeout: configuration.transferTimeout)
        var host = "s3.\(configuration.region).amazonaws.com"
        var scheme = "https"
        var port: Int? = nil
        var basePath = ""
        if let endpoint = configuration.endpoint {
            scheme = endpoint.scheme?.lowercased() ?? "https"
            host = endpoint.host?.lowercased() ?? host
            if host.contains(":") && !host.hasPrefix("[") { host = "[\(host)]" }   // IPv6 literal
            port = endpoint.port
            basePath = String(endpoint.path.reversed().drop(while: { $0 == "/" }).reversed())
        }
        if configuration.addressing == .virtualHost { host = "\(configuration.bucket).\(host)" }
        if let port, port != (scheme == "https" ? 443 : 80) { host += ":\(port)" }
        self.scheme = scheme
        self.hostHeader = host
        self.basePath = basePath
    }

    /// A store for `s3://bucket/prefix`, configured from the AWS environment variables (see
    /// ``Configuration-swift.struct/init(url:environment:addressing:)``).
    ///
    /// ```swift
    /// let store = try S3Store(url: "s3://lake/tables", environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5055",
    ///                                                               "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"])
    /// ```
    public convenience init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                            addressing: Configuration.Addressing? = nil) throws(CatalogError) {
        try self.init(Configuration(url: url, environment: environment, addressing: addressing))
    }

    // MARK: Reads

    public func get(_ key: ObjectKey) throws(CatalogError) -> [UInt8] {
        let response = try send(S3Request(method: "GET", key: fullKey(key.rawValue)), "GET", key: key)
        guard response.status == 200 else { throw failure(response, "GET", key: key) }
        return response.body
    }

    public func get(_ key: ObjectKey, range: ObjectRange) throws(CatalogError) -> [UInt8] {
        let header: String
        switch range {
        case .bytes(let offset, let count):
            guard offset >= 0, count >= 0 else { throw invalidRange(range, key) }
            let (last, overflow) = offset.addingReportingOverflow(count - 1)
            header = overflow ? "bytes=\(offset)-" : "bytes=\(offset)-\(last)"
            if count == 0 { return try emptyRead(key) }
        case .suffix(let count):
            guard count >= 0 else { throw invalidRange(range, key) }
            header = "bytes=-\(count)"
            if count == 0 { return try emptyRead(key) }
        }
        let response = try send(S3Request(method: "GET", key: fullKey(key.rawValue), headers: ["range": header]), "ranged GET", key: key)
        switch response.status {
        case 206:
            return response.body
        case 200:
            // The service ignored the range and sent the whole object.
            guard let slice = _clamp(range, size: response.body.count) else { throw invalidRange(range, key) }
            return Array(response.body[slice])
        case 416:
            // Nothing to read: the range starts at or past the end (every range of an empty object).
            return []
        default:
            throw failure(response, "ranged GET", key: key)
        }
    }

    /// A zero-byte read: no range header can say it, but a missing object must still fail.
    private func emptyRead(_ key: ObjectKey) throws(CatalogError) -> [UInt8] {
        guard try head(key) != nil else {
            throw CatalogError(code: .notFound, message: "no such object", context: .init(store: location, key: key.rawValue))
        }
        return []
    }

    private func invalidRange(_ range: ObjectRange, _ key: ObjectKey) -> CatalogError {
        CatalogError(code: .invalidArgument, message: "invalid range \(range)", context: .init(store: location, key: key.rawValue))
    }

    public func head(_ key: ObjectKey) throws(CatalogError) -> ObjectMetadata? {
        let response = try send(S3Request(method: "HEAD", key: fullKey(key.rawValue)), "HEAD", key: key)
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw failure(response, "HEAD", key: key) }
        guard let size = response.headers["content-length"].flatMap({ Int($0) }) else {
            throw CatalogError(code: .storeFailure, message: "HEAD answered without a Content-Length", context: .init(store: location, key: key.rawValue))
        }
        let modified = response.headers["last-modified"].flatMap(_CivilTime.httpDateMilliseconds) ?? 0
        return ObjectMetadata(key: key, size: size, lastModifiedMilliseconds: modified, etag: response.headers["etag"])
    }

    public func list(prefix: String, startAfter: String?, limit: Int) throws(CatalogError) -> ObjectListPage {
        let limit = max(1, limit)
        let storePrefix = configuration.prefix.isEmpty ? "" : configuration.prefix + "/"
        var objects: [ObjectMetadata] = []
        var continuation: String? = nil
        var truncated = false
        repeat {
            var query: [(name: String, value: String)] = [("list-type", "2"), ("prefix", storePrefix + prefix),
                                                          ("max-keys", String(min(1000, limit - objects.count)))]
            if let continuation {
                query.append(("continuation-token", continuation))
            } else if let startAfter {
                query.append(("start-after", storePrefix + startAfter))
            }
            let response = try send(S3Request(method: "GET", key: nil, query: query), "LIST", key: nil)
            guard response.status == 200 else { throw failure(response, "LIST \(prefix)", key: nil) }
            guard let result = S3XMLNode.parse(response.body), result.name == "ListBucketResult" else {
                throw CatalogError(code: .storeFailure, message: "the listing of '\(_printable(prefix))' is not a ListBucketResult document",
                                   context: .init(store: location))
            }
            for entry in result.children("Contents") {
                guard let fullKey = entry.value("Key"), fullKey.hasPrefix(storePrefix),
                      let key = try? ObjectKey(String(fullKey.dropFirst(storePrefix.count))) else { continue }   // e.g. "dir/" markers
                objects.append(ObjectMetadata(key: key, size: entry.value("Size").flatMap { Int($0) } ?? 0,
                                              lastModifiedMilliseconds: entry.value("LastModified").flatMap(_CivilTime.iso8601Milliseconds) ?? 0,
                                              etag: entry.value("ETag")))
            }
            truncated = result.value("IsTruncated") == "true"
            continuation = result.value("NextContinuationToken")
        } while truncated && objects.count < limit && continuation != nil
        return ObjectListPage(objects: objects, isTruncated: truncated)
    }

    // MARK: Writes

    public func put(_ key: ObjectKey, _ bytes: [UInt8]) throws(CatalogError) {
        let request = S3Request(method: "PUT", key: fullKey(key.rawValue), headers: ["content-type": "application/octet-stream"], body: bytes)
        let response = try send(request, "PUT", key: key)
        guard response.succeeded else { throw failure(response, "PUT", key: key) }
    }

    public func putIfAbsent(_ key: ObjectKey, _ bytes: [UInt8]) throws(CatalogError) -> Bool {
        let request = S3Request(method: "PUT", key: fullKey(key.rawValue),
                                headers: ["content-type": "application/octet-stream", "if-none-match": "*"], body: bytes)
        var conflicts = 0
        while true {
            let response = try send(request, "conditional PUT", key: key)
            if response.succeeded { return true }
            switch response.status {
            case 412:
                // After an attempt whose outcome is unknown, the object in the way may be our own.
                if response.afterUncertainAttempt, let etag = try head(key)?.etag {
                    return etag == "\"\(SigV4Signer.hex(Insecure.MD5.hash(data: bytes)))\""
                }
                return false
            case 409 where conflicts < 2 * configuration.retry.maxAttempts:
                // ConditionalRequestConflict: another conditional write raced ours; send again.
                conflicts += 1
                Thread.sleep(forTimeInterval: configuration.retry.backoff(after: conflicts))
            default:
                throw failure(response, "conditional PUT", key: key)
            }
        }
    }

    public func delete(_ key: ObjectKey) throws(CatalogError) {
        let response = try send(S3Request(method: "DELETE", key: fullKey(key.rawValue)), "DELETE", key: key)
        if response.succeeded || (response.status == 404 && response.errorCode != "NoSuchBucket") { return }
        throw failure(response, "DELETE", key: key)
    }

    public func upload(_ key: ObjectKey, ifAbsent: Bool) throws(CatalogError) -> any ObjectUpload {
        S3MultipartUpload(store: self, key: key, ifAbsent: ifAbsent)
    }
}
