import Dispatch
import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One S3 request before signing: the method, the object key (store prefix included; `nil` for
/// the bucket itself), the query, the extra headers and the body.
struct S3Request {
    var method: String
    var key: String?
    var query: [(name: String, value: String)] = []
    var headers: [String: String] = [:]
    var body: [UInt8] = []
    /// Whether a 200 response can still hold an `<Error>` document (CompleteMultipartUpload).
    var errorMayComeWith200 = false
}

/// The service's answer: status, headers (lower-case names), body, and the S3 error code and
/// message when the body is an `<Error>` document (S3 can send one with status 200).
struct S3Response: Sendable {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    /// Whether an earlier attempt of the request may have reached the service (it failed with a
    /// network error or a 5xx): a conditional write retried after such an attempt can see its own
    /// write.
    var afterUncertainAttempt = false
    /// Whether a 2xx body is checked for an `<Error>` document (see ``S3Request/errorMayComeWith200``).
    var errorMayComeWith200 = false
    /// How many attempts the request took.
    var attempts = 1

    init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The root of an XML body that is an S3 `<Error>` document.
    var errorDocument: S3XMLNode? {
        guard status >= 300 || errorMayComeWith200, body.contains(UInt8(ascii: "<")) else { return nil }
        guard let root = S3XMLNode.parse(body) else { return nil }
        if root.name == "Error" { return root }
        return root.child("Error")   // <ErrorResponse><Error>…</Error></ErrorResponse>
    }

    /// The S3 error code (`NoSuchKey`, `SlowDown`, …), if the body is an error document.
    var errorCode: String? { errorDocument?.value("Code") }

    /// Whether the response is a success without an error document.
    var succeeded: Bool { (200..<300).contains(status) && errorCode == nil }
}

/// Why a request got no HTTP response.
struct S3TransportFailure: Error {
    var timedOut: Bool
    var retryable: Bool
    var reason: String
}

/// The HTTP client of an ``S3Store``: one `URLSession` (no cache, no cookies, the store's
/// timeouts) and a blocking `perform` that waits for the session's completion handler.
final class S3Transport: Sendable {
    private let session: URLSession
    private let requestTimeout: Double
    private let transferTimeout: Double

    init(requestTimeout: Duration, transferTimeout: Duration) {
        self.requestTimeout = requestTimeout.timeInterval
        self.transferTimeout = transferTimeout.timeInterval
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = self.requestTimeout
        configuration.timeoutIntervalForResource = self.transferTimeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.httpMaximumConnectionsPerHost = 16
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// Sends a request and blocks until the response, a network error or the transfer timeout.
    func perform(method: String, url: URL, headers: [String: String], body: [UInt8]) -> Result<S3Response, S3TransportFailure> {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: requestTimeout)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if !body.isEmpty || method == "PUT" || method == "POST" { request.httpBody = Data(body) }

        final class Exchange: Sendable {
            let done = DispatchSemaphore(value: 0)
            let outcome = Mutex<Result<S3Response, S3TransportFailure>?>(nil)
        }
        let exchange = Exchange()
        let task = session.dataTask(with: request) { data, response, error in
            let result: Result<S3Response, S3TransportFailure>
            if let http = response as? HTTPURLResponse, error == nil {
                var fields: [String: String] = [:]
                for (name, value) in http.allHeaderFields {
                    if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
                }
                result = .success(S3Response(status: http.statusCode, headers: fields, body: data.map { [UInt8]($0) } ?? []))
            } else {
                result = .failure(Self.failure(error))
            }
            exchange.outcome.withLock { $0 = result }
            exchange.done.signal()
        }
        task.resume()
        if exchange.done.wait(timeout: .now() + transferTimeout + 5) == .timedOut {
            task.cancel()
            _ = exchange.done.wait(timeout: .now() + 5)
            return .failure(S3TransportFailure(timedOut: true, retryable: true, reason: "no answer within \(Int(transferTimeout)) s"))
        }
        return exchange.outcome.withLock { $0 } ?? .failure(S3TransportFailure(timedOut: false, retryable: true, reason: "no response"))
    }

    /// Classifies a URLSession error without keeping it: its description could carry the URL.
    private static func failure(_ error: (any Error)?) -> S3TransportFailure {
        guard let urlError = error as? URLError else {
            return S3TransportFailure(timedOut: false, retryable: true, reason: error.map { "network error (\(type(of: $0)))" } ?? "no HTTP response")
        }
        let retryable: Set<URLError.Code> = [
            .timedOut, .cannotConnectToHost, .networkConnectionLost, .notConnectedToInternet, .dnsLookupFailed,
            .cannotFindHost, .badServerResponse, .resourceUnavailable, .cannotLoadFromNetwork, .zeroByteResource,
        ]
        let names: [URLError.Code: String] = [
            .timedOut: "the request timed out", .cannotConnectToHost: "cannot connect to the host",
            .networkConnectionLost: "the connection was lost", .notConnectedToInternet: "no network connection",
            .dnsLookupFailed: "the host name lookup failed", .cannotFindHost: "cannot find the host",
            .badServerResponse: "the server sent a malformed response", .secureConnectionFailed: "the TLS connection failed",
            .serverCertificateUntrusted: "the server's certificate is not trusted", .cancelled: "the request was cancelled",
        ]
        return S3TransportFailure(timedOut: urlError.code == .timedOut, retryable: retryable.contains(urlError.code),
                                  reason: names[urlError.code] ?? "network error \(urlError.code.rawValue)")
    }
}
