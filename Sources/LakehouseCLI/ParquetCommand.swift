import ArgumentParser
import LakehouseKit

/// `lakehouse parquet …`: tools for Parquet files.
struct ParquetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parquet",
        abstract: "Inspect, print and rewrite Parquet files.",
        subcommands: [InspectCommand.self, CatCommand.self, RewriteCommand.self]
    )
}

/// `lakehouse parquet inspect FILE`: the footer, schema tree and column chunks of a file.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a Parquet file's schema, row groups and column chunks (types, encodings, codecs, sizes, statistics, pages)."
    )

    @Argument(help: "The Parquet file.")
    var file: String

    func run() throws {
        let source = try LocalFileByteSource(path: file)
        let metadata = try ParquetFooter.read(from: source)
        print("file:        \(file) (\(source.size()) bytes)")
        print("created by:  \(metadata.createdBy ?? "(unknown)")")
        print("version:     \(metadata.version)")
        print("rows:        \(metadata.numRows) in \(metadata.rowGroups.count) row group\(metadata.rowGroups.count == 1 ? "" : "s")")
        if !metadata.keyValueMetadata.isEmpty {
            print("metadata:    " + metadata.keyValueMetadata.map { "\($0.key) (\($0.value?.utf8.count ?? 0) bytes)" }.joined(separator: ", "))
        }
        print("\nschema:")
        printSchema(metadata.schema)
        var leaves: [SchemaElement] = []
        collectLeaves(metadata.schema, into: &leaves)
        for (index, group) in metadata.rowGroups.enumerated() {
            print("\nrow group \(index): \(group.numRows) rows, \(group.totalCompressedSize.map { "\($0) bytes compressed, " } ?? "")\(group.totalByteSize) bytes uncompressed")
            for (position, chunk) in group.columns.enumerated() {
                let leaf = position < leaves.count ? leaves[position] : nil
                let pages: String
                do {
                    let headers = try ParquetFooter.pageHeaders(of: chunk, in: source, rowGroup: index)
                    var counts: [String: Int] = [:]
                    for page in headers { counts[page.header.type.description, default: 0] += 1 }
                    pages = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                } catch {
                    pages = "unreadable (\(error.message))"
                }
                print("  \(chunk.pathInSchema.joined(separator: "."))")
                print("    type \(chunk.type)\(leaf?.logicalType.map { " (\($0))" } ?? ""), codec \(chunk.codec?.description ?? "UNKNOWN(\(chunk.codecRawValue))"), encodings \(chunk.encodings.map(\.description).joined(separator: ","))")
                print("    \(chunk.numValues) values, \(chunk.totalCompressedSize) bytes compressed, \(chunk.totalUncompressedSize) uncompressed; pages: \(pages)")
                if let stats = chunk.statistics {
                    var parts: [String] = []
                    if let nulls = stats.nullCount { parts.append("nulls \(nulls)") }
                    if let distinct = stats.distinctCount { parts.append("distinct \(distinct)") }
                    if let min = stats.min { parts.append("min \(render(min, chunk.type, leaf))") }
                    if let max = stats.max { parts.append("max \(render(max, chunk.type, leaf))") }
                    if !parts.isEmpty { print("    statistics: " + parts.joined(separator: ", ")) }
                }
            }
        }
    }

    /// The schema tree, one node per line, indented by depth.
    func printSchema(_ elements: [SchemaElement]) {
        var index = 0
        func node(depth: Int) {
            guard index < elements.count else { return }
            let element = elements[index]
            index += 1
            var line = String(repeating: "  ", count: depth + 1)
            if let repetition = element.repetition { line += repetition.description.lowercased() + " " }
            line += element.type.map { "\($0) " } ?? "group "
            line += element.name
            if let logical = element.logicalType { line += " (\(logical))" } else if let converted = element.convertedType { line += " (\(converted))" }
            if let length = element.typeLength, element.type == .fixedLenByteArray { line += " [\(length) bytes]" }
            if let id = element.fieldID { line += " id=\(id)" }
            print(line)
            for _ in 0..<max(0, Int(element.numChildren ?? 0)) where index < elements.count { node(depth: depth + 1) }
        }
        node(depth: 0)
    }

    func collectLeaves(_ elements: [SchemaElement], into leaves: inout [SchemaElement]) {
        for element in elements where element.type != nil && (element.numChildren ?? 0) == 0 { leaves.append(element) }
    }

    /// A statistics value in words: numbers decoded by physical type, text as text, else hex.
    func render(_ bytes: [UInt8], _ type: PhysicalType, _ leaf: SchemaElement?) -> String {
        func littleEndian(_ count: Int) -> UInt64? {
            guard bytes.count == count else { return nil }
            return bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
        }
        switch type {
        case .boolean: return bytes.first.map { $0 != 0 ? "true" : "false" } ?? "?"
        case .int32: return littleEndian(4).map { String(Int32(truncatingIfNeeded: $0)) } ?? "?"
        case .int64: return littleEndian(8).map { String(Int64(bitPattern: $0)) } ?? "?"
        case .float: return littleEndian(4).map { String(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) } ?? "?"
        case .double: return littleEndian(8).map { String(Double(bitPattern: $0)) } ?? "?"
        default:
            let isText = leaf?.logicalType == .string || leaf?.convertedType == ConvertedType(rawValue: 0)
            if isText, let text = String(validating: bytes, as: UTF8.self) { return "'" + String(text.prefix(40)) + "'" }
            return "0x" + bytes.prefix(32).map { String($0, radix: 16).leftPaddedHex }.joined()
        }
    }
}

