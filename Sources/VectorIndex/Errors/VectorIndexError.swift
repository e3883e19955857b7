/// The one error type of VectorIndex: an extensible code and a message naming what was wrong
/// (the dimension expected and given, the file and byte offset of a damaged index).
///
/// ```swift
/// do { _ = try index.search([0.1, 0.2], k: 10) } catch {
///     print(error)   // dimension mismatch: the query has 2 values, the index holds 384-d vectors
/// }
/// ```
public struct VectorIndexError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, in broad terms. New codes may be added: compare with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// A vector whose length is not the index's dimension.
        public static var dimensionMismatch: Self { Self("dimension mismatch") }
        /// An argument out of range: k ≤ 0, an unknown id, a NaN or infinite value.
        public static var invalidArgument: Self { Self("invalid argument") }
        /// A persisted index that cannot be read: wrong magic, truncated, checksum mismatch.
        public static var corruptIndex: Self { Self("corrupt index") }
        /// A file that cannot be opened, read or written.
        public static var io: Self { Self("I/O error") }
        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
