import ArgumentParser
import LakehouseKit

/// The `lakehouse` tool: one subcommand per capability of the library.
@main
struct LakehouseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lakehouse",
        abstract: "A local-first lakehouse: columnar kernels, Parquet and SQL over your files.",
        discussion: """
            Nothing leaves the machine. Run `lakehouse demo` for a tour of what works today.
            """,
        version: LakehouseVersion.current,
        subcommands: [DemoCommand.self, IngestCommand.self, UpsertCommand.self, CompactCommand.self, VacuumCommand.self, EmbedCommand.self, SearchCommand.self, AskCommand.self, ChunkCommand.self, ParquetCommand.self, SQLCommand.self, TablesCommand.self, DescribeCommand.self, HistoryCommand.self, SQLLogicTestCommand.self, TPCHCommand.self, GenerateCommand.self]
    )
}
