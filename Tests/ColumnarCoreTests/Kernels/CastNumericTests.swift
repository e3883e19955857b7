import ColumnarCore
import Testing

@Suite struct CastNumericTests {
    @Test("doubles round half away from zero into integers")
    func doubleToInteger() throws {
        let result = try Kernels.cast(.f64([2.5, -2.5, 0.5, -0.5, 1.4999, 3.0, nil, -0.0]), to: .int64)
        #expect(result.primitive(as: Int64.self)?.optionals == [3, -3, 1, -1, 1, 3, nil, 0])
        #expect(try Kernels.cast(.f32([1.5, -1.5]), to: .int16).primitive(as: Int16.self)?.optionals == [2, -2])
    }

    @Test("NaN, infinities and out-of-range doubles throw invalidCast at their row", arguments: [Double.nan, .infinity, -.infinity, 1e19, 128.5])
    func doubleOutOfRange(value: Double) {
        let target: DataType = value == 128.5 ? .int8 : .int64
        expectColumnarError(.invalidCast, row: 1) { try Kernels.cast(.f64([1, value]), to: target) }
    }

    @Test("integers that do not fit a narrower type throw invalidCast")
    func narrowing() throws {
        expectColumnarError(.invalidCast, row: 1) { try Kernels.cast(.i64([1, 300]), to: .int8) }
        expectColumnarError(.invalidCast, row: 0) { try Kernels.cast(.i64([-129]), to: .int8) }
        expectColumnarError(.invalidCast, row: 0) { try Kernels.cast(.i32([-1]), to: .uint32) }
        expectColumnarError(.invalidCast, row: 0) { try Kernels.cast(.uint64(PrimitiveColumn<UInt64>([.max])), to: .int64) }
        #expect(try Kernels.cast(.i64([127, -128, nil]), to: .int8).primitive(as: Int8.self)?.optionals == [127, -128, nil])
        #expect(try Kernels.cast(.i64([255]), to: .uint8).scalars == [.uint8(255)])
    }

    @Test("a value that does not fit is fine under a null")
    func hiddenValues() throws {
        let hidden = Column.int64(PrimitiveColumn(values: ValueBuffer([300, 5]), validity: Bitmap([false, true])))
        #expect(try Kernels.cast(hidden, to: .int8).primitive(as: Int8.self)?.optionals == [nil, 5])
        let nan = Column.float64(PrimitiveColumn(values: ValueBuffer([.nan, 2]), validity: Bitmap([false, true])))
        #expect(try Kernels.cast(nan, to: .int32).primitive(as: Int32.self)?.optionals == [nil, 2])
    }

    @Test("decimals round half away from zero into integers")
    func decimalToInteger() throws {
        let column = Column.decimals([125, -125, 124, -124, 5, nil], precision: 5, scale: 1)
        #expect(try Kernels.cast(column, to: .int32).primitive(as: Int32.self)?.optionals == [13, -13, 12, -12, 1, nil])
        expectColumnarError(.invalidCast, row: 0) { try Kernels.cast(.decimals([1_285], precision: 5, scale: 1), to: .int8) }
    }

    @Test("integers into decimals must fit the precision")
    func integerToDecimal() throws {
        let result = try Kernels.cast(.i64([12, -3, 999]), to: .decimal128(precision: 5, scale: 2))
        #expect(result.dataType == .decimal128(precision: 5, scale: 2))
        #expect(result.primitive(as: Int128.self)?.optionals == [1_200, -300, 99_900])
        expectColumnarError(.invalidCast, row: 1) { try Kernels.cast(.i64([999, 1_000]), to: .decimal128(precision: 5, scale: 2)) }
        expectColumnarError(.invalidCast, row: 0) { try Kernels.cast(.i64([-1_000]), to: .decimal128(precision: 5, scale: 2)) }
    }

    @Test("decimals change scale with rounding, and precision with a check")
    func decimalToDecimal() throws {
        let down = try Kernels.cast(.decimals([125, -125, 124], precision: 5, scale: 2), to: .decimal128(precision: 4, scale: 1))
        #expect(down.primitive(as: Int128.self)?.optionals == [13, -13, 12])
        let up = try Kernels.cast(.decimals([15, -15], precision: 3, scale: 1), to: .decimal128(precision: 6, scale: 3))
        #expect(up.primitive(as: Int128.self)?.optionals == [1_500, -1_500])
        expectColumnarError(.invalidCast, row: 0) {
            try Kernels.cast(.decimals([12_345], precision: 5, scale: 2), to: .decimal128(precision: 4, scale: 2))
        }
    }

