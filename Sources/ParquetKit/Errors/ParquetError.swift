/// An error thrown by ParquetKit.
///
/// Every error has a high-level ``Code-swift.struct`` naming what went wrong, a human-readable
/// ``message``, the ``Context-swift.struct`` a user needs to find the problem (file, row group,
/// column, page, byte offset), an optional ``underlying`` error and the ``location`` in ParquetKit's
/// source that threw it.
///
/// Codes fall into three ``Kind-swift.struct``s, as DuckDB and DataFusion separate them:
/// invalid input (a corrupt or hostile file, a bad argument), an unsupported feature (valid
/// Parquet that ParquetKit cannot handle yet), and an internal error (a bug in ParquetKit).
///
/// ```swift
/// do {
///     let page = try CompressionCodec.snappy.decompress(bytes, uncompressedSize: 4096)
/// } catch {
///     if error.code == .uncompressedSizeMismatch { print(error) }
/// }
/// ```
public struct ParquetError: Error, Sendable, CustomStringConvertible {
    /// The high-level classification of the error.
    public var code: Code

    /// What went wrong, and how to remedy it where that is known.
    public var message: String

    /// Where in the Parquet data the problem was found; fields that are unknown are `nil`.
    public var context: Context

    /// The error that caused this one, if any.
    public var underlying: (any Error)?

    /// The place in ParquetKit's source code that threw the error.
    public var location: SourceLocation

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The high-level classification of the error.
    ///   - message: What went wrong.
    ///   - context: Where in the Parquet data the problem was found.
    ///   - underlying: The error that caused this one, if any.
    ///   - fileID: The source file that throws the error; defaults to the caller's.
    ///   - line: The source line that throws the error; defaults to the caller's.
    public init(
        code: Code,
        message: String,
        context: Context = Context(),
        underlying: (any Error)? = nil,
        fileID: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.context = context
        self.underlying = underlying
        self.location = SourceLocation(fileID: fileID, line: line)
    }

    /// The error's kind: invalid input, unsupported feature or internal error.
    public var kind: Kind { code.kind }

    /// A one-line rendering of the code, the message, any context present and the underlying error.
    public var description: String {
        var text = "\(code): \(message)"
        let coordinates = context.description
        if !coordinates.isEmpty {
            text += " (\(coordinates))"
        }
        if let underlying {
            text += "; underlying error: \(underlying)"
        }
        return text
    }
}

// MARK: - Internal constructors

extension ParquetError {
    /// An error for input that ParquetKit must reject: corrupt, truncated or hostile data.
    static func invalidInput(
        _ code: Code,
        _ message: String,
        fileID: String = #fileID,
        line: Int = #line
    ) -> ParquetError {
        ParquetError(code: code, message: message, fileID: fileID, line: line)
    }

    /// An error for a bug in ParquetKit: a broken invariant or a library misbehaving.
    static func internalError(
        _ message: String,
        fileID: String = #fileID,
        line: Int = #line
    ) -> ParquetError {
        ParquetError(
            code: .internalError,
            message: "\(message). This is a bug in ParquetKit; please report it.",
            fileID: fileID,
            line: line
        )
    }
}

// MARK: - Code

