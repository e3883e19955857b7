import Foundation
import LakehouseKit
import OllamaClient
import OllamaTestSupport
import Testing

/// Semantic search and `ask` end to end against the fake Ollama server: the candidates of
/// `TestData/semantic/candidates.csv` are embedded through `/api/embed` (the fake turns texts
/// into the built-in embedder's vectors, so neighbours mean something) and questions go through
/// `/api/chat` (the fake answers the SQL request with its `jsonReply` and the final prompt with a
/// scripted reply).
@Suite("ask and Ollama-backed semantic search against the fake server", .timeLimit(.minutes(10)))
struct AskTests {
    // Hand-listed from the CSV: the Chicago rows (1, 4, 5, 8, 14, 19) sorted by name.
    static let chicagoNames = ["Ana Ruiz", "Dana Holt", "Elif Kaya", "Hana Sato", "Nia Brown", "Sam Cole"]
    static let chicagoSQL = "SELECT name FROM candidates WHERE city = 'Chicago' ORDER BY name"
    static let question = "Who could lead our Kubernetes migration?"
    /// What the fake answers to the final prompt: two real rows and one invented source.
    static let answerText = "Chen Wei led one [candidates#3]; Hana Sato migrated workloads to EKS [candidates#8], "
        + "as did Zed [made#99]. Chen Wei again [candidates#3]."

    // MARK: 1. The whole flow

    @Test("ingest embeds through Ollama, hybrid search ranks by meaning, ask joins SQL and cited rows")
    func endToEnd() async throws {
        try await withAskLake(jsonReply: Self.sqlReply(Self.chicagoSQL)) { server, lake in
            // Ingest embedded the 20 bios (one short chunk each) in one /api/embed request.
            let ingestEmbeds = server.requests(to: "/api/embed")
            #expect(ingestEmbeds.count == 1)
            let ingestBody = try #require(ingestEmbeds.first?.body)
            // OllamaEmbedder adds the `:latest` tag to a model named without one.
            #expect(ingestBody["model"]?.string == "nomic-embed-text:latest")
            #expect(ingestBody["input"]?.array?.count == 20)
            #expect(ingestBody["input"]?.array?.first?.string?.hasPrefix("Builds React and TypeScript") == true)
            #expect(ingestBody["dimensions"]?.int == 384)
            #expect(ingestBody["truncate"]?.bool == false)

            let embeddings = try lake.sql("SELECT count(DISTINCT doc_id), count(*), min(embedder), max(embedder) FROM candidates__embeddings").batch
            #expect(embeddings.columns[0].scalar(at: 0) == .int64(20))
            #expect(embeddings.columns[1].scalar(at: 0) == .int64(20))
            #expect(embeddings.columns[2].scalar(at: 0) == .utf8("ollama:nomic-embed-text:latest"))
            #expect(embeddings.columns[3].scalar(at: 0) == .utf8("ollama:nomic-embed-text:latest"))

            // Hybrid search: the query is embedded through the fake too.
            let java = try await lake.search("Java developer", in: "candidates", where: "city = 'Chicago'", k: 3)
            #expect(ids(java).first == 5)           // Elif Kaya, the only Java developer in Chicago
            #expect(java.hits.allSatisfy { $0.row["city"] == .utf8("Chicago") })
            let embeds = server.requests(to: "/api/embed")
            #expect(embeds.count == 2)
            #expect(embeds.last?.body?["input"] == ["Java developer"])
            #expect(embeds.allSatisfy { $0.body?["model"]?.string == "nomic-embed-text:latest" })

            // ask.
            let answer = try await lake.ask(Self.question)
            #expect(answer.question == Self.question)
            #expect(answer.model == "qwen2.5")
            #expect(answer.text == Self.answerText)
            #expect(answer.sql == Self.chicagoSQL)
            #expect(answer.sqlError == nil)
            let result = try #require(answer.sqlResult)
            #expect(result.schema.fields.map(\.name) == ["name"])
            #expect((0..<result.count).map { result.columns[0].scalar(at: $0) } == Self.chicagoNames.map { .utf8($0) })

            // Retrieval: k = 8 rows, best first, the three Kubernetes people on top.
            #expect(answer.retrieved.count == 8)
            #expect(answer.retrieved.map(\.score) == answer.retrieved.map(\.score).sorted(by: >))
            #expect(Set(answer.retrieved.prefix(3).map(\.id)) == ["3", "8", "15"])
            #expect(answer.retrieved.allSatisfy { $0.dataset == "candidates" })

            // Citations: the retrieved rows the answer names, in order of first citation, once each.
            let three = try #require(answer.retrieved.first { $0.id == "3" })
            let eight = try #require(answer.retrieved.first { $0.id == "8" })
            #expect(answer.citations == [three, eight])
            #expect(answer.citations.map(\.tag) == ["[candidates#3]", "[candidates#8]"])
            #expect(three.chunk == "Led the Kubernetes migration of forty services from virtual machines, wrote Helm charts and Terraform modules.")
            #expect(answer.unknownCitations == ["[made#99]"])

            // The prompt: the question, every retrieved row by its tag, the SQL and its result as CSV.
            #expect(answer.prompt.hasPrefix("Question: \(Self.question)\n\n"))
            #expect(answer.prompt.contains("Rows (most relevant first; cite them by their tag):\n"))
            for citation in answer.retrieved {
                #expect(answer.prompt.contains("\(citation.tag) \(citation.chunk)\n"))
            }
            #expect(answer.prompt.contains("[candidates#3] Led the Kubernetes migration of forty services"))
            let table = "name\n" + Self.chicagoNames.map { $0 + "\n" }.joined()
            #expect(answer.prompt.contains("SQL query over the data:\n\(Self.chicagoSQL)\nIts result (6 rows):\n" + table))

            // What went over the wire: SQL with the schema format, then the answer without one.
            let chats = server.requests(to: "/api/chat")
            #expect(chats.count == 2)
            for chat in chats {
                #expect(chat.body?["model"]?.string == "qwen2.5")
                #expect(chat.body?["options"]?["temperature"]?.number == 0)
                #expect(chat.body?["options"]?["seed"]?.int == 42)
            }
            let sqlRequest = try #require(chats.first?.body)
            #expect(sqlRequest["format"]?["type"]?.string == "object")
            #expect(sqlRequest["format"]?["required"] == ["sql"])
            #expect(sqlRequest["format"]?["properties"]?["sql"]?["type"]?.string == "string")
            let sqlMessages = try #require(sqlRequest["messages"]?.array)
            #expect(sqlMessages.map { $0["role"]?.string } == ["system", "user"])
            #expect(sqlMessages[1]["content"]?.string == Self.question)
            #expect(sqlMessages[0]["content"]?.string?.contains("\"candidates\"(id ") == true)
            let answerRequest = try #require(chats.last?.body)
            #expect(answerRequest["format"] == nil || answerRequest["format"] == .null)
            let answerMessages = try #require(answerRequest["messages"]?.array)
            #expect(answerMessages.map { $0["role"]?.string } == ["system", "user"])
            #expect(answerMessages.last?["content"]?.string == answer.prompt)
            // Retrieval embedded the question.
            #expect(server.requests(to: "/api/embed").last?.body?["input"] == [.string(Self.question)])
        }
    }

