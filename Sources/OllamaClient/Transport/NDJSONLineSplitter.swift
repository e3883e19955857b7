// Newline-delimited JSON framing over raw bytes, independent of how the transport chunks them.

/// Splits a byte stream into lines, for NDJSON bodies.
///
/// - Lines end at `\n`; a `\r` before it is dropped, so `\r\n` works too.
/// - A line may span any number of appended chunks, and a UTF-8 character may be cut between chunks:
///   lines are only handed out whole, as bytes, and decoded by the caller.
/// - Lines holding only whitespace are skipped.
/// - ``finish()`` returns a last line that had no `\n` (a `stream: false` reply is exactly that).
///
/// ```swift
/// var splitter = NDJSONLineSplitter()
/// splitter.append(Array("{\"a\":1}\n{\"b\"".utf8))
/// splitter.nextLine()   // {"a":1}
/// splitter.append(Array(":2}".utf8))
/// splitter.finish()     // {"b":2}
/// ```
///
/// - Complexity: O(n) over the bytes appended; each byte is scanned once and copied at most twice.
struct NDJSONLineSplitter {
    /// A line longer than this is rejected (protects memory against a body that never sends `\n`).
    let maxLineLength: Int

    private var buffer: [UInt8] = []
    /// Start of the line being assembled.
    private var lineStart = 0
    /// Where the search for the next `\n` resumes.
    private var scanIndex = 0

    init(maxLineLength: Int = 64 << 20) {
        self.maxLineLength = maxLineLength
    }

    /// The bytes of the unfinished line.
    var pendingCount: Int { buffer.count - lineStart }

    /// Adds the next bytes of the stream.
    mutating func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        if lineStart > 0 && lineStart >= buffer.count / 2 {
            buffer.removeSubrange(0..<lineStart)
            scanIndex -= lineStart
            lineStart = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete, non-blank line without its terminator, or `nil` when more bytes are needed.
    ///
    /// - Throws: ``LineTooLong`` when the unfinished line exceeds ``maxLineLength``.
    mutating func nextLine() throws(LineTooLong) -> [UInt8]? {
        while let newline = buffer[scanIndex...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = Self.trimmed(buffer[lineStart..<newline])
            lineStart = newline + 1
            scanIndex = lineStart
            if let line { return line }
        }
        scanIndex = buffer.count
        if pendingCount > maxLineLength { throw LineTooLong(length: pendingCount) }
        return nil
    }

    /// Ends the stream: the last line if it was not terminated and is not blank.
    mutating func finish() -> [UInt8]? {
        defer {
            buffer.removeAll()
            lineStart = 0
            scanIndex = 0
        }
        return Self.trimmed(buffer[lineStart...])
    }

    /// A line without a trailing `\r`, or `nil` if it holds only whitespace.
    private static func trimmed(_ line: ArraySlice<UInt8>) -> [UInt8]? {
        guard line.contains(where: { !isWhitespace($0) }) else { return nil }
        var end = line.endIndex
        if end > line.startIndex && line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return Array(line[line.startIndex..<end])
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    /// A line grew past ``NDJSONLineSplitter/maxLineLength`` without a newline.
    struct LineTooLong: Error {
        var length: Int
    }
}
