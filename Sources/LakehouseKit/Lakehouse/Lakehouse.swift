import Catalog
import ColumnarCore
import Ingest
import OllamaClient
import SQLPlanner
import Synchronization

/// A lakehouse: an object store (a folder, or an S3-compatible bucket) holding datasets as Delta
/// Lake tables and the registry naming them. The store is the whole lakehouse: opening the same
/// root on another machine gives back every dataset and version.
///
/// ```swift
/// let lake = try Lakehouse.open(at: "/data/lake")
/// try lake.sql("CREATE TABLE top AS SELECT * FROM read_parquet('in.parquet') WHERE score > 90")
/// let rows = try lake.sql("SELECT count(*) FROM top")
/// ```
public final class Lakehouse: Sendable {
    /// Where everything is kept.
    public let store: any ObjectStore
    /// The datasets.
    public let catalog: DatasetCatalog

    /// Turns text into vectors for semantic search: the built-in offline embedder unless an
    /// Ollama one is given. Vectors of one dataset all come from one embedder; a dataset embedded
    /// by another is refused rather than mixed.
    public let embedder: any Embedder
    /// The Ollama server ``ask(_:in:options:)`` talks to (made from `OLLAMA_HOST` when nil).
    public let ollama: OllamaClient?
    /// Semantic-search settings (index thresholds, the model `ask` uses).
    public let semantic: SemanticOptions
    /// How upserts, deletes and compaction behave.
    public let live: LiveOptions
    /// Decoded files of hot datasets in memory (pinned ones, and ones queried repeatedly), under
    /// `live.cacheMemoryLimit`. Only a performance layer: dropping it changes no result.
    public let cache: DeltaDataCache
    let vectorIndexes = Mutex<[String: CachedVectorIndex]>([:])
    /// Primary key indexes by table location (a cache: rebuilt from the table when missing).
    let keyIndexes = Mutex<[String: PrimaryKeyIndex]>([:])
    let prefetchedQueries = Mutex<[String: [Float]]>([:])

    /// A lakehouse over `store`.
    public init(store: any ObjectStore, checkpointInterval: Int = 10, embedder: any Embedder = BuiltinEmbedder(),
                ollama: OllamaClient? = nil, semantic: SemanticOptions = SemanticOptions(), live: LiveOptions = LiveOptions()) {
        self.store = store
        self.live = live
        self.cache = DeltaDataCache(memoryLimit: live.cacheMemoryLimit)
        self.catalog = DatasetCatalog(store: store, checkpointInterval: checkpointInterval)
        self.embedder = embedder
        self.ollama = ollama
        self.semantic = semantic
    }

    /// Opens the lakehouse at `root`: a folder path (created when missing) or
    /// `s3://bucket/prefix` (endpoint, region and credentials from the AWS environment variables).
    public static func open(at root: String, environment: [String: String] = _environment(), embedder: any Embedder = BuiltinEmbedder(),
                            ollama: OllamaClient? = nil, semantic: SemanticOptions = SemanticOptions(),
                            live: LiveOptions = LiveOptions()) throws(CatalogError) -> Lakehouse {
        Lakehouse(store: try openStore(root, environment: environment), embedder: embedder, ollama: ollama, semantic: semantic, live: live)
    }

    /// The object store a root names.
    public static func openStore(_ root: String, environment: [String: String] = _environment()) throws(CatalogError) -> any ObjectStore {
        if root.hasPrefix("s3://") {
            return try S3Store(url: root, environment: environment)
        }
        guard !root.contains("://") else {
            throw CatalogError(.invalidArgument, "unsupported lakehouse root \(root): give a folder path or s3://bucket/prefix")
        }
        return try LocalFileSystemStore(root: root)
    }

    /// A SQL session over the datasets (and `read_parquet`).
    public func session() -> SQLSession {
        let session = SQLSession.lakehouse()
        session.catalog = CatalogSQLTables(catalog, cache: cache)
        session.register(function: "vector_search", VectorSearchFunction(lakehouse: self))
        return session
    }

