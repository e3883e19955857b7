import ArgumentParser
import Foundation
import LakehouseKit
import OllamaClient

/// `lakehouse sql`: runs a script of SQL statements and prints the last result.
struct SQLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run SQL statements (separated by ';') and print the last result."
    )

    @Option(name: .shortAndLong, help: "Read the statements from this file.")
    var file: String?

    @Option(name: .long, help: "table, csv or jsonl.")
    var format: OutputFormat = .table

    @Argument(help: "The statements, when no file is given.")
    var sql: String?

    @Option(name: .long, help: "Run against this lakehouse's datasets (a folder or s3://bucket/prefix; default $LAKEHOUSE_ROOT when set): CREATE TABLE, INSERT and DROP TABLE then commit to it.")
    var root: String?

    @OptionGroup var embedderOptions: EmbedderOptions

    func run() async throws {
        let text: String
        if let file {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } else if let sql {
            text = sql
        } else {
            throw ValidationError("give the SQL as an argument or with -f FILE")
        }
        let lakeRoot = root ?? ProcessInfo.processInfo.environment["LAKEHOUSE_ROOT"].flatMap { $0.isEmpty ? nil : $0 }
        let result: RecordBatch
        do {
            if let lakeRoot {
                // vector_search(...) texts are embedded first (the Ollama embedder needs the network).
                var lakeOption = RootOption()
                lakeOption.root = lakeRoot
                let (lake, client) = await embedderOptions.open(lakeOption)
                defer { Task { try? await client.shutdown() } }
                result = try await lake.sql(embedding: text).batch
            } else {
                result = try SQLSession.lakehouse().execute(text)
            }
        } catch {
            FileHandle.standardError.write(Data(("\(error)" + "\n").utf8))
            throw ExitCode(1)
        }
        switch format {
        case .table: print(BatchPrinter.table([result]), terminator: "")
        case .csv: print(BatchPrinter.csv([result]), terminator: "")
        case .jsonl: print(BatchPrinter.jsonLines([result]), terminator: "")
        }
    }
}
