import ColumnarCore
import Testing

@Suite struct CastToTextTests {
    func text(_ column: Column) throws -> [String?] {
        let result = try Kernels.cast(column, to: .utf8)
        #expect(result.dataType == .utf8)
        return result.strings
    }

    @Test("numbers and booleans")
    func numbers() throws {
        #expect(try text(.i64([42, -7, nil])) == ["42", "-7", nil])
        #expect(try text(.uint64(PrimitiveColumn<UInt64>([.max]))) == ["18446744073709551615"])
        #expect(try text(.f64([1.5, .nan, .infinity, -.infinity, -0.0, 100])) == ["1.5", "nan", "inf", "-inf", "-0.0", "100.0"])
        #expect(try text(.f32([0.1])) == ["0.1"])
        #expect(try text(.bools([true, false, nil])) == ["true", "false", nil])
    }

    @Test("decimals keep every digit of their scale", arguments: [
        (Int128(5), 2, "0.05"), (-150, 2, "-1.50"), (0, 2, "0.00"), (-5, 2, "-0.05"), (12_345, 2, "123.45"),
        (100, 2, "1.00"), (123, 0, "123"), (-7, 0, "-7"), (1, 5, "0.00001"),
        (99_999_999_999_999_999_999_999_999_999_999_999_999, 38, "0.99999999999999999999999999999999999999"),
        (-99_999_999_999_999_999_999_999_999_999_999_999_999, 0, "-99999999999999999999999999999999999999"),
    ])
    func decimals(unscaled: Int128, scale: Int, expected: String) throws {
        #expect(try text(.decimals([unscaled], precision: 38, scale: scale)) == [expected])
    }

    @Test("dates, including before the epoch and the first year")
    func dates() throws {
        #expect(try text(.dates([19_782, -1, 0, -719_162, 2_932_896, nil])) == ["2024-02-29", "1969-12-31", "1970-01-01", "0001-01-01", "9999-12-31", nil])
    }

    @Test("timestamps show only the fraction digits they need")
    func timestamps() throws {
        #expect(try text(.micros([1_704_112_245_500_000, -1, 0, 1_704_067_200_000_000, 1_000])) == [
            "2024-01-01 12:30:45.5", "1969-12-31 23:59:59.999999", "1970-01-01 00:00:00", "2024-01-01 00:00:00",
            "1970-01-01 00:00:00.001",
        ])
        #expect(try text(.timestamp(PrimitiveColumn<Int64>([1]), .nanosecond, timeZone: nil)) == ["1970-01-01 00:00:00.000000001"])
        #expect(try text(.timestamp(PrimitiveColumn<Int64>([-1]), .second, timeZone: nil)) == ["1969-12-31 23:59:59"])
        #expect(try text(.micros([0], timeZone: "UTC")) == ["1970-01-01 00:00:00+00"])
    }

    @Test("times of day")
    func times() throws {
        #expect(try text(.time64(PrimitiveColumn<Int64>([45_000_250_000, 0, 86_399_999_999]), .microsecond)) == [
            "12:30:00.25", "00:00:00", "23:59:59.999999",
        ])
    }

    @Test("valid UTF-8 bytes become text")
    func validBytes() throws {
        #expect(try text(.binary(BinaryColumn(bytes: [[0x68, 0x69], [0xC3, 0xA9], nil, []]))) == ["hi", "é", nil, ""])
    }

    @Test("invalid UTF-8 throws invalidCast at its row", arguments: [
        [UInt8(0xFF)], [0xE2, 0x82], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x41, 0x80],
    ])
    func invalidBytes(bytes: [UInt8]) {
        expectColumnarError(.invalidCast, row: 1) { try Kernels.cast(.binary(BinaryColumn(bytes: [[0x41], bytes])), to: .utf8) }
    }

    @Test("invalid bytes under a null do not throw")
    func hiddenInvalidBytes() throws {
        let column = try BinaryColumn.validated(offsets: ValueBuffer([0, 1, 2]), bytes: ValueBuffer([0xFF, 0x41]), validity: Bitmap([false, true]))
        #expect(try text(.binary(column)) == [nil, "A"])
    }

    @Test("a dictionary column is already text")
    func dictionary() throws {
        #expect(try text(.dictionaryOf(["a", nil, "a"])) == ["a", nil, "a"])
    }
}
