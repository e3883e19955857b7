/// A place in SQL text: the UTF-8 byte offset and the 1-based line and column (in characters).
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
    /// Byte offset from the start of the text.
    public var offset: Int
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in characters.
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), column \(column)" }
}

/// The one error type of SQLPlanner: an extensible code, a message, where in the SQL it
/// happened (rendered with the line and a caret), and for unknown names the valid ones.
///
/// ```swift
/// do { _ = try SQLParser.parse("SELECT FROM") } catch {
///     print(error)   // syntax error at line 1, column 8: expected an expression …
/// }
/// ```
public struct SQLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, in broad terms. New codes may be added: compare with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The text is not valid SQL.
        public static var syntax: Self { Self("syntax error") }
        /// A table, column or function that does not exist.
        public static var unknownName: Self { Self("unknown name") }
        /// Operand types an operator or function does not accept.
        public static var typeMismatch: Self { Self("type mismatch") }
        /// Valid SQL that SQLPlanner does not implement yet.
        public static var unsupported: Self { Self("unsupported") }
        /// An error while running: division by zero, overflow, a bad cast.
        public static var runtime: Self { Self("runtime error") }
        /// A bug in SQLPlanner; please report it.
        public static var internalError: Self { Self("internal error") }
        public var description: String { name }
    }

    public var code: Code
    public var message: String
    /// Where in the SQL, when known.
    public var position: SourcePosition?
    /// The SQL text the position refers to.
    public var sql: String?
    /// For unknown names: the names that would have been valid, closest first.
    public var validNames: [String]

    public init(_ code: Code, _ message: String, at position: SourcePosition? = nil, sql: String? = nil, validNames: [String] = []) {
        self.code = code
        self.message = message
        self.position = position
        self.sql = sql
        self.validNames = validNames
    }

    /// The message, the position, the SQL line and a caret under the position.
    public var description: String {
        var text = "\(code)"
        if let position { text += " at \(position)" }
        text += ": " + message
        if !validNames.isEmpty { text += " (valid names: " + validNames.prefix(8).joined(separator: ", ") + ")" }
        if let position, let sql {
            let lines = sql.split(separator: "\n", omittingEmptySubsequences: false)
            if position.line >= 1 && position.line <= lines.count {
                let line = lines[position.line - 1]
                text += "\n  " + line + "\n  " + String(repeating: " ", count: max(0, position.column - 1)) + "^"
            }
        }
        return text
    }
}
