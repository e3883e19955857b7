import ArgumentParser
import Foundation
import LakehouseKit
import OllamaClient

/// `lakehouse upsert FILE --table NAME [--key COL]`: rows replace the rows with the same key.
struct UpsertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upsert",
        abstract: "Insert the rows of a CSV or JSON file, replacing the rows with the same primary key.",
        discussion: """
            One commit: the rows become one small Parquet file and the rows they replace are marked deleted \
            with deletion vectors; no file is rewritten. An embedded dataset's vectors follow.
            """)
    @OptionGroup var root: RootOption
    @OptionGroup var embedderOptions: EmbedderOptions
    @Argument(help: "The CSV or JSON file.") var file: String
    @Option(name: .long, help: "The dataset (created when missing, with --key).") var table: String
    @Option(name: .long, help: "A primary key column (repeatable), for a dataset that has none declared.") var key: [String] = []

    func run() async throws {
        let (lake, client) = await embedderOptions.open(root)
        defer { Task { try? await client.shutdown() } }
        do {
            let result = try await lake.upsert(file: file, into: table, key: key.isEmpty ? nil : key)
            let change = result.change
            print("\(result.dataset) v\(change.version): \(change.rowsInserted) inserted, \(change.rowsUpdated) updated, \(change.bytesWritten) bytes written")
            if let compaction = result.compaction, compaction.committed {
                print("compacted: \(compaction.filesBefore) files → \(compaction.filesAfter) (v\(compaction.version))")
            }
            if let embedding = result.embedding { printEmbedResult(embedding) }
        } catch {
            fail("\(error)")
        }
    }
}

/// `lakehouse compact NAME`: small files merged and deleted rows dropped, in one commit.
struct CompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Merge a dataset's small files and drop its deleted rows (readers of older versions keep working).")
    @OptionGroup var root: RootOption
    @Argument(help: "The dataset.") var name: String

    func run() throws {
        do {
            let lake = try Lakehouse.open(at: try root.resolved())
            let result = try lake.compact(name)
            if result.committed {
                print("\(name) v\(result.version): \(result.filesBefore) files → \(result.filesAfter), \(result.rowsRewritten) rows rewritten, "
                    + "\(result.deletedRowsDropped) deleted rows dropped")
            } else {
                print("\(name): nothing to compact (\(result.filesBefore) files)")
            }
        } catch {
            fail("\(error)")
        }
    }
}

/// `lakehouse vacuum NAME [--retain-hours H] [--dry-run]`: files no recent version needs, deleted.
struct VacuumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vacuum",
        abstract: "Delete a dataset's files that no version within the retention period needs.")
    @OptionGroup var root: RootOption
    @Argument(help: "The dataset.") var name: String
    @Option(name: .long, help: "Hours of history readers may still read (default 168).") var retainHours: Double = 168
    @Flag(name: .long, help: "Only list the files.") var dryRun = false

    func run() throws {
        do {
            let lake = try Lakehouse.open(at: try root.resolved())
            let files = try lake.vacuum(name, retentionHours: retainHours, dryRun: dryRun)
            for file in files { print(file) }
            print("\(files.count) files \(dryRun ? "would be " : "")deleted")
        } catch {
            fail("\(error)")
        }
    }
}
