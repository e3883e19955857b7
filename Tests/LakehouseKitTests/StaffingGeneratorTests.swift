import Foundation
import LakehouseKit
import Testing

/// The staffing dataset at scale 0.02 (5,730 rows): deterministic bytes, the promised row
/// counts and headers, valid foreign keys, consistent totals and the messy cases ingest must
/// survive.
@Suite("Staffing generator", .serialized)
struct StaffingGeneratorTests {
    static let scale = 0.02

    /// A fresh folder with the dataset written by `generator`.
    static func generate(_ generator: StaffingGenerator) throws -> (folder: String, files: [StaffingGenerator.FileInfo]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("staffing-\(UUID().uuidString)").path
        return (folder, try generator.write(to: folder))
    }

    static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The file's bytes.
    static func bytes(_ folder: String, _ table: StaffingGenerator.Table) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: folder + "/" + table.fileName))
    }

    /// An independent RFC 4180 reader: rows of fields, quoted fields may hold commas, doubled
    /// quotes and line breaks.
    static func readCSV(_ folder: String, _ table: StaffingGenerator.Table) throws -> [[String]] {
        let text = try String(contentsOfFile: folder + "/" + table.fileName, encoding: .utf8)
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = text.unicodeScalars.makeIterator()
        var pending = characters.next()
        while let c = pending {
            pending = characters.next()
            if quoted {
                if c == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = characters.next()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        return rows
    }

    /// `12.34` as 1234.
    static func cents(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, let whole = Int(parts[0]), let fraction = Int(parts[1]) else { return nil }
        return whole * 100 + fraction
    }

    @Test("the same scale and seed give the same bytes; another seed gives other bytes")
    func deterministic() throws {
        let a = try Self.generate(StaffingGenerator(scale: Self.scale, seed: 42))
        let b = try Self.generate(StaffingGenerator(scale: Self.scale, seed: 42))
        let c = try Self.generate(StaffingGenerator(scale: Self.scale, seed: 7))
        defer { [a.folder, b.folder, c.folder].forEach(Self.remove) }
        for table in StaffingGenerator.Table.allCases {
            #expect(try Self.bytes(a.folder, table) == Self.bytes(b.folder, table), "\(table.fileName) differs between runs")
            #expect(try Self.bytes(a.folder, table) != Self.bytes(c.folder, table), "\(table.fileName) ignores the seed")
        }
        #expect(a.files.map(\.bytes) == b.files.map(\.bytes))
    }

    @Test("row counts scale linearly; headers name the documented columns")
    func rowsAndHeaders() throws {
        let generator = StaffingGenerator(scale: Self.scale)
        let (folder, files) = try Self.generate(generator)
        defer { Self.remove(folder) }
        let expectedRows: [StaffingGenerator.Table: Int] = [
            .candidates: 300, .clients: 10, .jobOrders: 60, .placements: 160,
            .timesheets: 2400, .callLog: 1600, .emailLog: 1200,
        ]
        let headers: [StaffingGenerator.Table: String] = [
            .candidates: "candidate_id,first_name,last_name,phone,email,zip,city,state,skills,available_from,years_experience,desired_rate,resume",
            .clients: "client_id,company,contact_name,contact_email,vertical,city,bill_rate_min,bill_rate_max",
            .jobOrders: "job_order_id,client_id,title,description,requirements,bill_rate,pay_rate,city,opened_on,status",
            .placements: "placement_id,candidate_id,job_order_id,recruiter,start_date,end_date,bill_rate,pay_rate",
            .timesheets: "timesheet_id,placement_id,week_ending,hours,bill_total,pay_total,approved",
            .callLog: "call_id,candidate_id,recruiter,called_at,duration_seconds,disposition",
        ]
        #expect(files.map(\.table) == StaffingGenerator.Table.allCases.map(\.rawValue))
        for (table, file) in zip(StaffingGenerator.Table.allCases, files) {
            #expect(file.rows == expectedRows[table])
            #expect(generator.rowCount(table) == expectedRows[table])
            #expect(file.bytes == (try Self.bytes(folder, table)).count)
            if let header = headers[table] {
                let rows = try Self.readCSV(folder, table)
                #expect(rows.first?.joined(separator: ",") == header)
                #expect(rows.count - 1 == file.rows)
                #expect(rows.allSatisfy { $0.count == rows[0].count }, "\(table.fileName) has a row of another width")
            } else {
                let lines = try String(contentsOfFile: file.path, encoding: .utf8).split(separator: "\n")
                #expect(lines.count == file.rows)
            }
        }
    }

    @Test("every foreign key points at a row; totals are hours times the placement's rates")
    func foreignKeys() throws {
        let (folder, _) = try Self.generate(StaffingGenerator(scale: Self.scale))
        defer { Self.remove(folder) }
        try Self.checkForeignKeys(folder)
    }

    @Test("a tiny scale still writes one valid row per table")
    func tinyScale() throws {
        let (folder, files) = try Self.generate(StaffingGenerator(scale: 0.000_01, seed: 3))
        defer { Self.remove(folder) }
        #expect(files.map(\.rows) == [1, 1, 1, 1, 1, 1, 1])
        try Self.checkForeignKeys(folder)
    }

    @Test("messy rows: quoted commas and quotes, empty fields, zip codes with a leading zero")
    func messyRows() throws {
        let (folder, _) = try Self.generate(StaffingGenerator(scale: Self.scale))
        defer { Self.remove(folder) }
        let clientsText = try String(contentsOfFile: folder + "/clients.csv", encoding: .utf8)
        #expect(clientsText.contains("1,\"Acme, Inc.\","))
        let candidates = try Self.readCSV(folder, .candidates).dropFirst()
        let zip = 5, phone = 3, available = 9, resume = 12
        #expect(candidates.contains { $0[zip].hasPrefix("0") })
        #expect(candidates.allSatisfy { $0[zip].count == 5 })
        #expect(candidates.contains { $0[phone].isEmpty || $0[available].isEmpty })
        #expect(candidates.contains { $0[resume].contains("\"") }, "a resume quoting a nickname")
        #expect(candidates.contains { $0[resume].contains("\n") }, "a resume with a line break")
        let words = candidates.map { $0[resume].split(whereSeparator: { $0 == " " || $0 == "\n" }).count }
        #expect(words.allSatisfy { (100...400).contains($0) })
        let placements = try Self.readCSV(folder, .placements).dropFirst()
        #expect(placements.contains { $0[5].isEmpty }, "a placement still running")
    }

    @Test("each date column keeps one format: ISO, US or a timestamp")
    func dateFormats() throws {
        let (folder, _) = try Self.generate(StaffingGenerator(scale: Self.scale))
        defer { Self.remove(folder) }
        let iso = /\d{4}-\d{2}-\d{2}/
        let us = /\d{2}\/\d{2}\/\d{4}/
        let timestamp = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/
        for row in try Self.readCSV(folder, .candidates).dropFirst() where !row[9].isEmpty {
            #expect(row[9].wholeMatch(of: iso) != nil)
        }
        for row in try Self.readCSV(folder, .placements).dropFirst() {
            #expect(row[4].wholeMatch(of: iso) != nil)
            #expect(row[5].isEmpty || row[5].wholeMatch(of: iso) != nil)
        }
        for row in try Self.readCSV(folder, .timesheets).dropFirst() {
            #expect(row[2].wholeMatch(of: us) != nil)
            #expect(row[6] == "true" || row[6] == "false")
        }
        for row in try Self.readCSV(folder, .callLog).dropFirst() {
            #expect(row[3].wholeMatch(of: timestamp) != nil)
        }
    }

    @Test("a scale that is not positive is refused")
    func badScale() {
        #expect(throws: StaffingGeneratorError.self) {
            _ = try StaffingGenerator(scale: 0).write(to: FileManager.default.temporaryDirectory.path + "/staffing-never")
        }
    }

    /// Foreign keys of all seven tables, and the timesheet totals.
    static func checkForeignKeys(_ folder: String) throws {
        let candidates = try readCSV(folder, .candidates).dropFirst()
        let clients = try readCSV(folder, .clients).dropFirst()
        let jobs = try readCSV(folder, .jobOrders).dropFirst()
        let placements = try readCSV(folder, .placements).dropFirst()
        let candidateIDs = Set(candidates.map { Int($0[0])! })
        let clientIDs = Set(clients.map { Int($0[0])! })
        let jobIDs = Set(jobs.map { Int($0[0])! })
        #expect(candidateIDs == Set(1...candidates.count))
        #expect(jobs.allSatisfy { clientIDs.contains(Int($0[1])!) })
        #expect(placements.allSatisfy { candidateIDs.contains(Int($0[1])!) && jobIDs.contains(Int($0[2])!) })

        var rates: [Int: (bill: Int, pay: Int)] = [:]
        for row in placements {
            rates[Int(row[0])!] = (try #require(cents(row[6])), try #require(cents(row[7])))
        }
        for row in try readCSV(folder, .timesheets).dropFirst() {
            let rate = try #require(rates[Int(row[1])!], "timesheet \(row[0]) of an unknown placement")
            let hours = try #require(cents(row[3]))
            #expect(cents(row[4]) == (hours * rate.bill + 50) / 100)
            #expect(cents(row[5]) == (hours * rate.pay + 50) / 100)
        }
        #expect(try readCSV(folder, .callLog).dropFirst().allSatisfy { candidateIDs.contains(Int($0[1])!) })

        let emails = Dictionary(uniqueKeysWithValues: candidates.map { (Int($0[0])!, $0[4]) })
        let lines = try String(contentsOfFile: folder + "/email_log.jsonl", encoding: .utf8).split(separator: "\n")
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let candidate = try #require(object["candidate"] as? [String: Any])
            let id = try #require(candidate["id"] as? Int)
            #expect(emails[id] == candidate["email"] as? String)
        }
    }
}
