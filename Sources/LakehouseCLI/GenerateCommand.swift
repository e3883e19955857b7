import ArgumentParser
import Foundation
import LakehouseKit

/// `lakehouse generate`: writes reference datasets.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a reference dataset.",
        subcommands: [StaffingCommand.self]
    )

    /// `lakehouse generate staffing --out DIR [--scale X] [--seed N]`.
    struct StaffingCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "staffing",
            abstract: "Write the staffing dataset: six CSV files and one NDJSON file (286,500 rows at scale 1).",
            discussion: """
                The same scale and seed give byte-identical files on every machine. The four \
                reference queries over them are in TestData/staffing/queries/.
                """
        )

        @Option(name: .long, help: "The folder to write into (created when missing).")
        var out: String

        @Option(name: .long, help: "Multiplies every table's row count (at least 1 row each).")
        var scale: Double = 1

        @Option(name: .long, help: "The random seed.")
        var seed: UInt64 = 42

        func validate() throws {
            guard scale.isFinite, scale > 0 else { throw ValidationError("--scale must be a positive number") }
        }

        func run() throws {
            let start = DispatchTime.now().uptimeNanoseconds
            let files = try StaffingGenerator(scale: scale, seed: seed).write(to: out)
            let width = files.map(\.path.count).max() ?? 0
            for file in files {
                let padded = file.path.padding(toLength: width, withPad: " ", startingAt: 0)
                print("\(padded)  \(String(format: "%9d", file.rows)) rows  \(Self.size(file.bytes))")
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print("\(files.map(\.rows).reduce(0, +)) rows, \(Self.size(files.map(\.bytes).reduce(0, +))) in \(String(format: "%.1f", seconds)) s")
        }

        static func size(_ bytes: Int) -> String {
            bytes >= 1 << 20 ? String(format: "%8.1f MiB", Double(bytes) / 1_048_576)
                : String(format: "%8.1f KiB", Double(bytes) / 1024)
        }
    }
}
