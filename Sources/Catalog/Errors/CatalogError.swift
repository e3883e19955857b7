/// An error thrown by the Catalog module: object stores, Delta Lake tables and the dataset registry.
///
/// Every error has a ``Code-swift.struct``, a human-readable ``message``, the
/// ``Context-swift.struct`` a user needs to find the problem (store, object key, table, log
/// version, line of a commit file), an optional ``underlying`` error and the ``location`` in the
/// Catalog source that threw it. Credentials never appear in any of them: the S3 store redacts
/// its secrets before building an error.
///
/// ```swift
/// do {
///     try store.put(try ObjectKey("../etc/passwd"), [])
/// } catch {
///     if error.code == .invalidKey { print(error) }   // invalidKey: a key may not contain '..' …
/// }
/// ```
public struct CatalogError: Error, Sendable, CustomStringConvertible {
    /// The high-level classification of the error.
    public var code: Code
    /// What went wrong, and how to remedy it where that is known.
    public var message: String
    /// Where the problem was found; unknown coordinates are `nil`.
    public var context: Context
    /// The error that caused this one, if any.
    public var underlying: (any Error)?
    /// The place in the Catalog source that threw the error.
    public var location: SourceLocation

    /// Creates an error.
    public init(code: Code, message: String, context: Context = Context(), underlying: (any Error)? = nil,
                fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.context = context
        self.underlying = underlying
        self.location = SourceLocation(fileID: fileID, line: line)
    }

    /// Creates an error with the given context fields.
    public init(_ code: Code, _ message: String, key: String? = nil, table: String? = nil, version: Int64? = nil,
                underlying: (any Error)? = nil, fileID: String = #fileID, line: Int = #line) {
        self.init(code: code, message: message, context: Context(key: key, table: table, version: version),
                  underlying: underlying, fileID: fileID, line: line)
    }

    /// The error's kind: invalid input, unsupported feature, a failure of the store, or an internal error.
    public var kind: Kind { code.kind }

    /// A one-line rendering of the code, the message, the context present and the underlying error.
    public var description: String {
        var text = "\(code): \(message)"
        let coordinates = context.description
        if !coordinates.isEmpty { text += " (\(coordinates))" }
        if let underlying { text += "; underlying error: \(underlying)" }
        return text
    }

    /// The same error with more context: fields already set are kept.
    func adding(key: String? = nil, table: String? = nil, version: Int64? = nil) -> CatalogError {
        var copy = self
        copy.context.key = copy.context.key ?? key
        copy.context.table = copy.context.table ?? table
        copy.context.version = copy.context.version ?? version
        return copy
    }

    static func internalError(_ message: String, fileID: String = #fileID, line: Int = #line) -> CatalogError {
        CatalogError(code: .internalError, message: "\(message). This is a bug in LakehouseKit's Catalog; please report it.",
                     fileID: fileID, line: line)
    }
}

extension CatalogError {
    /// The classification of a ``CatalogError``. Codes are extensible: compare with `==` or
    /// `switch` with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case invalidKey, invalidName, invalidArgument, notFound, alreadyExists, commitConflict
            case corruptLog, corruptData, schemaMismatch, unsupportedFeature, storeFailure
            case accessDenied, timedOut, internalError
        }
        private var wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// An object key that could escape the store's root or is not well formed (`..`, an absolute path, NUL).
        public static var invalidKey: Self { Self(.invalidKey) }
        /// A dataset or column name that is not allowed.
        public static var invalidName: Self { Self(.invalidName) }
        /// An argument outside what the operation accepts.
        public static var invalidArgument: Self { Self(.invalidArgument) }
        /// The object, table, dataset or version does not exist.
        public static var notFound: Self { Self(.notFound) }
        /// The object or dataset exists already.
        public static var alreadyExists: Self { Self(.alreadyExists) }
        /// Another writer committed the same version first, and retrying did not resolve it.
        public static var commitConflict: Self { Self(.commitConflict) }
        /// A Delta log or registry entry that is not valid.
        public static var corruptLog: Self { Self(.corruptLog) }
        /// A data file or deletion vector that is not valid.
        public static var corruptData: Self { Self(.corruptData) }
        /// Rows whose columns do not fit the table's schema.
        public static var schemaMismatch: Self { Self(.schemaMismatch) }
        /// A valid table that uses a feature this version cannot handle.
        public static var unsupportedFeature: Self { Self(.unsupportedFeature) }
        /// The store failed (I/O error, HTTP error, service unavailable after retries).
        public static var storeFailure: Self { Self(.storeFailure) }
        /// The store refused the credentials or the request.
        public static var accessDenied: Self { Self(.accessDenied) }
        /// The store did not answer in time.
        public static var timedOut: Self { Self(.timedOut) }
        /// A bug in the Catalog module.
        public static var internalError: Self { Self(.internalError) }

        /// Invalid input, unsupported feature, store failure or internal error.
        public var kind: Kind {
            switch wrapped {
            case .invalidKey, .invalidName, .invalidArgument, .notFound, .alreadyExists, .commitConflict,
                 .corruptLog, .corruptData, .schemaMismatch: return .invalidInput
            case .unsupportedFeature: return .unsupportedFeature
            case .storeFailure, .accessDenied, .timedOut: return .storeFailure
            case .internalError: return .internalError
            }
        }

        /// The code's name, for example `invalidKey`.
        public var description: String { "\(wrapped)" }
    }

    /// The kinds of ``CatalogError``.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private var name: String
        private init(_ name: String) { self.name = name }
        /// The input (a key, a name, a log, a file) is not valid.
        public static var invalidInput: Self { Self("invalid input") }
        /// Valid input that this version does not handle.
        public static var unsupportedFeature: Self { Self("unsupported feature") }
        /// The object store failed.
        public static var storeFailure: Self { Self("store failure") }
        /// A bug; please report it.
        public static var internalError: Self { Self("internal error") }
        /// The kind's name.
        public var description: String { name }
    }

    /// Where an error was found.
    public struct Context: Hashable, Sendable, CustomStringConvertible {
        /// The object store (its root directory or `s3://bucket/prefix`).
        public var store: String?
        /// The object key, relative to the store's root.
        public var key: String?
        /// The table or dataset.
        public var table: String?
        /// The Delta log version.
        public var version: Int64?
        /// The 1-based line of a commit file.
        public var line: Int?

        /// Creates a context; every coordinate defaults to unknown.
        public init(store: String? = nil, key: String? = nil, table: String? = nil, version: Int64? = nil, line: Int? = nil) {
            self.store = store
            self.key = key
            self.table = table
            self.version = version
            self.line = line
        }

        /// `store …, key …, table …, version …, line …` for the fields present.
        public var description: String {
            var parts: [String] = []
            if let store { parts.append("store \(store)") }
            if let table { parts.append("table \(table)") }
            if let key { parts.append("key \(key)") }
            if let version { parts.append("version \(version)") }
            if let line { parts.append("line \(line)") }
            return parts.joined(separator: ", ")
        }
    }

    /// A place in the Catalog source code.
    public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
        /// The file, as `#fileID` renders it.
        public var fileID: String
        /// The line.
        public var line: Int
        /// Creates a location.
        public init(fileID: String, line: Int) {
            self.fileID = fileID
            self.line = line
        }
        /// `file:line`.
        public var description: String { "\(fileID):\(line)" }
    }
}
