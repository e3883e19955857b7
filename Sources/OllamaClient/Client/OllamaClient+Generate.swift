// POST /api/generate and /api/chat: NDJSON streams, and the same collected into one result.

import Foundation

extension OllamaClient {
    /// Streams the reply of `POST /api/generate`, one chunk per NDJSON line, ending after the `done` chunk.
    ///
    /// Cancelling the consuming task, or dropping the stream, cancels the HTTP request; closing the
    /// connection makes Ollama stop generating. The request is retried only while no byte has arrived.
    /// With `request.stream == false` the stream has a single, final chunk.
    ///
    /// ```swift
    /// for try await chunk in client.generate(GenerateRequest(model: "llama3.2", prompt: "Hi")) {
    ///     print(chunk.response, terminator: "")
    /// }
    /// ```
    ///
    /// - Throws (from the stream): ``OllamaError``: `server` for an error line in the stream (status 200),
    ///   `truncatedStream` if the reply ends without `done`, `malformedResponse`, `timeout`, `cancelled`, …
    public func generate(_ request: GenerateRequest) -> AsyncThrowingStream<GenerateChunk, any Error> {
        stream(endpoint: "/api/generate", request: request, model: request.model, isDone: \.done)
    }

    /// Runs `POST /api/generate` and collects the stream: the text, thinking, final metrics and done reason.
    public func generateText(_ request: GenerateRequest) async throws -> GenerateResult {
        var result = GenerateResult(model: request.model, text: "")
        var thinking = ""
        for try await chunk in generate(request) {
            result.text += chunk.response
            thinking += chunk.thinking ?? ""
            if !chunk.model.isEmpty { result.model = chunk.model }
            if chunk.done {
                result.doneReason = chunk.doneReason
                result.context = chunk.context
                result.metrics = chunk.metrics
            }
        }
        result.thinking = thinking.isEmpty ? nil : thinking
        return result
    }

    /// Streams the reply of `POST /api/chat`; see ``generate(_:)`` for cancellation and errors.
    public func chat(_ request: ChatRequest) -> AsyncThrowingStream<ChatChunk, any Error> {
        stream(endpoint: "/api/chat", request: request, model: request.model, isDone: \.done)
    }

    /// Runs `POST /api/chat` and assembles the assistant's message from the stream.
    public func chatText(_ request: ChatRequest) async throws -> ChatResult {
        var content = ""
        var thinking = ""
        var toolCalls: [JSONValue] = []
        var result = ChatResult(model: request.model, message: .assistant(""))
        for try await chunk in chat(request) {
            content += chunk.message.content
            thinking += chunk.message.thinking ?? ""
            toolCalls += chunk.message.toolCalls ?? []
            if !chunk.model.isEmpty { result.model = chunk.model }
            if chunk.done {
                result.doneReason = chunk.doneReason
                result.metrics = chunk.metrics
            }
        }
        result.message = ChatMessage(
            role: .assistant, content: content, thinking: thinking.isEmpty ? nil : thinking,
            toolCalls: toolCalls.isEmpty ? nil : toolCalls)
        return result
    }

    /// A stream fed by a task that runs the call; ending the stream cancels the task.
    private func stream<Request: Encodable, Chunk: Decodable & Sendable>(
        endpoint: String, request: Request, model: String, isDone: @escaping @Sendable (Chunk) -> Bool
    ) -> AsyncThrowingStream<Chunk, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Chunk.self, throwing: (any Error).self)
        let call: Call
        do {
            call = try Call(post: endpoint, json: request, model: model)
        } catch {
            continuation.finish(throwing: error)
            return stream
        }
        let task = Task {
            do {
                try await self.sendStreaming(call) { line in
                    let decoded: StreamLine<Chunk>
                    do {
                        decoded = try JSONDecoder().decode(StreamLine<Chunk>.self, from: Data(line))
                    } catch {
                        throw self.malformed(line, endpoint: endpoint, model: model, underlying: error)
                    }
                    switch decoded {
                    case .error(let message):
                        throw self.streamError(message, call: call)
                    case .chunk(let chunk):
                        continuation.yield(chunk)
                        return isDone(chunk)
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
