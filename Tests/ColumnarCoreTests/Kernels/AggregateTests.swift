import ColumnarCore
import Testing

@Suite struct CountAndSumTests {
    @Test("count counts the present rows")
    func count() {
        #expect(Kernels.count(.i64([1, nil, 3, nil])) == 2)
        #expect(Kernels.count(.text([nil, nil])) == 0)
        #expect(Kernels.count(.i64([])) == 0)
        #expect(Kernels.count(.dictionaryOf(["a", nil, "a"])) == 2)
        #expect(Kernels.count(Column.sliced(at: 65, [1, nil, 2] as [Int64?], filler: 0, Column.i64)) == 2)
    }

    /// Integer sums are exact HUGEINTs, as in DuckDB: `DECIMAL(38,0)`.
    static func huge(_ value: Int128) -> Scalar { .decimal128(value, precision: 38, scale: 0) }

    @Test("sum skips nulls; integers sum to an exact DECIMAL(38,0)")
    func sums() throws {
        #expect(try Kernels.sum(.i64([1, nil, 2])) == Self.huge(3))
        #expect(try Kernels.sum(.i8([100, 100, 100])) == Self.huge(300))
        #expect(try Kernels.sum(.i32([.min, .min])) == Self.huge(-4_294_967_296))
        #expect(try Kernels.sum(.uint8(PrimitiveColumn<UInt8>([255, 255, nil]))) == Self.huge(510))
        #expect(try Kernels.sum(.f32([1.5, nil, 2.25])) == .float64(3.75))
        #expect(try Kernels.sum(.f64([0.5, -2])) == .float64(-1.5))
        #expect(try Kernels.sum(.decimals([125, nil, -25], precision: 5, scale: 2)) == .decimal128(100, precision: 38, scale: 2))
    }

    @Test("sum of an all-null or empty column is null", arguments: [
        Column.i64([nil, nil]), .i64([]), .f64([nil]), .uint64(PrimitiveColumn<UInt64>([nil])),
        .decimals([nil], precision: 5, scale: 2), .i8([]),
    ])
    func nullSum(column: Column) throws {
        #expect(try Kernels.sum(column) == .null)
    }

    @Test("sum ignores whatever a null slot holds")
    func hiddenValues() throws {
        let column = Column.int64(PrimitiveColumn(values: ValueBuffer([.max, 5, .max]), validity: Bitmap([false, true, false])))
        #expect(try Kernels.sum(column) == Self.huge(5))
        let values: [Int64?] = (0..<100).map { (i: Int) -> Int64? in i % 3 == 0 ? nil : Int64(i) }
        let expected = Int128(values.compactMap { $0 }.reduce(0, +))
        #expect(try Kernels.sum(Column.sliced(at: 65, values, filler: .max, Column.i64)) == Self.huge(expected))
        #expect(try Kernels.sum(Column.sliced(at: 3, values, filler: .max, Column.i64)) == Self.huge(expected))
    }

    @Test("totals outside Int64 are exact instead of wrapping")
    func beyondInt64() throws {
        #expect(try Kernels.sum(.i64([.max, 1])) == Self.huge(9_223_372_036_854_775_808))
        #expect(try Kernels.sum(.i64([.min, -1])) == Self.huge(-9_223_372_036_854_775_809))
        #expect(try Kernels.sum(.uint64(PrimitiveColumn<UInt64>([.max, 1]))) == Self.huge(18_446_744_073_709_551_616))
        #expect(try Kernels.sum(.i64([Int64?](repeating: .max / 2, count: 5))) == Self.huge(23_058_430_092_136_939_515))
    }

    @Test("an intermediate outside Int64 is fine when the total fits")
    func exactIntermediate() throws {
        #expect(try Kernels.sum(.i64([.max, 1, -2])) == Self.huge(Int128(Int64.max) - 1))
        #expect(try Kernels.sum(.i64([.min, -1, 1])) == Self.huge(Int128(Int64.min)))
        #expect(try Kernels.sum(.i64([.max, .max, .min, .min])) == Self.huge(-2))
    }

    static let maxDigits: Int128 = 99_999_999_999_999_999_999_999_999_999_999_999_999  // 10^38 - 1

    @Test("a decimal total beyond 38 digits throws overflow")
    func decimalOverflow() {
        expectColumnarError(.overflow) { try Kernels.sum(.decimals([Self.maxDigits, 1], precision: 38, scale: 2)) }
        expectColumnarError(.overflow) { try Kernels.sum(.decimals([-Self.maxDigits, nil, -1], precision: 38, scale: 0)) }
    }

    @Test("a decimal sum depends on the total, not on the row order")
    func decimalOrder() throws {
        let expected = Scalar.decimal128(Self.maxDigits - 1, precision: 38, scale: 0)
        #expect(try Kernels.sum(.decimals([-2, Self.maxDigits, 1], precision: 38, scale: 0)) == expected)
        #expect(try Kernels.sum(.decimals([Self.maxDigits, 1, -2], precision: 38, scale: 0)) == expected)
    }

    @Test("sum of a non-numeric column is a type mismatch, even when empty")
    func nonNumeric() {
        expectColumnarError(.typeMismatch) { try Kernels.sum(.text(["1"])) }
        expectColumnarError(.typeMismatch) { try Kernels.sum(.text([])) }
        expectColumnarError(.typeMismatch) { try Kernels.sum(.bools([true])) }
        expectColumnarError(.typeMismatch) { try Kernels.sum(.dates([1])) }
    }
}

