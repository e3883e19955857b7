// The NDJSON framing, independent of HTTP.

import Testing

@testable import OllamaClient

@Suite("NDJSON line splitter")
struct NDJSONLineSplitterTests {
    /// All lines of `chunks` fed one after another, then the end.
    private func lines(_ chunks: [[UInt8]], maxLineLength: Int = 1 << 20) throws -> [String] {
        var splitter = NDJSONLineSplitter(maxLineLength: maxLineLength)
        var result: [String] = []
        for chunk in chunks {
            splitter.append(chunk)
            while let line = try splitter.nextLine() { result.append(String(decoding: line, as: UTF8.self)) }
        }
        if let last = splitter.finish() { result.append(String(decoding: last, as: UTF8.self)) }
        return result
    }

    @Test("splits on newlines, drops CR before LF, skips blank lines, keeps a last line without newline")
    func framing() throws {
        let text = "{\"a\":1}\r\n\n   \r\n{\"b\":2}\n\n{\"c\":3}"
        #expect(try lines([Array(text.utf8)]) == [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
    }

    @Test("a line may span chunks, down to one byte per chunk, even inside a UTF-8 character")
    func spanningChunks() throws {
        let text = "{\"response\":\"héllo → 世界\"}\n{\"done\":true}\n"
        let bytes = Array(text.utf8)
        #expect(try lines(bytes.map { [$0] }) == [#"{"response":"héllo → 世界"}"#, #"{"done":true}"#])
        for cut in 1..<bytes.count {
            #expect(try lines([Array(bytes[..<cut]), Array(bytes[cut...])]).count == 2)
        }
    }

    @Test("many lines in one chunk and an empty stream")
    func manyAndNone() throws {
        let many = (0..<1000).map { "{\"i\":\($0)}\n" }.joined()
        let result = try lines([Array(many.utf8)])
        #expect(result.count == 1000)
        #expect(result.last == #"{"i":999}"#)
        #expect(try lines([]) == [])
        #expect(try lines([Array("\n\r\n".utf8)]) == [])
    }

    @Test("a line longer than the limit without a newline is rejected")
    func tooLong() {
        #expect(throws: NDJSONLineSplitter.LineTooLong.self) {
            try lines([Array(repeating: UInt8(ascii: "x"), count: 100)], maxLineLength: 50)
        }
    }
}
