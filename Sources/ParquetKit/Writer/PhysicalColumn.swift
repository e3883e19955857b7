import ColumnarCore

/// Dense values in a leaf's physical representation, as PLAIN encoding lays them out.
enum PhysicalColumn {
    case boolean(Bitmap, count: Int)
    case int32(ValueBuffer<Int32>)
    case int64(ValueBuffer<Int64>)
    case float(ValueBuffer<Float>)
    case double(ValueBuffer<Double>)
    /// BYTE_ARRAY values.
    case bytes(BinaryColumn)
    /// FIXED_LEN_BYTE_ARRAY (and INT96) values of `width` bytes each, back to back.
    case fixed(ValueBuffer<UInt8>, width: Int)

    var count: Int {
        switch self {
        case .boolean(_, let count): return count
        case .int32(let v): return v.count
        case .int64(let v): return v.count
        case .float(let v): return v.count
        case .double(let v): return v.count
        case .bytes(let c): return c.count
        case .fixed(let v, let width): return width == 0 ? 0 : v.count / width
        }
    }

    /// The dense `column` (no nulls) of `leaf`'s type in its physical form.
    init(_ column: Column, leaf: WriterLeaf) throws(ParquetError) {
        func mismatch() -> ParquetError {
            ParquetError(code: .invalidArgument, message: "column \(leaf.path.joined(separator: ".")) holds \(column.dataType), not \(leaf.dataType)")
        }
        func mapped<S: FixedWidthValue, T: BitwiseCopyable>(_ source: PrimitiveColumn<S>, _ convert: (S) -> T) -> ValueBuffer<T> {
            source.values.withUnsafeBufferPointer { input in
                ValueBuffer<T>(unsafeUninitializedCount: input.count) { out in
                    for i in 0..<input.count { out[i] = convert(input[i]) }
                }
            }
        }
        switch (column, leaf.physicalType) {
        case (.boolean(let c), .boolean): self = .boolean(c.values, count: c.count)
        case (.int8(let c), .int32): self = .int32(mapped(c) { Int32($0) })
        case (.int16(let c), .int32): self = .int32(mapped(c) { Int32($0) })
        case (.int32(let c), .int32), (.date32(let c), .int32): self = .int32(c.values)
        case (.uint8(let c), .int32): self = .int32(mapped(c) { Int32($0) })
        case (.uint16(let c), .int32): self = .int32(mapped(c) { Int32($0) })
        case (.uint32(let c), .int32): self = .int32(mapped(c) { Int32(bitPattern: $0) })
        case (.int64(let c), .int64): self = .int64(c.values)
        case (.uint64(let c), .int64): self = .int64(mapped(c) { Int64(bitPattern: $0) })
        case (.float32(let c), .float): self = .float(c.values)
        case (.float64(let c), .double): self = .double(c.values)
        case (.decimal128(let c, let p, _), .int32):
            try PhysicalColumn.checkDecimals(c, fit: Int128(Int32.min)...Int128(Int32.max), precision: p, leaf: leaf)
            self = .int32(mapped(c) { Int32(truncatingIfNeeded: $0) })
        case (.decimal128(let c, let p, _), .int64):
            try PhysicalColumn.checkDecimals(c, fit: Int128(Int64.min)...Int128(Int64.max), precision: p, leaf: leaf)
            self = .int64(mapped(c) { Int64(truncatingIfNeeded: $0) })
        case (.decimal128(let c, _, _), .fixedLenByteArray):
            self = .fixed(PhysicalColumn.bigEndian(c.count, width: Int(leaf.typeLength ?? 16)) { Int256(c.values[$0]) }, width: Int(leaf.typeLength ?? 16))
        case (.decimal256(let c, _, _), .fixedLenByteArray):
            self = .fixed(PhysicalColumn.bigEndian(c.count, width: Int(leaf.typeLength ?? 32)) { c.values[$0] }, width: Int(leaf.typeLength ?? 32))
        case (.time64(let c, let unit), .int32):
            let scale = unit == .second ? Int64(1_000) : 1
            self = .int32(mapped(c) { Int32(truncatingIfNeeded: $0 &* scale) })
        case (.time64(let c, _), .int64): self = .int64(c.values)
        case (.timestamp(let c, let unit, _), .int64):
            if unit == .second {
                var overflow: Int64?
                let scaled = mapped(c) { (v: Int64) -> Int64 in
                    let (r, o) = v.multipliedReportingOverflow(by: 1_000)
                    if o && overflow == nil { overflow = v }
                    return r
                }
                if let overflow {
                    throw ParquetError(code: .valueOutOfRange, message: "timestamp \(overflow) s does not fit 64-bit milliseconds")
                }
                self = .int64(scaled)
            } else {
                self = .int64(c.values)
            }
        case (.wideTimestamp(let c, _), .int96):
            let bytes = try PhysicalColumn.int96(c)
            self = .fixed(bytes, width: 12)
        case (.utf8(let c), .byteArray), (.binary(let c), .byteArray): self = .bytes(c)
        case (.binary(let c), .fixedLenByteArray):
            let width = Int(leaf.typeLength ?? 0)
            for i in 0..<c.count where c.byteRange(i).count != width {
                throw ParquetError(code: .invalidArgument, message: "value \(i) of \(leaf.path.joined(separator: ".")) has \(c.byteRange(i).count) bytes, not \(width)")
            }
            let start = Int(c.offsets[0])
            self = .fixed(c.bytes.slice(start..<(start + width * c.count)), width: width)
        case (.dictionary, .byteArray): self = try PhysicalColumn(Kernels.decodeDictionary(column), leaf: leaf)
        default: throw mismatch()
        }
    }

