import Foundation

/// Generates the reference "staffing" dataset: the candidates, clients, job orders, placements,
/// timesheets, calls and emails of a staffing agency, as six CSV files and one NDJSON file.
///
/// The dataset is what LakehouseKit is proven on: its four reference queries (candidate search,
/// revenue by client, cold leads, margin by vertical) live in `TestData/staffing/queries/` with
/// answers computed by DuckDB. The files are deliberately a little messy, the way exports from a
/// real applicant-tracking system are: quoted commas and quotes, empty optional fields, zip codes
/// with leading zeros, a different date format in different tables, quoted line breaks in a few
/// resumes, and JSON rows with missing keys or keys in another order.
///
/// The output is a pure function of `scale` and `seed`: the generator draws from its own
/// SplitMix64 streams (one per table), computes money in integer cents and formats every number
/// itself, so the same arguments give byte-identical files on every machine.
///
/// ```swift
/// let files = try StaffingGenerator(scale: 0.1, seed: 42).write(to: "/tmp/staffing")
/// for file in files { print(file.table, file.rows, file.bytes) }
/// ```
///
/// At scale 1 the tables hold 286,500 rows (about 56 MB); see ``Table/baseRows``. Every row
/// count scales linearly, with at least one row per table, and every foreign key is valid at
/// every scale.
public struct StaffingGenerator: Sendable {
    /// One table of the dataset.
    public enum Table: String, CaseIterable, Sendable {
        case candidates
        case clients
        case jobOrders = "job_orders"
        case placements
        case timesheets
        case callLog = "call_log"
        case emailLog = "email_log"

        /// The file the table is written to: `<name>.csv`, or `email_log.jsonl`.
        public var fileName: String {
            self == .emailLog ? rawValue + ".jsonl" : rawValue + ".csv"
        }

        /// The table's row count at scale 1.
        public var baseRows: Int {
            switch self {
            case .candidates: 15_000
            case .clients: 500
            case .jobOrders: 3_000
            case .placements: 8_000
            case .timesheets: 120_000
            case .callLog: 80_000
            case .emailLog: 60_000
            }
        }
    }

    /// What was written for one table.
    public struct FileInfo: Sendable, Equatable {
        /// The table name, e.g. `job_orders`.
        public let table: String
        /// The file's path.
        public let path: String
        /// Data rows (CSV header not counted) or JSON lines.
        public let rows: Int
        /// The file's size in bytes.
        public let bytes: Int
    }

    /// The size multiplier: 1 gives 286,500 rows in all.
    public let scale: Double
    /// The seed of every random stream.
    public let seed: UInt64

    /// A generator for `scale` times the base row counts, drawing from `seed`.
    ///
    /// - Parameters:
    ///   - scale: A positive, finite multiplier of ``Table/baseRows``.
    ///   - seed: Any value; each gives a different, equally valid dataset.
    public init(scale: Double = 1, seed: UInt64 = 42) {
        self.scale = scale
        self.seed = seed
    }

    /// The number of rows `table` gets at this scale: the base count times the scale, rounded,
    /// and at least 1.
    public func rowCount(_ table: Table) -> Int {
        max(1, Int((Double(table.baseRows) * scale).rounded()))
    }

    /// Writes the seven files into `directory` (created when missing, files overwritten).
    ///
    /// - Returns: One ``FileInfo`` per table, in ``Table/allCases`` order.
    /// - Throws: ``StaffingGeneratorError`` when the scale is not positive and finite, or a file
    ///   cannot be created or written.
    public func write(to directory: String) throws -> [FileInfo] {
        guard scale.isFinite, scale > 0 else {
            throw StaffingGeneratorError(path: directory, message: "the scale must be positive and finite, not \(scale)")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StaffingGeneratorError(path: directory, message: "cannot create the folder: \(error)")
        }
        var tables = StaffingTables(seed: seed, rows: { rowCount($0) })
        var files: [FileInfo] = []
        for table in Table.allCases {
            let path = (directory as NSString).appendingPathComponent(table.fileName)
            let writer = try StaffingFileWriter(path: path)
            switch table {
            case .candidates: try tables.writeCandidates(to: writer)
            case .clients: try tables.writeClients(to: writer)
            case .jobOrders: try tables.writeJobOrders(to: writer)
            case .placements: try tables.writePlacements(to: writer)
            case .timesheets: try tables.writeTimesheets(to: writer)
            case .callLog: try tables.writeCalls(to: writer)
            case .emailLog: try tables.writeEmails(to: writer)
            }
            let written = try writer.finish()
            files.append(FileInfo(table: table.rawValue, path: path, rows: written.rows, bytes: written.bytes))
        }
        return files
    }
}

/// Why the staffing dataset could not be written.
public struct StaffingGeneratorError: Error, CustomStringConvertible, Sendable {
    /// The file or folder concerned.
    public let path: String
    /// What went wrong.
    public let message: String

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
