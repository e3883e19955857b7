// Sending one call: attempts with backoff, each attempt raced against its watchdog, the body read as
// bytes or as NDJSON lines. Everything the endpoints do goes through `perform`.

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension OllamaClient {
    /// One API call, before it is sent.
    struct Call: Sendable {
        var method: HTTPMethod
        var endpoint: String
        var body: ByteBuffer?
        /// The model the request names, for error messages.
        var model: String?
        /// Whether a failure before any reply byte may be retried.
        var retryable = true
        /// Overrides ``Configuration/firstByteTimeout`` (used by `isRunning`).
        var firstByteTimeout: Duration?
        /// The largest body read by ``send(_:)``.
        var maxBodyBytes = 512 << 20

        init(method: HTTPMethod, endpoint: String, model: String? = nil) {
            self.method = method
            self.endpoint = endpoint
            self.model = model
        }

        init(post endpoint: String, json body: some Encodable, model: String) throws {
            self.init(method: .POST, endpoint: endpoint, model: model)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            do {
                self.body = ByteBuffer(bytes: try encoder.encode(body))
            } catch {
                throw OllamaError(
                    code: .invalidConfiguration, message: "The request to \(endpoint) cannot be encoded as JSON: \(error)",
                    endpoint: endpoint, model: model, underlying: error)
            }
        }
    }

    /// Sends `call` and returns the whole body of its 2xx reply.
    func send(_ call: Call) async throws -> ByteBuffer {
        try await perform(call) { body, watchdog in
            var collected = ByteBuffer()
            for try await piece in body {
                watchdog.receivedBytes()
                guard collected.readableBytes + piece.readableBytes <= call.maxBodyBytes else {
                    throw OllamaError(
                        code: .malformedResponse,
                        message: "The reply from \(self.baseURLText)\(call.endpoint) is larger than \(call.maxBodyBytes) bytes.",
                        baseURL: self.baseURLText, endpoint: call.endpoint, model: call.model)
                }
                var piece = piece
                collected.writeBuffer(&piece)
            }
            return collected
        }
    }

    /// Sends `call` and hands each NDJSON line of its reply to `handle` until `handle` returns true
    /// (the `done` line). A reply that ends first is ``OllamaError/Code/truncatedStream``.
    func sendStreaming(_ call: Call, handle: @escaping @Sendable ([UInt8]) throws -> Bool) async throws {
        try await perform(call) { body, watchdog in
            var splitter = NDJSONLineSplitter()
            var done = false
            do {
                for try await piece in body {
                    watchdog.receivedBytes()
                    if done { continue }  // drain what follows `done` so the connection can be reused
                    splitter.append(piece.readableBytesView)
                    while !done, let line = try self.nextLine(&splitter, call) {
                        done = try handle(line)
                    }
                }
            } catch let error as OllamaError {
                throw error
            } catch where done {
                return  // the reply was complete; what went wrong after it does not matter
            } catch {
                throw self.truncated(call, underlying: error)
            }
            if !done, let last = splitter.finish() {
                done = try handle(last)
            }
            guard done else { throw self.truncated(call, underlying: nil) }
        }
    }

    private func nextLine(_ splitter: inout NDJSONLineSplitter, _ call: Call) throws -> [UInt8]? {
        do {
            return try splitter.nextLine()
        } catch {
            throw OllamaError(
                code: .malformedResponse,
                message: "A line of the reply from \(baseURLText)\(call.endpoint) exceeds \(error.length) bytes without a newline.",
                baseURL: baseURLText, endpoint: call.endpoint, model: call.model)
        }
    }

    private func truncated(_ call: Call, underlying: (any Error)?) -> OllamaError {
        OllamaError(
            code: .truncatedStream,
            message: "The reply from \(baseURLText)\(call.endpoint) ended before its final `done` line"
                + (underlying.map { " (\($0))" } ?? "") + ".",
            baseURL: baseURLText, endpoint: call.endpoint, model: call.model, status: 200, underlying: underlying)
    }

    /// Runs `consume` on the body of a 2xx reply to `call`, retrying per the configuration while nothing
    /// has been received.
    func perform<T: Sendable>(
        _ call: Call,
        consume: @escaping @Sendable (HTTPClientResponse.Body, RequestWatchdog) async throws -> T
    ) async throws -> T {
        let totalDeadline = configuration.totalTimeout.map { ContinuousClock.now + $0 }
        let attempts = max(1, configuration.maxAttempts)
        var attempt = 1
        while true {
            do {
                return try await performOnce(call, totalDeadline: totalDeadline, consume: consume)
            } catch let error as OllamaError {
                guard call.retryable, error.isRetryable, attempt < attempts else { throw error }
                let delay = configuration.backoff(beforeRetry: attempt, unit: Double.random(in: 0..<1))
                if let totalDeadline, ContinuousClock.now + delay >= totalDeadline { throw error }
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    throw OllamaError.cancelled(baseURL: baseURLText, endpoint: call.endpoint)
                }
                attempt += 1
            }
        }
    }

    /// One attempt: the request and the watchdog race; whichever ends first ends the other.
    private func performOnce<T: Sendable>(
        _ call: Call, totalDeadline: ContinuousClock.Instant?,
        consume: @escaping @Sendable (HTTPClientResponse.Body, RequestWatchdog) async throws -> T
    ) async throws -> T {
        if Task.isCancelled { throw OllamaError.cancelled(baseURL: baseURLText, endpoint: call.endpoint) }
        let watchdog = RequestWatchdog(
            firstByteTimeout: call.firstByteTimeout ?? configuration.firstByteTimeout,
            idleTimeout: configuration.idleTimeout,
            totalTimeout: configuration.totalTimeout,
            totalDeadline: totalDeadline)
        let baseURLText = self.baseURLText

        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await self.exchange(call, watchdog: watchdog, consume: consume)
            }
            group.addTask {
                try await watchdog.run { phase, limit in
                    OllamaError.timeout(
                        phase, after: limit, baseURL: baseURLText, endpoint: call.endpoint, model: call.model)
                }
                return nil
            }
            do {
                while let result = try await group.next() {
                    if let result {
                        group.cancelAll()
                        return result
                    }
                }
                throw OllamaError.cancelled(baseURL: baseURLText, endpoint: call.endpoint)
            } catch let error as OllamaError {
                group.cancelAll()
                throw error
            } catch {
                group.cancelAll()
                throw self.mapTransportError(error, call: call, receivedResponse: true)
            }
        }
    }

    /// Sends the request, checks the status and hands the body to `consume`.
    private func exchange<T: Sendable>(
        _ call: Call, watchdog: RequestWatchdog,
        consume: @Sendable (HTTPClientResponse.Body, RequestWatchdog) async throws -> T
    ) async throws -> T {
        var request = HTTPClientRequest(url: baseURLText + call.endpoint)
        request.method = call.method
        request.headers.add(name: "User-Agent", value: "LakehouseKit-OllamaClient/1")
        request.headers.add(name: "Accept", value: "application/x-ndjson, application/json")
        if let body = call.body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }

        let response: HTTPClientResponse
        do {
            // The deadline only bounds the wait for the response head; the watchdog enforces the real ones.
            response = try await httpClient.execute(request, timeout: .hours(24 * 365))
        } catch {
            throw mapTransportError(error, call: call, receivedResponse: false)
        }

        guard (200..<300).contains(response.status.code) else {
            var text = ""
            do {
                for try await piece in response.body {
                    watchdog.receivedBytes()
                    if text.utf8.count < 64 << 10 { text += String(decoding: piece.readableBytesView, as: UTF8.self) }
                }
            } catch {
                // The status is what matters; a body cut short is reported as far as it came.
            }
            throw statusError(status: Int(response.status.code), body: text, call: call)
        }

        do {
            return try await consume(response.body, watchdog)
        } catch let error as OllamaError {
            throw error
        } catch {
            throw mapTransportError(error, call: call, receivedResponse: true)
        }
    }

    /// Decodes a JSON body, reporting a failure as ``OllamaError/Code/malformedResponse``.
    func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer, endpoint: String, model: String? = nil) throws -> T {
        let bytes = Array(body.readableBytesView)
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw malformed(bytes, endpoint: endpoint, model: model, underlying: error)
        }
    }

    func malformed(_ bytes: [UInt8], endpoint: String, model: String?, underlying: (any Error)?) -> OllamaError {
        let excerpt = OllamaError.excerpt(of: String(decoding: bytes, as: UTF8.self))
        return OllamaError(
            code: .malformedResponse,
            message: "The Ollama server at \(baseURLText) sent a reply to \(endpoint) that is not the JSON expected: \(excerpt)",
            baseURL: baseURLText, endpoint: endpoint, model: model, excerpt: excerpt, underlying: underlying)
    }
}
