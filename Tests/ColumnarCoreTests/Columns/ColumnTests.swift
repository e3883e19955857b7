import ColumnarCore
import Testing

@Suite struct ColumnTests {
    @Test("each case reports its logical type", arguments: [
        (Column.bools([true]), DataType.boolean),
        (.i8([1]), .int8), (.int16(PrimitiveColumn<Int16>([1])), .int16), (.i32([1]), .int32), (.i64([1]), .int64),
        (.uint8(PrimitiveColumn<UInt8>([1])), .uint8), (.uint16(PrimitiveColumn<UInt16>([1])), .uint16),
        (.uint32(PrimitiveColumn<UInt32>([1])), .uint32), (.uint64(PrimitiveColumn<UInt64>([1])), .uint64),
        (.f32([1]), .float32), (.f64([1]), .float64),
        (.decimals([1], precision: 7, scale: 2), .decimal128(precision: 7, scale: 2)),
        (.dates([1]), .date32), (.time64(PrimitiveColumn<Int64>([1]), .nanosecond), .time64(.nanosecond)),
        (.micros([1], timeZone: "UTC"), .timestamp(.microsecond, timeZone: "UTC")),
        (.text(["a"]), .utf8), (.binary(BinaryColumn(["a"])), .binary), (.dictionaryOf(["a"]), .utf8),
    ])
    func dataTypes(column: Column, type: DataType) {
        #expect(column.dataType == type)
        #expect(column.count == 1)
    }

    @Test("null counts and null checks look through every kind")
    func nulls() {
        #expect(Column.i64([1, nil, nil]).nullCount == 2)
        #expect(Column.text([nil, "a"]).isNull(0))
        #expect(Column.dictionaryOf(["a", nil]).isNull(1))
        #expect(Column.bools([true, false]).validity == nil)
        #expect(!Column.f64([1]).isNull(0))
    }

    @Test("scalars read each row with its type")
    func scalars() {
        #expect(Column.decimals([125, nil], precision: 5, scale: 2).scalars == [.decimal128(125, precision: 5, scale: 2), .null])
        #expect(Column.micros([7], timeZone: "UTC").scalar(at: 0) == .timestamp(7, .microsecond, timeZone: "UTC"))
        #expect(Column.dictionaryOf(["x", nil, "x"]).scalars == [.utf8("x"), .null, .utf8("x")])
        #expect(Column.binary(BinaryColumn(bytes: [[1, 2]])).scalar(at: 0) == .binary([1, 2]))
    }

    @Test("slicing a column slices its payload", arguments: [3, 65])
    func slices(offset: Int) {
        let values: [Int64?] = (0..<150).map { $0 % 3 == 0 ? nil : Int64($0) }
        let slice = Column.i64(values).slice(offset..<(offset + 10))
        #expect(slice.scalars == values[offset..<(offset + 10)].map { $0.map(Scalar.int64) ?? .null })
        let text = Column.dictionaryOf(values.map { $0.map { "v\($0 % 4)" } }).slice(offset..<(offset + 10))
        #expect(text.strings == values[offset..<(offset + 10)].map { $0.map { "v\($0 % 4)" } })
    }

    @Test("primitive(as:) returns the payload only for its own value type")
    func primitiveAccess() {
        #expect(Column.dates([5]).primitive(as: Int32.self)?.optionals == [5])
        #expect(Column.dates([5]).primitive(as: Int64.self) == nil)
        #expect(Column.text(["a"]).primitive(as: Int32.self) == nil)
    }

    @Test("scalar values convert only to their own representation")
    func scalarValues() {
        #expect(Scalar.date32(3).value(as: Int32.self) == 3)
        #expect(Scalar.timestamp(9, .second, timeZone: nil).value(as: Int64.self) == 9)
        #expect(Scalar.int32(3).value(as: Int64.self) == nil)
        #expect(Scalar.utf8("3").value(as: Int32.self) == nil)
        #expect(Scalar.null.isNull && !Scalar.int8(0).isNull)
    }
}
