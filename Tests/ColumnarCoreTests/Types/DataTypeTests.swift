import ColumnarCore
import Testing

@Suite struct DataTypeTests {
    @Test("types are spelled the SQL way", arguments: [
        (DataType.boolean, "BOOLEAN"), (.int8, "TINYINT"), (.int16, "SMALLINT"), (.int32, "INTEGER"),
        (.int64, "BIGINT"), (.uint8, "UTINYINT"), (.uint64, "UBIGINT"), (.float32, "FLOAT"),
        (.float64, "DOUBLE"), (.decimal128(precision: 12, scale: 2), "DECIMAL(12,2)"), (.utf8, "VARCHAR"),
        (.binary, "BLOB"), (.date32, "DATE"), (.time64(.nanosecond), "TIME(ns)"),
        (.timestamp(.microsecond, timeZone: nil), "TIMESTAMP(us)"),
        (.timestamp(.millisecond, timeZone: "UTC"), "TIMESTAMP(ms, UTC)"),
        (.fixedSizeList(Field("item", .float32), size: 3), "FLOAT[3]"),
        (.list(Field("item", .utf8)), "VARCHAR[]"),
        (.struct([Field("a", .int32), Field("b", .utf8)]), "STRUCT(a INTEGER, b VARCHAR)"),
    ])
    func spelling(type: DataType, text: String) {
        #expect(type.description == text)
    }

    @Test("fixed widths in bytes; booleans, text and nested types have none", arguments: [
        (DataType.int8, 1), (.uint8, 1), (.int16, 2), (.uint16, 2), (.int32, 4), (.float32, 4), (.date32, 4),
        (.int64, 8), (.float64, 8), (.time64(.second), 8), (.timestamp(.nanosecond, timeZone: nil), 8),
        (.decimal128(precision: 38, scale: 0), 16),
    ])
    func byteWidths(type: DataType, width: Int) {
        #expect(type.byteWidth == width)
    }

    @Test("variable-width types report no byte width")
    func noByteWidth() {
        for type in [DataType.boolean, .utf8, .binary, .list(Field("x", .int8)), .struct([])] {
            #expect(type.byteWidth == nil)
        }
    }

    @Test("classification: integers, floats, numerics and nested types")
    func classification() {
        #expect(DataType.uint32.isInteger && DataType.int8.isInteger)
        #expect(!DataType.float64.isInteger && !DataType.date32.isInteger)
        #expect(DataType.float32.isFloatingPoint && !DataType.decimal128(precision: 5, scale: 2).isFloatingPoint)
        #expect(DataType.decimal128(precision: 5, scale: 2).isNumeric)
        #expect(!DataType.date32.isNumeric && !DataType.boolean.isNumeric && !DataType.utf8.isNumeric)
        #expect(DataType.list(Field("x", .int8)).isNested && DataType.struct([]).isNested)
        #expect(DataType.fixedSizeList(Field("item", .float32), size: 4).isNested)
        #expect(!DataType.utf8.isNested)
    }

    @Test("time units: ticks per second, fraction digits and abbreviations")
    func timeUnits() {
        #expect(TimeUnit.allCases.map(\.ticksPerSecond) == [1, 1_000, 1_000_000, 1_000_000_000])
        #expect(TimeUnit.allCases.map(\.fractionDigits) == [0, 3, 6, 9])
        #expect(TimeUnit.allCases.map(\.abbreviation) == ["s", "ms", "us", "ns"])
    }
}