extension ParquetError {
    /// The high-level classification of a ``ParquetError``.
    ///
    /// Codes are extensible: new ones may be added in later versions, so `switch` over them with a
    /// `default` case, or compare with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case corruptCompressedData
            case truncatedInput
            case uncompressedSizeMismatch
            case sizeLimitExceeded
            case unsupportedCodec
            case unsupportedFeature
            case invalidArgument
            case corruptFile
            case valueOutOfRange
            case internalError
        }

        private var wrapped: Wrapped

        private init(_ wrapped: Wrapped) {
            self.wrapped = wrapped
        }

        /// Compressed bytes that the codec cannot decode.
        public static var corruptCompressedData: Self { Self(.corruptCompressedData) }

        /// Input that ends before the structure it holds is complete.
        public static var truncatedInput: Self { Self(.truncatedInput) }

        /// Data that decompresses to a size other than the one declared for it.
        public static var uncompressedSizeMismatch: Self { Self(.uncompressedSizeMismatch) }

        /// A declared size above the configured limit; ParquetKit refuses to allocate it.
        public static var sizeLimitExceeded: Self { Self(.sizeLimitExceeded) }

        /// A compression codec that ParquetKit does not implement.
        public static var unsupportedCodec: Self { Self(.unsupportedCodec) }

        /// A valid Parquet feature that ParquetKit does not implement yet.
        public static var unsupportedFeature: Self { Self(.unsupportedFeature) }

        /// An argument outside the range the operation accepts.
        public static var invalidArgument: Self { Self(.invalidArgument) }

        /// A file whose structure is not valid Parquet.
        public static var corruptFile: Self { Self(.corruptFile) }

        /// A valid stored value that the requested representation cannot hold (an INT96
        /// timestamp outside the 64-bit range of its unit, for instance).
        public static var valueOutOfRange: Self { Self(.valueOutOfRange) }

        /// A bug in ParquetKit.
        public static var internalError: Self { Self(.internalError) }

        /// Whether the code reports invalid input, an unsupported feature or an internal error.
        public var kind: Kind {
            switch wrapped {
            case .corruptCompressedData, .truncatedInput, .uncompressedSizeMismatch,
                .sizeLimitExceeded, .invalidArgument, .corruptFile:
                return .invalidInput
            case .unsupportedCodec, .unsupportedFeature, .valueOutOfRange:
                return .unsupportedFeature
            case .internalError:
                return .internalError
            }
        }

        /// The code's name, for example `corruptCompressedData`.
        public var description: String {
            switch wrapped {
            case .corruptCompressedData: return "corruptCompressedData"
            case .truncatedInput: return "truncatedInput"
            case .uncompressedSizeMismatch: return "uncompressedSizeMismatch"
            case .sizeLimitExceeded: return "sizeLimitExceeded"
            case .unsupportedCodec: return "unsupportedCodec"
            case .unsupportedFeature: return "unsupportedFeature"
            case .invalidArgument: return "invalidArgument"
            case .corruptFile: return "corruptFile"
            case .valueOutOfRange: return "valueOutOfRange"
            case .internalError: return "internalError"
            }
        }
    }

    /// The three kinds of ``ParquetError``.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private var name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The input is corrupt, truncated or hostile, or an argument is out of range.
        public static var invalidInput: Self { Self("invalid input") }

        /// The input is valid but uses something ParquetKit does not implement.
        public static var unsupportedFeature: Self { Self("unsupported feature") }

        /// ParquetKit itself misbehaved; such errors should be reported.
        public static var internalError: Self { Self("internal error") }

        /// The kind's name, for example `invalid input`.
        public var description: String { name }
    }
}

// MARK: - Context and location

extension ParquetError {
    /// Where in the Parquet data an error was found.
    ///
    /// Each field is optional; the layer that knows a coordinate fills it in, for example the
    /// reader adds the file path and page index to an error thrown by a codec.
    public struct Context: Hashable, Sendable, CustomStringConvertible {
        /// The path of the Parquet file.
        public var filePath: String?

        /// The zero-based index of the row group.
        public var rowGroup: Int?

        /// The column's path in the schema, outermost field first.
        public var columnPath: [String]?

        /// The zero-based index of the page within its column chunk.
        public var pageIndex: Int?

        /// The byte offset in the file at which the problem was found.
        public var byteOffset: Int?

        /// Creates a context; every coordinate defaults to unknown.
        ///
        /// - Parameters:
        ///   - filePath: The path of the Parquet file.
        ///   - rowGroup: The zero-based index of the row group.
        ///   - columnPath: The column's path in the schema, outermost field first.
        ///   - pageIndex: The zero-based index of the page within its column chunk.
        ///   - byteOffset: The byte offset in the file.
        public init(
            filePath: String? = nil,
            rowGroup: Int? = nil,
            columnPath: [String]? = nil,
            pageIndex: Int? = nil,
            byteOffset: Int? = nil
        ) {
            self.filePath = filePath
            self.rowGroup = rowGroup
            self.columnPath = columnPath
            self.pageIndex = pageIndex
            self.byteOffset = byteOffset
        }

        /// The known coordinates, comma-separated; empty when none is known.
        public var description: String {
            var parts: [String] = []
            if let filePath { parts.append("file '\(filePath)'") }
            if let rowGroup { parts.append("row group \(rowGroup)") }
            if let columnPath { parts.append("column '\(columnPath.joined(separator: "."))'") }
            if let pageIndex { parts.append("page \(pageIndex)") }
            if let byteOffset { parts.append("byte offset \(byteOffset)") }
            return parts.joined(separator: ", ")
        }
    }

    /// A place in ParquetKit's source code.
    public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
        /// The file, as `#fileID` spells it (`ParquetKit/Compression/SnappyCodec.swift`).
        public var fileID: String

        /// The line in ``fileID``.
        public var line: Int

        /// Creates a source location.
        ///
        /// - Parameters:
        ///   - fileID: The file, as `#fileID` spells it.
        ///   - line: The line in the file.
        public init(fileID: String, line: Int) {
            self.fileID = fileID
            self.line = line
        }

        /// `fileID:line`.
        public var description: String { "\(fileID):\(line)" }
    }
}

extension ParquetError {
    /// This error with `path` as its file, unless it already names one.
    func inFile(_ path: String) -> ParquetError {
        var located = self
        if located.context.filePath == nil { located.context.filePath = path }
        return located
    }
}