    // MARK: 2. Unsafe SQL

    @Test("SQL that writes, drops or has several statements is refused, and the data is untouched", arguments: [
        ("DROP TABLE candidates", "DROP TABLE candidates"),
        ("SELECT name FROM candidates; DROP TABLE candidates", "2 statements"),
        ("SELECT 1; SELECT 2", "2 statements"),
        ("CREATE TABLE stolen AS SELECT * FROM candidates", "CREATE TABLE stolen"),
        ("INSERT INTO candidates SELECT * FROM candidates", "INSERT INTO candidates"),
        ("DELETE FROM candidates", "DELETE FROM candidates"),
    ])
    func unsafeSQL(sql: String, mentioned: String) async throws {
        try await withAskLake(jsonReply: Self.sqlReply(sql)) { server, lake in
            let answer = try await lake.ask(Self.question)
            #expect(answer.sql == nil)
            #expect(answer.sqlResult == nil)
            let error = try #require(answer.sqlError)
            #expect(error.contains("unsafe SQL"))
            #expect(error.contains(mentioned))
            #expect(!answer.prompt.contains("SQL query over the data"))
            // The answer is still produced from the retrieved rows.
            #expect(answer.text == Self.answerText)
            #expect(answer.citations.map(\.tag) == ["[candidates#3]", "[candidates#8]"])
            // Refused like a failing query: sent back once for a correction, then given up.
            let chats = server.requests(to: "/api/chat")
            #expect(chats.count == 3)
            let retry = chats.count > 1 ? chats[1].body?["messages"]?.array?.last?["content"]?.string ?? "" : ""
            #expect(retry.hasPrefix("That query failed: unsafe SQL"))
            // Nothing was run.
            let rows = try lake.sql("SELECT count(*) FROM candidates").batch
            #expect(rows.columns[0].scalar(at: 0) == .int64(20))
            #expect(try lake.catalog.dataset("candidates") != nil)
            #expect(try lake.catalog.dataset("stolen") == nil)
        }
    }

    // MARK: 3. A failing query is retried once

