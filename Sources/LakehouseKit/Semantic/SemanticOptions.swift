import Ingest
import VectorIndex

/// Settings of semantic search and question answering.
public struct SemanticOptions: Sendable {
    /// Below this many chunks a dataset is searched exactly (a scan of a few thousand vectors
    /// takes well under a millisecond); from it on through an HNSW graph cached in the table's
    /// `_lakehouse/` folder.
    public var graphThreshold = 5_000
    /// The graph's shape.
    public var graph = HNSWConfiguration(m: 16, efConstruction: 200)
    /// Candidates per graph search (at least k).
    public var ef = 128
    /// How long texts are cut into chunks before embedding.
    public var chunker = TextChunker()
    /// The Ollama model ``Lakehouse/ask(_:in:options:)`` uses.
    public var chatModel = "qwen2.5"

    public init() {}
}

/// The errors of LakehouseKit's own operations (search, embedding, questions); errors of the
/// layers below (``SQLError``, ``CatalogError``, `OllamaError`, `VectorIndexError`) pass through
/// unchanged.
public struct LakehouseError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The dataset has no embeddings yet.
        public static var notEmbedded: Self { Self("not embedded") }
        /// The dataset's vectors come from another embedder than the lakehouse's.
        public static var embedderMismatch: Self { Self("embedder mismatch") }
        /// A bad argument: an unknown column, k below 1.
        public static var invalidArgument: Self { Self("invalid argument") }
        /// SQL a model wrote that is not a single read-only query.
        public static var unsafeSQL: Self { Self("unsafe SQL") }
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
