import Foundation

extension S3Store {
    /// Where an ``S3Store`` keeps its objects and how it talks to the service.
    ///
    /// Any S3-compatible service works: AWS (the default endpoint), MinIO, Ceph, moto… Plain
    /// `http` endpoints are allowed (loopback test servers). Objects live under `prefix/` in the
    /// bucket, so several lakehouses can share one bucket.
    ///
    /// ```swift
    /// var configuration = S3Store.Configuration(
    ///     bucket: "lake", prefix: "prod", region: "us-east-1",
    ///     endpoint: URL(string: "http://127.0.0.1:5055"), addressing: .path,
    ///     credentials: AWSCredentials(accessKeyID: "test", secretAccessKey: "test"))
    /// configuration.retry.maxAttempts = 6
    /// let store = try S3Store(configuration)
    /// ```
    public struct Configuration: Sendable {
        /// The bucket.
        public var bucket: String
        /// The key prefix of the store inside the bucket, without a leading or trailing `/`;
        /// empty for the whole bucket.
        public var prefix: String
        /// The region, used to sign requests and to name the default AWS endpoint.
        public var region: String
        /// The service's base URL (`http://127.0.0.1:5055`); `nil` for AWS
        /// (`https://s3.<region>.amazonaws.com`).
        public var endpoint: URL?
        /// How the bucket appears in request URLs.
        public var addressing: Addressing
        /// The credentials that sign requests; `nil` sends unsigned (anonymous) requests.
        public var credentials: AWSCredentials?
        /// How long a request may wait for the service to send or accept more bytes.
        public var requestTimeout: Duration
        /// How long one request may take in total (a part upload or a large GET included).
        public var transferTimeout: Duration
        /// How failed requests are retried.
        public var retry: RetryPolicy
        /// Uploads up to this size are sent as one PUT; larger ones as a multipart upload.
        public var multipartThreshold: Int
        /// The size of the parts of a multipart upload (at least 5 MiB; the last part may be smaller).
        public var partSize: Int
        /// Whether request bodies are hashed into the signature; `false` sends `UNSIGNED-PAYLOAD`
        /// (saves a SHA-256 pass, reasonable over https).
        public var signsPayload: Bool

        /// Bucket-in-path (`endpoint/bucket/key`) or bucket-in-host (`bucket.endpoint/key`).
        public enum Addressing: Sendable, Hashable {
            /// `http://host:port/bucket/key`: what local S3-compatible servers expect.
            case path
            /// `https://bucket.s3.region.amazonaws.com/key`: what AWS prefers.
            case virtualHost
        }

        /// Creates a configuration.
        public init(bucket: String, prefix: String = "", region: String = "us-east-1", endpoint: URL? = nil,
                    addressing: Addressing? = nil, credentials: AWSCredentials?,
                    requestTimeout: Duration = .seconds(30), transferTimeout: Duration = .seconds(300),
                    retry: RetryPolicy = RetryPolicy(), multipartThreshold: Int = 8 << 20, partSize: Int = 8 << 20,
                    signsPayload: Bool = true) {
            self.bucket = bucket
            self.prefix = String(prefix.drop(while: { $0 == "/" }).reversed().drop(while: { $0 == "/" }).reversed())
            self.region = region
            self.endpoint = endpoint
            self.addressing = addressing ?? (endpoint == nil ? .virtualHost : .path)
            self.credentials = credentials
            self.requestTimeout = requestTimeout
            self.transferTimeout = transferTimeout
            self.retry = retry
            self.multipartThreshold = multipartThreshold
            self.partSize = partSize
            self.signsPayload = signsPayload
        }

