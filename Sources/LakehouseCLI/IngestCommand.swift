import ArgumentParser
import Foundation
import LakehouseKit
import OllamaClient

/// `lakehouse ingest FILE… --into NAME`: CSV or JSON files into a dataset, one commit each.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read CSV or JSON files into a dataset (schema inferred, one commit per file).",
        discussion: """
            The dataset is created when missing; otherwise the rows are appended and new columns added. \
            A file whose bytes were ingested into the dataset before is skipped. Without --into, each file \
            goes to a dataset named after it (candidates.csv → candidates).
            """)
    @OptionGroup var root: RootOption
    @Argument(help: "CSV (.csv, .tsv, .txt) or JSON (.json, .jsonl, .ndjson) files.") var files: [String]
    @Option(name: [.customLong("into"), .customLong("table")], help: "The dataset (default: each file's name without extension).") var into: String?
    @Option(name: .long, help: "A text column to embed for semantic search after ingesting (repeatable; only new or changed rows are embedded).")
    var embed: [String] = []
    @Option(name: .long, help: "With --embed: the column naming a row (default: the primary key, or a column called id).") var id: String?
    @OptionGroup var embedderOptions: EmbedderOptions
    @Option(name: .long, help: "Force a column's type: NAME=TYPE (BIGINT, DOUBLE, DECIMAL(p,s), DATE, TIMESTAMP, BOOLEAN, VARCHAR). Repeatable.")
    var type: [String] = []
    @Option(name: .long, help: "Rename a column: OLD=NEW. Repeatable.") var rename: [String] = []
    @Option(name: .long, help: "Primary key columns, comma-separated (new datasets).") var primaryKey: String?
    @Option(name: .long, help: "CSV delimiter (default: sniffed).") var delimiter: String?
    @Option(name: .long, help: "Whether the CSV has a header: true|false (default: sniffed).") var header: Bool?
    @Option(name: .long, help: "Rows with the wrong number of fields: error|pad|skip.") var ragged: String = "error"
    @Option(name: .long, help: "Invalid UTF-8: error|replace.") var invalidUtf8: String = "error"
    @Option(name: .long, help: "Ambiguous dates like 03/04/2026: mdy|dmy.") var dates: String = "mdy"
    @Option(name: .long, help: "Texts read as null, comma-separated (default NULL,null,NA).") var nulls: String?

    func run() async throws {
        var options = IngestOptions()
        do {
            for entry in type {
                guard let eq = entry.firstIndex(of: "=") else { throw ValidationError("--type wants NAME=TYPE, got \(entry)") }
                let name = String(entry[..<eq]), typeName = String(entry[entry.index(after: eq)...])
                guard let parsed = parseType(typeName) else { throw ValidationError("unknown type \(typeName) in --type \(entry)") }
                options.columnTypes[name] = parsed
            }
            for entry in rename {
                guard let eq = entry.firstIndex(of: "=") else { throw ValidationError("--rename wants OLD=NEW, got \(entry)") }
                options.rename[String(entry[..<eq])] = String(entry[entry.index(after: eq)...])
            }
            if let primaryKey { options.primaryKey = primaryKey.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            if let delimiter {
                let byte: UInt8? = delimiter == "\\t" || delimiter == "tab" ? 0x09 : (delimiter.utf8.count == 1 ? delimiter.utf8.first : nil)
                guard let byte else { throw ValidationError("--delimiter wants one character, got \(delimiter)") }
                options.csv.delimiter = byte
            }
            options.csv.header = header
            switch ragged {
            case "error": options.csv.raggedRows = .error
            case "pad": options.csv.raggedRows = .pad
            case "skip": options.csv.raggedRows = .skip
            default: throw ValidationError("--ragged wants error, pad or skip")
            }
            options.invalidUTF8 = invalidUtf8 == "replace" ? .replace : .error
            options.ambiguousDates = dates == "dmy" ? .dayFirst : .monthFirst
            if let nulls { options.nullTokens = Set(nulls.split(separator: ",", omittingEmptySubsequences: false).map(String.init)) }
        }
        let lake: Lakehouse
        var client: OllamaClient?
        if embed.isEmpty {
            lake = try root.open()
        } else {
            let opened = await embedderOptions.open(root)
            (lake, client) = (opened.0, opened.1)
        }
        defer { if let client { Task { try? await client.shutdown() } } }
        for file in files {
            let name = into ?? datasetName(for: file)
            let started = DispatchTime.now().uptimeNanoseconds
            do {
                let result = try lake.ingest(file, into: name, options: options)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                if result.alreadyIngested {
                    print("\(file): already ingested into \(result.dataset) (version \(result.version), sha256 \(result.contentHash.prefix(12))…)")
                } else {
                    let rate = seconds > 0 ? Double(result.bytes) / 1_048_576 / seconds : 0
                    print(String(format: "%@ → %@ v%lld: %lld rows, %d columns, %@ in %.2f s (%.0f MB/s)%@", file, result.dataset, result.version, result.rows,
                                 result.schema.fields.count, formatBytes(result.bytes), seconds, rate,
                                 result.skippedRows > 0 ? ", \(result.skippedRows) ragged rows skipped" : ""))
                }
                if !embed.isEmpty {
                    printEmbedResult(try await lake.embed(result.dataset, columns: embed, id: id))
                }
            } catch {
                fail("\(error)")
            }
        }
    }

    func datasetName(for file: String) -> String {
        var base = (file as NSString).lastPathComponent
        if let dot = base.firstIndex(of: ".") { base = String(base[..<dot]) }
        var name = String(base.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        if let first = name.first, first.isNumber { name = "_" + name }
        return name.isEmpty ? "dataset" : name
    }
}

/// A SQL type name as a column type.
func parseType(_ text: String) -> DataType? {
    let t = text.uppercased().replacingOccurrences(of: " ", with: "")
    switch t {
    case "BIGINT", "INT64", "INT", "INTEGER": return .int64
    case "DOUBLE", "FLOAT64", "FLOAT", "REAL": return .float64
    case "DATE": return .date32
    case "TIMESTAMP": return .timestamp(.microsecond, timeZone: nil)
    case "TIMESTAMPTZ": return .timestamp(.microsecond, timeZone: "UTC")
    case "BOOLEAN", "BOOL": return .boolean
    case "VARCHAR", "TEXT", "STRING": return .utf8
    default:
        if t.hasPrefix("DECIMAL("), t.hasSuffix(")") {
            let inner = t.dropFirst(8).dropLast().split(separator: ",")
            if inner.count == 2, let p = Int(inner[0]), let s = Int(inner[1]), p >= 1, p <= 38, s >= 0, s <= p { return .decimal128(precision: p, scale: s) }
        }
        return nil
    }
}

/// `lakehouse chunk DATASET --text COL --id COL --into NAME`: long text split for embedding.
struct ChunkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chunk",
        abstract: "Split a text column into overlapping chunks (doc_id, chunk_no, text), stored as a dataset.")
    @OptionGroup var root: RootOption
    @Argument(help: "The dataset holding the text.") var dataset: String
    @Option(name: .long, help: "The text column.") var text: String
    @Option(name: .long, help: "The column identifying a row (becomes doc_id).") var id: String
    @Option(name: .long, help: "The chunks' dataset (default: DATASET_chunks).") var into: String?
    @Option(name: .long, help: "Most characters per chunk.") var size = 1000
    @Option(name: .long, help: "Characters repeated from the end of one chunk at the start of the next.") var overlap = 100

    func run() throws {
        guard size > 0, overlap >= 0, overlap < size else { throw ValidationError("--size must be positive and --overlap in 0..<size") }
        let lake = try root.open()
        let name = into ?? dataset + "_chunks"
        do {
            let count = try lake.chunk(dataset, textColumn: text, idColumn: id, into: name, chunker: TextChunker(size: size, overlap: overlap))
            print("\(dataset).\(text) → \(name): \(count) chunks")
        } catch {
            fail("\(error)")
        }
    }
}
