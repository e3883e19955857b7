import Catalog
import ColumnarCore
import Ingest
import OllamaClient
import SQLPlanner

/// How a dataset is embedded: which text columns, which id column names a row, where the
/// vectors are kept and which embedder made them. Stored in the dataset's catalog entry.
public struct EmbeddingSpec: Sendable, Hashable {
    /// The text columns, joined by newlines into one document per row.
    public var columns: [String]
    /// The column whose value names a row (the primary key).
    public var idColumn: String
    /// The dataset holding the vectors: `(doc_id, chunk_no, chunk_text, content_hash, vector,
    /// embedder)`, an ordinary Delta table any engine can read.
    public var table: String
    public var embedder: EmbedderIdentity

    init(columns: [String], idColumn: String, table: String, embedder: EmbedderIdentity) {
        self.columns = columns
        self.idColumn = idColumn
        self.table = table
        self.embedder = embedder
    }

    init?(_ settings: [String: String]) {
        guard let columns = settings["columns"], let id = settings["id"], let table = settings["table"],
              let embedder = settings["embedder"], let dimension = settings["dimension"].flatMap(Int.init) else { return nil }
        self.init(columns: columns.split(separator: ",").map(String.init), idColumn: id, table: table,
                  embedder: EmbedderIdentity(id: embedder, dimension: dimension))
    }

    var settings: [String: String] {
        ["columns": columns.joined(separator: ","), "id": idColumn, "table": table, "embedder": embedder.id, "dimension": String(embedder.dimension)]
    }
}

/// What ``Lakehouse/embed(_:columns:id:)`` did.
public struct EmbedResult: Sendable, Hashable {
    public var dataset: String
    /// The dataset holding the vectors.
    public var table: String
    /// Rows whose text was new or changed, and so embedded now.
    public var embeddedRows: Int
    /// Chunks embedded now.
    public var embeddedChunks: Int
    /// Rows whose vectors were kept (same text as last time).
    public var keptRows: Int
    /// Rows gone from the dataset whose vectors were dropped.
    public var removedRows: Int
    /// The embeddings table's version afterwards.
    public var version: Int64
}

func quotedIdentifier(_ identifier: String) -> String {
    "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
}

func quotedLiteral(_ text: String) -> String {
    "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
}

/// A value's identity as text, for matching rows across tables (type-tagged, so 1 ≠ '1').
func scalarKey(_ value: Scalar) -> String {
    switch value {
    case .utf8(let s): return "s:" + s
    case .int8(let v): return "i:\(v)"
    case .int16(let v): return "i:\(v)"
    case .int32(let v): return "i:\(v)"
    case .int64(let v): return "i:\(v)"
    case .uint8(let v): return "i:\(v)"
    case .uint16(let v): return "i:\(v)"
    case .uint32(let v): return "i:\(v)"
    case .uint64(let v): return "i:\(v)"
    default: return "x:\(value)"
    }
}

/// A SQL literal for an id value.
func sqlLiteral(_ value: Scalar) -> String {
    switch value {
    case .utf8(let s): return quotedLiteral(s)
    case .int8(let v): return "\(v)"
    case .int16(let v): return "\(v)"
    case .int32(let v): return "\(v)"
    case .int64(let v): return "\(v)"
    case .uint8(let v): return "\(v)"
    case .uint16(let v): return "\(v)"
    case .uint32(let v): return "\(v)"
    case .uint64(let v): return "\(v)"
    default: return quotedLiteral("\(value)")
    }
}