    /// Runs SQL statements against the datasets and returns the last result: batches that know
    /// their schema, iterable with `for try await`, decodable into structs.
    @discardableResult
    public func sql(_ text: String) throws(SQLError) -> QueryResult {
        QueryResult(try session().execute(text))
    }

    /// Reads a CSV or JSON file into dataset `name` (see ``Ingester``): the schema is inferred,
    /// the rows become Parquet files of the dataset's Delta table in one commit, and the dataset
    /// is queryable by name at once. The same bytes ingested again change nothing.
    @discardableResult
    public func ingest(_ file: String, into name: String, options: IngestOptions = IngestOptions()) throws(IngestError) -> IngestResult {
        try Ingester(catalog: catalog, options: options).ingest(file: file, into: name)
    }

    /// Every dataset.
    public func tables() throws(CatalogError) -> [DatasetInfo] { try catalog.datasets() }

    /// A dataset's entry with its current table state.
    public func describe(_ name: String) throws(CatalogError) -> DatasetDescription {
        guard let info = try catalog.dataset(name) else {
            let names = try catalog.datasets().map(\.name)
            throw CatalogError(.notFound, "no dataset \(name)" + (names.isEmpty ? "" : "; datasets: \(names.joined(separator: ", "))"))
        }
        let snapshot = try catalog.table(name).snapshot()
        return DatasetDescription(info: info, schema: snapshot.schema, version: snapshot.version, rows: snapshot.rowCount,
                                  files: snapshot.files.count, bytes: snapshot.sizeInBytes)
    }
}

/// A dataset as it is now.
public struct DatasetDescription: Sendable {
    public var info: DatasetInfo
    public var schema: Schema
    /// The table's current version.
    public var version: Int64
    /// Rows (nil when a data file lacks statistics).
    public var rows: Int64?
    public var files: Int
    public var bytes: Int64
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process environment.
public func _environment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let eq = text.firstIndex(of: "=") { result[String(text[..<eq])] = String(text[text.index(after: eq)...]) }
        pointer += 1
    }
    return result
}

extension Lakehouse {
    /// Splits the long text of `textColumn` in dataset `source` into chunks ready for embedding
    /// and stores them as dataset `name`: `(doc_id, chunk_no, text)`, `doc_id` being the row's
    /// `idColumn` value (its type kept) and `chunk_no` counting from 0. A dataset of that name is
    /// replaced by a new version (the earlier chunks stay readable by time travel).
    ///
    /// - Returns: The number of chunks.
    @discardableResult
    public func chunk(_ source: String, textColumn: String, idColumn: String, into name: String,
                      chunker: TextChunker = TextChunker()) throws -> Int {
        func quoted(_ identifier: String) -> String { "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" }
        let rows = try sql("SELECT \(quoted(idColumn)), \(quoted(textColumn)) FROM \(quoted(source))").batch
        let ids = rows.columns[0], texts = rows.columns[1]
        var take: [UInt32] = []
        var numbers: [Int64] = []
        var chunks: [String?] = []
        for row in 0..<rows.count {
            guard case .utf8(let text) = texts.scalar(at: row) else { continue }
            for (k, piece) in chunker.chunks(text).enumerated() {
                take.append(UInt32(row))
                numbers.append(Int64(k))
                chunks.append(piece)
            }
        }
        let docIDs = try Kernels.take(ids, SelectionVector(indices: ValueBuffer(take)))
        let batch = try RecordBatch(
            schema: Schema([Field("doc_id", ids.dataType), Field("chunk_no", .int64), Field("text", .utf8)]),
            columns: [docIDs, .int64(PrimitiveColumn(numbers)), .utf8(BinaryColumn(chunks))])
        try catalog.createDataset(name, rows: [batch], description: "chunks of \(source).\(textColumn) (\(chunker.size) characters, \(chunker.overlap) overlap)",
                                  primaryKey: ["doc_id", "chunk_no"], replace: true)
        return chunks.count
    }
}
