import ColumnarCore
import Testing

@Suite struct JSONLinesPrinterTests {
    @Test("one object per row with keys in schema order")
    func objects() throws {
        let batch = try RecordBatch(
            schema: Schema([Field("z", .int64), Field("a", .utf8), Field("ok", .boolean)]),
            columns: [.i64([1, nil]), .text(["x", nil]), .bools([true, false])]
        )
        #expect(BatchPrinter.jsonLines([batch]) == "{\"z\":1,\"a\":\"x\",\"ok\":true}\n{\"z\":null,\"a\":null,\"ok\":false}\n")
    }

    @Test("strings escape quotes, backslashes and control characters", arguments: [
        ("say \"hi\"", "\"say \\\"hi\\\"\""), ("back\\slash", "\"back\\\\slash\""), ("a\nb", "\"a\\nb\""),
        ("tab\there", "\"tab\\there\""), ("cr\r", "\"cr\\r\""), ("\u{1}", "\"\\u0001\""), ("\u{1F}", "\"\\u001f\""),
        ("é 日本", "\"é 日本\""), ("", "\"\""),
    ])
    func escapes(text: String, expected: String) {
        #expect(BatchPrinter.jsonString(text) == expected)
    }

    @Test("NaN and infinities, which JSON lacks, are strings")
    func nonFinite() {
        #expect(BatchPrinter.json(.float64(.nan)) == "\"nan\"")
        #expect(BatchPrinter.json(.float64(.infinity)) == "\"inf\"")
        #expect(BatchPrinter.json(.float32(-.infinity)) == "\"-inf\"")
        #expect(BatchPrinter.json(.float64(2.5)) == "2.5")
    }

    @Test("decimals are exact numbers; dates, times and bytes are strings")
    func types() {
        #expect(BatchPrinter.json(.decimal128(1_250, precision: 6, scale: 2)) == "12.50")
        #expect(BatchPrinter.json(.decimal128(-5, precision: 6, scale: 2)) == "-0.05")
        #expect(BatchPrinter.json(.uint64(.max)) == "18446744073709551615")
        #expect(BatchPrinter.json(.date32(19_782)) == "\"2024-02-29\"")
        #expect(BatchPrinter.json(.timestamp(1_500, .millisecond, timeZone: nil)) == "\"1970-01-01 00:00:01.5\"")
        #expect(BatchPrinter.json(.binary([0x41, 0x22])) == "\"A\\\"\"")
        #expect(BatchPrinter.json(.null) == "null")
    }

    @Test("lists are arrays and structs are objects")
    func nested() {
        #expect(BatchPrinter.json(.list([.int64(1), .null, .utf8("x")])) == "[1,null,\"x\"]")
        #expect(BatchPrinter.json(.struct(["b": .int8(2), "a": .list([])])) == "{\"a\":[],\"b\":2}")
    }

    @Test("no batches or rows print nothing")
    func empty() throws {
        #expect(BatchPrinter.jsonLines([]) == "")
        #expect(BatchPrinter.jsonLines([try RecordBatch.empty(Schema([Field("a", .int8)]))]) == "")
    }
}
