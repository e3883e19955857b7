/// Splits long text into chunks ready for embedding: at most `size` characters each, cut at
/// sentence ends where possible, else between words (a word longer than a chunk is cut), with
/// the last words of a chunk (up to `overlap` characters) repeated at the start of the next so
/// that no sentence loses its context at a boundary.
///
/// ```swift
/// let chunker = TextChunker(size: 40, overlap: 10)
/// chunker.chunks("Ada writes Swift. She ships on Fridays. Bo reviews.")
/// // ["Ada writes Swift. She ships on Fridays.", "Fridays. Bo reviews."]
/// ```
public struct TextChunker: Sendable, Hashable {
    /// The most characters in a chunk.
    public var size: Int
    /// The most characters repeated from the end of one chunk at the start of the next.
    public var overlap: Int

    /// - Precondition: `size > 0` and `0 <= overlap < size`.
    public init(size: Int = 1000, overlap: Int = 100) {
        precondition(size > 0 && overlap >= 0 && overlap < size, "a chunk needs size > 0 and 0 <= overlap < size")
        self.size = size
        self.overlap = overlap
    }

    /// The chunks of `text` (none for blank text).
    public func chunks(_ text: String) -> [String] {
        let characters = Array(text)
        var pieces: [ArraySlice<Character>] = []
        for sentence in Self.sentences(characters) {
            if sentence.count <= size { pieces.append(sentence); continue }
            for word in Self.words(sentence) {
                var rest = word
                while rest.count > size {
                    pieces.append(rest.prefix(size))
                    rest = rest.dropFirst(size)
                }
                if !rest.isEmpty { pieces.append(rest) }
            }
        }
        var out: [String] = []
        var current: [Character] = []
        var hasNew = false
        for piece in pieces {
            if current.count + Self.trimmedTrailing(piece).count > size && hasNew {
                let emitted = Self.trimmed(current)
                out.append(String(emitted))
                current = tail(of: emitted)
                if !current.isEmpty { current.append(" ") }
                hasNew = false
                if current.count + Self.trimmedTrailing(piece).count > size { current = [] }
            }
            current.append(contentsOf: piece)
            hasNew = hasNew || piece.contains { !$0.isWhitespace }
        }
        if hasNew { out.append(String(Self.trimmed(current))) }
        return out.filter { !$0.isEmpty }
    }

    /// The last whole words of `chunk` that fit in `overlap` characters.
    private func tail(of chunk: ArraySlice<Character>) -> [Character] {
        guard overlap > 0 else { return [] }
        var start = chunk.endIndex
        var k = chunk.endIndex
        while k > chunk.startIndex {
            // Find the start of the word ending at k.
            var w = k
            while w > chunk.startIndex && !chunk[w - 1].isWhitespace { w -= 1 }
            guard chunk.endIndex - w <= overlap else { break }
            start = w
            k = w
            while k > chunk.startIndex && chunk[k - 1].isWhitespace { k -= 1 }
        }
        return Array(chunk[start...])
    }

    /// Sentences with their trailing whitespace: a sentence ends after `.`, `!` or `?` (and any
    /// closing quotes or brackets) followed by whitespace, or at a blank line.
    static func sentences(_ c: [Character]) -> [ArraySlice<Character>] {
        var out: [ArraySlice<Character>] = []
        var start = 0
        var k = 0
        while k < c.count {
            let isEnd = c[k] == "." || c[k] == "!" || c[k] == "?" || c[k] == "。"
            let isBlankLine = c[k] == "\n" && k + 1 < c.count && c[k + 1] == "\n"
            if isEnd || isBlankLine {
                var j = k + 1
                while j < c.count && (c[j] == "\"" || c[j] == "'" || c[j] == ")" || c[j] == "”" || c[j] == "’") { j += 1 }
                if j == c.count || c[j].isWhitespace || isBlankLine {
                    while j < c.count && c[j].isWhitespace { j += 1 }
                    out.append(c[start..<j])
                    start = j
                    k = j
                    continue
                }
            }
            k += 1
        }
        if start < c.count { out.append(c[start..<c.count]) }
        return out
    }

    /// Words with their trailing whitespace.
    static func words(_ s: ArraySlice<Character>) -> [ArraySlice<Character>] {
        var out: [ArraySlice<Character>] = []
        var k = s.startIndex
        while k < s.endIndex {
            let start = k
            while k < s.endIndex && !s[k].isWhitespace { k += 1 }
            while k < s.endIndex && s[k].isWhitespace { k += 1 }
            out.append(s[start..<k])
        }
        return out
    }

    static func trimmedTrailing(_ s: ArraySlice<Character>) -> ArraySlice<Character> {
        var end = s.endIndex
        while end > s.startIndex && s[end - 1].isWhitespace { end -= 1 }
        return s[s.startIndex..<end]
    }

    static func trimmed(_ s: [Character]) -> ArraySlice<Character> {
        var start = 0
        while start < s.count && s[start].isWhitespace { start += 1 }
        return trimmedTrailing(s[start...])
    }
}
