import Foundation

// Sending requests: URLs, signing, retries, and turning failed responses into CatalogErrors.
extension S3Store {
    /// Sends a request, signed anew for each attempt, retrying what ``RetryPolicy`` retries.
    ///
    /// - Returns: the last response, whatever its status (callers decide what a status means).
    /// - Throws: `.timedOut` or `.storeFailure` when no response came after the last attempt.
    func send(_ request: S3Request, _ operation: String, key: ObjectKey?) throws(CatalogError) -> S3Response {
        let payloadHash = request.body.isEmpty ? SigV4Signer.emptyPayloadHash
            : configuration.signsPayload ? SigV4Signer.payloadHash(request.body) : SigV4Signer.unsignedPayload
        let unsigned = SigV4Signer.Request(method: request.method, host: hostHeader, path: path(of: request.key),
                                           query: request.query, headers: request.headers, payloadHash: payloadHash)
        let query = unsigned.encodedQuery
        guard let url = URL(string: "\(scheme)://\(hostHeader)\(unsigned.encodedPath)\(query.isEmpty ? "" : "?" + query)") else {
            throw CatalogError(code: .invalidKey, message: "the key does not make a valid URL", context: .init(store: location, key: key?.rawValue))
        }
        let attempts = configuration.retry.maxAttempts
        var uncertain = false
        for attempt in 1...attempts {
            let headers = signer?.sign(unsigned, date: Date()) ?? request.headers
            switch transport.perform(method: request.method, url: url, headers: headers, body: request.body) {
            case .success(var response):
                response.errorMayComeWith200 = request.errorMayComeWith200
                if attempt < attempts && Self.isRetryable(response) {
                    uncertain = true
                    Thread.sleep(forTimeInterval: configuration.retry.backoff(after: attempt))
                    continue
                }
                response.afterUncertainAttempt = uncertain
                response.attempts = attempt
                return response
            case .failure(let failure):
                if attempt < attempts && failure.retryable {
                    uncertain = true
                    Thread.sleep(forTimeInterval: configuration.retry.backoff(after: attempt))
                    continue
                }
                let tries = attempt == 1 ? "" : " after \(attempt) attempts"
                throw CatalogError(code: failure.timedOut ? .timedOut : .storeFailure,
                                   message: redact("\(operation) failed\(tries): \(failure.reason) (\(scheme)://\(hostHeader))"),
                                   context: .init(store: location, key: key?.rawValue))
            }
        }
        throw CatalogError.internalError("the retry loop of \(operation) ended without an answer")
    }

    /// 5xx, 429 and S3's throttling and timeout codes are retried; other 4xx are not.
    static func isRetryable(_ response: S3Response) -> Bool {
        if response.status >= 500 || response.status == 429 { return true }
        let transient: Set<String> = ["SlowDown", "Throttling", "ThrottlingException", "RequestThrottled", "RequestTimeout",
                                      "InternalError", "ServiceUnavailable"]
        guard response.status >= 300 || response.errorMayComeWith200, let code = response.errorCode else { return false }
        return transient.contains(code)
    }

    /// The URL path of a full key (or of the bucket), before percent-encoding.
    func path(of fullKey: String?) -> String {
        let bucketPart = configuration.addressing == .path ? "/" + configuration.bucket : ""
        guard let fullKey else { return basePath + bucketPart + (bucketPart.isEmpty ? "/" : "") }
        return basePath + bucketPart + "/" + fullKey
    }

    /// The key in the bucket: the store prefix, `/`, the key.
    func fullKey(_ key: String) -> String { configuration.prefix.isEmpty ? key : configuration.prefix + "/" + key }

    /// The error for a response that is not what the operation expected.
    func failure(_ response: S3Response, _ operation: String, key: ObjectKey?) -> CatalogError {
        let document = response.errorDocument
        let s3Code = document?.value("Code")
        var detail = "HTTP \(response.status)"
        if let s3Code { detail += " \(s3Code)" }
        if let text = document?.value("Message"), !text.isEmpty { detail += ": \(text)" }
        if let id = response.headers["x-amz-request-id"] { detail += " (request id \(id))" }
        if response.attempts > 1 { detail += " after \(response.attempts) attempts" }
        let code: CatalogError.Code
        let message: String
        switch (response.status, s3Code) {
        case (403, _):
            code = .accessDenied
            message = "\(operation) was refused: \(detail)"
                + (signer == nil ? "; the request was not signed (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)" : "")
        case (404, "NoSuchBucket"?):
            code = .notFound
            message = "the bucket '\(configuration.bucket)' does not exist: \(detail)"
        case (404, "NoSuchUpload"?):
            code = .notFound
            message = "\(operation): the multipart upload no longer exists (aborted or completed): \(detail)"
        case (404, _):
            code = .notFound
            message = "no such object: \(detail)"
        case (408, _), (_, "RequestTimeout"?):
            code = .timedOut
            message = "\(operation) timed out: \(detail)"
        case (301, _), (_, "PermanentRedirect"?), (_, "AuthorizationHeaderMalformed"?):
            code = .storeFailure
            message = "\(operation) failed: \(detail); is the bucket in another region than \(configuration.region)?"
        default:
            code = .storeFailure
            message = "\(operation) failed: \(detail)"
        }
        return CatalogError(code: code, message: redact(message), context: .init(store: location, key: key?.rawValue))
    }

    /// `text` without the credentials, whatever a service echoed back.
    func redact(_ text: String) -> String { configuration.credentials?.redacting(text) ?? text }
}
