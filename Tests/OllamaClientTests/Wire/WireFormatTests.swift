// The JSON that goes to the server and the lenient decoding of what comes back.

import Foundation
import OllamaClient
import Testing

@Suite("Wire format")
struct WireFormatTests {
    private func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    @Test(
        "keep_alive encodes as seconds, strings, -1 and 0",
        arguments: [
            (KeepAlive.seconds(300), "300"), (.durationString("10m"), #""10m""#), (.forever, "-1"), (.unloadNow, "0"),
            (KeepAlive(.seconds(90)), "90"), (KeepAlive(.milliseconds(10)), "1"), (KeepAlive(.seconds(-1)), "-1"),
        ])
    func keepAlive(value: KeepAlive, expected: String) throws {
        #expect(try json(value) == expected)
        #expect(try decode(KeepAlive.self, expected) == value)
    }

    @Test("options use Ollama's snake_case names and omit what is unset")
    func options() throws {
        #expect(try json(ModelOptions()) == "{}")
        let options = ModelOptions(temperature: 0.5, numCtx: 4096, numPredict: -1, additional: ["repeat_penalty": 1.1, "num_ctx": 1])
        #expect(try json(options) == #"{"num_ctx":4096,"num_predict":-1,"repeat_penalty":1.1,"temperature":0.5}"#)
        #expect(try decode(ModelOptions.self, json(options)) == ModelOptions(
            temperature: 0.5, numCtx: 4096, numPredict: -1, additional: ["repeat_penalty": 1.1]))
    }

    @Test("format is \"json\" or the schema object")
    func format() throws {
        #expect(try json(ResponseFormat.json) == #""json""#)
        #expect(try json(ResponseFormat.schema(["type": "object", "required": ["a"]])) == #"{"required":["a"],"type":"object"}"#)
        #expect(try decode(ResponseFormat.self, #""json""#) == .json)
    }

    @Test("a generate request sends only the fields that are set")
    func generateRequest() throws {
        var request = GenerateRequest(model: "m", prompt: "p", stream: false, think: true)
        request.keepAlive = .forever
        #expect(try json(request) == #"{"keep_alive":-1,"model":"m","prompt":"p","stream":false,"think":true}"#)
        let chat = ChatRequest(model: "m", messages: [.user("hi")])
        #expect(try json(chat) == #"{"messages":[{"content":"hi","role":"user"}],"model":"m"}"#)
    }

    @Test("the final chunk from the docs decodes with every metric; created_at with an offset is kept as text")
    func finalChunk() throws {
        let line = #"""
            {"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","response":"","done":true,"done_reason":"stop","context":[1,2,3],"total_duration":10706818083,"load_duration":6338219291,"prompt_eval_count":26,"prompt_eval_duration":130079000,"eval_count":259,"eval_duration":4232710000,"unknown_field":{"x":1}}
            """#
        let chunk = try decode(GenerateChunk.self, line)
        #expect(chunk.createdAt == "2023-08-04T08:52:19.385406455-07:00")
        #expect(chunk.metrics.totalDuration == 10_706_818_083)
        #expect(chunk.metrics.evalCount == 259)
        #expect(chunk.metrics.total == .nanoseconds(10_706_818_083))
        #expect(chunk.context == [1, 2, 3])
    }

    @Test("chunks decode with fields missing, as Ollama omits empty ones")
    func lenientChunks() throws {
        let chunk = try decode(GenerateChunk.self, #"{"model":"m","response":"Hi","done":false}"#)
        #expect(chunk == GenerateChunk(model: "m", response: "Hi", done: false))
        let chat = try decode(ChatChunk.self, #"{"model":"m","created_at":12345,"message":{"role":"ASSISTANT","content":"x"},"done":false}"#)
        #expect(chat.message.role == .assistant)
        #expect(chat.createdAt == nil)
    }

    @Test("a tags entry from the docs decodes")
    func tagsEntry() throws {
        let entry = #"""
            {"name":"llama3.2:latest","model":"llama3.2:latest","modified_at":"2025-05-04T17:37:44.706015396-07:00","size":2019393189,"digest":"a80c4f17acd5","details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],"parameter_size":"3.2B","quantization_level":"Q4_K_M"}}
            """#
        let info = try decode(OllamaModelInfo.self, entry)
        #expect(info.name == "llama3.2:latest")
        #expect(info.size == 2_019_393_189)
        #expect(info.details?.parameterSize == "3.2B")
    }

    @Test("JSONValue round-trips and keeps integers integral")
    func jsonValue() throws {
        let value: JSONValue = ["a": [1, 2.5, true, nil, "s"], "b": ["c": -3]]
        #expect(try json(value) == #"{"a":[1,2.5,true,null,"s"],"b":{"c":-3}}"#)
        #expect(try decode(JSONValue.self, json(value)) == value)
        #expect(value["b"]?["c"]?.intValue == -3)
    }

    @Test("an error's description is one line: code, then message")
    func errorDescription() {
        let error = OllamaError(code: .server, message: "first line\nsecond line")
        #expect(error.description == "server: first line second line")
        #expect(OllamaError.Code.timeout.description == "timeout")
    }
}
