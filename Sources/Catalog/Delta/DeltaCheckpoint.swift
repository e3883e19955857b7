import ColumnarCore
import ParquetKit

/// Classic single-file checkpoints: `_delta_log/<version>.checkpoint.parquet`, one row per action
/// of the replayed state (protocol, metadata, transactions, live files), each in its own struct
/// column, plus `_delta_log/_last_checkpoint`. Readers start from the newest checkpoint instead of
/// replaying every commit; checkpoints written by Spark, delta-rs and others are read too.
extension DeltaTable {
    private static func map(_ value: DataType) -> DataType {
        .list(Field("key_value", .struct([Field("key", .utf8, nullable: false), Field("value", value)]), nullable: false, metadata: [DeltaSchema.mapMarker: "true"]))
    }

    static let checkpointSchema: Schema = {
        let dv = DataType.struct([Field("storageType", .utf8), Field("pathOrInlineDv", .utf8), Field("offset", .int32),
                                  Field("sizeInBytes", .int32), Field("cardinality", .int64)])
        let strings = DataType.list(Field("element", .utf8))
        return Schema([
            Field("txn", .struct([Field("appId", .utf8), Field("version", .int64), Field("lastUpdated", .int64)])),
            Field("add", .struct([Field("path", .utf8), Field("partitionValues", map(.utf8)), Field("size", .int64), Field("modificationTime", .int64),
                                  Field("dataChange", .boolean), Field("stats", .utf8), Field("tags", map(.utf8)), Field("deletionVector", dv)])),
            Field("remove", .struct([Field("path", .utf8), Field("deletionTimestamp", .int64), Field("dataChange", .boolean),
                                     Field("extendedFileMetadata", .boolean), Field("partitionValues", map(.utf8)), Field("size", .int64), Field("deletionVector", dv)])),
            Field("metaData", .struct([Field("id", .utf8), Field("name", .utf8), Field("description", .utf8),
                                       Field("format", .struct([Field("provider", .utf8), Field("options", map(.utf8))])),
                                       Field("schemaString", .utf8), Field("partitionColumns", strings), Field("configuration", map(.utf8)),
                                       Field("createdTime", .int64)])),
            Field("protocol", .struct([Field("minReaderVersion", .int32), Field("minWriterVersion", .int32),
                                       Field("readerFeatures", strings), Field("writerFeatures", strings)])),
        ])
    }()

    /// Writes a checkpoint of `version` (and points `_last_checkpoint` at it).
    public func writeCheckpoint(version: Int64) throws(CatalogError) {
        let snapshot = try snapshot(version: version)
        var rows: [[String: Scalar]] = []   // one action per row: column name → struct value
        func text(_ s: String?) -> Scalar { s.map { .utf8($0) } ?? .null }
        func map(_ values: [String: String?]?) -> Scalar {
            guard let values else { return .null }
            return .list(values.sorted { $0.key < $1.key }.map { .struct(["key": .utf8($0.key), "value": text($0.value)]) })
        }
        func list(_ values: [String]?) -> Scalar { values.map { .list($0.map { .utf8($0) }) } ?? .null }
        func dv(_ d: DeletionVectorDescriptor?) -> Scalar {
            guard let d else { return .null }
            return .struct(["storageType": .utf8(d.storageType), "pathOrInlineDv": .utf8(d.pathOrInlineDv), "offset": d.offset.map { .int32(Int32($0)) } ?? .null,
                            "sizeInBytes": .int32(Int32(d.sizeInBytes)), "cardinality": .int64(d.cardinality)])
        }
        let p = snapshot.protocol
        rows.append(["protocol": .struct(["minReaderVersion": .int32(Int32(p.minReaderVersion)), "minWriterVersion": .int32(Int32(p.minWriterVersion)),
                                          "readerFeatures": list(p.readerFeatures), "writerFeatures": list(p.writerFeatures)])])
        let m = snapshot.metadata
        rows.append(["metaData": .struct([
            "id": .utf8(m.id), "name": text(m.name), "description": text(m.description),
            "format": .struct(["provider": .utf8("parquet"), "options": .list([])]),
            "schemaString": .utf8(m.schemaString), "partitionColumns": .list(m.partitionColumns.map { .utf8($0) }),
            "configuration": map(m.configuration.mapValues { Optional($0) }), "createdTime": m.createdTime.map { .int64($0) } ?? .null,
        ])])
        for (app, v) in snapshot.transactions.sorted(by: { $0.key < $1.key }) {
            rows.append(["txn": .struct(["appId": .utf8(app), "version": .int64(v), "lastUpdated": .null])])
        }
        for file in snapshot.files {
            rows.append(["add": .struct([
                "path": .utf8(file.path), "partitionValues": map(file.partitionValues), "size": .int64(file.size),
                "modificationTime": .int64(file.modificationTime), "dataChange": .boolean(false), "stats": text(file.stats),
                "tags": map(file.tags?.mapValues { Optional($0) }), "deletionVector": dv(file.deletionVector),
            ])])
        }
        let schema = Self.checkpointSchema
        let key = try key("_delta_log/" + String(Self.commitName(version).dropLast(5)) + ".checkpoint.parquet")
        do {
            var columns: [Column] = []
            for field in schema.fields {
                columns.append(try Column(field.dataType, rows.map { $0[field.name] ?? .null }))
            }
            let batch = try RecordBatch(schema: schema, columns: columns, count: rows.count)
            let sink = try ObjectStoreSink(store: store, key: key, ifAbsent: false)
            var options = ParquetWriterOptions()
            options.createdBy = Self.engineInfo
            let writer = try ParquetFileWriter(sink: sink, schema: schema, options: options)
            try writer.write(batch)
            _ = try writer.close()
            let pointer = JSONValue.object([("version", .int(version)), ("size", .int(rows.count))]).text
            try store.put(try self.key("_delta_log/_last_checkpoint"), Array(pointer.utf8))
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError(code: .storeFailure, message: "cannot write the checkpoint: \(error)", context: .init(store: store.location, key: key.rawValue, table: name, version: version), underlying: error)
        }
    }