    /// Throws unless every decimal fits the physical integer its precision chose.
    static func checkDecimals(_ c: PrimitiveColumn<Int128>, fit range: ClosedRange<Int128>, precision: Int, leaf: WriterLeaf) throws(ParquetError) {
        for i in 0..<c.count where !range.contains(c.values[i]) && !c.isNull(i) {
            throw ParquetError(code: .valueOutOfRange,
                               message: "value \(c.values[i]) of \(leaf.path.joined(separator: ".")) has more digits than DECIMAL(\(precision)) holds")
        }
    }

    /// `count` values as big-endian two's complement of `width` bytes each.
    static func bigEndian(_ count: Int, width: Int, _ value: (Int) -> Int256) -> ValueBuffer<UInt8> {
        ValueBuffer<UInt8>(unsafeUninitializedCount: count * width) { out in
            for i in 0..<count {
                let v = value(i)
                let words = [UInt64(truncatingIfNeeded: v.low), UInt64(truncatingIfNeeded: v.low >> 64),
                             UInt64(truncatingIfNeeded: UInt128(bitPattern: v.high)), UInt64(truncatingIfNeeded: UInt128(bitPattern: v.high) >> 64)]
                for k in 0..<width {
                    // Byte k from the right: bits 8k..8k+7 (sign-extended past 256 bits).
                    let byte: UInt8 = k < 32 ? UInt8(truncatingIfNeeded: words[k / 8] >> UInt64(8 * (k % 8))) : (v.isNegative ? 0xFF : 0)
                    out[i * width + width - 1 - k] = byte
                }
            }
        }
    }

    /// Nanoseconds since the epoch as INT96 (nanoseconds of the day, then the Julian day).
    static func int96(_ c: PrimitiveColumn<Int128>) throws(ParquetError) -> ValueBuffer<UInt8> {
        let perDay = Int128(86_400_000_000_000)
        var failure: Int128?
        let bytes = ValueBuffer<UInt8>(unsafeUninitializedCount: c.count * 12) { out in
            for i in 0..<c.count {
                let nanos = c.values[i]
                var (days, rest) = nanos.quotientAndRemainder(dividingBy: perDay)
                if rest < 0 { days -= 1; rest += perDay }
                let julian = days + 2_440_588
                guard let day = Int32(exactly: julian) else {
                    failure = nanos
                    for k in 0..<12 { out[i * 12 + k] = 0 }
                    continue
                }
                let ofDay = UInt64(rest)
                for k in 0..<8 { out[i * 12 + k] = UInt8(truncatingIfNeeded: ofDay >> UInt64(8 * k)) }
                for k in 0..<4 { out[i * 12 + 8 + k] = UInt8(truncatingIfNeeded: UInt32(bitPattern: day) >> UInt32(8 * k)) }
            }
        }
        if let failure {
            throw ParquetError(code: .valueOutOfRange, message: "timestamp \(failure) ns lies beyond the INT96 Julian-day range")
        }
        return bytes
    }

    /// The size of all values in PLAIN encoding.
    static func plainSize(_ values: PhysicalColumn) -> Int {
        switch values {
        case .boolean(_, let count): return (count + 7) / 8
        case .int32(let v): return 4 * v.count
        case .int64(let v): return 8 * v.count
        case .float(let v): return 4 * v.count
        case .double(let v): return 8 * v.count
        case .bytes(let c): return Int(c.offsets[c.count] - c.offsets[0]) + 4 * c.count
        case .fixed(let v, _): return v.count
        }
    }

