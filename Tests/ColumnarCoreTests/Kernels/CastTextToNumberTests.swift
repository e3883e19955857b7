import ColumnarCore
import Testing

@Suite struct CastTextToNumberTests {
    func cast(_ texts: [String?], to type: DataType) throws -> Column {
        try Kernels.cast(.text(texts), to: type)
    }

    @Test("integers: surrounding spaces, signs and negative zero")
    func integers() throws {
        let result = try cast([" 42 ", "+5", "-0", "-128", "127", nil, "\t7\n", "007"], to: .int8)
        #expect(result.primitive(as: Int8.self)?.optionals == [42, 5, 0, -128, 127, nil, 7, 7])
    }

    @Test("a value that does not fit throws invalidCast naming the row and the text")
    func integerOverflow() {
        let error = expectColumnarError(.invalidCast, row: 1) { try cast(["1", "128"], to: .int8) }
        #expect(error?.message.contains("128") == true)
        expectColumnarError(.invalidCast, row: 0) { try cast(["-129"], to: .int8) }
        expectColumnarError(.invalidCast, row: 0) { try cast(["-1"], to: .uint8) }
        expectColumnarError(.invalidCast, row: 0) { try cast(["256"], to: .uint8) }
        expectColumnarError(.invalidCast, row: 0) { try cast(["9223372036854775808"], to: .int64) }
    }

    @Test("the widest integers parse exactly")
    func integerBounds() throws {
        let result = try cast(["9223372036854775807", "-9223372036854775808"], to: .int64)
        #expect(result.primitive(as: Int64.self)?.optionals == [.max, .min])
        #expect(try cast(["18446744073709551615", "-0"], to: .uint64).primitive(as: UInt64.self)?.optionals == [.max, 0])
    }

    @Test("malformed integers throw invalidCast", arguments: ["", " ", "4x", "- 5", "1 2", "+", "-", "1.0", "0x10", "١"])
    func malformedIntegers(text: String) {
        expectColumnarError(.invalidCast, row: 1) { try cast(["0", text], to: .int32) }
    }

    @Test("a null row is never parsed")
    func nullRows() throws {
        let texts = try BinaryColumn.validated(offsets: ValueBuffer([0, 1, 4]), bytes: ValueBuffer(Array("7zzz".utf8)), validity: Bitmap([true, false]))
        #expect(try Kernels.cast(.utf8(texts), to: .int64).primitive(as: Int64.self)?.optionals == [7, nil])
        #expect(try Kernels.cast(.utf8(texts), to: .float64).primitive(as: Double.self)?.optionals == [7, nil])
    }

    @Test("sliced text parses only its own rows", arguments: [3, 65])
    func sliced(offset: Int) throws {
        let texts: [String?] = ["1", nil, " -3 ", "2024"]
        let column = Column.sliced(at: offset, texts, filler: "not a number", Column.text)
        #expect(try Kernels.cast(column, to: .int32).primitive(as: Int32.self)?.optionals == [1, nil, -3, 2_024])
        let bytes = Column.sliced(at: offset, [[0x41], nil, [0xC3, 0xA9]] as [[UInt8]?], filler: [0xFF]) { .binary(BinaryColumn(bytes: $0)) }
        #expect(try Kernels.cast(bytes, to: .utf8).strings == ["A", nil, "é"])
    }

    @Test("doubles: exponents, NaN and infinities")
    func doubles() throws {
        let result = try cast(["1e3", "nan", "inf", "-Infinity", " 2.5 ", "-0", "1E-2", nil, "NaN"], to: .float64)
        let values = try #require(result.primitive(as: Double.self)?.optionals)
        #expect(values[0] == 1_000)
        #expect(values[1]?.isNaN == true && values[8]?.isNaN == true)
        #expect(values[2] == .infinity && values[3] == -.infinity)
        #expect(values[4] == 2.5)
        #expect(values[5] == 0 && values[5]?.sign == .minus)
        #expect(values[6] == 0.01)
        #expect(values[7] == nil)
        #expect(try cast(["1.5"], to: .float32).primitive(as: Float.self)?.optionals == [1.5])
    }