    @Test("a query naming an unknown column is sent back once with the error, then given up")
    func retryThenGiveUp() async throws {
        let wrong = "SELECT salary FROM candidates"
        try await withAskLake(jsonReply: Self.sqlReply(wrong)) { server, lake in
            let answer = try await lake.ask(Self.question)
            #expect(answer.sql == nil)
            #expect(answer.sqlResult == nil)
            let error = try #require(answer.sqlError)
            #expect(error.contains("unknown name") && error.contains("salary"))
            #expect(answer.text == Self.answerText)

            let chats = server.requests(to: "/api/chat")
            #expect(chats.count == 3)                   // two SQL attempts, then the answer
            guard chats.count == 3 else { return }
            #expect(chats[0].body?["format"]?["type"]?.string == "object")
            #expect(chats[1].body?["format"]?["type"]?.string == "object")
            #expect(chats[2].body?["format"] == nil || chats[2].body?["format"] == .null)
            // The second attempt: the conversation so far, the model's query, and the error.
            let messages = try #require(chats[1].body?["messages"]?.array)
            #expect(messages.map { $0["role"]?.string } == ["system", "user", "assistant", "user"])
            #expect(messages[1]["content"]?.string == Self.question)
            #expect(messages[2]["content"]?.string == Self.sqlReply(wrong))
            let correction = try #require(messages[3]["content"]?.string)
            #expect(correction.hasPrefix("That query failed: "))
            #expect(correction.contains("salary"))
            #expect(correction.contains(error))         // the same query failed the same way twice
            #expect(correction.hasSuffix("Reply with a corrected query (one read-only SELECT)."))
        }
    }

    @Test("a corrected query on the second attempt is used")
    func retryThenSucceed() async throws {
        let corrected = "SELECT count(*) AS n FROM candidates WHERE city = 'Chicago'"
        try await withAskLake(
            jsonReply: Self.sqlReply("SELECT salary FROM candidates"),
            extraReplies: [.init(whenContains: "That query failed", reply: Self.sqlReply(corrected))]
        ) { server, lake in
            let answer = try await lake.ask(Self.question)
            #expect(answer.sql == corrected)
            #expect(answer.sqlError == nil)
            let result = try #require(answer.sqlResult)
            #expect(result.count == 1 && result.columns[0].scalar(at: 0) == .int64(6))
            #expect(answer.prompt.contains("SQL query over the data:\n\(corrected)\nIts result (1 rows):\nn\n6\n"))
            #expect(server.requests(to: "/api/chat").count == 3)
        }
    }

    // MARK: 4. No SQL

    @Test("an empty query means SQL cannot answer: no SQL, no error, the answer comes from the rows")
    func noSQL() async throws {
        try await withAskLake(jsonReply: #"{"sql":""}"#) { server, lake in
            let answer = try await lake.ask(Self.question)
            #expect(answer.sql == nil)
            #expect(answer.sqlResult == nil)
            #expect(answer.sqlError == nil)
            #expect(!answer.prompt.contains("SQL query over the data"))
            #expect(answer.text == Self.answerText)
            #expect(answer.citations.map(\.tag) == ["[candidates#3]", "[candidates#8]"])
            #expect(answer.unknownCitations == ["[made#99]"])
            #expect(server.requests(to: "/api/chat").count == 2)   // no retry for an empty query

            // With `sql = false` the model is not asked for SQL at all.
            server.reset()
            var options = AskOptions()
            options.sql = false
            let rowsOnly = try await lake.ask(Self.question, options: options)
            #expect(rowsOnly.sql == nil && rowsOnly.sqlError == nil)
            let chats = server.requests(to: "/api/chat")
            #expect(chats.count == 1)
            #expect(chats.first?.body?["format"] == nil || chats.first?.body?["format"] == .null)
            #expect(rowsOnly.citations.map(\.tag) == ["[candidates#3]", "[candidates#8]"])
        }
    }

    // MARK: 5. No server

    @Test("without an Ollama server, ask throws serverNotRunning with what to run")
    func serverNotRunning() async throws {
        let port = try await FakeOllamaServer.unusedPort()
        let client = OllamaClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!, configuration: Self.clientConfiguration)
        // The rows are embedded by the built-in embedder; only the chat needs the server.
        let fixture: CandidateLake
        do {
            fixture = try await CandidateLake(ollama: client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        await #expect {
            _ = try await fixture.lake.ask(Self.question)
        } throws: { error in
            guard let error = error as? OllamaError else { return false }
            return error.code == .serverNotRunning && error.message.contains("ollama serve")
                && error.endpoint == "/api/chat"
        }
        fixture.remove()
        try await client.shutdown()
    }

    // MARK: 6. vector_search in SQL with the Ollama embedder

