import Catalog

/// An error thrown while ingesting a file: it names the file and, where they are known, the line,
/// the column and the byte offset, so a user can open the file at the problem.
///
/// ```swift
/// do {
///     try ingester.ingest(file: "calls.csv", into: "calls")
/// } catch {
///     print(error)   // raggedRow: row has 5 fields, the header has 4 (file calls.csv, line 17)
/// }
/// ```
public struct IngestError: Error, Sendable, CustomStringConvertible {
    /// The classification of the error.
    public var code: Code
    /// What went wrong, and how to remedy it where that is known.
    public var message: String
    /// The file being read.
    public var file: String?
    /// The 1-based line of the file (CSV, newline-delimited JSON).
    public var line: Int?
    /// The column, by name when the header gave one, else `#n` (1-based).
    public var column: String?
    /// The 0-based byte offset in the file.
    public var byteOffset: Int?
    /// The error that caused this one (a ``CatalogError`` when the store failed, say).
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil, column: String? = nil, byteOffset: Int? = nil,
                underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
        self.underlying = underlying
    }

    public var description: String {
        var text = "\(code): \(message)"
        var parts: [String] = []
        if let file { parts.append("file \(file)") }
        if let line { parts.append("line \(line)") }
        if let column { parts.append("column \(column)") }
        if let byteOffset { parts.append("byte \(byteOffset)") }
        if !parts.isEmpty { text += " (\(parts.joined(separator: ", ")))" }
        if let underlying { text += "; underlying error: \(underlying)" }
        return text
    }

    /// The same error with the file named (kept when set already).
    func adding(file: String) -> IngestError {
        var copy = self
        copy.file = copy.file ?? file
        return copy
    }

    /// The classification of an ``IngestError``. Codes are extensible: compare with `==` or
    /// `switch` with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The file cannot be opened or read.
        public static let io = Code("io")
        /// A CSV record is malformed: an unterminated quote, text after a closing quote.
        public static let malformedCSV = Code("malformedCSV")
        /// A row has more or fewer fields than the header.
        public static let raggedRow = Code("raggedRow")
        /// The bytes are not UTF-8.
        public static let invalidUTF8 = Code("invalidUTF8")
        /// A JSON document is malformed.
        public static let malformedJSON = Code("malformedJSON")
        /// A value does not fit the type asked for (a type override, or the type of an existing
        /// dataset's column).
        public static let typeMismatch = Code("typeMismatch")
        /// The file's columns conflict with the dataset's (a name given twice, say).
        public static let schemaConflict = Code("schemaConflict")
        /// An option is invalid (an override naming no column, say).
        public static let invalidOption = Code("invalidOption")
        /// The file holds no rows or columns where some were needed.
        public static let empty = Code("empty")
        /// The catalog or object store failed; ``underlying`` holds the ``CatalogError``.
        public static let catalog = Code("catalog")
        /// Internal: a value beyond the first window does not fit the type the first window gave
        /// its column; the ingest starts over reading the whole file twice. Never thrown to callers.
        static let speculationFailed = Code("speculationFailed")
    }
}

extension IngestError {
    init(_ error: CatalogError, file: String?) {
        self.init(.catalog, error.message, file: file, underlying: error)
    }
}