    /// The values in `range` in PLAIN encoding, appended to `out`.
    func appendPlain(_ range: Range<Int>, to out: inout [UInt8]) {
        func raw<T: BitwiseCopyable>(_ values: ValueBuffer<T>) {
            values.withUnsafeBytes { bytes in
                let stride = MemoryLayout<T>.stride
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[(range.lowerBound * stride)..<(range.upperBound * stride)]))
            }
        }
        switch self {
        case .boolean(let bits, _):
            var byte: UInt8 = 0
            var used = 0
            for i in range {
                if bits[i] { byte |= 1 << UInt8(used) }
                used += 1
                if used == 8 { out.append(byte); byte = 0; used = 0 }
            }
            if used > 0 { out.append(byte) }
        case .int32(let v): raw(v)
        case .int64(let v): raw(v)
        case .float(let v): raw(v)
        case .double(let v): raw(v)
        case .bytes(let c):
            out.reserveCapacity(out.count + Int(c.offsets[range.upperBound] - c.offsets[range.lowerBound]) + 4 * range.count)
            c.offsets.withUnsafeBufferPointer { offsets in
                c.bytes.withUnsafeBytes { bytes in
                    for i in range {
                        let start = Int(offsets[i])
                        let length = Int(offsets[i + 1]) - start
                        withUnsafeBytes(of: UInt32(length).littleEndian) { out.append(contentsOf: $0) }
                        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)]))
                    }
                }
            }
        case .fixed(let v, let width):
            v.withUnsafeBytes { bytes in
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[(range.lowerBound * width)..<(range.upperBound * width)]))
            }
        }
    }

    /// A column whose equal values are exactly the physically equal ones (floats by bit pattern,
    /// so -0.0 and 0.0 or two NaN payloads stay apart), for building dictionaries.
    var identityColumn: Column {
        switch self {
        case .boolean(let bits, _): return .boolean(BooleanColumn(values: bits))
        case .int32(let v): return .int32(PrimitiveColumn(values: v))
        case .int64(let v): return .int64(PrimitiveColumn(values: v))
        case .float(let v):
            return .uint32(PrimitiveColumn(values: v.withUnsafeBufferPointer { f in
                ValueBuffer<UInt32>(unsafeUninitializedCount: f.count) { out in for i in 0..<f.count { out[i] = f[i].bitPattern } }
            }))
        case .double(let v):
            return .uint64(PrimitiveColumn(values: v.withUnsafeBufferPointer { f in
                ValueBuffer<UInt64>(unsafeUninitializedCount: f.count) { out in for i in 0..<f.count { out[i] = f[i].bitPattern } }
            }))
        case .bytes(let c): return .binary(c)
        case .fixed(let v, let width):
            let count = width == 0 ? 0 : v.count / width
            let offsets = ValueBuffer<Int32>(unsafeUninitializedCount: count + 1) { out in
                for i in 0...count { out[i] = Int32(i * width) }
            }
            return .binary(BinaryColumn(offsets: offsets, bytes: v))
        }
    }

    /// The values at `positions`, in that order.
    func taking(_ positions: ValueBuffer<UInt32>) -> PhysicalColumn {
        func gather<T: BitwiseCopyable>(_ values: ValueBuffer<T>) -> ValueBuffer<T> {
            values.withUnsafeBufferPointer { source in
                positions.withUnsafeBufferPointer { p in
                    ValueBuffer<T>(unsafeUninitializedCount: p.count) { out in for i in 0..<p.count { out[i] = source[Int(p[i])] } }
                }
            }
        }
        switch self {
        case .boolean(let bits, _):
            var builder = BitmapBuilder(capacity: positions.count)
            for p in positions { builder.append(bits[Int(p)]) }
            return .boolean(builder.finish(), count: positions.count)
        case .int32(let v): return .int32(gather(v))
        case .int64(let v): return .int64(gather(v))
        case .float(let v): return .float(gather(v))
        case .double(let v): return .double(gather(v))
        case .bytes(let c):
            var builder = BinaryColumnBuilder(capacity: positions.count)
            for p in positions { c.bytes.withUnsafeBytes { builder.append(bytes: UnsafeRawBufferPointer(rebasing: $0[c.byteRange(Int(p))])) } }
            return .bytes(builder.finish())
        case .fixed(let v, let width):
            let bytes = v.withUnsafeBufferPointer { source in
                ValueBuffer<UInt8>(unsafeUninitializedCount: positions.count * width) { out in
                    for (i, p) in positions.enumerated() {
                        for k in 0..<width { out[i * width + k] = source[Int(p) * width + k] }
                    }
                }
            }
            return .fixed(bytes, width: width)
        }
    }
}