    @Test("doubles into decimals round half away from zero")
    func doubleToDecimal() throws {
        let result = try Kernels.cast(.f64([0.125, -0.125, 1, nil]), to: .decimal128(precision: 5, scale: 2))
        #expect(result.primitive(as: Int128.self)?.optionals == [13, -13, 100, nil])
        expectColumnarError(.invalidCast, row: 0) { try Kernels.cast(.f64([1_000]), to: .decimal128(precision: 5, scale: 2)) }
        expectColumnarError(.invalidCast, row: 0) { try Kernels.cast(.f64([.nan]), to: .decimal128(precision: 5, scale: 2)) }
    }

    @Test("decimals and integers into floating point")
    func toFloatingPoint() throws {
        #expect(try Kernels.cast(.decimals([125, -5], precision: 5, scale: 2), to: .float64).scalars == [.float64(1.25), .float64(-0.05)])
        #expect(try Kernels.cast(.i64([3, -4, nil]), to: .float64).scalars == [.float64(3), .float64(-4), .null])
        #expect(try Kernels.cast(.i8([-7]), to: .float32).scalars == [.float32(-7)])
        #expect(try Kernels.cast(.f32([0.5]), to: .float64).scalars == [.float64(0.5)])
    }

    @Test("a finite double too large for FLOAT throws instead of becoming infinity")
    func floatRange() throws {
        expectColumnarError(.invalidCast, row: 1) { try Kernels.cast(.f64([1, 1e300]), to: .float32) }
        expectColumnarError(.invalidCast, row: 0) { try Kernels.cast(.f64([-1e39]), to: .float32) }
        expectColumnarError(.invalidCast, row: 0) { try Kernels.cast(.text(["1e300"]), to: .float32) }
    }

    @Test("infinities and NaN stay what they are in FLOAT")
    func floatSpecials() throws {
        let result = try Kernels.cast(.f64([.infinity, -.infinity, .nan, 3.4e38]), to: .float32)
        let values = try #require(result.primitive(as: Float.self)?.optionals)
        #expect(values[0] == .infinity && values[1] == -.infinity)
        #expect(values[2]?.isNaN == true)
        #expect(values[3] == Float(3.4e38))
    }

    @Test("booleans and numbers convert both ways")
    func booleans() throws {
        let flags = Column.bools([true, false, nil])
        #expect(try Kernels.cast(flags, to: .int32).scalars == [.int32(1), .int32(0), .null])
        #expect(try Kernels.cast(flags, to: .float64).scalars == [.float64(1), .float64(0), .null])
        #expect(try Kernels.cast(flags, to: .decimal128(precision: 3, scale: 1)).scalars == [
            .decimal128(10, precision: 3, scale: 1), .decimal128(0, precision: 3, scale: 1), .null,
        ])
        #expect(try Kernels.cast(.i64([0, 5, -1, nil]), to: .boolean).booleans == [false, true, true, nil])
        #expect(try Kernels.cast(.f64([0, -0.0, 0.5, nil]), to: .boolean).booleans == [false, false, true, nil])
        #expect(try Kernels.cast(.decimals([0, 1], precision: 3, scale: 2), to: .boolean).booleans == [false, true])
    }

    @Test("a cast to the same type returns the column unchanged")
    func identity() throws {
        #expect(try Kernels.cast(.i64([1, nil]), to: .int64).scalars == [.int64(1), .null])
    }

    @Test("pairs without a conversion are unsupported")
    func unsupported() throws {
        expectColumnarError(.unsupported) { try Kernels.cast(.dates([1]), to: .int32) }
        expectColumnarError(.unsupported) { try Kernels.cast(.bools([true]), to: .date32) }
        expectColumnarError(.unsupported) { try Kernels.cast(.i64([1]), to: .date32) }
        let list = try Column(.list(Field("item", .int8)), [.list([])])
        expectColumnarError(.unsupported) { try Kernels.cast(list, to: .int64) }
    }
}