    @Test("malformed doubles throw invalidCast", arguments: ["abc", "1.5x", "", "e", "1e", "--1", "in f"])
    func malformedDoubles(text: String) {
        expectColumnarError(.invalidCast, row: 1) { try cast(["1", text], to: .float64) }
    }

    @Test("booleans: the usual words in any case")
    func booleans() throws {
        let texts: [String?] = ["true", "T", "yes", "1", "on", "FALSE", "f", "No", "0", "off", " y ", nil]
        #expect(try cast(texts, to: .boolean).booleans == [true, true, true, true, true, false, false, false, false, false, true, nil])
        expectColumnarError(.invalidCast, row: 0) { try cast(["maybe"], to: .boolean) }
        expectColumnarError(.invalidCast, row: 1) { try cast(["no", ""], to: .boolean) }
    }

    @Test("every parsed type ignores the same surrounding whitespace as integers do", arguments: [
        (DataType.int64, "\t7\n", Scalar.int64(7)),
        (.float64, "\t2.5\n", .float64(2.5)),
        (.float64, "2.5\r\n", .float64(2.5)),
        (.boolean, "\ttrue\t", .boolean(true)),
        (.boolean, "no\n", .boolean(false)),
        (.decimal128(precision: 5, scale: 2), "1.5\r\n", .decimal128(150, precision: 5, scale: 2)),
        (.date32, "\t2024-02-29\n", .date32(19_782)),
    ])
    func whitespace(type: DataType, text: String, expected: Scalar) throws {
        #expect(try cast([text], to: type).scalars == [expected])
    }

    @Test("decimals round half away from zero on the first dropped digit")
    func decimals() throws {
        let texts: [String?] = ["1.005", "-1.005", "1.004", "12", ".5", "+3.14159", "-0.004", "999.994", " 7.1 ", nil, "1."]
        let result = try cast(texts, to: .decimal128(precision: 5, scale: 2))
        #expect(result.dataType == .decimal128(precision: 5, scale: 2))
        #expect(result.primitive(as: Int128.self)?.optionals == [101, -101, 100, 1_200, 50, 314, 0, 99_999, 710, nil, 100])
    }

    @Test("decimals that do not fit or do not parse throw invalidCast",
          arguments: ["999.995", "1234.5", "abc", "1.2.3", "", ".", "-", "1e3", "1e", "1e+", "1,5"])
    func malformedDecimals(text: String) {
        expectColumnarError(.invalidCast, row: 1) { try cast(["1", text], to: .decimal128(precision: 5, scale: 2)) }
    }

    @Test("decimals in exponent notation, rounded half away from zero at the scale")
    func exponents() throws {
        let result = try cast(["1e2", "+1234.56789e-1", "-.5e-1", "0.1e3", "1E-9", "12.345e1"], to: .decimal128(precision: 9, scale: 2))
        #expect(result.primitive(as: Int128.self)?.optionals == [10_000, 12_346, -5, 10_000, 0, 12_345])
    }

    @Test("decimals with scale 0 round to whole numbers")
    func scaleZero() throws {
        let result = try cast(["2.5", "-2.5", "2.49"], to: .decimal128(precision: 3, scale: 0))
        #expect(result.primitive(as: Int128.self)?.optionals == [3, -3, 2])
    }

    @Test("text parses into DECIMAL(38, s) without trapping")
    func precision38() async {
        await #expect(processExitsWith: .success) {
            let column = try Kernels.cast(
                .utf8(BinaryColumn(["1.5", "-999999999999999999999999999999999999.99"])),
                to: .decimal128(precision: 38, scale: 2)
            )
            guard case .decimal128(let values, _, _) = column,
                  values.optionals == [150, -99_999_999_999_999_999_999_999_999_999_999_999_999] else {
                fatalError("wrong values")
            }
        }
    }
}
