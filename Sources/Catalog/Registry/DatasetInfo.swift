/// A file a dataset was ingested from, with its content hash (so a re-ingest of the same bytes is
/// recognised).
public struct DatasetSource: Sendable, Hashable {
    /// The path or URL the file was read from.
    public var path: String
    /// The SHA-256 of the file's bytes, in lower-case hex.
    public var contentHash: String
    /// The size in bytes.
    public var size: Int64
    /// When it was ingested (milliseconds since 1970).
    public var ingestedAt: Int64

    public init(path: String, contentHash: String, size: Int64, ingestedAt: Int64) {
        self.path = path
        self.contentHash = contentHash
        self.size = size
        self.ingestedAt = ingestedAt
    }
}

/// One dataset of a lakehouse: a name, the Delta table holding its rows, and what is known about it.
public struct DatasetInfo: Sendable, Hashable {
    /// The name, as given (names are compared case-insensitively).
    public var name: String
    /// The table's root, as a key prefix relative to the lakehouse root (`tables/sales-1f3a…`).
    public var location: String
    public var description: String?
    /// The primary key columns (empty: none).
    public var primaryKey: [String]
    /// The files the rows came from.
    public var sources: [DatasetSource]
    /// Embedding settings (model, dimensions, text columns …), when the dataset is searchable.
    public var embedding: [String: String]
    /// When the dataset was created (milliseconds since 1970).
    public var createdAt: Int64

    public init(name: String, location: String, description: String? = nil, primaryKey: [String] = [], sources: [DatasetSource] = [],
                embedding: [String: String] = [:], createdAt: Int64) {
        self.name = name
        self.location = location
        self.description = description
        self.primaryKey = primaryKey
        self.sources = sources
        self.embedding = embedding
        self.createdAt = createdAt
    }

    /// Checks a dataset name: 1 to 128 characters, a letter or `_` first, then letters, digits and
    /// `_` (ASCII). Such names are safe as SQL identifiers and as path components.
    ///
    /// - Throws: ``CatalogError`` `.invalidName` saying what is wrong.
    public static func validate(name: String) throws(CatalogError) {
        let shown = _printable(name)
        func refuse(_ why: String) -> CatalogError {
            CatalogError(.invalidName, "invalid dataset name '\(shown)': \(why); use letters, digits and '_' (a letter or '_' first, at most 128)")
        }
        guard !name.isEmpty else { throw refuse("it is empty") }
        guard name.utf8.count <= 128 else { throw refuse("it is longer than 128 characters") }
        if name.contains("..") || name.contains("/") || name.contains("\\") { throw refuse("it contains a path separator or '..'") }
        if name.utf8.contains(0) { throw refuse("it contains a NUL byte") }
        for (k, byte) in name.utf8.enumerated() {
            let letter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
            let digit = byte >= 0x30 && byte <= 0x39
            guard letter || (digit && k > 0) else { throw refuse(k == 0 ? "it must start with a letter or '_'" : "it contains '\(Character(Unicode.Scalar(byte)))'") }
        }
    }

    // MARK: JSON

    var json: JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(name)), ("location", .string(location))]
        if let description { members.append(("description", .string(description))) }
        members.append(("primaryKey", .array(primaryKey.map { .string($0) })))
        members.append(("sources", .array(sources.map { source in
            .object([("path", .string(source.path)), ("contentHash", .string(source.contentHash)), ("size", .int(source.size)),
                     ("ingestedAt", .int(source.ingestedAt))])
        })))
        members.append(("embedding", .object(embedding.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        members.append(("createdAt", .int(createdAt)))
        return .object(members)
    }

    init(json: JSONValue) throws(CatalogError) {
        guard let name = json["name"]?.stringValue, let location = json["location"]?.stringValue else {
            throw CatalogError(.corruptLog, "a registry entry lacks a name or location")
        }
        try DatasetInfo.validate(name: name)
        _ = try ObjectKey(location)
        var sources: [DatasetSource] = []
        for source in json["sources"]?.arrayValue ?? [] {
            guard let path = source["path"]?.stringValue, let hash = source["contentHash"]?.stringValue else {
                throw CatalogError(.corruptLog, "a source of dataset \(name) lacks a path or hash")
            }
            sources.append(DatasetSource(path: path, contentHash: hash, size: source["size"]?.int64Value ?? 0, ingestedAt: source["ingestedAt"]?.int64Value ?? 0))
        }
        var embedding: [String: String] = [:]
        for (k, v) in json["embedding"]?.objectValue ?? [] { if let s = v.stringValue { embedding[k] = s } }
        self.init(name: name, location: location, description: json["description"]?.stringValue,
                  primaryKey: (json["primaryKey"]?.arrayValue ?? []).compactMap(\.stringValue), sources: sources,
                  embedding: embedding, createdAt: json["createdAt"]?.int64Value ?? 0)
    }
}
