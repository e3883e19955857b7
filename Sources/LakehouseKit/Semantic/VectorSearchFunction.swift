import ColumnarCore
import OllamaClient
import SQLPlanner
import Synchronization

/// `vector_search('dataset', 'query text', k [, 'SQL predicate'])` in FROM: the `k` rows of the
/// dataset nearest in meaning to the text, as `(doc_id, score, rank, chunk_no, chunk_text)`,
/// to join with anything:
///
/// ```sql
/// SELECT c.name, c.city, v.score
/// FROM vector_search('candidates', 'kubernetes migration', 10, 'city = ''Chicago''') v
/// JOIN candidates c ON c.id = v.doc_id
/// ORDER BY v.score DESC
/// ```
///
/// The query text is embedded by the lakehouse's embedder. SQL runs synchronously, so with an
/// embedder that needs the network (Ollama) the text must be embedded before the statement runs:
/// ``Lakehouse/sql(embedding:)`` does that.
struct VectorSearchFunction: SQLTableFunction {
    let lakehouse: Lakehouse

    func table(arguments: [Scalar]) throws(SQLError) -> any SQLTableProvider {
        let usage = "vector_search takes ('dataset', 'query text', k) and optionally a SQL predicate as a fourth text argument"
        guard (3...4).contains(arguments.count), case .utf8(let dataset) = arguments[0], case .utf8(let text) = arguments[1] else {
            throw SQLError(.typeMismatch, usage)
        }
        let k: Int
        switch arguments[2] {
        case .int64(let v): k = Int(v)
        case .int32(let v): k = Int(v)
        default: throw SQLError(.typeMismatch, usage)
        }
        var predicate: String?
        if arguments.count == 4 {
            guard case .utf8(let p) = arguments[3] else { throw SQLError(.typeMismatch, usage) }
            predicate = p
        }
        do {
            let spec = try lakehouse.searchSpec(dataset)
            let vector = try lakehouse.synchronousQueryVector(text, spec: spec)
            let results = try lakehouse.search(vector: vector, in: dataset, where: predicate, k: k)
            let hits = results.hits
            guard let idType = results.batch.schema.fields.first(where: { $0.name.lowercased() == spec.idColumn.lowercased() })?.dataType else {
                throw SQLError(.runtime, "vector_search: dataset \(dataset) has no column \(spec.idColumn)")
            }
            let idColumn = results.batch.columns[results.batch.schema.fields.firstIndex { $0.name.lowercased() == spec.idColumn.lowercased() }!]
            let schema = Schema([Field("doc_id", idType), Field("score", .float64), Field("rank", .int64), Field("chunk_no", .int64), Field("chunk_text", .utf8)])
            let batch = try RecordBatch(schema: schema, columns: [
                idColumn,
                .float64(PrimitiveColumn(hits.map { Double($0.score) })),
                .int64(PrimitiveColumn((0..<hits.count).map { Int64($0 + 1) })),
                .int64(PrimitiveColumn(hits.map { Int64($0.chunkNumber) })),
                .utf8(BinaryColumn(hits.map { Optional($0.chunk) })),
            ])
            return MemoryTable(schema: schema, batches: [batch])
        } catch let error as SQLError {
            throw error
        } catch {
            throw SQLError(.runtime, "vector_search: \(error)")
        }
    }
}

extension Lakehouse {
    /// The query's vector without suspending: the built-in embedder computes it; another one must
    /// have embedded it already (``sql(embedding:)``).
    func synchronousQueryVector(_ text: String, spec: EmbeddingSpec) throws -> [Float] {
        if let builtin = embedder as? BuiltinEmbedder { return builtin.vector(for: text) }
        if let vector = prefetchedQueries.withLock({ $0[embedder.identity.id + "\u{0}" + text] }) { return vector }
        throw LakehouseError(.invalidArgument, "vector_search with the \(embedder.identity.id) embedder needs the query embedded first: run the statement with `try await lake.sql(embedding: ...)` (the CLI does)")
    }

    /// Runs SQL like ``sql(_:)``, first embedding the query texts of its `vector_search(...)`
    /// calls with the lakehouse's embedder (which may need the network).
    @discardableResult
    public func sql(embedding text: String) async throws -> QueryResult {
        let texts = vectorSearchTexts(in: text)
        if !texts.isEmpty, !(embedder is BuiltinEmbedder) {
            let missing = texts.filter { t in prefetchedQueries.withLock { $0[embedder.identity.id + "\u{0}" + t] == nil } }
            if !missing.isEmpty {
                let vectors = try await embedder.embed(missing)
                prefetchedQueries.withLock { cache in
                    if cache.count > 1024 { cache.removeAll() }
                    for (t, v) in zip(missing, vectors) { cache[embedder.identity.id + "\u{0}" + t] = v }
                }
            }
        }
        return try sql(text)
    }
}

/// The second (query text) argument of every `vector_search('…', '…'` call in `sql`: a scan of
/// the tokens that skips comments, quoted identifiers and other strings.
func vectorSearchTexts(in sql: String) -> [String] {
    let bytes = Array(sql.utf8)
    var tokens: [(isString: Bool, text: String)] = []
    var i = 0
    while i < bytes.count {
        let b = bytes[i]
        if b == UInt8(ascii: "-"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "-") {
            while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
        } else if b == UInt8(ascii: "/"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "*") {
            i += 2
            while i + 1 < bytes.count, !(bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/")) { i += 1 }
            i += 2
        } else if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
            var value: [UInt8] = []
            i += 1
            while i < bytes.count {
                if bytes[i] == b {
                    if i + 1 < bytes.count, bytes[i + 1] == b { value.append(b); i += 2; continue }
                    break
                }
                value.append(bytes[i])
                i += 1
            }
            i += 1
            tokens.append((b == UInt8(ascii: "'"), b == UInt8(ascii: "'") ? String(decoding: value, as: UTF8.self) : "\"ident"))
        } else if b == UInt8(ascii: "_") || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) {
            let start = i
            while i < bytes.count, bytes[i] == UInt8(ascii: "_") || (bytes[i] | 0x20 >= UInt8(ascii: "a") && bytes[i] | 0x20 <= UInt8(ascii: "z")) || (bytes[i] >= 0x30 && bytes[i] <= 0x39) { i += 1 }
            tokens.append((false, String(decoding: bytes[start..<i], as: UTF8.self).lowercased()))
        } else if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D {
            i += 1
        } else {
            tokens.append((false, String(UnicodeScalar(b))))
            i += 1
        }
    }
    var texts: [String] = []
    for t in 0..<tokens.count where !tokens[t].isString && tokens[t].text == "vector_search" {
        if t + 5 < tokens.count, tokens[t + 1].text == "(", tokens[t + 2].isString, tokens[t + 3].text == ",", tokens[t + 4].isString {
            texts.append(tokens[t + 4].text)
        }
    }
    return texts
}
