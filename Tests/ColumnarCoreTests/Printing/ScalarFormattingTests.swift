import ColumnarCore
import Testing

@Suite struct ScalarFormattingTests {
    @Test("scalars print the way DuckDB prints them", arguments: [
        (Scalar.null, "NULL"), (.boolean(false), "false"), (.int8(-128), "-128"), (.uint16(65_535), "65535"),
        (.float64(-.infinity), "-inf"), (.float32(.nan), "nan"), (.float64(0.1), "0.1"),
        (.decimal128(1_250, precision: 4, scale: 2), "12.50"), (.decimal128(-1, precision: 4, scale: 3), "-0.001"),
        (.utf8("as is"), "as is"), (.date32(-719_162), "0001-01-01"), (.time64(3_723_000, .millisecond), "01:02:03"),
        (.timestamp(86_400, .second, timeZone: "Europe/Paris"), "1970-01-02 00:00:00+00"),
        (.list([.int32(1), .null, .utf8("x")]), "[1, NULL, x]"),
        (.struct(["b": .int8(2), "a": .boolean(true)]), "{'a': true, 'b': 2}"),
    ])
    func formatted(scalar: Scalar, text: String) {
        #expect(scalar.formatted == text)
    }

    @Test("bytes print printable ASCII as is and everything else, backslash included, as \\xNN")
    func binary() {
        #expect(Scalar.binary([0x41, 0x00, 0x5C, 0xFF, 0x7E, 0x7F, 0x20]).formatted == "A\\x00\\x5C\\xFF~\\x7F ")
        #expect(Scalar.binary([]).formatted == "")
    }

    @Test("years before year 1 keep four digits after the sign")
    func negativeYears() {
        // The astronomical year -1 is 2 BC (DuckDB's rendering).
        #expect(Scalar.date32(-719_893).formatted == "0002-01-01 (BC)")
    }
}