    @Test("vector_search runs through sql(embedding:) with the Ollama embedder; plain sql says to use it")
    func vectorSearchSQL() async throws {
        try await withAskLake(jsonReply: #"{"sql":""}"#) { server, lake in
            let statement = "SELECT doc_id FROM vector_search('candidates','Kubernetes migration',3)"
            let before = server.requests(to: "/api/embed").count
            let rows = try await lake.sql(embedding: statement).batch
            #expect(rows.count == 3)
            #expect(Set((0..<rows.count).map { rows.columns[0].scalar(at: $0) }) == [.int64(3), .int64(8), .int64(15)])
            let embeds = server.requests(to: "/api/embed")
            #expect(embeds.count == before + 1)
            #expect(embeds.last?.body?["input"] == ["Kubernetes migration"])

            // The same text again needs no new request.
            let again = try await lake.sql(embedding: statement).batch
            #expect(again.count == 3)
            #expect(server.requests(to: "/api/embed").count == before + 1)

            // Plain sql cannot embed a new query text (SQL runs synchronously): a clear error.
            let error = #expect(throws: SQLError.self) {
                try lake.sql("SELECT doc_id FROM vector_search('candidates','Java developer',3)")
            }
            #expect(error?.description.contains("sql(embedding:") == true)
            #expect(error?.description.contains("ollama:nomic-embed-text:latest") == true)
            #expect(server.requests(to: "/api/embed").count == before + 1)
        }
    }

    // MARK: 7. validateReadOnly

    @Test("validateReadOnly accepts one query", arguments: [
        "SELECT name FROM candidates WHERE city = 'Chicago'",
        "WITH c AS (SELECT name, city FROM candidates) SELECT name FROM c WHERE city = 'Austin'",
        "select 1",
        "VALUES (1, 'a'), (2, 'b')",
    ])
    func acceptsQueries(sql: String) throws {
        try Lakehouse.validateReadOnly(sql)
    }

    @Test("validateReadOnly refuses writes, drops and several statements with unsafeSQL", arguments: [
        "INSERT INTO candidates VALUES (21, 'X', 'Y', 1, 'Z', 'bio')",
        "DROP TABLE candidates",
        "SELECT 1; SELECT 2",
        "SELECT name FROM candidates; DROP TABLE candidates",
        "UPDATE candidates SET city = 'Paris'",
        "DELETE FROM candidates",
        "CREATE TABLE t AS SELECT * FROM candidates",
        "EXPLAIN SELECT 1",
    ])
    func refusesOthers(sql: String) {
        #expect { try Lakehouse.validateReadOnly(sql) } throws: { ($0 as? LakehouseError)?.code == .unsafeSQL }
    }

    @Test("validateReadOnly reports text that does not parse as an SQL syntax error")
    func refusesGarbage() {
        #expect(throws: SQLError.self) { try Lakehouse.validateReadOnly("SELEC name FROM candidates") }
    }

    // MARK: Helpers

    /// `{"sql": "<sql>"}` as the model would write it.
    static func sqlReply(_ sql: String) -> String {
        FakeJSON.object(["sql": .string(sql)]).serialized
    }

    /// Generous limits: the full suite runs CPU-heavy tests beside these, and these are not about timeouts.
    static var clientConfiguration: OllamaClient.Configuration {
        var configuration = OllamaClient.Configuration()
        configuration.retryBaseDelay = .milliseconds(10)
        configuration.connectTimeout = .seconds(60)
        configuration.firstByteTimeout = .seconds(300)
        configuration.idleTimeout = .seconds(300)
        return configuration
    }

    /// A fake server (`nomic-embed-text` giving the built-in embedder's vectors, chat model
    /// `qwen2.5` answering SQL requests with `jsonReply` and the final prompt with ``answerText``),
    /// a client, and the candidates ingested and embedded through it; all cleaned up afterwards.
    func withAskLake(
        jsonReply: String, extraReplies: [FakeOllamaServer.ScriptedReply] = [],
        _ body: (FakeOllamaServer, Lakehouse) async throws -> Void
    ) async throws {
        let server = try await FakeOllamaServer.start(configuration: .init(
            embeddingModels: ["nomic-embed-text": 384],
            chatModels: ["qwen2.5"],
            embedding: .custom { BuiltinEmbedder().vector(for: $0) },
            replies: extraReplies + [.init(whenContains: "Rows (most relevant", reply: Self.answerText)],
            jsonReply: jsonReply))
        let client = OllamaClient(baseURL: server.baseURL, configuration: Self.clientConfiguration)
        var fixture: CandidateLake?
        do {
            let embedder = OllamaEmbedder(client: client, model: "nomic-embed-text", dimension: 384)
            fixture = try await CandidateLake(embedder: embedder, ollama: client)
            try await body(server, fixture!.lake)
        } catch {
            fixture?.remove()
            try? await client.shutdown()
            try? await server.stop()
            throw error
        }
        fixture?.remove()
        try await client.shutdown()
        try await server.stop()
    }
}
