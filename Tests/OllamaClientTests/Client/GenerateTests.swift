// /api/generate and /api/chat: streamed chunks, final metrics, structured output, stream: false.

import Foundation
import OllamaClient
import OllamaTestSupport
import Testing

@Suite("Generation and chat")
struct GenerateTests {
    static let scripted = FakeOllamaServer.Configuration(
        replies: [.init(whenContains: "sky", reply: "The sky is blue because of Rayleigh scattering.")],
        chunkCount: 4)

    @Test("a streamed generation arrives in chunks that join to the reply, then a done chunk with metrics")
    func streamedGeneration() async throws {
        try await withFakeServer(Self.scripted) { server, client in
            var request = GenerateRequest(model: "fake-chat", prompt: "Why is the sky blue?", system: "Be brief.")
            request.options = ModelOptions(temperature: 0, seed: 42, numCtx: 8192, topK: 20, topP: 0.9, numPredict: 128, stop: ["\n\n"])
            request.keepAlive = .seconds(300)

            var chunks: [GenerateChunk] = []
            for try await chunk in client.generate(request) { chunks.append(chunk) }

            #expect(chunks.count == 5)
            #expect(chunks.dropLast().allSatisfy { !$0.done && !$0.response.isEmpty && $0.metrics == GenerationMetrics() })
            #expect(chunks.map(\.response).joined() == "The sky is blue because of Rayleigh scattering.")
            let last = try #require(chunks.last)
            #expect(last.done)
            #expect(last.doneReason == "stop")
            #expect(last.context == [1, 2, 3])
            #expect(last.createdAt?.hasSuffix("Z") == true)
            #expect(last.metrics == GenerationMetrics(
                totalDuration: 5_000_000, loadDuration: 1_000_000, promptEvalCount: 20,
                promptEvalDuration: 1_500_000, evalCount: 4, evalDuration: 2_500_000))
            #expect(abs((last.metrics.tokensPerSecond ?? 0) - 1600) < 1e-6)

            let body = try #require(server.requests(to: "/api/generate").first?.body)
            #expect(body["system"] == "Be brief.")
            #expect(body["keep_alive"] == 300)
            #expect(body["stream"] == nil)
            #expect(body["options"] == [
                "temperature": 0, "seed": 42, "num_ctx": 8192, "top_k": 20, "top_p": 0.9, "num_predict": 128,
                "stop": ["\n\n"],
            ])
        }
    }

    @Test("generateText collects the text, the done reason and the metrics")
    func generateText() async throws {
        try await withFakeServer(Self.scripted) { _, client in
            let result = try await client.generateText(GenerateRequest(model: "fake-chat:latest", prompt: "sky?"))
            #expect(result.text == "The sky is blue because of Rayleigh scattering.")
            #expect(result.doneReason == "stop")
            #expect(result.metrics.evalCount == 4)
            #expect(result.model == "fake-chat:latest")

            let echo = try await client.generateText(GenerateRequest(model: "fake-chat", prompt: "hello"))
            #expect(echo.text == "You said: hello")
        }
    }

    @Test("stream: false gives one final chunk with the whole reply")
    func unstreamed() async throws {
        try await withFakeServer(Self.scripted) { server, client in
            var request = GenerateRequest(model: "fake-chat", prompt: "the sky")
            request.stream = false
            var chunks: [GenerateChunk] = []
            for try await chunk in client.generate(request) { chunks.append(chunk) }
            #expect(chunks.count == 1)
            #expect(chunks.first?.done == true)
            #expect(chunks.first?.response == "The sky is blue because of Rayleigh scattering.")
            #expect(chunks.first?.metrics.totalDuration == 5_000_000)
            #expect(server.requests().first?.body?["stream"] == false)
        }
    }

    @Test("a JSON schema is sent as the format object and the scripted JSON comes back")
    func structuredOutput() async throws {
        try await withFakeServer(.init(jsonReply: #"{"age":22,"available":false}"#)) { server, client in
            let schema: JSONValue = [
                "type": "object",
                "properties": ["age": ["type": "integer"], "available": ["type": "boolean"]],
                "required": ["age", "available"],
            ]
            var request = ChatRequest(model: "fake-chat", messages: [.user("Ollama is 22 and busy.")], format: .schema(schema))
            request.options = ModelOptions(temperature: 0)
            let result = try await client.chatText(request)
            let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(result.message.content.utf8))
            #expect(decoded == ["age": 22, "available": false])

            let format = try #require(server.requests().first?.body?["format"])
            #expect(format == [
                "type": "object",
                "properties": ["age": ["type": "integer"], "available": ["type": "boolean"]],
                "required": ["age", "available"],
            ])

            var jsonMode = GenerateRequest(model: "fake-chat", prompt: "as json please")
            jsonMode.format = .json
            _ = try await client.generateText(jsonMode)
            #expect(server.requests().last?.body?["format"] == "json")
        }
    }

    @Test("chat streams the assistant message and chatText assembles it")
    func chat() async throws {
        try await withFakeServer(.init(replies: [.init(whenContains: "capital", reply: "Paris.")], chunkCount: 2)) { server, client in
            let request = ChatRequest(
                model: "fake-chat",
                messages: [.system("You answer geography questions."), .user("What is the capital of France?")],
                keepAlive: .unloadNow)
            var chunks: [ChatChunk] = []
            for try await chunk in client.chat(request) { chunks.append(chunk) }
            #expect(chunks.map(\.message.content) == ["Par", "is.", ""])
            #expect(chunks.allSatisfy { $0.message.role == .assistant })
            #expect(chunks.last?.doneReason == "stop")

            let result = try await client.chatText(request)
            #expect(result.message == ChatMessage(role: .assistant, content: "Paris."))
            #expect(result.metrics.promptEvalCount == 30)

            let body = try #require(server.requests(to: "/api/chat").first?.body)
            #expect(body["keep_alive"] == 0)
            #expect(body["messages"] == [
                ["role": "system", "content": "You answer geography questions."],
                ["role": "user", "content": "What is the capital of France?"],
            ])
        }
    }

    @Test("an empty prompt only loads the model")
    func loadOnly() async throws {
        try await withFakeServer { _, client in
            let result = try await client.generateText(GenerateRequest(model: "fake-chat", prompt: ""))
            #expect(result.text == "")
            #expect(result.doneReason == "load")
        }
    }

    @Test("chatting with an embedding model is badRequest; an unknown model is modelNotFound")
    func wrongModels() async throws {
        try await withFakeServer { _, client in
            let wrongKind = try #require(await ollamaError {
                _ = try await client.chatText(ChatRequest(model: "fake-embed", messages: [.user("hi")]))
            })
            #expect(wrongKind.code == .badRequest)
            #expect(wrongKind.serverMessage == "\"fake-embed\" does not support chat")

            let missing = try #require(await ollamaError {
                _ = try await client.generateText(GenerateRequest(model: "llama3.2", prompt: "hi"))
            })
            #expect(missing.code == .modelNotFound)
            #expect(missing.description.contains("ollama pull llama3.2"))
        }
    }
}
