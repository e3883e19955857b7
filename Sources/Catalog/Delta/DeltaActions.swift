/// The reader and writer versions and table features a Delta table requires.
public struct DeltaProtocol: Hashable, Sendable {
    public var minReaderVersion: Int
    public var minWriterVersion: Int
    public var readerFeatures: [String]?
    public var writerFeatures: [String]?

    public init(minReaderVersion: Int = 1, minWriterVersion: Int = 2, readerFeatures: [String]? = nil, writerFeatures: [String]? = nil) {
        self.minReaderVersion = minReaderVersion
        self.minWriterVersion = minWriterVersion
        self.readerFeatures = readerFeatures
        self.writerFeatures = writerFeatures
    }

    /// Reader 3 / writer 7 with the `deletionVectors` feature only.
    public static let deletionVectors = DeltaProtocol(minReaderVersion: 3, minWriterVersion: 7,
                                                      readerFeatures: ["deletionVectors"], writerFeatures: ["deletionVectors"])

    /// Reader features this implementation can read.
    static let supportedReaderFeatures: Set<String> = ["deletionVectors", "timestampNtz", "vacuumProtocolCheck"]
}

/// The table's metadata: its id, schema, partition columns and configuration.
public struct DeltaMetadata: Hashable, Sendable {
    public var id: String
    public var name: String?
    public var description: String?
    public var schemaString: String
    public var partitionColumns: [String]
    public var configuration: [String: String]
    public var createdTime: Int64?

    public init(id: String, name: String? = nil, description: String? = nil, schemaString: String, partitionColumns: [String] = [],
                configuration: [String: String] = [:], createdTime: Int64? = nil) {
        self.id = id
        self.name = name
        self.description = description
        self.schemaString = schemaString
        self.partitionColumns = partitionColumns
        self.configuration = configuration
        self.createdTime = createdTime
    }
}

/// Where a deletion vector is stored and how many rows it deletes.
public struct DeletionVectorDescriptor: Hashable, Sendable {
    /// `i` (inline Z85), `u` (a file beside the table named by a UUID) or `p` (an absolute path).
    public var storageType: String
    public var pathOrInlineDv: String
    /// For file-based vectors: where the vector's size field is in the file.
    public var offset: Int?
    public var sizeInBytes: Int
    public var cardinality: Int64

    public init(storageType: String, pathOrInlineDv: String, offset: Int? = nil, sizeInBytes: Int, cardinality: Int64) {
        self.storageType = storageType
        self.pathOrInlineDv = pathOrInlineDv
        self.offset = offset
        self.sizeInBytes = sizeInBytes
        self.cardinality = cardinality
    }

    /// `storageType + pathOrInlineDv [+ "@" + offset]`.
    public var uniqueID: String { storageType + pathOrInlineDv + (offset.map { "@\($0)" } ?? "") }
}

/// A data file of the table (`add`).
public struct DeltaAddFile: Hashable, Sendable {
    /// The file's path relative to the table root, as a URI (percent-encoded).
    public var path: String
    public var partitionValues: [String: String?]
    public var size: Int64
    public var modificationTime: Int64
    public var dataChange: Bool
    /// The statistics JSON text (`numRecords`, `minValues`, `maxValues`, `nullCount`).
    public var stats: String?
    public var deletionVector: DeletionVectorDescriptor?
    public var tags: [String: String]?

    public init(path: String, partitionValues: [String: String?] = [:], size: Int64, modificationTime: Int64, dataChange: Bool = true,
                stats: String? = nil, deletionVector: DeletionVectorDescriptor? = nil, tags: [String: String]? = nil) {
        self.path = path
        self.partitionValues = partitionValues
        self.size = size
        self.modificationTime = modificationTime
        self.dataChange = dataChange
        self.stats = stats
        self.deletionVector = deletionVector
        self.tags = tags
    }
}

/// A data file removed from the table (`remove`).
public struct DeltaRemoveFile: Hashable, Sendable {
    public var path: String
    public var deletionTimestamp: Int64?
    public var dataChange: Bool
    public var extendedFileMetadata: Bool?
    public var partitionValues: [String: String?]?
    public var size: Int64?
    public var deletionVector: DeletionVectorDescriptor?

    public init(path: String, deletionTimestamp: Int64?, dataChange: Bool = true, extendedFileMetadata: Bool? = nil,
                partitionValues: [String: String?]? = nil, size: Int64? = nil, deletionVector: DeletionVectorDescriptor? = nil) {
        self.path = path
        self.deletionTimestamp = deletionTimestamp
        self.dataChange = dataChange
        self.extendedFileMetadata = extendedFileMetadata
        self.partitionValues = partitionValues
        self.size = size
        self.deletionVector = deletionVector
    }
}

