/// The error every ColumnarCore operation throws.
///
/// Shaped like swift-nio's `FileSystemError`: an extensible ``Code``, a human-readable message, the
/// row where the problem was found (when there is one) and the source location that threw.
///
/// ```swift
/// do { _ = try Kernels.add(a, b) } catch let error as ColumnarError where error.code == .overflow {
///     print(error.row ?? -1)
/// }
/// ```
public struct ColumnarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added; switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidArgument, typeMismatch, lengthMismatch, indexOutOfBounds
            case overflow, divisionByZero, invalidCast, unsupported, internalError
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// An argument is malformed (e.g. columns of a batch disagree with its schema).
        public static let invalidArgument = Code(.invalidArgument)
        /// Operands have types the operation does not accept together.
        public static let typeMismatch = Code(.typeMismatch)
        /// Operands have different lengths.
        public static let lengthMismatch = Code(.lengthMismatch)
        /// An index or selection refers past the end of a column.
        public static let indexOutOfBounds = Code(.indexOutOfBounds)
        /// An integer or decimal result does not fit its type (SQL raises, it does not wrap).
        public static let overflow = Code(.overflow)
        /// Division or modulo by zero under the `.error` policy.
        public static let divisionByZero = Code(.divisionByZero)
        /// A value cannot be converted to the requested type (bad text, out of range).
        public static let invalidCast = Code(.invalidCast)
        /// The operation is not supported for these types (yet); the message says which.
        public static let unsupported = Code(.unsupported)
        /// A broken invariant inside LakehouseKit: a bug, please report it.
        public static let internalError = Code(.internalError)

        /// The code in words, e.g. `overflow`.
        public var description: String {
            switch value {
            case .invalidArgument: return "invalid argument"
            case .typeMismatch: return "type mismatch"
            case .lengthMismatch: return "length mismatch"
            case .indexOutOfBounds: return "index out of bounds"
            case .overflow: return "overflow"
            case .divisionByZero: return "division by zero"
            case .invalidCast: return "invalid cast"
            case .unsupported: return "unsupported"
            case .internalError: return "internal error (please report)"
            }
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, in words a user can act on.
    public var message: String
    /// The row (0-based, within the operand) where the failure was found, if any.
    public var row: Int?
    /// The file that threw, for bug reports.
    public var fileID: String
    /// The line that threw, for bug reports.
    public var line: Int

    /// Creates an error.
    public init(_ code: Code, _ message: String, row: Int? = nil, fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.row = row
        self.fileID = fileID
        self.line = line
    }

    /// `code: message (row n)`.
    public var description: String {
        var text = "\(code): \(message)"
        if let row { text += " (row \(row))" }
        return text
    }

    /// Errors are equal when code, message and row are (the source location is ignored).
    public static func == (lhs: ColumnarError, rhs: ColumnarError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.row == rhs.row
    }

    /// Hashes code, message and row.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(row)
    }
}