        /// A configuration for `s3://bucket/prefix` from the usual AWS environment variables.
        ///
        /// - `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`: the credentials
        ///   (unsigned requests when neither is set).
        /// - `AWS_REGION`, else `AWS_DEFAULT_REGION`, else `us-east-1`.
        /// - `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`, else `LAKE_S3_ENDPOINT` (the tests'
        ///   variable): the endpoint; AWS when none is set.
        ///
        /// Addressing is path-style when an endpoint is given and virtual-host otherwise, unless
        /// `addressing` says.
        ///
        /// - Throws: ``CatalogError`` `.invalidArgument` for a URL that is not `s3://bucket[/prefix]`,
        ///   an endpoint that is not an http(s) URL, or only one of the key id and the secret.
        public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                    addressing: Addressing? = nil) throws(CatalogError) {
            guard url.hasPrefix("s3://") else {
                throw CatalogError(.invalidArgument, "an S3 store URL looks like s3://bucket/prefix, not '\(_printable(url))'")
            }
            let rest = url.dropFirst(5)
            let bucket = String(rest.prefix(while: { $0 != "/" }))
            let prefix = String(rest.dropFirst(bucket.count))
            func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
            var endpoint: URL? = nil
            if let text = value("AWS_ENDPOINT_URL_S3") ?? value("AWS_ENDPOINT_URL") ?? value("LAKE_S3_ENDPOINT") {
                guard let parsed = URL(string: text) else {
                    throw CatalogError(.invalidArgument, "the S3 endpoint '\(_printable(text))' is not a URL")
                }
                endpoint = parsed
            }
            var credentials: AWSCredentials? = nil
            switch (value("AWS_ACCESS_KEY_ID"), value("AWS_SECRET_ACCESS_KEY")) {
            case (let id?, let secret?):
                credentials = AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
            case (nil, nil):
                credentials = nil
            default:
                throw CatalogError(.invalidArgument, "set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither for unsigned requests")
            }
            self.init(bucket: bucket, prefix: prefix, region: value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? "us-east-1",
                      endpoint: endpoint, addressing: addressing, credentials: credentials)
            try validate()
        }

        /// Checks the bucket name, the prefix, the endpoint and the sizes.
        func validate() throws(CatalogError) {
            let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-_")
            guard (3...63).contains(bucket.count), bucket.allSatisfy(allowed.contains), bucket.first != ".", bucket.first != "-" else {
                throw CatalogError(.invalidArgument, "'\(_printable(bucket))' is not a bucket name (3 to 63 lower-case letters, digits, '.', '-')")
            }
            if !prefix.isEmpty {
                do { _ = try ObjectKey(prefix) } catch {
                    throw CatalogError(.invalidArgument, "the key prefix '\(_printable(prefix))' is not valid: \(error.message)")
                }
            }
            if let endpoint {
                guard let scheme = endpoint.scheme?.lowercased(), scheme == "http" || scheme == "https",
                      let host = endpoint.host, !host.isEmpty, endpoint.query == nil else {
                    throw CatalogError(.invalidArgument, "the S3 endpoint '\(_printable(endpoint.absoluteString))' is not an http(s) URL with a host")
                }
            }
            guard !region.isEmpty, region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                throw CatalogError(.invalidArgument, "'\(_printable(region))' is not a region name")
            }
            guard partSize >= 5 << 20, partSize <= 5 << 30 else {
                throw CatalogError(.invalidArgument, "the part size must be between 5 MiB and 5 GiB (S3's limits), not \(partSize)")
            }
            guard multipartThreshold >= 0, retry.maxAttempts >= 1 else {
                throw CatalogError(.invalidArgument, "the multipart threshold may not be negative and the retry policy needs at least one attempt")
            }
        }
    }

    /// How an ``S3Store`` retries: exponential backoff with full jitter (each wait is random
    /// between zero and `initialBackoff × 2^(attempt−1)`, capped at `maxBackoff`).
    ///
    /// Retried: HTTP 5xx, 429, S3's throttling and timeout codes (`SlowDown`, `RequestTimeout`, …)
    /// and network failures (refused or lost connections, timeouts). Never retried: other 4xx.
    public struct RetryPolicy: Sendable, Hashable {
        /// Attempts per request, the first included (1 disables retries).
        public var maxAttempts: Int
        /// The cap of the first wait.
        public var initialBackoff: Duration
        /// The largest wait.
        public var maxBackoff: Duration

        /// Creates a policy; the default makes four attempts over about a second at most.
        public init(maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(5)) {
            self.maxAttempts = maxAttempts
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
        }

        /// The wait before attempt `attempt + 1`, after `attempt` failed ones.
        func backoff(after attempt: Int) -> Double {
            let cap = min(maxBackoff.timeInterval, initialBackoff.timeInterval * Double(1 << min(max(attempt - 1, 0), 30)))
            return cap > 0 ? Double.random(in: 0...cap) : 0
        }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var timeInterval: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