extension String {
    fileprivate var leftPaddedHex: String { count == 1 ? "0" + self : self }
}

/// `lakehouse parquet cat FILE`: the rows of a file as a table, CSV or canonical JSON lines.
struct CatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print a Parquet file's rows (jsonl is the canonical JSON form of the shared corpus)."
    )

    @Argument(help: "The Parquet file.")
    var file: String

    @Option(name: .long, help: "Comma-separated columns to print: top-level names or dotted paths into nested ones, e.g. id,address.city (default: all).")
    var columns: String?

    @Option(name: .long, help: "INT96 timestamps as wide (exact 128-bit nanoseconds, the default here), or as 64-bit ns, us, ms or s.")
    var int96: String = "wide"

    @Option(name: .long, help: "Print at most this many rows.")
    var limit: Int?

    @Option(name: .long, help: "table, csv or jsonl.")
    var format: OutputFormat = .table

    func run() throws {
        var options = ParquetReadOptions()
        switch int96 {
        case "wide": options.int96 = .wide
        case "ns": options.int96 = .timestamp(.nanosecond)
        case "us": options.int96 = .timestamp(.microsecond)
        case "ms": options.int96 = .timestamp(.millisecond)
        case "s": options.int96 = .timestamp(.second)
        default: throw ValidationError("--int96 must be wide, ns, us, ms or s")
        }
        let reader = try ParquetFileReader(source: LocalFileByteSource(path: file), options: options)
        let names = columns?.split(separator: ",").map { String($0).trimmingSpaces }
        var remaining = limit ?? Int.max
        var batches: [RecordBatch] = []
        for group in 0..<reader.metadata.rowGroups.count where remaining > 0 {
            var batch = try reader.readRowGroup(group, columns: names)
            if batch.count > remaining { batch = batch.slice(0..<remaining) }
            remaining -= batch.count
            switch format {
            case .jsonl:
                // Streamed row group by row group.
                for row in 0..<batch.count { print(CanonicalJSON.row(batch, row, leaves: reader.leaves)) }
            case .csv:
                print(BatchPrinter.csv([batch], header: group == 0), terminator: "")
            case .table:
                batches.append(batch)
            }
        }
        if format == .table { print(BatchPrinter.table(batches), terminator: "") }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

/// `lakehouse parquet rewrite IN OUT`: reads any Parquet file and writes it again with
/// ParquetKit's writer (recompress, change page version, normalise old files).
struct RewriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewrite",
        abstract: "Read a Parquet file and write it again with ParquetKit's writer."
    )

    @Argument(help: "The Parquet file to read.")
    var input: String

    @Argument(help: "The file to write (atomically: it appears only when complete).")
    var output: String

    @Option(name: .long, help: "snappy, zstd, gzip, lz4 or none.")
    var codec: String = "snappy"

    @Option(name: .long, help: "Data page version: 1 or 2.")
    var pageVersion: Int = 1

    @Option(name: .long, help: "Dictionary encoding: on or off.")
    var dictionary: String = "on"

    @Option(name: .long, help: "The most rows per row group.")
    var rowGroupRows: Int = 1 << 20

    func run() throws {
        var options = ParquetWriterOptions()
        switch codec {
        case "snappy": options.codec = .snappy
        case "zstd": options.codec = .zstd
        case "gzip": options.codec = .gzip
        case "lz4": options.codec = .lz4Raw
        case "none", "uncompressed": options.codec = .uncompressed
        default: throw ValidationError("--codec must be snappy, zstd, gzip, lz4 or none")
        }
        guard pageVersion == 1 || pageVersion == 2 else { throw ValidationError("--page-version must be 1 or 2") }
        guard dictionary == "on" || dictionary == "off" else { throw ValidationError("--dictionary must be on or off") }
        guard rowGroupRows > 0 else { throw ValidationError("--row-group-rows must be positive") }
        options.pageVersion = pageVersion
        options.dictionary = dictionary == "on"
        options.rowGroupRows = rowGroupRows
        var readOptions = ParquetReadOptions()
        readOptions.int96 = .wide  // exact, and written back as INT96
        readOptions.keepDictionaries = false
        let reader = try ParquetFileReader(source: LocalFileByteSource(path: input), options: readOptions)
        let schema = try reader.schema()
        let writer = try ParquetFileWriter(path: output, schema: schema, options: options)
        // One row group in memory at a time.
        for group in 0..<reader.metadata.rowGroups.count {
            try writer.write(try reader.readRowGroup(group))
        }
        let footer = try writer.close()
        print("wrote \(output): \(footer.numRows) rows in \(footer.rowGroups.count) row groups")
    }
}
