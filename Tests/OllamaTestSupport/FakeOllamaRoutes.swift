// What the fake answers to a request, decided without any I/O: the handler only carries out the plan.

import Foundation
import NIOHTTP1

/// How to answer one request.
struct ResponsePlan {
    enum Body {
        /// A complete reply with a `Content-Length`.
        case whole(status: HTTPResponseStatus, contentType: String, text: String)
        /// A chunked NDJSON reply: the lines, then either the end of the body or a dropped connection.
        case stream(lines: [String], closeWithoutEnd: Bool)
        /// Close the connection without answering.
        case close
    }

    var body: Body
    var firstByteDelay: Duration = .zero
    var chunkDelay: Duration = .zero
    /// `HEAD`: send the head only.
    var headOnly = false
}

struct FakeOllamaRoutes: Sendable {
    let configuration: FakeOllamaServer.Configuration

    private static let modelEndpoints: Set<String> = ["/api/embed", "/api/embeddings", "/api/generate", "/api/chat"]

    /// Whether requests to `path` with `method` take injected faults.
    static func takesFaults(method: String, path: String) -> Bool {
        method == "POST" && modelEndpoints.contains(path)
    }

    func plan(for request: FakeOllamaServer.RecordedRequest, faults: [FakeOllamaServer.Fault]) -> ResponsePlan {
        var plan = route(request, faults: faults)
        for fault in faults {
            switch fault {
            case .delayFirstByte(let delay): plan.firstByteDelay = delay
            case .delayBetweenChunks(let delay): plan.chunkDelay = delay
            default: break
            }
        }
        return plan
    }

    private func route(_ request: FakeOllamaServer.RecordedRequest, faults: [FakeOllamaServer.Fault]) -> ResponsePlan {
        switch (request.method, request.path) {
        case ("GET", "/"), ("HEAD", "/"):
            var plan = ResponsePlan(body: .whole(status: .ok, contentType: "text/plain; charset=utf-8", text: "Ollama is running"))
            plan.headOnly = request.method == "HEAD"
            return plan
        case ("GET", "/api/version"), ("HEAD", "/api/version"):
            return json(.ok, ["version": .string(configuration.version)])
        case ("GET", "/api/tags"), ("HEAD", "/api/tags"):
            return json(.ok, ["models": .array(modelList())])
        case ("POST", let path) where Self.modelEndpoints.contains(path):
            return modelRequest(request, faults: faults)
        case (_, let path) where Self.modelEndpoints.contains(path) || path == "/api/tags" || path == "/api/version":
            return ResponsePlan(body: .whole(status: .methodNotAllowed, contentType: "text/plain", text: "405 method not allowed"))
        default:
            return ResponsePlan(body: .whole(status: .notFound, contentType: "text/plain", text: "404 page not found"))
        }
    }

    // MARK: Models

    private static func normalized(_ name: String) -> String {
        let last = name.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(name)
        return last.contains(":") ? name : name + ":latest"
    }

    private func embeddingDimension(of model: String) -> Int? {
        let wanted = Self.normalized(model)
        return configuration.embeddingModels.first { Self.normalized($0.key) == wanted }?.value
    }

    private func isChatModel(_ model: String) -> Bool {
        let wanted = Self.normalized(model)
        return configuration.chatModels.contains { Self.normalized($0) == wanted }
    }

    private func modelList() -> [FakeJSON] {
        let embedding = configuration.embeddingModels.sorted { $0.key < $1.key }.map { name, dimension in
            modelEntry(Self.normalized(name), capability: "embedding", extra: ["embedding_length": .number(Double(dimension))])
        }
        let chat = configuration.chatModels.sorted().map { modelEntry(Self.normalized($0), capability: "completion", extra: [:]) }
        return embedding + chat
    }

    private func modelEntry(_ name: String, capability: String, extra: [String: FakeJSON]) -> FakeJSON {
        var details: [String: FakeJSON] = [
            "parent_model": "", "format": "gguf", "family": "fake", "families": ["fake"],
            "parameter_size": "1M", "quantization_level": "F16",
        ]
        details.merge(extra) { _, new in new }
        return [
            "name": .string(name), "model": .string(name), "modified_at": .string(Self.timestamp()),
            "size": 1_000_000, "digest": .string(String(repeating: "0", count: 64)),
            "details": .object(details), "capabilities": [.string(capability)],
        ]
    }

    // MARK: Model endpoints

