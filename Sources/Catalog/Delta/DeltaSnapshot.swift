import ColumnarCore

/// The state of a Delta table at one version: its protocol, metadata, schema and live data files.
public struct DeltaSnapshot: Sendable {
    /// The table version this snapshot shows.
    public var version: Int64
    public var `protocol`: DeltaProtocol
    public var metadata: DeltaMetadata
    /// The table's columns (from the metadata's schema string).
    public var schema: Schema
    /// The live data files, in the order they were added.
    public var files: [DeltaAddFile]
    /// The last version each application recorded with `txn`.
    public var transactions: [String: Int64]
    /// When the version was committed (milliseconds since 1970).
    public var timestamp: Int64

    /// The number of live rows, when every file has statistics (deleted rows subtracted).
    public var rowCount: Int64? {
        var total: Int64 = 0
        for file in files {
            guard let stats = DeltaFileStatistics.parsed(file), stats.numRecords >= 0 else { return nil }
            total += stats.numRecords - (file.deletionVector?.cardinality ?? 0)
        }
        return total
    }

    /// The total size of the live data files in bytes.
    public var sizeInBytes: Int64 { files.reduce(0) { $0 + $1.size } }

    /// A configuration value of the table (`metaData.configuration`).
    public func property(_ key: String) -> String? { metadata.configuration[key] }
}

/// One commit of a table's history.
public struct DeltaHistoryEntry: Sendable, Hashable {
    public var version: Int64
    /// Milliseconds since 1970 (the commit's `commitInfo.timestamp`, or the file's time).
    public var timestamp: Int64
    /// `WRITE`, `CREATE TABLE`, `DELETE`, … (from `commitInfo.operation`), when recorded.
    public var operation: String?
    /// The operation's parameters, when recorded.
    public var operationParameters: JSONValue?
    /// Rows added by the commit's data files (from their statistics).
    public var addedRows: Int64
    public var addedFiles: Int
    public var removedFiles: Int
}

/// Replays commit actions into a snapshot (the newest protocol and metadata win; for each path the
/// newest add or remove wins).
struct DeltaReplay {
    var version: Int64 = -1
    var protocolAction: DeltaProtocol?
    var metadata: DeltaMetadata?
    var files: [String: DeltaAddFile] = [:]
    /// Live paths in the order they were added (nil: removed since), and each live path's slot:
    /// a snapshot lists its files in one pass, without sorting.
    var sequence: [String?] = []
    var order: [String: Int] = [:]
    var transactions: [String: Int64] = [:]
    var timestamp: Int64 = 0

    mutating func apply(_ actions: [DeltaAction]) {
        for action in actions {
            switch action {
            case .protocol(let p): protocolAction = p
            case .metadata(let m): metadata = m
            case .add(let add):
                let key = _decodedPath(add.path)
                if order[key] == nil {
                    order[key] = sequence.count
                    sequence.append(key)
                }
                files[key] = add
            case .remove(let remove):
                let key = _decodedPath(remove.path)
                files[key] = nil
                if let slot = order.removeValue(forKey: key) { sequence[slot] = nil }
            case .transaction(let app, let v, _): transactions[app] = v
            case .commitInfo, .other: break
            }
        }
        // Drop the holes once they are most of the sequence.
        if sequence.count > 64, order.count * 2 < sequence.count {
            sequence = sequence.filter { $0 != nil }
            for (slot, key) in sequence.enumerated() { order[key!] = slot }
        }
    }

    func snapshot(table: String) throws(CatalogError) -> DeltaSnapshot {
        guard let p = protocolAction, let m = metadata else {
            throw CatalogError(.corruptLog, "the log has no protocol or metaData action up to this version", table: table, version: version)
        }
        try DeltaTable.checkReadable(p, m, table: table)
        let schema = try DeltaSchema.schema(from: m.schemaString)
        var live: [DeltaAddFile] = []
        live.reserveCapacity(files.count)
        for case let key? in sequence { if let file = files[key] { live.append(file) } }
        return DeltaSnapshot(version: version, protocol: p, metadata: m, schema: schema, files: live, transactions: transactions, timestamp: timestamp)
    }
}

/// A Delta path (a relative URI) with percent escapes decoded.
func _decodedPath(_ path: String) -> String {
    guard path.contains("%") else { return path }
    var bytes: [UInt8] = []
    var utf8 = Array(path.utf8)[...]
    while let c = utf8.popFirst() {
        if c == UInt8(ascii: "%"), utf8.count >= 2, let v = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
            bytes.append(v)
            utf8 = utf8.dropFirst(2)
        } else {
            bytes.append(c)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// A relative path percent-encoded as a URI path (unreserved characters and `/` kept).
func _encodedPath(_ path: String) -> String {
    var out = ""
    for byte in path.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "="):
            out.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            out += "%" + (hex.count == 1 ? "0" : "") + hex
        }
    }
    return out
}

/// A random (version 4) UUID, lower-case with dashes.
func _randomUUID() -> String {
    var generator = SystemRandomNumberGenerator()
    var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    bytes[6] = (bytes[6] & 0x0F) | 0x40
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    let h = Array(hex)
    return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-" + String(h[20..<32])
}
