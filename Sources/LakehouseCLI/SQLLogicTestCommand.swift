import ArgumentParser
import Foundation
import LakehouseKit

/// `lakehouse sqllogictest PATH…`: runs sqllogictest files (directories are searched for
/// `*.test` and `*.slt`), prints a line per file and the totals, and writes the failing records
/// to a report.
struct SQLLogicTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sqllogictest",
        abstract: "Run sqllogictest files and report passed and failed records."
    )

    @Argument(help: "Files or directories.")
    var paths: [String]

    @Option(name: .long, help: "Where to write the failing records (default: sqllogictest-report.txt).")
    var report: String = "sqllogictest-report.txt"

    func run() throws {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("no such file or directory: \(path)")
            }
            if isDirectory.boolValue {
                let found = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
                files += found.filter { $0.hasSuffix(".test") || $0.hasSuffix(".slt") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        var passed = 0, failed = 0, skipped = 0
        var reportText = ""
        for file in files {
            // The main thread's stack is megabytes deep: let the parser use 4 MiB of it.
            let result = SQLLogicTestRunner.run(file: file, stackBudget: 4 << 20)
            passed += result.passed
            failed += result.failed
            skipped += result.skipped
            print("\(file): \(result.passed) passed, \(result.failed) failed" + (result.skipped > 0 ? ", \(result.skipped) skipped" : ""))
            for failure in result.failures {
                reportText += "\(file):\(failure.line)\n\(failure.sql)\n-- expected\n\(failure.expected)\n-- actual\n\(failure.actual)\n\n"
            }
        }
        try reportText.write(toFile: report, atomically: true, encoding: .utf8)
        print("\(passed) passed, \(failed) failed" + (skipped > 0 ? ", \(skipped) skipped" : ""))
    }
}
