import ColumnarCore
import Foundation
import ParquetKit
import Testing

/// Property tests of the writer against our reader: random data of every type, nulls anywhere,
/// extreme values, many row groups and pages, every codec × page version × dictionary choice.
@Suite struct WriterRoundTripTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    static let mapEntry = Field("key_value", .struct([Field("key", .utf8, nullable: false), Field("value", .int64)]),
                                nullable: false, metadata: ["parquet.map": "true"])

    /// One field of every type the writer stores.
    static let fields: [Field] = [
        Field("bool", .boolean), Field("i8", .int8), Field("i16", .int16), Field("i32", .int32), Field("i64", .int64),
        Field("u8", .uint8), Field("u16", .uint16), Field("u32", .uint32), Field("u64", .uint64),
        Field("f32", .float32), Field("f64", .float64),
        Field("d9", .decimal128(precision: 9, scale: 2)), Field("d18", .decimal128(precision: 18, scale: 4)),
        Field("d38", .decimal128(precision: 38, scale: 10)), Field("d60", .decimal256(precision: 60, scale: 5)),
        Field("text", .utf8), Field("bytes", .binary), Field("day", .date32),
        Field("t_ms", .time64(.millisecond)), Field("t_us", .time64(.microsecond)), Field("t_ns", .time64(.nanosecond)),
        Field("ts_ms", .timestamp(.millisecond, timeZone: nil)), Field("ts_us_utc", .timestamp(.microsecond, timeZone: "UTC")),
        Field("ts_ns", .timestamp(.nanosecond, timeZone: nil)), Field("wide", .wideTimestamp(timeZone: nil)),
        Field("required_i64", .int64, nullable: false), Field("required_text", .utf8, nullable: false),
        Field("ints", .list(Field("element", .int32))), Field("words", .list(Field("element", .utf8, nullable: false))),
        Field("pair", .struct([Field("a", .int64), Field("b", .utf8)])),
        Field("rows", .list(Field("element", .struct([Field("x", .float64), Field("tags", .list(Field("element", .utf8)))])))),
        Field("grid", .list(Field("element", .list(Field("element", .int16))))),
        Field("map", .list(mapEntry)),
        Field("embedding", .fixedSizeList(Field("item", .float32), size: 3)),
    ]

    static func value(_ type: DataType, _ r: inout Random, depth: Int = 0) -> Scalar {
        func pick<T>(_ values: [T]) -> T { values[r.below(values.count)] }
        switch type {
        case .boolean: return .boolean(r.chance(50))
        case .int8: return .int8(pick([Int8.min, Int8.max, 0, -1, Int8(truncatingIfNeeded: r.next())]))
        case .int16: return .int16(pick([Int16.min, Int16.max, 0, Int16(truncatingIfNeeded: r.next())]))
        case .int32: return .int32(pick([Int32.min, Int32.max, 0, Int32(truncatingIfNeeded: r.next()), Int32(r.below(5))]))
        case .int64: return .int64(pick([Int64.min, Int64.max, 0, Int64(bitPattern: r.next()), Int64(r.below(5))]))
        case .uint8: return .uint8(pick([UInt8.max, 0, UInt8(truncatingIfNeeded: r.next())]))
        case .uint16: return .uint16(pick([UInt16.max, 0, UInt16(truncatingIfNeeded: r.next())]))
        case .uint32: return .uint32(pick([UInt32.max, 0, UInt32(truncatingIfNeeded: r.next()), 1 << 31]))
        case .uint64: return .uint64(pick([UInt64.max, 0, r.next(), 1 << 63]))
        case .float32: return .float32(pick([Float.nan, -0.0, 0.0, .infinity, -.infinity, .leastNonzeroMagnitude, Float(bitPattern: UInt32(truncatingIfNeeded: r.next()))]))
        case .float64: return .float64(pick([Double.nan, -0.0, 0.0, .infinity, -.greatestFiniteMagnitude, Double(r.below(1000)) / 8]))
        case .decimal128(let p, let s):
            let limit = (0..<p).reduce(Int128(1)) { a, _ in a * 10 } - 1
            return .decimal128(pick([limit, -limit, 0, Int128(Int64(bitPattern: r.next())) % limit]), precision: p, scale: s)
        case .decimal256(let p, let s):
            let digits = String(repeating: "9", count: p)
            let random = String(r.next()) + String(r.next())
            return .decimal256(pick([Int256(digits)!, Int256("-" + digits)!, .zero, Int256(random)!]), precision: p, scale: s)
        case .utf8:
            return .utf8(pick(["", "a", "Chicago", "ünïcødé ☃", String(repeating: "x", count: r.below(300)), "same", "same"]))
        case .binary: return .binary(pick([[], [0], [0xFF, 0, 7], (0..<r.below(40)).map { _ in UInt8(truncatingIfNeeded: r.next()) }]))
        case .date32: return .date32(pick([0, -719_162, 2_932_896, Int32(r.below(40_000)) - 20_000]))
        case .time64(let unit):
            let day = Int64(86_400) * unit.ticksPerSecond
            return .time64(pick([0, day - 1, Int64(r.below(Int(day)))]), unit)
        case .timestamp(let unit, let zone):
            let extreme = unit == .nanosecond ? Int64.max : Int64.max / 1_000
            return .timestamp(pick([0, -1, extreme, -extreme, Int64(bitPattern: r.next()) / 1_000_000]), unit, timeZone: zone)
        case .interval:
            // Not in the round-trip schemas: the writer has no Parquet layout for INTERVAL yet.
            return .interval(Interval(months: Int32(r.below(24)), days: Int32(r.below(60)), microseconds: Int64(r.below(1_000_000))))
        case .wideTimestamp(let zone):
            let day = Int128(86_400_000_000_000)
            return .wideTimestamp(pick([0, -1, 2_932_896 * day + 3, -719_162 * day, Int128(Int64(bitPattern: r.next()))]), timeZone: zone)
        case .list(let element):
            let count = pick([0, 1, 2, 5])
            return .list((0..<count).map { _ in element.isNullable && r.chance(15) ? .null : value(element.dataType, &r, depth: depth + 1) })
        case .struct(let children):
            var values: [String: Scalar] = [:]
            for child in children { values[child.name] = child.isNullable && r.chance(15) ? .null : value(child.dataType, &r, depth: depth + 1) }
            return .struct(values)
        case .fixedSizeList(_, let size):
            return .list((0..<size).map { _ in .float32(Float(r.below(100)) / 4) })
        }
    }

    static func batch(rows: Int, _ r: inout Random, nullPercent: Int) throws -> RecordBatch {
        var columns: [Column] = []
        for field in fields {
            let allNull = field.isNullable && r.chance(5)
            let scalars = (0..<rows).map { _ in
                field.isNullable && (allNull || r.chance(nullPercent)) ? Scalar.null : value(field.dataType, &r)
            }
            columns.append(try Column(field.dataType, scalars))
        }
        return try RecordBatch(schema: Schema(fields), columns: columns, count: rows)
    }

    /// Structural equality with floats compared by bit pattern (NaN equals NaN, -0.0 differs from 0.0).
    static func same(_ a: Scalar, _ b: Scalar) -> Bool {
        switch (a, b) {
        case (.float32(let x), .float32(let y)): return x.bitPattern == y.bitPattern
        case (.float64(let x), .float64(let y)): return x.bitPattern == y.bitPattern
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.struct(let x), .struct(let y)): return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
        default: return a == b
        }
    }

    static func write(_ batches: [RecordBatch], options: ParquetWriterOptions) throws -> [UInt8] {
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: Schema(fields), options: options)
        for batch in batches { try writer.write(batch) }
        try writer.close()
        #expect(sink.isFinished)
        return sink.bytes
    }

    static func readBack(_ bytes: [UInt8]) throws -> [RecordBatch] {
        var options = ParquetReadOptions()
        options.int96 = .wide
        options.keepDictionaries = false
        return try ParquetFileReader(source: MemoryByteSource(bytes), options: options).readRowGroups()
    }

    static func expectSameRows(_ written: [RecordBatch], _ read: [RecordBatch], _ label: String) {
        let expected = written.flatMap { batch in (0..<batch.count).map { row in batch.columns.map { $0.scalar(at: row) } } }
        let actual = read.flatMap { batch in (0..<batch.count).map { row in batch.columns.map { $0.scalar(at: row) } } }
        #expect(actual.count == expected.count, "\(label): \(actual.count) rows read, \(expected.count) written")
        for (row, (e, a)) in zip(expected, actual).enumerated() {
            for (column, (x, y)) in zip(e, a).enumerated() where !same(x, y) {
                Issue.record("\(label) row \(row) column \(fields[column].name): wrote \(x), read \(y)")
                return
            }
        }
    }

    @Test("every type, nulls anywhere, many row groups and pages, for every codec × page version × dictionary",
          arguments: [CompressionCodec.uncompressed, .snappy, .gzip, .zstd, .lz4Raw])
    func everyCombination(codec: CompressionCodec) throws {
        for pageVersion in [1, 2] {
            for dictionary in [true, false] {
                var r = Random(state: UInt64(codec.rawValue) * 1_000 + UInt64(pageVersion) * 10 + (dictionary ? 1 : 0))
                let batches = try [0, 57, 1, 120, 0, 33].map { try Self.batch(rows: $0, &r, nullPercent: 20) }
                var options = ParquetWriterOptions()
                options.codec = codec
                options.pageVersion = pageVersion
                options.dictionary = dictionary
                options.rowGroupRows = 50
                options.maxRowsPerPage = 7
                let bytes = try Self.write(batches, options: options)
                let read = try Self.readBack(bytes)
                #expect(read.count == 5, "211 rows in row groups of 50")
                Self.expectSameRows(batches, read, "\(codec) v\(pageVersion) dictionary \(dictionary)")
            }
        }
    }

    /// Per-column value encodings: DELTA_BINARY_PACKED for integers, DELTA_LENGTH_BYTE_ARRAY or
    /// DELTA_BYTE_ARRAY for text and bytes, BYTE_STREAM_SPLIT for floats and wide decimals.
    static func encodings(textEncoding: Encoding) -> [String: Encoding] {
        var chosen: [String: Encoding] = [:]
        for name in ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "d9", "d18", "day", "t_ms", "t_us", "t_ns",
                     "ts_ms", "ts_us_utc", "ts_ns", "required_i64", "ints.list.element", "grid.list.element.list.element",
                     "pair.a", "map.key_value.value"] {
            chosen[name] = .deltaBinaryPacked
        }
        for name in ["text", "bytes", "required_text", "words.list.element", "pair.b", "rows.list.element.tags.list.element", "map.key_value.key"] {
            chosen[name] = textEncoding
        }
        for name in ["f32", "f64", "d38", "d60", "rows.list.element.x", "embedding.list.element"] { chosen[name] = .byteStreamSplit }
        return chosen
    }

    @Test("every value encoding (DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT) × page version × codec",
          arguments: [Encoding.deltaLengthByteArray, .deltaByteArray])
    func everyEncoding(textEncoding: Encoding) throws {
        for pageVersion in [1, 2] {
            for codec in [CompressionCodec.uncompressed, .snappy, .zstd] {
                var r = Random(state: UInt64(textEncoding.rawValue) * 100 + UInt64(pageVersion) * 10 + UInt64(codec.rawValue))
                let batches = try [70, 0, 200, 3].map { try Self.batch(rows: $0, &r, nullPercent: 25) }
                var options = ParquetWriterOptions()
                options.codec = codec
                options.pageVersion = pageVersion
                options.columnEncodings = Self.encodings(textEncoding: textEncoding)
                options.rowGroupRows = 120
                options.maxRowsPerPage = 50
                let bytes = try Self.write(batches, options: options)
                let reader = try ParquetFileReader(source: MemoryByteSource(bytes))
                let used = Set(reader.metadata.rowGroups[0].columns.flatMap(\.encodings))
                #expect(used.isSuperset(of: [.deltaBinaryPacked, textEncoding, .byteStreamSplit]))
                Self.expectSameRows(batches, try Self.readBack(bytes), "\(textEncoding) v\(pageVersion) \(codec)")
            }
        }
    }

    @Test("an encoding that does not fit the column's type is refused")
    func mismatchedEncoding() throws {
        var options = ParquetWriterOptions()
        options.columnEncodings = ["text": .deltaBinaryPacked]
        let sink = MemorySink()
        let error = try #require(throws: ParquetError.self) { try ParquetFileWriter(sink: sink, schema: Schema(Self.fields), options: options) }
        #expect(error.code == .invalidArgument)
        #expect(error.message.contains("DELTA_BINARY_PACKED"))
        #expect(sink.bytes.isEmpty, "an abandoned file leaves nothing behind")
    }

    /// A random type: a leaf from the pool, or (while `depth` allows) a list, struct or map of
    /// random types, with random nullability.
    static func randomType(_ r: inout Random, depth: Int) -> DataType {
        let leaves = fields.map(\.dataType).filter { !$0.isNested }
        guard depth > 0, r.chance(45) else { return leaves[r.below(leaves.count)] }
        switch r.below(3) {
        case 0: return .list(Field("element", randomType(&r, depth: depth - 1), nullable: r.chance(50)))
        case 1:
            return .struct((0..<(1 + r.below(3))).map { Field("f\($0)", randomType(&r, depth: depth - 1), nullable: r.chance(60)) })
        default:
            return .list(Field("key_value", .struct([Field("key", .utf8, nullable: false), Field("value", randomType(&r, depth: depth - 1))]),
                               nullable: false, metadata: ["parquet.map": "true"]))
        }
    }

    @Test("random schemas (nesting up to three levels) with random data round-trip", arguments: 0..<12)
    func randomSchemas(seed: Int) throws {
        var r = Random(state: 0xC0FFEE + UInt64(seed))
        let schema = Schema((0..<(1 + r.below(5))).map { Field("c\($0)", Self.randomType(&r, depth: 3), nullable: r.chance(70)) })
        var batches: [RecordBatch] = []
        for rows in [r.below(40), 0, r.below(90)] {
            var columns: [Column] = []
            for field in schema.fields {
                let scalars = (0..<rows).map { _ in field.isNullable && r.chance(20) ? Scalar.null : Self.value(field.dataType, &r) }
                columns.append(try Column(field.dataType, scalars))
            }
            batches.append(try RecordBatch(schema: schema, columns: columns, count: rows))
        }
        var options = ParquetWriterOptions()
        options.pageVersion = 1 + r.below(2)
        options.dictionary = r.chance(50)
        options.codec = [.uncompressed, .snappy, .zstd, .gzip][r.below(4)]
        options.rowGroupRows = 1 + r.below(60)
        options.maxRowsPerPage = 1 + r.below(20)
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: schema, options: options)
        for batch in batches { try writer.write(batch) }
        try writer.close()
        var read = ParquetReadOptions()
        read.int96 = .wide
        read.keepDictionaries = false
        let back = try ParquetFileReader(source: MemoryByteSource(sink.bytes), options: read).readRowGroups()
        let expected = batches.flatMap { b in (0..<b.count).map { row in b.columns.map { $0.scalar(at: row) } } }
        let actual = back.flatMap { b in (0..<b.count).map { row in b.columns.map { $0.scalar(at: row) } } }
        #expect(actual.count == expected.count, "seed \(seed) \(schema)")
        for (row, (e, a)) in zip(expected, actual).enumerated() where !zip(e, a).allSatisfy({ Self.same($0, $1) }) {
            Issue.record("seed \(seed) row \(row): wrote \(e), read \(a) — schema \(schema)")
            break
        }
    }

    @Test("zero rows: the schema survives and nothing is read")
    func zeroRows() throws {
        var r = Random(state: 7)
        let bytes = try Self.write([try Self.batch(rows: 0, &r, nullPercent: 0)], options: ParquetWriterOptions())
        let reader = try ParquetFileReader(source: MemoryByteSource(bytes))
        #expect(reader.metadata.numRows == 0)
        #expect(try reader.schema().fields.map(\.name) == Self.fields.map(\.name))
    }

    @Test("megabyte strings and an all-null column round-trip")
    func largeValues() throws {
        let big = String(repeating: "0123456789abcdef", count: 65_536)  // 1 MiB
        let schema = Schema([Field("text", .utf8), Field("nothing", .int64)])
        let batch = try RecordBatch(schema: schema, columns: [
            .utf8(BinaryColumn([big, nil, big + "!", ""])), .int64(PrimitiveColumn([Int64?](repeating: nil, count: 4))),
        ])
        let sink = MemorySink()
        let writer = try ParquetFileWriter(sink: sink, schema: schema)
        try writer.write(batch)
        try writer.close()
        let read = try ParquetFileReader(source: MemoryByteSource(sink.bytes)).readRowGroup(0)
        #expect(read.columns[0].scalars == [.utf8(big), .null, .utf8(big + "!"), .utf8("")])
        #expect(read.columns[1].scalars == [.null, .null, .null, .null])
    }
}
