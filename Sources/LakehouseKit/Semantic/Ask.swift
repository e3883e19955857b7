import Catalog
import ColumnarCore
import OllamaClient
import SQLPlanner
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How ``Lakehouse/ask(_:in:options:)`` works.
public struct AskOptions: Sendable {
    /// Rows retrieved by meaning and shown to the model.
    public var k = 8
    /// The model (default: ``SemanticOptions/chatModel``, `qwen2.5`).
    public var model: String?
    /// Whether to also have the model write a SQL query for the question (checked by
    /// SQLPlanner, run read-only, and shown with its result).
    public var sql = true
    /// Rows of the SQL result shown to the model.
    public var sqlRows = 50
    public var temperature = 0.0
    public var seed = 42

    public init() {}
}

/// A row the answer rests on.
public struct Citation: Sendable, Hashable {
    public var dataset: String
    /// The row's id, as text.
    public var id: String
    public var score: Float
    /// The chunk of the row's text that was shown to the model.
    public var chunk: String
    /// How the answer cites it: `[dataset#id]`.
    public var tag: String { "[\(dataset)#\(id)]" }
}

/// The answer to a question, with where it came from.
public struct Answer: Sendable {
    public var question: String
    /// The model's answer.
    public var text: String
    /// The retrieved rows the answer cites, in order of first citation.
    public var citations: [Citation]
    /// Every row shown to the model.
    public var retrieved: [Citation]
    /// Tags in the answer that name no retrieved row (a model inventing sources).
    public var unknownCitations: [String]
    /// The SQL the model wrote, after SQLPlanner accepted it as one read-only query.
    public var sql: String?
    /// Its result.
    public var sqlResult: RecordBatch?
    /// Why there is no SQL result: the model's query was refused or failed (twice).
    public var sqlError: String?
    /// The prompt the answer was generated from.
    public var prompt: String
    public var model: String
}

extension Lakehouse {
    /// Answers a question from the data with a local LLM (Ollama, `qwen2.5` by default):
    ///
    /// 1. **NL→SQL**: the model sees the datasets' schemas and writes one SQL query; SQLPlanner
    ///    parses it, only a single read-only query is accepted, and it runs (a failing query is
    ///    sent back once with the error for a correction).
    /// 2. **RAG**: the rows nearest the question in meaning are retrieved from every embedded
    ///    dataset (or those named), each tagged `[dataset#id]`.
    /// 3. The model answers from those rows and the SQL result, citing the tags; the citations
    ///    are matched back to the retrieved rows.
    ///
    /// - Throws: `OllamaError` (`.serverNotRunning`, `.modelNotFound` say what to run),
    ///   ``LakehouseError``, catalog errors.
    public func ask(_ question: String, in datasets: [String]? = nil, options: AskOptions = AskOptions()) async throws -> Answer {
        let ownClient = ollama == nil
        let client = ollama ?? OllamaClient()
        defer { if ownClient { Task { try? await client.shutdown() } } }
        let model = options.model ?? semantic.chatModel
        let all = try catalog.datasets().filter { !$0.name.hasSuffix("__embeddings") }
        let chosen = try datasets.map { names in
            try names.map { name throws -> DatasetInfo in
                guard let info = all.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                    throw CatalogError(.notFound, "no dataset \(name); datasets: \(all.map(\.name).joined(separator: ", "))")
                }
                return info
            }
        } ?? all

        // 1. NL→SQL.
        var sqlText: String?
        var sqlResult: RecordBatch?
        var sqlError: String?
        if options.sql, !chosen.isEmpty {
            var messages: [ChatMessage] = [.system(try sqlSystemPrompt(chosen)), .user(question)]
            for attempt in 0..<2 {
                let reply = try await client.chatText(ChatRequest(
                    model: model, messages: messages, format: .schema(Self.sqlReplySchema),
                    options: ModelOptions(temperature: options.temperature, seed: options.seed)))
                guard let candidate = Self.extractSQL(reply.message.content) else {
                    sqlError = "the model wrote no SQL"
                    break
                }
                if candidate.isEmpty { break }    // the model says SQL cannot answer it
                do {
                    try Self.validateReadOnly(candidate)
                    sqlResult = try session().execute(candidate)
                    sqlText = candidate
                    sqlError = nil
                    break
                } catch {
                    sqlText = nil
                    sqlError = "\(error)"
                    guard attempt == 0 else { break }
                    messages.append(.assistant(reply.message.content))
                    messages.append(.user("That query failed: \(error)\nReply with a corrected query (one read-only SELECT)."))
                }
            }
        }

        // 2. Retrieval from the embedded datasets.
        var retrieved: [Citation] = []
        for info in chosen where EmbeddingSpec(info.embedding) != nil {
            let results = try await search(question, in: info.name, k: options.k)
            for hit in results.hits {
                retrieved.append(Citation(dataset: info.name, id: Self.idText(hit.id), score: hit.score, chunk: hit.chunk))
            }
        }
        retrieved.sort { $0.score > $1.score }
        retrieved = Array(retrieved.prefix(options.k))