    /// Reads a classic checkpoint into a replay state.
    func readCheckpoint(version: Int64, object: ObjectMetadata) throws(CatalogError) -> DeltaReplay {
        var replay = DeltaReplay()
        do {
            let reader = try ParquetFileReader(source: try ObjectStoreByteSource(store: store, key: object.key, size: object.size))
            let available = Set(try reader.schema().fields.map(\.name))
            let wanted = ["protocol", "metaData", "txn", "add"].filter { available.contains($0) }
            for batch in try reader.readRowGroups(columns: wanted) {
                var actions: [DeltaAction] = []
                for (k, name) in wanted.enumerated() {
                    let column = batch.columns[k]
                    for row in 0..<batch.count where !column.isNull(row) {
                        actions.append(try DeltaAction(json: .object([(name, _json(column.scalar(at: row)))])))
                    }
                }
                replay.apply(actions)
            }
        } catch let error as CatalogError {
            throw error.adding(key: object.key.rawValue, table: name, version: version)
        } catch {
            throw CatalogError(code: .corruptLog, message: "cannot read the checkpoint: \(error)", context: .init(store: store.location, key: object.key.rawValue, table: name, version: version), underlying: error)
        }
        return replay
    }
}

/// A checkpoint value as JSON: structs become objects, maps (lists of key/value structs) objects,
/// other lists arrays.
func _json(_ scalar: Scalar) -> JSONValue {
    switch scalar {
    case .null: return .null
    case .boolean(let b): return .bool(b)
    case .int8(let v): return .int(v)
    case .int16(let v): return .int(v)
    case .int32(let v): return .int(v)
    case .int64(let v): return .int(v)
    case .uint8(let v): return .int(v)
    case .uint16(let v): return .int(v)
    case .uint32(let v): return .int(v)
    case .uint64(let v): return .int(v)
    case .float32(let v): return .number("\(v)")
    case .float64(let v): return .number("\(v)")
    case .utf8(let s): return .string(s)
    case .struct(let members): return .object(members.sorted { $0.key < $1.key }.map { ($0.key, _json($0.value)) })
    case .list(let items):
        let pairs = items.compactMap { item -> (String, JSONValue)? in
            guard case .struct(let m) = item, m.count == 2, case .utf8(let k)? = m["key"], let v = m["value"] else { return nil }
            return (k, _json(v))
        }
        if !items.isEmpty && pairs.count == items.count { return .object(pairs) }
        return .array(items.map(_json))
    default: return .string("\(scalar)")
    }
}
