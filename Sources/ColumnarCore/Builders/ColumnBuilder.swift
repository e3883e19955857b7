/// Builds a ``Column`` of any ``DataType`` from ``Scalar`` values: the convenient, slow path for
/// literals, tests and small results. Hot paths use the typed builders.
///
/// ```swift
/// let column = try Column(.int64, [.int64(1), .null, .int64(3)])
/// ```
extension Column {
    /// Creates a column of type `dataType` from scalars.
    ///
    /// - Throws: ``ColumnarError`` `.typeMismatch` when a scalar does not have the column's type.
    public init(_ dataType: DataType, _ scalars: [Scalar]) throws {
        func typed<T: FixedWidthValue>(_: T.Type) throws -> PrimitiveColumn<T> {
            var builder = PrimitiveColumnBuilder<T>(capacity: scalars.count)
            for (row, scalar) in scalars.enumerated() {
                if scalar.isNull { builder.appendNull(); continue }
                guard let value = scalar.value(as: T.self) else {
                    throw ColumnarError(.typeMismatch, "\(scalar) is not a \(dataType) value", row: row)
                }
                builder.append(value)
            }
            return builder.finish()
        }
        switch dataType {
        case .boolean:
            var builder = BooleanColumnBuilder(capacity: scalars.count)
            for (row, scalar) in scalars.enumerated() {
                switch scalar {
                case .null: builder.append(nil)
                case .boolean(let b): builder.append(b)
                default: throw ColumnarError(.typeMismatch, "\(scalar) is not a BOOLEAN value", row: row)
                }
            }
            self = .boolean(builder.finish())
        case .int8: self = .int8(try typed(Int8.self))
        case .int16: self = .int16(try typed(Int16.self))
        case .int32: self = .int32(try typed(Int32.self))
        case .int64: self = .int64(try typed(Int64.self))
        case .uint8: self = .uint8(try typed(UInt8.self))
        case .uint16: self = .uint16(try typed(UInt16.self))
        case .uint32: self = .uint32(try typed(UInt32.self))
        case .uint64: self = .uint64(try typed(UInt64.self))
        case .float32: self = .float32(try typed(Float.self))
        case .float64: self = .float64(try typed(Double.self))
        case .decimal128(let p, let s): self = .decimal128(try typed(Int128.self), precision: p, scale: s)
        case .decimal256(let p, let s): self = .decimal256(try typed(Int256.self), precision: p, scale: s)
        case .wideTimestamp(let zone): self = .wideTimestamp(try typed(Int128.self), timeZone: zone)
        case .interval: self = .interval(try typed(Interval.self))
        case .date32: self = .date32(try typed(Int32.self))
        case .time64(let unit): self = .time64(try typed(Int64.self), unit)
        case .timestamp(let unit, let zone): self = .timestamp(try typed(Int64.self), unit, timeZone: zone)
        case .utf8, .binary:
            var builder = BinaryColumnBuilder(capacity: scalars.count)
            for (row, scalar) in scalars.enumerated() {
                switch scalar {
                case .null: builder.appendNull()
                case .utf8(let s): builder.append(s)
                case .binary(let b): builder.append(bytes: b)
                default: throw ColumnarError(.typeMismatch, "\(scalar) is not a \(dataType) value", row: row)
                }
            }
            self = dataType == .utf8 ? .utf8(builder.finish()) : .binary(builder.finish())
        case .fixedSizeList(let element, let size):
            guard element.dataType == .float32, size > 0 else {
                throw ColumnarError(.unsupported, "fixed-size lists hold float32 elements and at least one per row")
            }
            var values: [Float] = []
            values.reserveCapacity(scalars.count * size)
            var validity = _ValidityTracker()
            for (row, scalar) in scalars.enumerated() {
                switch scalar {
                case .null:
                    values.append(contentsOf: repeatElement(0, count: size))
                    validity.appendNull()
                case .list(let items) where items.count == size:
                    for item in items {
                        guard case .float32(let f) = item else {
                            throw ColumnarError(.typeMismatch, "embedding element \(item) is not FLOAT", row: row)
                        }
                        values.append(f)
                    }
                    validity.appendValid()
                default: throw ColumnarError(.typeMismatch, "\(scalar) is not a FLOAT[\(size)] value", row: row)
                }
            }
            self = .fixedSizeList(FixedSizeListColumn(size: size, values: ValueBuffer(values), validity: validity.finish(), element: element))
        case .list(let element):
            var offsets: [Int32] = [0]
            var items: [Scalar] = []
            var validity = _ValidityTracker()
            for (row, scalar) in scalars.enumerated() {
                switch scalar {
                case .null: validity.appendNull()
                case .list(let values):
                    items.append(contentsOf: values)
                    validity.appendValid()
                default: throw ColumnarError(.typeMismatch, "\(scalar) is not a list value", row: row)
                }
                offsets.append(Int32(items.count))
            }
            let child = try Column(element.dataType, items)
            self = .list(ListColumn(element: element, offsets: ValueBuffer(offsets), child: child, validity: validity.finish()))
        case .struct(let fields):
            var validity = _ValidityTracker()
            var columns: [[Scalar]] = Array(repeating: [], count: fields.count)
            for (row, scalar) in scalars.enumerated() {
                switch scalar {
                case .null:
                    validity.appendNull()
                    for i in fields.indices { columns[i].append(.null) }
                case .struct(let values):
                    validity.appendValid()
                    for (i, field) in fields.enumerated() { columns[i].append(values[field.name] ?? .null) }
                default: throw ColumnarError(.typeMismatch, "\(scalar) is not a struct value", row: row)
                }
            }
            let children = try zip(fields, columns).map { try Column($0.dataType, $1) }
            self = .struct(try StructColumn(fields: fields, children: children, validity: validity.finish(), count: scalars.count))
        }
    }
}
