import ColumnarCore

/// A compiled LIKE pattern over UTF-8 bytes.
///
/// Patterns without `_` become literal segments split at `%` and match by prefix, suffix and
/// left-to-right substring search (exact, `abc%`, `%abc`, `%abc%`, `%a%b%` are all this shape).
/// Patterns with `_` run the classic wildcard matcher that backtracks only to the last `%`,
/// with `_` consuming one whole UTF-8 character.
final class _LikePattern {
    /// `%` and `_` in ``tokens``; other tokens are literal bytes.
    static let anyRun: Int16 = -1
    static let anyOne: Int16 = -2

    private let tokens: [Int16]
    /// Literal segments between `%`s, end to end, and their bounds.
    private let literal: [UInt8]
    private let segments: [Range<Int>]
    private let hasWildcardOne: Bool
    private let hasPercent: Bool
    private let anchoredStart: Bool
    private let anchoredEnd: Bool

    /// Compiles `pattern`; `escape` is the escape character's bytes (empty for none).
    init(_ pattern: UnsafeBufferPointer<UInt8>, escape: UnsafeBufferPointer<UInt8>) throws {
        var tokens: [Int16] = []
        tokens.reserveCapacity(pattern.count)
        var i = 0
        while i < pattern.count {
            if !escape.isEmpty && _bytesEqual(pattern, at: i, escape) {
                i += escape.count
                guard i < pattern.count else {
                    throw SQLError(.runtime, "LIKE pattern must not end with escape character")
                }
                let end = min(pattern.count, i + _sequenceLength(pattern[i]))
                while i < end { tokens.append(Int16(pattern[i])); i += 1 }
                continue
            }
            switch pattern[i] {
            case UInt8(ascii: "%"):
                if tokens.last != Self.anyRun { tokens.append(Self.anyRun) }
            case UInt8(ascii: "_"): tokens.append(Self.anyOne)
            default: tokens.append(Int16(pattern[i]))
            }
            i += 1
        }
        self.tokens = tokens
        hasWildcardOne = tokens.contains(Self.anyOne)
        hasPercent = tokens.contains(Self.anyRun)
        anchoredStart = tokens.first != Self.anyRun
        anchoredEnd = tokens.last != Self.anyRun
        var literal: [UInt8] = []
        var segments: [Range<Int>] = []
        if !hasWildcardOne {
            var start = 0
            for token in tokens {
                if token == Self.anyRun {
                    if literal.count > start { segments.append(start..<literal.count) }
                    start = literal.count
                } else {
                    literal.append(UInt8(token))
                }
            }
            if literal.count > start || segments.isEmpty { segments.append(start..<literal.count) }
        }
        self.literal = literal
        self.segments = segments
    }

    /// Whether `text` matches the whole pattern.
    func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if hasWildcardOne { return tokens.withUnsafeBufferPointer { _wildcardMatch(text, $0) } }
        return literal.withUnsafeBufferPointer { matchSegments(text, $0) }
    }

    private func matchSegments(_ text: UnsafeBufferPointer<UInt8>, _ literal: UnsafeBufferPointer<UInt8>) -> Bool {
        if !hasPercent {
            return text.count == literal.count && _bytesEqual(text, at: 0, literal)
        }
        var low = 0
        var high = text.count
        var first = 0
        var last = segments.count
        if anchoredStart {
            let s = UnsafeBufferPointer(rebasing: literal[segments[0]])
            guard _bytesEqual(text, at: 0, s) else { return false }
            low = s.count
            first = 1
        }
        if anchoredEnd && last > first {
            let s = UnsafeBufferPointer(rebasing: literal[segments[last - 1]])
            guard high - s.count >= low, _bytesEqual(text, at: high - s.count, s) else { return false }
            high -= s.count
            last -= 1
        }
        var index = first
        while index < last {
            let s = UnsafeBufferPointer(rebasing: literal[segments[index]])
            guard let found = _find(s, in: text, from: low, to: high) else { return false }
            low = found + s.count
            index += 1
        }
        return true
    }
}

/// `%`/`_` matching with a single backtrack point (the last `%`).
func _wildcardMatch(_ text: UnsafeBufferPointer<UInt8>, _ tokens: UnsafeBufferPointer<Int16>) -> Bool {
    var t = 0
    var p = 0
    var starP = -1
    var starT = 0
    while t < text.count {
        if p < tokens.count {
            let token = tokens[p]
            if token == _LikePattern.anyRun {
                starP = p
                starT = t
                p += 1
                continue
            }
            if token == _LikePattern.anyOne {
                t += _sequenceLength(text[t])
                p += 1
                continue
            }
            if UInt8(token) == text[t] {
                t += 1
                p += 1
                continue
            }
        }
        guard starP >= 0 else { return false }
        p = starP + 1
        starT += _sequenceLength(text[starT])
        t = starT
    }
    while p < tokens.count && tokens[p] == _LikePattern.anyRun { p += 1 }
    return p == tokens.count && t == text.count
}

/// `value LIKE pattern [ESCAPE escape]` row by row; the pattern is compiled once per run of
/// equal patterns (once per batch for a constant).
func _like(_ values: [Column], caseInsensitive: Bool, rows: Int) throws -> Column {
    var text = try _text(values[0])
    var pattern = try _text(values[1])
    var escape = values.count > 2 ? try _text(values[2]) : nil
    if caseInsensitive {
        text = _lower(text)
        pattern = _lower(pattern)
        escape = escape.map(_lower)
    }
    let validity = _validity([text.validity, pattern.validity, escape?.validity], count: rows)
    var compiled: _LikePattern?
    var compiledFrom: [UInt8] = []
    var compiledEscape: [UInt8] = []
    var failure: (any Error)?
    let bits = _withRows(text) { texts in
        _withRows(pattern) { patterns in
            _withRows(escape ?? BinaryColumn([""])) { escapes in
                _bitmap(count: rows) { words in
                    for row in 0..<rows where failure == nil && validity.map({ $0[row] }) ?? true {
                        let p = patterns.row(row)
                        let e = escapes.row(escape == nil ? 0 : row)
                        if compiled == nil || !p.elementsEqual(compiledFrom) || !e.elementsEqual(compiledEscape) {
                            guard _characterCount(e) <= 1 else {
                                failure = SQLError(.runtime, "invalid escape string: it must be empty or one character")
                                return
                            }
                            do {
                                compiled = try _LikePattern(p, escape: e)
                            } catch {
                                failure = error
                                return
                            }
                            compiledFrom = Array(p)
                            compiledEscape = Array(e)
                        }
                        if compiled!.matches(texts.row(row)) { _setBit(words, row) }
                    }
                }
            }
        }
    }
    if let failure { throw failure }
    return .boolean(BooleanColumn(values: bits, validity: validity))
}

/// Why `pattern` with `escape` is not a valid LIKE pattern, or nil when it is.
func _likePatternProblem(_ pattern: String, escape: String) -> String? {
    var pattern = pattern
    var escape = escape
    return pattern.withUTF8 { p in
        escape.withUTF8 { e in
            do {
                _ = try _LikePattern(p, escape: e)
                return nil
            } catch {
                return (error as? SQLError)?.message ?? "\(error)"
            }
        }
    }
}