@Suite struct MinMaxTests {
    @Test("min and max skip nulls")
    func integers() throws {
        let column = Column.i64([nil, 5, -3, nil, 9, -3])
        #expect(try Kernels.min(column) == .int64(-3))
        #expect(try Kernels.max(column) == .int64(9))
        let values: [Int64?] = (0..<100).map { (i: Int) -> Int64? in i % 4 == 0 ? nil : Int64((i * 37) % 101) }
        let sliced = Column.sliced(at: 65, values, filler: 1_000, Column.i64)
        #expect(try Kernels.max(sliced) == .int64(values.compactMap { $0 }.max()!))
        #expect(try Kernels.min(sliced) == .int64(values.compactMap { $0 }.min()!))
    }

    @Test("all-null and empty columns give null", arguments: [
        Column.i64([nil]), .i64([]), .text([nil, nil]), .bools([nil]), .dictionaryOf([nil]), .f64([]), .dates([nil]),
    ])
    func nullExtremes(column: Column) throws {
        #expect(try Kernels.min(column) == .null)
        #expect(try Kernels.max(column) == .null)
    }

    @Test("NaN is the largest value: min ignores it unless every value is NaN; max returns it")
    func nan() throws {
        let mixed = Column.f64([.nan, 1, -.infinity, nil, .infinity])
        #expect(try Kernels.min(mixed) == .float64(-.infinity))
        guard case .float64(let largest) = try Kernels.max(mixed) else { Issue.record("not a double"); return }
        #expect(largest.isNaN)
        guard case .float64(let onlyNaN) = try Kernels.min(.f64([.nan, nil, .nan])) else { Issue.record("not a double"); return }
        #expect(onlyNaN.isNaN)
        #expect(try Kernels.max(.f64([1, .infinity, nil])) == .float64(.infinity))
        guard case .float32(let narrow) = try Kernels.max(.f32([1, .nan])) else { Issue.record("not a float"); return }
        #expect(narrow.isNaN)
    }

    @Test("text by bytes, booleans false before true")
    func textAndBooleans() throws {
        let text = Column.text(["pear", nil, "apple", "fig", ""])
        #expect(try Kernels.min(text) == .utf8(""))
        #expect(try Kernels.max(text) == .utf8("pear"))
        #expect(try Kernels.min(.bools([true, nil, false])) == .boolean(false))
        #expect(try Kernels.max(.bools([false, nil, false])) == .boolean(false))
        #expect(try Kernels.min(.bools([true, nil])) == .boolean(true))
        #expect(try Kernels.max(.bools([nil, true, false])) == .boolean(true))
    }

    @Test("strings sharing their first eight bytes, zero bytes and empty strings", arguments: [0, 3, 65])
    func sharedPrefixes(offset: Int) throws {
        let long: [String?] = ["abcdefgh_b", nil, "abcdefgh_a", "abcdefgh", "abcdefgh\u{0}", "abcdefgh_b"]
        let column = Column.sliced(at: offset, long, filler: "zzzz", Column.text)
        #expect(try Kernels.min(column) == .utf8("abcdefgh"))
        #expect(try Kernels.max(column) == .utf8("abcdefgh_b"))
        let short = Column.sliced(at: offset, ["a\u{0}", "a", "", nil], filler: "~", Column.text)
        #expect(try Kernels.min(short) == .utf8(""))
        #expect(try Kernels.max(short) == .utf8("a\u{0}"))
        #expect(try Kernels.max(.binary(BinaryColumn(bytes: [[0xFF, 0], [0xFF], [0x7F, 0xFF, 0xFF]]))) == .binary([0xFF, 0]))
    }

    @Test("a dictionary column counts only the entries some row uses")
    func dictionary() throws {
        let indices = PrimitiveColumn<Int32>(values: ValueBuffer([1, 2, 0, 3]), validity: Bitmap([true, true, false, true]))
        let column = Column.dictionary(DictionaryColumn(indices: indices, dictionary: BinaryColumn(["aaa", "m", "b", "x"])))
        #expect(try Kernels.min(column) == .utf8("b"))
        #expect(try Kernels.max(column) == .utf8("x"))
    }

    @Test("results keep the column's type")
    func types() throws {
        #expect(try Kernels.min(.dates([3, -1, nil])) == .date32(-1))
        #expect(try Kernels.max(.micros([5, 7], timeZone: "UTC")) == .timestamp(7, .microsecond, timeZone: "UTC"))
        #expect(try Kernels.max(.decimals([125, -900, 130], precision: 5, scale: 2)) == .decimal128(130, precision: 5, scale: 2))
        #expect(try Kernels.min(.decimals([Int128(1) << 64, -(Int128(1) << 64), 3], precision: 38, scale: 0)) == .decimal128(-(Int128(1) << 64), precision: 38, scale: 0))
    }

    @Test("nested columns are unsupported")
    func nested() throws {
        let list = try Column(.list(Field("item", .int8)), [.list([.int8(1)])])
        expectColumnarError(.unsupported) { try Kernels.min(list) }
        expectColumnarError(.unsupported) { try Kernels.max(list) }
    }
}