/// An action of a Delta commit: one line of `_delta_log/<version>.json`.
public enum DeltaAction: Hashable, Sendable {
    case `protocol`(DeltaProtocol)
    case metadata(DeltaMetadata)
    case add(DeltaAddFile)
    case remove(DeltaRemoveFile)
    /// The last version an application wrote (`txn`), for idempotent writers.
    case transaction(appID: String, version: Int64, lastUpdated: Int64?)
    /// Free-form information about the commit (`commitInfo`).
    case commitInfo(JSONValue)
    /// An action this implementation does not interpret (`cdc`, `domainMetadata`, …), kept as JSON.
    case other(name: String, JSONValue)
}

// MARK: - JSON

extension DeltaAction {
    /// The action as one JSON line (without the newline).
    public var jsonLine: String {
        JSONValue.object([jsonMember]).text
    }

    var jsonMember: (String, JSONValue) {
        switch self {
        case .protocol(let p):
            var members: [(String, JSONValue)] = [("minReaderVersion", .int(p.minReaderVersion)), ("minWriterVersion", .int(p.minWriterVersion))]
            if let r = p.readerFeatures { members.append(("readerFeatures", .array(r.map { .string($0) }))) }
            if let w = p.writerFeatures { members.append(("writerFeatures", .array(w.map { .string($0) }))) }
            return ("protocol", .object(members))
        case .metadata(let m):
            var members: [(String, JSONValue)] = [("id", .string(m.id))]
            if let name = m.name { members.append(("name", .string(name))) }
            if let description = m.description { members.append(("description", .string(description))) }
            members.append(("format", .object([("provider", .string("parquet")), ("options", .object([]))])))
            members.append(("schemaString", .string(m.schemaString)))
            members.append(("partitionColumns", .array(m.partitionColumns.map { .string($0) })))
            members.append(("configuration", .object(m.configuration.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
            if let created = m.createdTime { members.append(("createdTime", .int(created))) }
            return ("metaData", .object(members))
        case .add(let a):
            var members: [(String, JSONValue)] = [
                ("path", .string(a.path)),
                ("partitionValues", Self.encode(a.partitionValues)),
                ("size", .int(a.size)),
                ("modificationTime", .int(a.modificationTime)),
                ("dataChange", .bool(a.dataChange)),
            ]
            if let stats = a.stats { members.append(("stats", .string(stats))) }
            if let tags = a.tags { members.append(("tags", .object(tags.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))) }
            if let dv = a.deletionVector { members.append(("deletionVector", Self.encode(dv))) }
            return ("add", .object(members))
        case .remove(let r):
            var members: [(String, JSONValue)] = [("path", .string(r.path))]
            if let t = r.deletionTimestamp { members.append(("deletionTimestamp", .int(t))) }
            members.append(("dataChange", .bool(r.dataChange)))
            if let e = r.extendedFileMetadata { members.append(("extendedFileMetadata", .bool(e))) }
            if let p = r.partitionValues { members.append(("partitionValues", Self.encode(p))) }
            if let s = r.size { members.append(("size", .int(s))) }
            if let dv = r.deletionVector { members.append(("deletionVector", Self.encode(dv))) }
            return ("remove", .object(members))
        case .transaction(let appID, let version, let lastUpdated):
            var members: [(String, JSONValue)] = [("appId", .string(appID)), ("version", .int(version))]
            if let t = lastUpdated { members.append(("lastUpdated", .int(t))) }
            return ("txn", .object(members))
        case .commitInfo(let info):
            return ("commitInfo", info)
        case .other(let name, let value):
            return (name, value)
        }
    }

    static func encode(_ values: [String: String?]) -> JSONValue {
        .object(values.sorted { $0.key < $1.key }.map { ($0.key, $0.value.map { JSONValue.string($0) } ?? .null) })
    }

    static func encode(_ dv: DeletionVectorDescriptor) -> JSONValue {
        var members: [(String, JSONValue)] = [("storageType", .string(dv.storageType)), ("pathOrInlineDv", .string(dv.pathOrInlineDv))]
        if let offset = dv.offset { members.append(("offset", .int(offset))) }
        members.append(("sizeInBytes", .int(dv.sizeInBytes)))
        members.append(("cardinality", .int(dv.cardinality)))
        return .object(members)
    }

    /// Reads one action from its JSON object (`{"add": {...}}`).
    ///
    /// - Throws: ``CatalogError`` `.corruptLog` naming the missing or mistyped field.
    public init(json: JSONValue) throws(CatalogError) {
        guard case .object(let members) = json, members.count == 1, let (name, body) = members.first else {
            throw CatalogError(.corruptLog, "an action must be an object with one member")
        }
        func bad(_ field: String) -> CatalogError { CatalogError(.corruptLog, "\(name).\(field) is missing or has the wrong type") }
        func string(_ field: String) throws(CatalogError) -> String {
            guard let s = body[field]?.stringValue else { throw bad(field) }
            return s
        }
        func int(_ field: String) throws(CatalogError) -> Int64 {
            guard let v = body[field]?.int64Value else { throw bad(field) }
            return v
        }
        func optionalInt(_ field: String) -> Int64? { body[field]?.int64Value }
        func strings(_ field: String) throws(CatalogError) -> [String]? {
            guard let value = body[field], value != .null else { return nil }
            guard let items = value.arrayValue else { throw bad(field) }
            var out: [String] = []
            for item in items { guard let s = item.stringValue else { throw bad(field) }; out.append(s) }
            return out
        }
        func map(_ field: String) throws(CatalogError) -> [String: String?]? {
            guard let value = body[field], value != .null else { return nil }
            if value == .array([]) { return [:] }   // an empty map read from a checkpoint
            guard let members = value.objectValue else { throw bad(field) }
            var out: [String: String?] = [:]
            for (k, v) in members {
                if v == .null { out[k] = .some(nil) } else if let s = v.stringValue { out[k] = s } else { throw bad(field + "." + k) }
            }
            return out
        }
        func dv() throws(CatalogError) -> DeletionVectorDescriptor? {
            guard let value = body["deletionVector"], value != .null else { return nil }
            guard let type = value["storageType"]?.stringValue, let p = value["pathOrInlineDv"]?.stringValue,
                  let size = value["sizeInBytes"]?.int64Value, let cardinality = value["cardinality"]?.int64Value,
                  size >= 0, size < Int64(Int32.max), cardinality >= 0 else { throw bad("deletionVector") }
            let offset = value["offset"]?.int64Value
            if let offset, offset < 0 || offset > Int64(Int32.max) { throw bad("deletionVector.offset") }
            return DeletionVectorDescriptor(storageType: type, pathOrInlineDv: p, offset: offset.map { Int($0) }, sizeInBytes: Int(size), cardinality: cardinality)
        }
        switch name {
        case "protocol":
            self = .protocol(DeltaProtocol(minReaderVersion: Int(try int("minReaderVersion")), minWriterVersion: Int(try int("minWriterVersion")),
                                           readerFeatures: try strings("readerFeatures"), writerFeatures: try strings("writerFeatures")))
        case "metaData":
            guard let format = body["format"], format["provider"]?.stringValue?.lowercased() == "parquet" else {
                throw CatalogError(.unsupportedFeature, "metaData.format.provider must be parquet")
            }
            var configuration: [String: String] = [:]
            for (k, v) in try map("configuration") ?? [:] { if let v { configuration[k] = v } }
            self = .metadata(DeltaMetadata(id: try string("id"), name: body["name"]?.stringValue, description: body["description"]?.stringValue,
                                           schemaString: try string("schemaString"), partitionColumns: try strings("partitionColumns") ?? [],
                                           configuration: configuration, createdTime: optionalInt("createdTime")))
        case "add":
            var tags: [String: String]?
            if let raw = try map("tags") { tags = raw.compactMapValues { $0 } }
            self = .add(DeltaAddFile(path: try string("path"), partitionValues: try map("partitionValues") ?? [:], size: try int("size"),
                                     modificationTime: optionalInt("modificationTime") ?? 0, dataChange: body["dataChange"]?.boolValue ?? true,
                                     stats: body["stats"]?.stringValue, deletionVector: try dv(), tags: tags))
        case "remove":
            self = .remove(DeltaRemoveFile(path: try string("path"), deletionTimestamp: optionalInt("deletionTimestamp"),
                                           dataChange: body["dataChange"]?.boolValue ?? true, extendedFileMetadata: body["extendedFileMetadata"]?.boolValue,
                                           partitionValues: try map("partitionValues"), size: optionalInt("size"), deletionVector: try dv()))
        case "txn":
            self = .transaction(appID: try string("appId"), version: try int("version"), lastUpdated: optionalInt("lastUpdated"))
        case "commitInfo":
            self = .commitInfo(body)
        default:
            self = .other(name: name, body)
        }
    }

    /// Parses a commit file: one action per non-empty line.
    ///
    /// - Throws: ``CatalogError`` `.corruptLog` with the line number.
    public static func parseCommit(_ bytes: [UInt8]) throws(CatalogError) -> [DeltaAction] {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw CatalogError(.corruptLog, "the commit file is not UTF-8") }
        var actions: [DeltaAction] = []
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingSuffix { $0 == "\r" || $0 == " " }
            if trimmed.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            do throws(CatalogError) {
                actions.append(try DeltaAction(json: try JSONValue.parse(String(trimmed))))
            } catch {
                var located = error
                located.context.line = k + 1
                throw located
            }
        }
        return actions
    }

    /// A commit file's bytes: the actions, one per line.
    public static func encodeCommit(_ actions: [DeltaAction]) -> [UInt8] {
        Array(actions.map(\.jsonLine).joined(separator: "\n").utf8) + [0x0A]
    }
}

extension Substring {
    func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
