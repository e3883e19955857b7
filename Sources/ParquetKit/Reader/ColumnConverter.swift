import ColumnarCore

/// Turns a chunk's present physical values plus its validity into a ColumnarCore column of the
/// leaf's logical type, placing values at the present rows.
struct ColumnConverter {
    let leaf: LeafColumn
    let context: ParquetError.Context

    func error(_ message: String) -> ParquetError {
        ParquetError(code: .corruptFile, message: message, context: context)
    }

    func column(from values: PhysicalValues, validity: Bitmap?, rows: Int) throws(ParquetError) -> Column {
        var values = values
        let type = try leaf.columnarType()
        let expected = validity?.setCount ?? rows
        guard values.count == expected else {
            throw error("the pages hold \(values.count) values for \(expected) present rows")
        }
        // Present values placed at the present rows; without nulls the buffer is handed over.
        func spread<T: FixedWidthValue>(_ present: ValueBufferBuilder<T>) -> PrimitiveColumn<T> {
            var present = present
            guard let validity else { return PrimitiveColumn(values: present.finish(), validity: nil) }
            let full = present.withUnsafeBufferPointer { source in
                ValueBuffer<T>(unsafeUninitializedCount: rows) { out in
                    var next = 0
                    for row in 0..<rows {
                        if validity[row] { out[row] = source[next]; next += 1 } else { out[row] = .zero }
                    }
                }
            }
            return PrimitiveColumn(values: full, validity: validity)
        }
        func converted<S, T: FixedWidthValue>(_ source: ValueBufferBuilder<S>, _ convert: (S) -> T) -> PrimitiveColumn<T> {
            var out = ValueBufferBuilder<T>(capacity: source.count)
            source.withUnsafeBufferPointer { input in
                out.appendUninitialized(count: input.count) { target in
                    for i in 0..<input.count { target[i] = convert(input[i]) }
                }
            }
            return spread(out)
        }
        func mapped<S, T: FixedWidthValue>(_ source: ValueBufferBuilder<S>, _ convert: (S) throws(ParquetError) -> T) throws(ParquetError) -> PrimitiveColumn<T> {
            var out = ValueBufferBuilder<T>(capacity: source.count)
            for i in 0..<source.count { out.append(try convert(source[i])) }
            return spread(out)
        }
        func narrow<T: FixedWidthInteger & FixedWidthValue>(_ source: ValueBufferBuilder<Int32>, _: T.Type) throws(ParquetError) -> PrimitiveColumn<T> {
            try mapped(source) { (v) throws(ParquetError) -> T in
                guard let n = T(exactly: v) else { throw error("value \(v) does not fit \(type)") }
                return n
            }
        }
        switch (values.type, type) {
        case (.boolean, .boolean):
            let bits = values.booleans.finish()
            guard let validity else { return .boolean(BooleanColumn(values: bits, validity: nil)) }
            let present = (0..<bits.count).map { bits[$0] }
            var out = BitmapBuilder(capacity: rows)
            var next = 0
            for row in 0..<rows {
                if validity[row] { out.append(present[next]); next += 1 } else { out.append(false) }
            }
            return .boolean(BooleanColumn(values: out.finish(), validity: validity))
        case (.int32, .int32): return .int32(spread(values.int32s))
        case (.int32, .int8): return .int8(try narrow(values.int32s, Int8.self))
        case (.int32, .int16): return .int16(try narrow(values.int32s, Int16.self))
        case (.int32, .uint8): return .uint8(try mapped(values.int32s) { (x) throws(ParquetError) -> UInt8 in
            guard let n = UInt8(exactly: UInt32(bitPattern: x)) else { throw error("value \(UInt32(bitPattern: x)) does not fit \(type)") }
            return n })
        case (.int32, .uint16): return .uint16(try mapped(values.int32s) { (x) throws(ParquetError) -> UInt16 in
            guard let n = UInt16(exactly: UInt32(bitPattern: x)) else { throw error("value \(UInt32(bitPattern: x)) does not fit \(type)") }
            return n })
        case (.int32, .uint32): return .uint32(converted(values.int32s) { UInt32(bitPattern: $0) })
        case (.int32, .date32): return .date32(spread(values.int32s))
        case (.int32, .time64(let unit)): return .time64(converted(values.int32s) { Int64($0) }, unit)
        case (.int32, .decimal128(let p, let s)):
            values.widenDecimals()
            return .decimal128(spread(values.decimals), precision: p, scale: s)
        case (.int64, .int64): return .int64(spread(values.int64s))
        case (.int64, .uint64): return .uint64(converted(values.int64s) { UInt64(bitPattern: $0) })
        case (.int64, .timestamp(let unit, let zone)): return .timestamp(spread(values.int64s), unit, timeZone: zone)
        case (.int64, .time64(let unit)): return .time64(spread(values.int64s), unit)
        case (.int64, .decimal128(let p, let s)):
            values.widenDecimals()
            return .decimal128(spread(values.decimals), precision: p, scale: s)
        case (.int32, .decimal256(let p, let s)):
            return .decimal256(converted(values.int32s) { Int256(Int64($0)) }, precision: p, scale: s)
        case (.int64, .decimal256(let p, let s)):
            return .decimal256(converted(values.int64s) { Int256($0) }, precision: p, scale: s)
        case (.int96, .timestamp(let unit, let zone)):
            let converted = _int96Nanoseconds(values.int96s, unit: unit)
            if let row = converted.firstOverflow {
                let exact = _int96Nanoseconds(values.int96s, unit: nil).values[row]
                let text = CanonicalJSON.value(.wideTimestamp(exact, timeZone: nil), leaf: nil)
                throw ParquetError(code: .valueOutOfRange,
                                   message: "INT96 value \(text) (present value \(row)) does not fit a 64-bit TIMESTAMP(\(unit.abbreviation)); read with ParquetReadOptions.int96 = .wide for every INT96 value exactly",
                                   context: context)
            }
            return .timestamp(spread(converted.narrow), unit, timeZone: zone)
        case (.int96, .wideTimestamp(let zone)):
            return .wideTimestamp(spread(_int96Nanoseconds(values.int96s, unit: nil).values), timeZone: zone)
        case (.float, .float32): return .float32(spread(values.floats))
        case (.double, .float64): return .float64(spread(values.doubles))
        case (.byteArray, _), (.fixedLenByteArray, _):
            let present = values.bytes.finish()
            switch type {
            case .utf8, .binary:
                // Nulls become empty rows: only the offsets are spread, the bytes are shared.
                var column = present
                if let validity {
                    let offsets = present.offsets.withUnsafeBufferPointer { source in
                        ValueBuffer<Int32>(unsafeUninitializedCount: rows + 1) { out in
                            out[0] = source[0]
                            var next = 0
                            for row in 0..<rows {
                                if validity[row] { next += 1 }
                                out[row + 1] = source[next]
                            }
                        }
                    }
                    column = BinaryColumn(offsets: offsets, bytes: present.bytes, validity: validity)
                }
                return type == .utf8 ? .utf8(column) : .binary(column)
            case .decimal128(let p, let s):
                var decoded = ValueBufferBuilder<Int128>(capacity: present.count)
                for i in 0..<present.count {
                    let raw = present.bytes(at: i)
                    guard raw.count <= 16 || raw.dropLast(16).allSatisfy({ $0 == (raw[0] & 0x80 != 0 ? 0xFF : 0) }) else {
                        throw error("a \(raw.count)-byte decimal does not fit 128 bits")
                    }
                    var value: Int128 = raw.first.map { $0 & 0x80 != 0 ? -1 : 0 } ?? 0
                    for byte in raw.suffix(16) { value = value << 8 | Int128(byte) }
                    decoded.append(value)
                }
                return .decimal128(spread(decoded), precision: p, scale: s)
            case .decimal256(let p, let s):
                var decoded = ValueBufferBuilder<Int256>(capacity: present.count)
                for i in 0..<present.count {
                    let raw = present.bytes(at: i)
                    guard let value = Int256(bigEndianTwosComplement: raw) else {
                        throw error("a \(raw.count)-byte decimal does not fit 256 bits")
                    }
                    decoded.append(value)
                }
                return .decimal256(spread(decoded), precision: p, scale: s)
            case .float32:
                var decoded = ValueBufferBuilder<Float>(capacity: present.count)
                for i in 0..<present.count {
                    let raw = present.bytes(at: i)
                    guard raw.count == 2 else { throw error("FLOAT16 value of \(raw.count) bytes") }
                    decoded.append(_halfToFloat(UInt16(raw[0]) | UInt16(raw[1]) << 8))
                }
                return .float32(spread(decoded))
            default: break
            }
        default: break
        }
        throw ParquetError(code: .unsupportedFeature, message: "reading \(leaf.element.type.map(\.description) ?? "?") as \(type) is not supported", context: context)
    }
}

