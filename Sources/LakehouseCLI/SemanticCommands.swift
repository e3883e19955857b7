import ArgumentParser
import Foundation
import LakehouseKit
import OllamaClient

/// `--embedder builtin|ollama`, `--ollama-url`, `--embed-model`: which embedder turns text into
/// vectors (the built-in one works offline; Ollama's `nomic-embed-text` needs `ollama serve`).
struct EmbedderOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable { case builtin, ollama }

    @Option(name: .long, help: "builtin (offline, default) or ollama.")
    var embedder: Kind = .builtin
    @Option(name: .long, help: "The Ollama server (default: $OLLAMA_HOST, else http://127.0.0.1:11434).")
    var ollamaURL: String?
    @Option(name: .long, help: "The Ollama embedding model.")
    var embedModel: String = "nomic-embed-text"

    func client() -> OllamaClient {
        if let ollamaURL {
            return OllamaClient(baseURL: OllamaClient.baseURL(fromHostEnvironment: ollamaURL))
        }
        return OllamaClient()
    }

    /// The lakehouse at `root` with the chosen embedder and an Ollama client for `ask`.
    func open(_ root: RootOption, semantic: SemanticOptions = SemanticOptions()) async -> (Lakehouse, OllamaClient) {
        let client = client()
        do {
            let chosen: any Embedder
            switch embedder {
            case .builtin: chosen = BuiltinEmbedder()
            case .ollama: chosen = try await OllamaEmbedder.connect(client: client, model: embedModel)
            }
            return (try Lakehouse.open(at: try root.resolved(), embedder: chosen, ollama: client, semantic: semantic), client)
        } catch {
            try? await client.shutdown()
            fail("\(error)")
        }
    }
}

func printEmbedResult(_ result: EmbedResult) {
    print("\(result.dataset) → \(result.table) v\(result.version): \(result.embeddedRows) rows embedded (\(result.embeddedChunks) chunks), "
        + "\(result.keptRows) unchanged, \(result.removedRows) removed")
}

/// `lakehouse embed NAME --column COL`: embeds an existing dataset's text.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed the text columns of a dataset for semantic search (only new or changed rows).",
        discussion: """
            The vectors go to the dataset NAME__embeddings (doc_id, chunk_no, chunk_text, content_hash, vector, \
            embedder), an ordinary Delta table. Running it again embeds only rows whose text changed.
            """)
    @OptionGroup var root: RootOption
    @OptionGroup var embedderOptions: EmbedderOptions
    @Argument(help: "The dataset.") var name: String
    @Option(name: .long, help: "A text column to embed (repeatable; default: the columns embedded before).") var column: [String] = []
    @Option(name: .long, help: "The column naming a row (default: the primary key, or a column called id).") var id: String?

    func run() async throws {
        let (lake, client) = await embedderOptions.open(root)
        defer { Task { try? await client.shutdown() } }
        do {
            printEmbedResult(try await lake.embed(name, columns: column.isEmpty ? nil : column, id: id))
        } catch {
            fail("\(error)")
        }
    }
}

/// `lakehouse search 'TEXT' --table NAME`: rows ranked by meaning, optionally filtered by SQL.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find the rows of a dataset nearest in meaning to a text (hybrid with --where).")
    @OptionGroup var root: RootOption
    @OptionGroup var embedderOptions: EmbedderOptions
    @Argument(help: "What to look for.") var text: String
    @Option(name: .long, help: "The dataset (embedded with `lakehouse embed` or `ingest --embed`).") var table: String
    @Option(name: .customLong("where"), help: "A SQL predicate the rows must meet, e.g. \"city = 'Chicago'\".") var predicate: String?
    @Option(name: .short, help: "How many rows.") var k: Int = 10
    @Option(name: .long, help: "table, csv or jsonl.") var format: OutputFormat = .table

    func run() async throws {
        let (lake, client) = await embedderOptions.open(root)
        defer { Task { try? await client.shutdown() } }
        let results: SearchResults
        do {
            results = try await lake.search(text, in: table, where: predicate, k: k)
        } catch {
            fail("\(error)")
        }
        switch format {
        case .table: print(BatchPrinter.table([results.batch], maxRows: k), terminator: "")
        case .csv: print(BatchPrinter.csv([results.batch]), terminator: "")
        case .jsonl: print(BatchPrinter.jsonLines([results.batch]), terminator: "")
        }
    }
}

/// `lakehouse ask 'QUESTION'`: an answer from the data by a local LLM, with its sources.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question from the data with a local LLM (Ollama), citing the rows used.",
        discussion: """
            The model writes a SQL query (checked by the SQL parser, run read-only) and is shown the rows \
            nearest the question in meaning; its answer cites them as [dataset#id]. Needs `ollama serve` \
            and `ollama pull qwen2.5` (or --model).
            """)
    @OptionGroup var root: RootOption
    @OptionGroup var embedderOptions: EmbedderOptions
    @Argument(help: "The question.") var question: String
    @Option(name: .long, help: "Limit to these datasets (repeatable; default: all).") var table: [String] = []
    @Option(name: .long, help: "The Ollama chat model.") var model: String = "qwen2.5"
    @Option(name: .short, help: "Rows retrieved by meaning.") var k: Int = 8
    @Flag(name: .long, help: "Do not have the model write SQL.") var noSQL = false

    func run() async throws {
        let (lake, client) = await embedderOptions.open(root)
        defer { Task { try? await client.shutdown() } }
        var options = AskOptions()
        options.model = model
        options.k = k
        options.sql = !noSQL
        let answer: Answer
        do {
            answer = try await lake.ask(question, in: table.isEmpty ? nil : table, options: options)
        } catch {
            fail("\(error)")
        }
        print(answer.text.trimmingCharacters(in: .whitespacesAndNewlines))
        if !answer.citations.isEmpty {
            print("\nSources:")
            for citation in answer.citations {
                print("  \(citation.tag) (score \(String(format: "%.3f", citation.score))) \(citation.chunk.prefix(100))")
            }
        }
        if !answer.unknownCitations.isEmpty {
            print("\nCited but not retrieved (ignored): \(answer.unknownCitations.joined(separator: ", "))")
        }
        if let sql = answer.sql, let result = answer.sqlResult {
            print("\nSQL:\n  \(sql)")
            print(BatchPrinter.table([result], maxRows: 20), terminator: "")
        } else if let error = answer.sqlError {
            print("\nSQL: none (\(error))")
        }
    }
}
