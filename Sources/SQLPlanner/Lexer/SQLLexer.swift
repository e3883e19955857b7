/// One lexical unit of SQL with its position.
public struct SQLToken: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A bare word: keyword or identifier (compare keywords case-insensitively via `upper`).
        case word
        /// A `"quoted"` identifier (never a keyword).
        case quotedIdentifier
        /// A `'string'` literal, quotes removed and `''` unescaped.
        case string
        /// An integer literal.
        case integer
        /// A number with a point or an exponent.
        case decimal
        /// Punctuation or an operator: `( ) , . ; + - * / % || = <> != < <= > >= :: [ ] ^ ** ^@ !
        /// ~~ ~~* !~~ !~~*`.
        case symbol
        /// The end of the text.
        case end
    }

    public var kind: Kind
    /// The text (for strings and quoted identifiers, the unescaped content).
    public var text: String
    public var position: SourcePosition

    /// The text upper-cased, for keyword comparisons.
    public var upper: String { text.uppercased() }

    /// Whether this is the bare word `keyword` (case-insensitive).
    public func isKeyword(_ keyword: String) -> Bool { kind == .word && text.uppercased() == keyword }

    /// Whether this is the symbol `symbol`.
    public func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }
}

/// Splits SQL text into tokens: words, quoted identifiers, strings, numbers and symbols;
/// `--` and `/* */` comments are skipped.
public enum SQLLexer {
    /// The tokens of `sql`, ending with an `.end` token.
    ///
    /// - Throws: ``SQLError`` `.syntax` for an unterminated string, quoted identifier or
    ///   comment, or a character that starts no token.
    public static func tokenize(_ sql: String) throws(SQLError) -> [SQLToken] {
        let bytes = Array(sql.utf8)
        var tokens: [SQLToken] = []
        var i = 0
        var line = 1
        var lineStart = 0
        // Columns count characters (UTF-8 lead bytes), advanced incrementally along the line.
        var counted = (offset: 0, column: 1)
        func position(_ offset: Int) -> SourcePosition {
            if counted.offset < lineStart || counted.offset > offset { counted = (lineStart, 1) }
            var column = counted.column
            var k = counted.offset
            while k < offset {
                if bytes[k] & 0xC0 != 0x80 { column += 1 }
                k += 1
            }
            counted = (offset, column)
            return SourcePosition(offset: offset, line: line, column: column)
        }
        func fail(_ message: String, at offset: Int) -> SQLError {
            SQLError(.syntax, message, at: position(offset), sql: sql)
        }
        func isWordStart(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b >= 0x80 }
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        while i < bytes.count {
            let b = bytes[i]
            if b == 10 { i += 1; line += 1; lineStart = i; continue }
            if b == 32 || b == 9 || b == 13 { i += 1; continue }
            // Comments.
            if b == 45, i + 1 < bytes.count, bytes[i + 1] == 45 {
                while i < bytes.count && bytes[i] != 10 { i += 1 }
                continue
            }
            if b == 47, i + 1 < bytes.count, bytes[i + 1] == 42 {
                let start = i
                i += 2
                while i + 1 < bytes.count && !(bytes[i] == 42 && bytes[i + 1] == 47) {
                    if bytes[i] == 10 { line += 1; lineStart = i + 1 }
                    i += 1
                }
                guard i + 1 < bytes.count else { throw fail("unterminated /* comment", at: start) }
                i += 2
                continue
            }
            let start = i
            let at = position(start)
            if isWordStart(b) {
                while i < bytes.count && (isWordStart(bytes[i]) || isDigit(bytes[i]) || bytes[i] == 36) { i += 1 }
                tokens.append(SQLToken(kind: .word, text: String(decoding: bytes[start..<i], as: UTF8.self), position: at))
                continue
            }
            if isDigit(b) || (b == 46 && i + 1 < bytes.count && isDigit(bytes[i + 1])) {
                var isDecimal = false
                while i < bytes.count && isDigit(bytes[i]) { i += 1 }
                if i < bytes.count && bytes[i] == 46 {
                    isDecimal = true
                    i += 1
                    while i < bytes.count && isDigit(bytes[i]) { i += 1 }
                }
                if i < bytes.count && (bytes[i] == 101 || bytes[i] == 69) {
                    var j = i + 1
                    if j < bytes.count && (bytes[j] == 43 || bytes[j] == 45) { j += 1 }
                    if j < bytes.count && isDigit(bytes[j]) {
                        isDecimal = true
                        i = j
                        while i < bytes.count && isDigit(bytes[i]) { i += 1 }
                    }
                }
                tokens.append(SQLToken(kind: isDecimal ? .decimal : .integer, text: String(decoding: bytes[start..<i], as: UTF8.self), position: at))
                continue
            }
            if b == 39 || b == 34 {
                // 'string' or "identifier"; a doubled quote stands for one.
                var content: [UInt8] = []
                i += 1
                while true {
                    guard i < bytes.count else {
                        throw fail(b == 39 ? "unterminated string literal" : "unterminated quoted identifier", at: start)
                    }
                    if bytes[i] == b {
                        if i + 1 < bytes.count && bytes[i + 1] == b {
                            content.append(b)
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    if bytes[i] == 10 { line += 1; lineStart = i + 1 }
                    content.append(bytes[i])
                    i += 1
                }
                tokens.append(SQLToken(kind: b == 39 ? .string : .quotedIdentifier, text: String(decoding: content, as: UTF8.self), position: at))
                continue
            }
            // Symbols, longest first.
            // PostgreSQL's LIKE operators: ~~ (LIKE), ~~* (ILIKE), !~~ and !~~* (negated).
            if b == UInt8(ascii: "~") || b == UInt8(ascii: "!"),
               let like = ["!~~*", "~~*", "!~~", "~~"].first(where: { bytes[i...].starts(with: $0.utf8) }) {
                i += like.utf8.count
                tokens.append(SQLToken(kind: .symbol, text: like, position: at))
                continue
            }
            let two = i + 1 < bytes.count ? String(decoding: bytes[i...(i + 1)], as: UTF8.self) : ""
            if ["||", "<>", "!=", "<=", ">=", "::", "==", "//", "**", "^@"].contains(two) {
                i += 2
                tokens.append(SQLToken(kind: .symbol, text: two == "==" ? "=" : two, position: at))
                continue
            }
            // Prepared-statement parameters: `?` and `$1`.
            if b == UInt8(ascii: "$"), i + 1 < bytes.count, bytes[i + 1] >= 0x30, bytes[i + 1] <= 0x39 {
                var j = i + 1
                while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 { j += 1 }
                tokens.append(SQLToken(kind: .symbol, text: String(decoding: bytes[i..<j], as: UTF8.self), position: at))
                i = j
                continue
            }
            let one = String(decoding: [b], as: UTF8.self)
            if "(),.;+-*/%=<>[]^!?".contains(one) {
                i += 1
                tokens.append(SQLToken(kind: .symbol, text: one, position: at))
                continue
            }
            throw fail("unexpected character '\(String(decoding: bytes[start..<Swift.min(bytes.count, start + 1)], as: UTF8.self))'", at: start)
        }
        tokens.append(SQLToken(kind: .end, text: "", position: position(bytes.count)))
        return tokens
    }
}