/// IEEE half precision bits to Float, exactly (subnormals, infinities and NaN included).
func _halfToFloat(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 != 0 ? -1 : 1
    let exponent = Int((bits >> 10) & 0x1F)
    let fraction = Float(bits & 0x3FF)
    switch exponent {
    case 0: return sign * fraction * Float(sign: .plus, exponent: -24, significand: 1)
    case 31: return fraction == 0 ? sign * .infinity : .nan
    default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
    }
}

/// INT96 timestamps (nanoseconds of the day, then the Julian day, little-endian) as exact
/// nanoseconds since the epoch; with a `unit`, also converted to 64-bit ticks of it (rounding
/// toward the past), reporting the first present value that does not fit.
func _int96Nanoseconds(_ bytes: ValueBufferBuilder<UInt8>, unit: TimeUnit?) -> (values: ValueBufferBuilder<Int128>, narrow: ValueBufferBuilder<Int64>, firstOverflow: Int?) {
    let count = bytes.count / 12
    var wide = ValueBufferBuilder<Int128>(capacity: unit == nil ? count : 0)
    var narrow = ValueBufferBuilder<Int64>(capacity: unit == nil ? 0 : count)
    var overflow: Int?
    let divisor = Int128(1_000_000_000 / (unit?.ticksPerSecond ?? 1_000_000_000))
    bytes.withUnsafeBufferPointer { raw in
        guard let base = raw.baseAddress else { return }
        for i in 0..<count {
            let ofDay = Int64(littleEndian: UnsafeRawPointer(base + i * 12).loadUnaligned(as: Int64.self))
            let julian = Int32(littleEndian: UnsafeRawPointer(base + i * 12 + 8).loadUnaligned(as: Int32.self))
            let exact = (Int128(julian) - 2_440_588) * 86_400_000_000_000 + Int128(ofDay)
            guard unit != nil else { wide.append(exact); continue }
            var (ticks, rest) = exact.quotientAndRemainder(dividingBy: divisor)
            if rest < 0 { ticks -= 1; rest += divisor }
            if let fitting = Int64(exactly: ticks) {
                narrow.append(fitting)
            } else {
                narrow.append(0)
                if overflow == nil { overflow = i }
            }
        }
    }
    return (wide, narrow, overflow)
}