/// A 128-bit content hash (two FNV-1a passes with different seeds) as 32 hex digits.
func contentHash(_ text: String) -> String {
    var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x8422_2325_cbf2_9ce4
    for byte in text.utf8 {
        a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
        b = (b ^ UInt64(byte)) &* 0x100_0000_01b3 &+ 0x9E37
    }
    func hex(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
    return hex(a) + hex(b)
}

extension Lakehouse {
    /// The embedding settings of `dataset`, or nil when it has none.
    public func embeddingSpec(_ dataset: String) throws -> EmbeddingSpec? {
        guard let info = try catalog.dataset(dataset) else { throw CatalogError(.notFound, "no dataset \(dataset)") }
        return EmbeddingSpec(info.embedding)
    }

    /// Embeds the text of `columns` of `dataset` with the lakehouse's embedder into the dataset
    /// `<dataset>__embeddings`, one row per chunk. Incremental: a row whose text (and id) is
    /// unchanged since the last call keeps its vectors; only new and changed rows are embedded,
    /// and vectors of rows no longer in the dataset are dropped. The embeddings are committed
    /// before the dataset's settings name them, so a reader never sees settings without vectors.
    ///
    /// - Parameters:
    ///   - columns: Text columns; when nil, the ones the dataset was embedded with before.
    ///   - id: The column naming a row: by default the dataset's one-column primary key, else a
    ///     column called `id` or `doc_id`.
    /// - Throws: ``LakehouseError`` `.invalidArgument` (unknown column, no id column),
    ///   `.embedderMismatch` (the vectors came from another embedder: re-embed with that one, or
    ///   drop `<dataset>__embeddings`); errors of the embedder and the catalog.
    @discardableResult
    public func embed(_ dataset: String, columns: [String]? = nil, id: String? = nil) async throws -> EmbedResult {
        guard let info = try catalog.dataset(dataset) else {
            throw CatalogError(.notFound, "no dataset \(dataset)")
        }
        let schema = try catalog.table(info.name).snapshot().schema
        let written = try await writeEmbeddings(of: info.name, info: info, schema: schema, columns: columns, id: id)
        try publish(written, dataset: info.name)
        return written.result
    }

    /// Names the embeddings in the dataset's entry when they are new or their settings changed.
    func publish(_ written: WrittenEmbeddings, dataset: String) throws {
        if written.previous != written.spec {
            let settings = written.spec.settings
            try catalog.updateDataset(dataset, operation: "SET EMBEDDING") { $0.embedding = settings }
        }
    }

    /// The embeddings a change leaves, committed to the embeddings table: the vectors of the rows
    /// the dataset holds, plus those of `pending` rows about to be committed to it (with
    /// `replacing`, a pending row replaces the row with the same id; without, a repeated id is an
    /// error). The caller commits the pending rows afterwards: until it does, their vectors
    /// match no row and search skips them, so a reader never sees rows without vectors.
    func writeEmbeddings(of name: String, info: DatasetInfo?, schema: Schema, columns: [String]?, id: String?,
                         pending: [RecordBatch] = [], replacing: Bool = false) async throws -> WrittenEmbeddings {
        let previous = info.flatMap { EmbeddingSpec($0.embedding) }
        func column(_ wanted: String) throws -> String {
            guard let field = schema.fields.first(where: { $0.name.lowercased() == wanted.lowercased() }) else {
                throw LakehouseError(.invalidArgument, "dataset \(name) has no column \(wanted); columns: \(schema.fields.map(\.name).joined(separator: ", "))")
            }
            return field.name
        }
        guard let wanted = columns ?? previous?.columns, !wanted.isEmpty else {
            throw LakehouseError(.invalidArgument, "name the text columns of \(name) to embed")
        }
        let textColumns = try wanted.map(column)
        let idColumn: String
        if let id { idColumn = try column(id) }
        else if let previous { idColumn = try column(previous.idColumn) }
        else if let key = info?.primaryKey, key.count == 1 { idColumn = try column(key[0]) }
        else if let field = schema.fields.first(where: { ["id", "doc_id"].contains($0.name.lowercased()) }) { idColumn = field.name }
        else {
            throw LakehouseError(.invalidArgument, "dataset \(name) has no primary key and no id column: name the column that identifies a row (--id)")
        }
        let identity = embedder.identity
        if let previous, previous.embedder != identity {
            throw LakehouseError(.embedderMismatch, "the vectors of \(name) were made by \(previous.embedder), the lakehouse embeds with \(identity); use that embedder, or drop \(previous.table) to embed again")
        }
        let table = previous?.table ?? "\(name)__embeddings"
        let spec = EmbeddingSpec(columns: textColumns, idColumn: idColumn, table: table, embedder: identity)

        // The documents: one text per row, the pending rows after the stored ones.
        let selected = [idColumn] + textColumns
        var parts: [RecordBatch] = []
        if info != nil {
            parts.append(try sql("SELECT \(selected.map(quotedIdentifier).joined(separator: ", ")) FROM \(quotedIdentifier(name))").batch)
        }
        for batch in pending where batch.count > 0 {
            let projected: [Column] = try selected.enumerated().map { (c, wantedName) in
                let type = parts.first?.schema.fields[c].dataType
                guard let index = batch.schema.fields.firstIndex(where: { $0.name.lowercased() == wantedName.lowercased() }) else {
                    return try Column.nulls(type ?? .utf8, count: batch.count)
                }
                let values = batch.columns[index]
                if let type, values.dataType != type { return try Kernels.cast(values, to: type) }
                return values
            }
            parts.append(try RecordBatch(schema: Schema(zip(selected, projected).map { Field($0, $1.dataType) }), columns: projected))
        }
        guard let firstPart = parts.first else {
            throw LakehouseError(.invalidArgument, "dataset \(name) has no rows to embed")
        }
        let source = parts.count == 1 ? firstPart
            : try RecordBatch(schema: firstPart.schema, columns: (0..<selected.count).map { c in try Kernels.concatenate(parts.map { $0.columns[c] }) })
        var documents: [(row: Int, key: String, hash: String, text: String)?] = []
        var position: [String: Int] = [:]
        for row in 0..<source.count {
            let idValue = source.columns[0].scalar(at: row)
            if case .null = idValue { continue }
            let key = scalarKey(idValue)
            var parts: [String] = []
            for c in 1..<source.columns.count {
                switch source.columns[c].scalar(at: row) {
                case .null: continue
                case .utf8(let text): if !text.isEmpty { parts.append(text) }
                case let other: parts.append(BatchPrinter.json(other))
                }
            }
            let text = parts.joined(separator: "\n")
            let document = text.isEmpty ? nil : (row, key, contentHash(text), text)
            if let earlier = position[key] {
                guard replacing else {
                    throw LakehouseError(.invalidArgument, "column \(idColumn) of \(name) is not unique (\(idValue) appears twice): name an id column with one value per row")
                }
                documents[earlier] = document
            } else {
                position[key] = documents.count
                documents.append(document)
            }
        }
        let current = documents.compactMap { $0 }

        // What is there already.
        var existing: RecordBatch?
        if try catalog.dataset(table) != nil {
            let batch = try sql("SELECT doc_id, chunk_no, chunk_text, content_hash, vector, embedder FROM \(quotedIdentifier(table))").batch
            if batch.count > 0, case .utf8(let made) = batch.columns[5].scalar(at: 0), made != identity.id {
                throw LakehouseError(.embedderMismatch, "the vectors of \(name) were made by \(made), the lakehouse embeds with \(identity); use that embedder, or drop \(table) to embed again")
            }
            if batch.schema.fields[0].dataType == source.schema.fields[0].dataType { existing = batch }
        }
        var keptRows: [UInt32] = []
        var keptDocs = Set<String>()
        var existingDocs = Set<String>()
        if let existing {
            let wantedHash = Dictionary(current.map { ($0.key, $0.hash) }, uniquingKeysWith: { a, _ in a })
            for row in 0..<existing.count {
                let key = scalarKey(existing.columns[0].scalar(at: row))
                existingDocs.insert(key)
                if case .utf8(let hash) = existing.columns[3].scalar(at: row), wantedHash[key] == hash {
                    keptRows.append(UInt32(row))
                    keptDocs.insert(key)
                }
            }
        }
        let changed = current.filter { !keptDocs.contains($0.key) }
        let removed = existingDocs.subtracting(current.map(\.key)).count

        if changed.isEmpty && removed == 0 && previous == spec, let existing, keptRows.count == existing.count {
            let version = try catalog.table(table).snapshot().version
            return WrittenEmbeddings(result: EmbedResult(dataset: name, table: table, embeddedRows: 0, embeddedChunks: 0, keptRows: keptDocs.count,
                                                         removedRows: 0, version: version),
                                     spec: spec, previous: previous)
        }

        // Embed the new and changed documents, chunk by chunk, in batches.
        var take: [UInt32] = [], chunkNumbers: [Int64] = [], chunkTexts: [String?] = [], hashes: [String?] = []
        for document in changed {
            for (k, piece) in semantic.chunker.chunks(document.text).enumerated() {
                take.append(UInt32(document.row))
                chunkNumbers.append(Int64(k))
                chunkTexts.append(piece)
                hashes.append(document.hash)
            }
        }
        var flat: [Float] = []
        flat.reserveCapacity(take.count * identity.dimension)
        var start = 0
        while start < chunkTexts.count {
            let end = min(start + 256, chunkTexts.count)
            let vectors = try await embedder.embed(chunkTexts[start..<end].map { $0 ?? "" })
            guard vectors.count == end - start else {
                throw LakehouseError(.invalidArgument, "the embedder returned \(vectors.count) vectors for \(end - start) texts")
            }
            for vector in vectors {
                guard vector.count == identity.dimension else {
                    throw LakehouseError(.embedderMismatch, "the embedder \(identity.id) returned a \(vector.count)-d vector, not \(identity.dimension)-d")
                }
                flat += vector
            }
            start = end
        }
        let dimension = identity.dimension
        let newColumns: [Column] = [
            try Kernels.take(source.columns[0], SelectionVector(indices: ValueBuffer(take))),
            .int64(PrimitiveColumn(chunkNumbers)),
            .utf8(BinaryColumn(chunkTexts)),
            .utf8(BinaryColumn(hashes)),
            .fixedSizeList(FixedSizeListColumn(size: dimension, values: ValueBuffer(flat))),
            .utf8(BinaryColumn([String?](repeating: identity.id, count: take.count))),
        ]
        let tableSchema = Schema([
            Field("doc_id", source.schema.fields[0].dataType), Field("chunk_no", .int64), Field("chunk_text", .utf8),
            Field("content_hash", .utf8), Field("vector", newColumns[4].dataType),
            Field("embedder", .utf8),
        ])
        var columns = newColumns
        if let existing, !keptRows.isEmpty {
            let selection = SelectionVector(indices: ValueBuffer(keptRows))
            columns = try (0..<6).map { c in
                let kept = try Kernels.take(existing.columns[c], selection)
                return try Kernels.concatenate([kept, try Kernels.cast(newColumns[c], to: kept.dataType)])
            }
        }
        let batch = try RecordBatch(schema: Schema(zip(tableSchema.fields, columns).map { Field($0.name, $1.dataType) }), columns: columns)
        try catalog.createDataset(table, rows: [batch], description: "chunk vectors of \(name) (\(textColumns.joined(separator: ", "))) by \(identity)",
                                  primaryKey: ["doc_id", "chunk_no"], replace: true)
        let version = try catalog.table(table).snapshot().version
        return WrittenEmbeddings(result: EmbedResult(dataset: name, table: table, embeddedRows: changed.count, embeddedChunks: take.count,
                                                     keptRows: keptDocs.count, removedRows: removed, version: version),
                                 spec: spec, previous: previous)
    }

    /// Reads a CSV or JSON file into dataset `name` and embeds the text of `embed` columns (see
    /// ``embed(_:columns:id:)``): only rows that are new or whose text changed are embedded.
    ///
    /// The file's rows are read and embedded before they are committed: the embeddings table
    /// commits first (holding the vectors of the rows to come, which match no row yet and so are
    /// never returned), then the rows in one commit. Delta commits one table at a time; in this
    /// order no reader ever sees rows without their vectors, and a crash in between leaves only
    /// unmatched vectors, dropped by the next embedding.
    @discardableResult
    public func ingest(_ file: String, into name: String, options: IngestOptions = IngestOptions(), embed columns: [String],
                       id: String? = nil) async throws -> (ingest: IngestResult, embed: EmbedResult) {
        let ingester = Ingester(catalog: catalog, options: options)
        let info = try catalog.dataset(name)
        if info != nil, let done = try ingester.alreadyIngested(file: file, into: name) {
            return (done, try await embed(name, columns: columns, id: id))
        }
        let stored = try info.map { try catalog.table($0.name).snapshot().schema }
        let (read, batches) = try ingester.read(file: file, existing: stored)
        var fields = stored?.fields ?? []
        for field in read.fields where !fields.contains(where: { $0.name.lowercased() == field.name.lowercased() }) { fields.append(field) }
        let written = try await writeEmbeddings(of: info?.name ?? name, info: info, schema: Schema(fields), columns: columns, id: id,
                                                pending: batches, replacing: false)
        let ingested = try ingester.ingest(file: file, into: name)
        try publish(written, dataset: ingested.dataset)
        return (ingested, written.result)
    }
}

/// Embeddings written by a change, and the settings to publish for them.
struct WrittenEmbeddings {
    var result: EmbedResult
    var spec: EmbeddingSpec
    var previous: EmbeddingSpec?
}
