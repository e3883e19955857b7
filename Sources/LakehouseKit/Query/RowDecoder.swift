import ColumnarCore

/// Decodes one row of a batch: keyed by column name (case-insensitive).
struct _RowDecoder: Decoder {
    let batch: RecordBatch
    let row: Int
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(_RowContainer<Key>(batch: batch, row: row, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a row decodes as a keyed container (by column name)"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "a row decodes as a keyed container (by column name)"))
    }
}

struct _RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let batch: RecordBatch
    let row: Int
    let codingPath: [any CodingKey]

    var allKeys: [Key] { batch.schema.fields.compactMap { Key(stringValue: $0.name) } }

    private func index(_ key: Key) -> Int? {
        batch.schema.fields.firstIndex { $0.name == key.stringValue } ?? batch.schema.fields.firstIndex { $0.name.lowercased() == key.stringValue.lowercased() }
    }

    func contains(_ key: Key) -> Bool { index(key) != nil }

    private func scalar(_ key: Key) throws -> Scalar {
        guard let k = index(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "row \(row) has no column \(key.stringValue); columns: \(batch.schema.fields.map(\.name).joined(separator: ", "))"))
        }
        return batch.columns[k].scalar(at: row)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try scalar(key) == .null }

    private func mismatch<T>(_ type: T.Type, _ key: Key, _ value: Scalar) -> DecodingError {
        DecodingError.typeMismatch(type, .init(codingPath: codingPath + [key], debugDescription: "row \(row), column \(key.stringValue): \(value) does not decode as \(type)"))
    }

    private func integer<T: FixedWidthInteger>(_ type: T.Type, _ key: Key) throws -> T {
        let value = try scalar(key)
        let wide: Int64?
        switch value {
        case .int8(let v): wide = Int64(v)
        case .int16(let v): wide = Int64(v)
        case .int32(let v): wide = Int64(v)
        case .int64(let v): wide = v
        case .uint8(let v): wide = Int64(v)
        case .uint16(let v): wide = Int64(v)
        case .uint32(let v): wide = Int64(v)
        case .uint64(let v): wide = Int64(exactly: v)
        case .decimal128(let v, _, let scale) where scale == 0: wide = Int64(exactly: v)
        default: wide = nil
        }
        guard let wide, let exact = T(exactly: wide) else { throw mismatch(type, key, value) }
        return exact
    }

    private func double(_ key: Key) throws -> Double {
        let value = try scalar(key)
        switch value {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        case .decimal128(let v, _, let scale):
            var divisor = 1.0
            for _ in 0..<scale { divisor *= 10 }
            return Double(v) / divisor
        case .timestamp(let v, let unit, _): return Double(v) / Double(unit.ticksPerSecond)
        default:
            if let i = try? integer(Int64.self, key) { return Double(i) }
            throw mismatch(Double.self, key, value)
        }
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        let value = try scalar(key)
        guard case .boolean(let b) = value else { throw mismatch(type, key, value) }
        return b
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        let value = try scalar(key)
        switch value {
        case .utf8(let s): return s
        case .null: throw mismatch(type, key, value)
        default: return value.formatted
        }
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try double(key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try double(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(type, key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        if T.self == [String].self || T.self == [Int].self || T.self == [Int64].self || T.self == [Double].self {
            let value = try scalar(key)
            guard case .list(let items) = value else { throw mismatch(type, key, value) }
            let decoded: [Any] = items.map { item -> Any in
                switch item {
                case .utf8(let s): return s
                case .int64(let v):
                    if T.self == [Int].self { return Int(v) }
                    if T.self == [Double].self { return Double(v) }
                    return v
                case .float64(let v): return v
                default: return item.formatted
                }
            }
            if let result = decoded as? T { return result }
            throw mismatch(type, key, value)
        }
        throw mismatch(type, key, try scalar(key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch(type, .init(codingPath: codingPath + [key], debugDescription: "nested containers are not supported"))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath + [key], debugDescription: "nested containers are not supported"))
    }

    func superDecoder() throws -> any Decoder { _RowDecoder(batch: batch, row: row, codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder { _RowDecoder(batch: batch, row: row, codingPath: codingPath + [key]) }
}
