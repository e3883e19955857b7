import ColumnarCore
import Testing

/// `Column(dataType, scalars)`: the slow path that builds any column from literals.
@Suite struct ScalarColumnTests {
    static let types: [DataType] = [
        .boolean, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float32, .float64,
        .decimal128(precision: 9, scale: 3), .utf8, .binary, .date32, .time64(.millisecond),
        .timestamp(.nanosecond, timeZone: "UTC"), .list(Field("item", .int64)),
        .struct([Field("a", .int32), Field("b", .utf8)]),
        .fixedSizeList(Field("item", .float32, nullable: false), size: 2),
        .fixedSizeList(Field("item", .float32), size: 2),
        .struct([Field("v", .fixedSizeList(Field("item", .float32), size: 2))]),
    ]

    @Test("a column built for a type reports that type", arguments: types)
    func reportsRequestedType(type: DataType) throws {
        let column = try Column(type, [.null])
        #expect(column.dataType == type)
        #expect(column.count == 1)
        #expect(column.isNull(0))
    }

    @Test("round-trips scalars of every primitive type")
    func primitives() throws {
        let rows: [(DataType, [Scalar])] = [
            (.boolean, [.boolean(true), .null, .boolean(false)]),
            (.int8, [.int8(-128), .null, .int8(127)]),
            (.uint64, [.uint64(.max), .null]),
            (.float32, [.float32(1.5), .null]),
            (.decimal128(precision: 9, scale: 3), [.decimal128(-12_345, precision: 9, scale: 3), .null]),
            (.utf8, [.utf8("a"), .null, .utf8("")]),
            (.binary, [.binary([0, 1]), .null]),
            (.date32, [.date32(-1), .null]),
            (.time64(.microsecond), [.time64(5, .microsecond)]),
            (.timestamp(.second, timeZone: nil), [.timestamp(-7, .second, timeZone: nil), .null]),
        ]
        for (type, scalars) in rows {
            #expect(try Column(type, scalars).scalars == scalars, "\(type)")
        }
    }

    @Test("round-trips lists, structs and embeddings")
    func nested() throws {
        let lists: [Scalar] = [.list([.int64(1), .int64(2)]), .null, .list([]), .list([.null])]
        #expect(try Column(.list(Field("item", .int64)), lists).scalars == lists)
        let structs: [Scalar] = [.struct(["a": .int32(1), "b": .utf8("x")]), .null]
        let structColumn = try Column(.struct([Field("a", .int32), Field("b", .utf8)]), structs)
        #expect(structColumn.scalar(at: 0) == structs[0])
        #expect(structColumn.scalar(at: 1) == .null)
        let vectors: [Scalar] = [.list([.float32(1), .float32(2)]), .null]
        let embedding = try Column(.fixedSizeList(Field("item", .float32, nullable: false), size: 2), vectors)
        #expect(embedding.scalars == vectors)
    }

    @Test("a struct scalar missing a field gives null in that child")
    func missingStructField() throws {
        let column = try Column(.struct([Field("a", .int32), Field("b", .utf8)]), [.struct(["a": .int32(1)])])
        #expect(column.scalar(at: 0) == .struct(["a": .int32(1), "b": .null]))
    }

    @Test("a scalar of the wrong type throws typeMismatch naming its row")
    func wrongType() {
        expectColumnarError(.typeMismatch, row: 2) { try Column(.int64, [.int64(1), .null, .int32(3)]) }
        expectColumnarError(.typeMismatch, row: 1) { try Column(.boolean, [.boolean(true), .int8(1)]) }
        expectColumnarError(.typeMismatch, row: 0) { try Column(.utf8, [.int8(1)]) }
        expectColumnarError(.typeMismatch, row: 0) {
            try Column(.fixedSizeList(Field("item", .float32), size: 2), [.list([.float32(1)])])
        }
        expectColumnarError(.typeMismatch, row: 0) { try Column(.list(Field("item", .int8)), [.int8(1)]) }
    }
}