    private func modelRequest(_ request: FakeOllamaServer.RecordedRequest, faults: [FakeOllamaServer.Fault]) -> ResponsePlan {
        if faults.contains(.busy) {
            return error(.serviceUnavailable, "server busy, please try again.  maximum pending requests exceeded")
        }
        if faults.contains(.loadingModel) {
            return error(.internalServerError, "llm server loading model")
        }
        if request.rawBody.isEmpty { return error(.badRequest, "missing request body") }
        guard let body = request.body, case .object = body else {
            return error(.badRequest, "invalid character looking for beginning of value")
        }
        guard let model = body["model"]?.string, !model.isEmpty else { return error(.badRequest, "model is required") }

        let dimension = embeddingDimension(of: model)
        let chat = isChatModel(model)
        guard dimension != nil || chat else {
            if request.path == "/api/embeddings" {
                return error(.notFound, "model \"\(model)\" not found, try pulling it first")
            }
            return error(.notFound, "model '\(model)' not found")
        }

        switch request.path {
        case "/api/embed", "/api/embeddings":
            guard let dimension else { return error(.badRequest, "\"\(model)\" does not support embeddings") }
            let plan = request.path == "/api/embed"
                ? embed(body, model: model, dimension: dimension) : legacyEmbedding(body, dimension: dimension)
            return applyWholeBodyFaults(plan, faults: faults)
        default:
            let isChat = request.path == "/api/chat"
            guard chat else {
                return error(.badRequest, "\"\(model)\" does not support \(isChat ? "chat" : "generate")")
            }
            return generation(body, model: model, isChat: isChat, faults: faults)
        }
    }

    private func embed(_ body: FakeJSON, model: String, dimension: Int) -> ResponsePlan {
        var texts: [String] = []
        switch body["input"] {
        case nil, .null?: break
        case .string(let text)?: if !text.isEmpty { texts = [text] }
        case .array(let items)?:
            for item in items {
                guard let text = item.string else { return error(.badRequest, "invalid input type") }
                texts.append(text)
            }
        default: return error(.badRequest, "invalid input type")
        }
        let truncate = body["truncate"]?.bool ?? true
        var vectors: [FakeJSON] = []
        for var text in texts {
            if let limit = configuration.maxInputLength, text.count > limit {
                guard truncate else { return error(.badRequest, "the input length exceeds the context length") }
                text = String(text.prefix(limit))
            }
            var vector = vectorFor(text, dimension: dimension)
            if let wanted = body["dimensions"]?.int, wanted > 0, wanted < vector.count {
                vector = FakeEmbeddings.normalized(Array(vector.prefix(wanted)))
            }
            vectors.append(.array(vector.map { .number(Double($0)) }))
        }
        let tokens = texts.reduce(0) { $0 + $1.split(separator: " ").count }
        return json(.ok, [
            "model": .string(model), "embeddings": .array(vectors), "total_duration": 14_143_917,
            "load_duration": 1_019_500, "prompt_eval_count": .number(Double(tokens)),
        ])
    }

    private func legacyEmbedding(_ body: FakeJSON, dimension: Int) -> ResponsePlan {
        let prompt = body["prompt"]?.string ?? ""
        // The legacy endpoint is not normalised; scale so that clients cannot mistake it for /api/embed.
        let vector = prompt.isEmpty ? [] : vectorFor(prompt, dimension: dimension).map { Double($0) * 3 }
        return json(.ok, ["embedding": .array(vector.map { .number($0) })])
    }

    private func vectorFor(_ text: String, dimension: Int) -> [Float] {
        switch configuration.embedding {
        case .hashed: return FakeEmbeddings.hashed(text, dimension: dimension)
        case .custom(let embed): return FakeEmbeddings.normalized(embed(text))
        }
    }