        // 3. The answer.
        var prompt = "Question: \(question)\n\n"
        if retrieved.isEmpty {
            prompt += "Rows: none were found by meaning.\n"
        } else {
            prompt += "Rows (most relevant first; cite them by their tag):\n"
            for citation in retrieved { prompt += "\(citation.tag) \(citation.chunk.replacingNewlines())\n" }
        }
        if let sqlText, let sqlResult {
            prompt += "\nSQL query over the data:\n\(sqlText)\nIts result (\(sqlResult.count) rows):\n"
            prompt += BatchPrinter.csv([sqlResult.slice(0..<min(sqlResult.count, options.sqlRows))])
            if sqlResult.count > options.sqlRows { prompt += "… (\(sqlResult.count - options.sqlRows) more rows)\n" }
        }
        let system = """
            You answer questions about the user's own data. Use only the rows and the SQL result given; \
            do not invent facts. After each statement that rests on a row, cite the row by its tag in square \
            brackets exactly as given, e.g. [people#42]. If the data does not answer the question, say so.
            """
        let reply = try await client.chatText(ChatRequest(
            model: model, messages: [.system(system), .user(prompt)],
            options: ModelOptions(temperature: options.temperature, seed: options.seed)))
        let text = reply.message.content
        var citations: [Citation] = [], unknown: [String] = []
        for tag in Self.citationTags(in: text) {
            if let citation = retrieved.first(where: { $0.tag == tag }) {
                if !citations.contains(citation) { citations.append(citation) }
            } else if !unknown.contains(tag) {
                unknown.append(tag)
            }
        }
        return Answer(question: question, text: text, citations: citations, retrieved: retrieved, unknownCitations: unknown,
                      sql: sqlText, sqlResult: sqlResult, sqlError: sqlError, prompt: prompt, model: model)
    }

    static let sqlReplySchema: OllamaJSON = .object([
        "type": .string("object"),
        "properties": .object(["sql": .object(["type": .string("string")])]),
        "required": .array([.string("sql")]),
    ])

    func sqlSystemPrompt(_ datasets: [DatasetInfo]) throws -> String {
        var text = """
            You translate questions into one SQL query (DuckDB/PostgreSQL dialect: SELECT, WHERE, GROUP BY, ORDER BY, \
            LIMIT, JOIN, ILIKE) over these tables. Reply with JSON {"sql": "..."}; use "" when the question cannot be \
            answered with SQL over them. Only read: no INSERT, UPDATE, DELETE, CREATE or DROP.

            Tables:

            """
        for info in datasets {
            let schema = try catalog.table(info.name).snapshot().schema
            let columns = schema.fields.prefix(60).map { "\($0.name) \($0.dataType)" }.joined(separator: ", ")
            text += "\(quotedIdentifier(info.name))(\(columns))"
            if let description = info.description { text += " -- \(description)" }
            text += "\n"
        }
        return text
    }

    /// The `sql` of a reply `{"sql": "..."}` (or the reply itself when it is bare SQL), without
    /// code fences and a trailing semicolon; nil when there is none.
    static func extractSQL(_ reply: String) -> String? {
        var text = reply.trimmingWhitespace()
        if let data = text.data(using: .utf8), let object = try? JSONDecoder().decode([String: OllamaJSON].self, from: data) {
            guard let sql = object["sql"]?.stringValue else { return nil }
            text = sql
        }
        text = text.trimmingWhitespace()
        if text.hasPrefix("```") {
            text = String(text.drop { $0 != "\n" })
            text = text.trimmingWhitespace()
            if text.hasSuffix("```") { text = String(text.dropLast(3)) }
        }
        text = text.trimmingWhitespace()
        while text.hasSuffix(";") { text = String(text.dropLast()).trimmingWhitespace() }
        return text
    }

    /// Refuses anything but one query: SQLPlanner parses the text, and only a single `SELECT`,
    /// `WITH … SELECT` or `VALUES` statement passes.
    ///
    /// - Throws: ``SQLError`` for text that does not parse; ``LakehouseError`` `.unsafeSQL` for
    ///   several statements or one that writes, creates or drops.
    public static func validateReadOnly(_ sql: String) throws {
        let statements = try SQLParser.parse(sql)
        guard statements.count == 1 else {
            throw LakehouseError(.unsafeSQL, "expected one query, got \(statements.count) statements")
        }
        guard case .query = statements[0] else {
            throw LakehouseError(.unsafeSQL, "only a read-only query is run, not: \(sql.prefix(80))")
        }
    }

    /// `[dataset#id]` tags, in order.
    static func citationTags(in text: String) -> [String] {
        var tags: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "[") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "]") else { break }
            let inside = after[..<close]
            // "[a#1, b#2]" cites two rows.
            for part in inside.split(separator: ",") {
                let tag = part.trimmingWhitespace()
                if tag.contains("#"), !tag.hasPrefix("#") { tags.append("[\(tag)]") }
            }
            rest = after[after.index(after: close)...]
        }
        return tags
    }

    static func idText(_ value: Scalar) -> String {
        if case .utf8(let s) = value { return s }
        return BatchPrinter.json(value)
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let first = s.first, first.isWhitespace { s = s.dropFirst() }
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    func replacingNewlines() -> String {
        String(map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
