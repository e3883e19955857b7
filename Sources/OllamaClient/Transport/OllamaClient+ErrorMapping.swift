// From what AsyncHTTPClient, NIO and the server report to OllamaError, and which failures may be retried.

import AsyncHTTPClient
import Foundation
import NIOCore

extension OllamaClient {
    /// The error for a reply with a non-2xx status.
    func statusError(status: Int, body: String, call: Call) -> OllamaError {
        let serverMessage = Self.serverMessage(fromBody: body)
        let shown = serverMessage.isEmpty ? "HTTP \(status)" : serverMessage
        let place = "\(baseURLText)\(call.endpoint)"
        switch status {
        case 404 where call.model != nil:
            return .modelNotFound(
                model: call.model!, baseURL: baseURLText, endpoint: call.endpoint, serverMessage: serverMessage)
        case 400:
            return OllamaError(
                code: .badRequest, message: "The Ollama server at \(place) rejected the request: \(shown).",
                baseURL: baseURLText, endpoint: call.endpoint, model: call.model, status: status,
                serverMessage: serverMessage)
        case 503:
            var error = OllamaError(
                code: .busy, message: "The Ollama server at \(baseURLText) is busy (\(shown)); try again later.",
                baseURL: baseURLText, endpoint: call.endpoint, model: call.model, status: status,
                serverMessage: serverMessage)
            error.isRetryable = true
            return error
        default:
            var error = OllamaError(
                code: .server, message: "The Ollama server at \(place) failed with HTTP \(status): \(shown).",
                baseURL: baseURLText, endpoint: call.endpoint, model: call.model, status: status,
                serverMessage: serverMessage)
            error.isRetryable = status == 500 && serverMessage.lowercased().contains("loading model")
            return error
        }
    }

    /// The error for an `{"error": …}` line inside a 200 stream.
    func streamError(_ message: String, call: Call) -> OllamaError {
        OllamaError(
            code: .server,
            message: "The Ollama server at \(baseURLText)\(call.endpoint) failed while answering: \(message).",
            baseURL: baseURLText, endpoint: call.endpoint, model: call.model, status: 200, serverMessage: message)
    }

    /// `{"error": "…"}` → its text; any other body → the body itself, trimmed.
    static func serverMessage(fromBody body: String) -> String {
        if let data = body.data(using: .utf8), let decoded = try? JSONDecoder().decode(ErrorBody.self, from: data) {
            return decoded.error
        }
        return OllamaError.excerpt(of: body.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Maps an error thrown by AsyncHTTPClient (or the task machinery) while sending or reading.
    func mapTransportError(_ error: any Error, call: Call, receivedResponse: Bool) -> OllamaError {
        if let error = error as? OllamaError { return error }
        if error is CancellationError || (error as? HTTPClientError) == .cancelled {
            return .cancelled(baseURL: baseURLText, endpoint: call.endpoint)
        }
        if let httpError = error as? HTTPClientError {
            if httpError == .connectTimeout {
                return .timeout(
                    .connect, after: configuration.connectTimeout, baseURL: baseURLText, endpoint: call.endpoint,
                    model: call.model)
            }
            if httpError == .deadlineExceeded, let total = configuration.totalTimeout {
                return .timeout(.total, after: total, baseURL: baseURLText, endpoint: call.endpoint, model: call.model)
            }
        }
        if receivedResponse {
            return OllamaError(
                code: .truncatedStream,
                message: "The connection to \(baseURLText)\(call.endpoint) failed while reading the reply: \(error).",
                baseURL: baseURLText, endpoint: call.endpoint, model: call.model, underlying: error)
        }
        let errno = Self.socketErrno(in: error)
        if errno == ECONNREFUSED || (errno == nil && (error as? HTTPClientError) != .remoteConnectionClosed
            && Self.looksLikeConnectFailure(error))
        {
            return .serverNotRunning(baseURL: baseURLText, endpoint: call.endpoint, underlying: error)
        }
        var mapped = OllamaError(
            code: .server,
            message: "The connection to \(baseURLText)\(call.endpoint) failed before a reply: \(error).",
            baseURL: baseURLText, endpoint: call.endpoint, model: call.model, underlying: error)
        // A reset or a close before any reply byte: the server may be restarting; sending again is safe.
        mapped.isRetryable =
            (error as? HTTPClientError) == .remoteConnectionClosed || errno == ECONNRESET || errno == EPIPE
        return mapped
    }

    /// The `errno` of the first NIO `IOError` found in `error` or in the values it wraps (NIOPosix's
    /// connection error keeps one per address tried).
    private static func socketErrno(in error: any Error) -> Int32? {
        func search(_ value: Any, depth: Int) -> Int32? {
            if let ioError = value as? IOError { return ioError.errnoCode }
            guard depth < 5 else { return nil }
            for child in Mirror(reflecting: value).children {
                if let found = search(child.value, depth: depth + 1) { return found }
            }
            return nil
        }
        return search(error, depth: 0)
    }

    /// Whether `error` is a failure to establish the connection (name resolution, no route).
    private static func looksLikeConnectFailure(_ error: any Error) -> Bool {
        let text = String(describing: type(of: error)) + " " + String(describing: error)
        return text.contains("NIOConnectionError") || text.contains("Connection refused")
            || text.contains("connectionRefused")
    }
}