    /// Faults for replies that are one JSON object.
    private func applyWholeBodyFaults(_ plan: ResponsePlan, faults: [FakeOllamaServer.Fault]) -> ResponsePlan {
        var plan = plan
        for fault in faults {
            switch fault {
            case .closeConnection, .endWithoutDone: plan.body = .close
            case .malformedLine:
                plan.body = .whole(status: .ok, contentType: "application/json; charset=utf-8", text: #"{"embeddings": [[0.1, oops"#)
            case .errorLine(_, let message):
                plan.body = .whole(
                    status: .internalServerError, contentType: "application/json; charset=utf-8",
                    text: FakeJSON.object(["error": .string(message)]).serialized)
            default: break
            }
        }
        return plan
    }

    private func generation(_ body: FakeJSON, model: String, isChat: Bool, faults: [FakeOllamaServer.Fault]) -> ResponsePlan {
        let prompt: String
        if isChat {
            let messages = body["messages"]?.array ?? []
            let lastUser = messages.last { $0["role"]?.string?.lowercased() == "user" } ?? messages.last
            prompt = lastUser?["content"]?.string ?? ""
            if messages.isEmpty { return loadOrUnload(body, model: model, isChat: true) }
        } else {
            prompt = body["prompt"]?.string ?? ""
            if prompt.isEmpty { return loadOrUnload(body, model: model, isChat: false) }
        }

        let wantsFormat = body["format"].map { !$0.isNull } ?? false
        let scripted = configuration.replies.first { prompt.contains($0.whenContains) }?.reply
        let reply = scripted ?? (wantsFormat ? configuration.jsonReply : "You said: \(prompt)")
        let pieces = Self.split(reply, into: configuration.chunkCount)
        let metrics: [String: FakeJSON] = [
            "total_duration": 5_000_000, "load_duration": 1_000_000, "prompt_eval_count": .number(Double(prompt.count)),
            "prompt_eval_duration": 1_500_000, "eval_count": .number(Double(pieces.count)), "eval_duration": 2_500_000,
        ]

        func chunk(_ text: String, done: Bool) -> FakeJSON {
            var object: [String: FakeJSON] = ["model": .string(model), "created_at": .string(Self.timestamp()), "done": .bool(done)]
            if isChat {
                object["message"] = ["role": "assistant", "content": .string(text)]
            } else {
                object["response"] = .string(text)
            }
            if done {
                object["done_reason"] = "stop"
                object.merge(metrics) { _, new in new }
                if !isChat { object["context"] = [1, 2, 3] }
            }
            return .object(object)
        }

        if body["stream"]?.bool == false {
            let plan = json(.ok, chunk(reply, done: true))
            return applyWholeBodyFaults(plan, faults: faults)
        }

        var lines = pieces.map { chunk($0, done: false).serialized }
        var closeWithoutEnd = false
        var finalLine: String? = chunk("", done: true).serialized
        for fault in faults {
            switch fault {
            case .errorLine(let after, let message):
                lines = Array(lines.prefix(after)) + [FakeJSON.object(["error": .string(message)]).serialized]
                finalLine = nil
            case .closeConnection(let after):
                lines = Array(lines.prefix(after))
                closeWithoutEnd = true
                finalLine = nil
            case .endWithoutDone(let after):
                lines = Array(lines.prefix(after))
                finalLine = nil
            case .malformedLine(let after):
                lines = Array(lines.prefix(after)) + [#"{"model": "oops", "response": "#]
                finalLine = nil
            default: break
            }
        }
        if let finalLine { lines.append(finalLine) }
        return ResponsePlan(body: .stream(lines: lines, closeWithoutEnd: closeWithoutEnd))
    }

    private func loadOrUnload(_ body: FakeJSON, model: String, isChat: Bool) -> ResponsePlan {
        let unload = body["keep_alive"].map { $0 == .number(0) || $0 == .string("0") } ?? false
        var object: [String: FakeJSON] = [
            "model": .string(model), "created_at": .string(Self.timestamp()), "done": true,
            "done_reason": .string(unload ? "unload" : "load"),
        ]
        if isChat { object["message"] = ["role": "assistant", "content": ""] } else { object["response"] = "" }
        return json(.ok, .object(object))
    }

    /// `text` in `count` pieces of nearly equal length (fewer if it is shorter).
    static func split(_ text: String, into count: Int) -> [String] {
        let characters = Array(text)
        guard !characters.isEmpty else { return [] }
        let pieces = max(1, min(count, characters.count))
        let size = (characters.count + pieces - 1) / pieces
        return stride(from: 0, to: characters.count, by: size).map {
            String(characters[$0..<min($0 + size, characters.count)])
        }
    }

    // MARK: Helpers

    private func json(_ status: HTTPResponseStatus, _ value: FakeJSON) -> ResponsePlan {
        ResponsePlan(body: .whole(status: status, contentType: "application/json; charset=utf-8", text: value.serialized))
    }

    private func error(_ status: HTTPResponseStatus, _ message: String) -> ResponsePlan {
        json(status, ["error": .string(message)])
    }

    /// The current time in RFC 3339 with nanoseconds, as Go writes it.
    static func timestamp() -> String {
        let now = Date()
        let seconds = now.timeIntervalSince1970.rounded(.down)
        let nanoseconds = Int((now.timeIntervalSince1970 - seconds) * 1e9)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let base = formatter.string(from: Date(timeIntervalSince1970: seconds)).dropLast()  // drop the "Z"
        return "\(base).\(String(format: "%09d", nanoseconds))Z"
    }
}
