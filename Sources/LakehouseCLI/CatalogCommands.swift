import ArgumentParser
import Foundation
import LakehouseKit

/// `--root DIR|s3://bucket/prefix`, defaulting to `$LAKEHOUSE_ROOT`.
struct RootOption: ParsableArguments {
    @Option(name: .long, help: "The lakehouse: a folder or s3://bucket/prefix (default: $LAKEHOUSE_ROOT).")
    var root: String?

    func resolved() throws -> String {
        if let root { return root }
        if let value = ProcessInfo.processInfo.environment["LAKEHOUSE_ROOT"], !value.isEmpty { return value }
        throw ValidationError("give --root DIR or s3://bucket/prefix, or set LAKEHOUSE_ROOT")
    }

    func open() throws -> Lakehouse {
        do {
            return try Lakehouse.open(at: try resolved())
        } catch {
            fail("\(error)")
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    Foundation.exit(1)
}

func formatTime(_ millis: Int64) -> String {
    let date = Date(timeIntervalSince1970: Double(millis) / 1000)
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
}

func formatBytes(_ bytes: Int64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
}

/// `lakehouse tables`: the datasets of a lakehouse.
struct TablesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tables", abstract: "List the datasets of a lakehouse.")
    @OptionGroup var root: RootOption

    func run() throws {
        let lake = try root.open()
        do {
            let datasets = try lake.catalog.datasets()
            if datasets.isEmpty { print("(no datasets)"); return }
            var lines: [[String]] = [["name", "version", "rows", "files", "size", "description"]]
            for info in datasets {
                let snapshot = try lake.catalog.table(info.name).snapshot()
                lines.append([info.name, String(snapshot.version), snapshot.rowCount.map(String.init) ?? "?", String(snapshot.files.count),
                              formatBytes(snapshot.sizeInBytes), info.description ?? ""])
            }
            printColumns(lines)
        } catch {
            fail("\(error)")
        }
    }
}

/// `lakehouse describe NAME`: schema, versions, files and size of a dataset.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "Show a dataset's schema, versions, files and size.")
    @OptionGroup var root: RootOption
    @Argument(help: "The dataset.") var name: String

    func run() throws {
        let lake = try root.open()
        do {
            let found = try lake.catalog.dataset(name)
            if found == nil {
                let names = try lake.catalog.datasets().map(\.name).joined(separator: ", ")
                throw CatalogError(.notFound, "no dataset \(name); datasets: \(names)")
            }
            let info = found!
            let table = try lake.catalog.table(name)
            let snapshot = try table.snapshot()
            print("dataset:     \(info.name)")
            if let description = info.description { print("description: \(description)") }
            print("location:    \(table.name)")
            print("version:     \(snapshot.version) (\(formatTime(snapshot.timestamp)))")
            print("rows:        \(snapshot.rowCount.map(String.init) ?? "unknown")")
            print("files:       \(snapshot.files.count), \(formatBytes(snapshot.sizeInBytes))")
            print("protocol:    reader \(snapshot.protocol.minReaderVersion), writer \(snapshot.protocol.minWriterVersion)"
                + ((snapshot.protocol.readerFeatures ?? []).isEmpty ? "" : " (" + snapshot.protocol.readerFeatures!.joined(separator: ", ") + ")"))
            if !info.primaryKey.isEmpty { print("primary key: \(info.primaryKey.joined(separator: ", "))") }
            for source in info.sources { print("source:      \(source.path) sha256:\(source.contentHash.prefix(16))… \(formatBytes(source.size))") }
            print("columns:")
            var lines: [[String]] = [["  name", "type", "nullable"]]
            for field in snapshot.schema.fields {
                lines.append(["  " + field.name, field.dataType.description, field.isNullable ? "yes" : "no"])
            }
            printColumns(lines)
        } catch {
            fail("\(error)")
        }
    }
}

/// `lakehouse history NAME`: every commit of a dataset's table.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "List every version of a dataset.")
    @OptionGroup var root: RootOption
    @Argument(help: "The dataset.") var name: String

    func run() throws {
        let lake = try root.open()
        do {
            let entries = try lake.catalog.table(name).history()
            var lines: [[String]] = [["version", "timestamp", "operation", "rows added", "files added", "files removed"]]
            for entry in entries {
                lines.append([String(entry.version), formatTime(entry.timestamp), entry.operation ?? "", String(entry.addedRows),
                              String(entry.addedFiles), String(entry.removedFiles)])
            }
            printColumns(lines)
        } catch {
            fail("\(error)")
        }
    }
}

/// Prints rows of cells in aligned columns.
func printColumns(_ rows: [[String]]) {
    guard let first = rows.first else { return }
    var widths = [Int](repeating: 0, count: first.count)
    for row in rows { for (k, cell) in row.enumerated() where k < widths.count { widths[k] = max(widths[k], cell.count) } }
    for row in rows {
        print(row.enumerated().map { k, cell in k == row.count - 1 ? cell : cell.padding(toLength: widths[k], withPad: " ", startingAt: 0) }.joined(separator: "  "))
    }
}
