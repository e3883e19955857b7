import ColumnarCore
import Testing

/// `Kernels.scatter` places dense values at the set bits of a validity bitmap.
@Suite struct ScatterTests {
    static let mask = Bitmap([true, false, false, true, true, false])

    @Test("primitive values land at the present rows in order, nulls elsewhere")
    func primitive() throws {
        let column = try Kernels.scatter(.i64([7, 8, 9]), validity: Self.mask)
        #expect(column.scalars == [.int64(7), .null, .null, .int64(8), .int64(9), .null])
        let decimals = try Kernels.scatter(.decimal128(PrimitiveColumn([Int128(5), -5, 0]), precision: 3, scale: 1), validity: Self.mask)
        #expect(decimals.dataType == .decimal128(precision: 3, scale: 1))
        #expect(decimals.scalar(at: 3) == .decimal128(-5, precision: 3, scale: 1))
    }

    @Test("strings, booleans and dictionary text scatter too")
    func otherLayouts() throws {
        let text = try Kernels.scatter(.utf8(BinaryColumn(["a", "", "ccc"])), validity: Self.mask)
        #expect(text.scalars == [.utf8("a"), .null, .null, .utf8(""), .utf8("ccc"), .null])
        let flags = try Kernels.scatter(.boolean(BooleanColumn([true, false, true])), validity: Self.mask)
        #expect(flags.scalars == [.boolean(true), .null, .null, .boolean(false), .boolean(true), .null])
        let dictionary = Column.dictionary(DictionaryColumn(indices: PrimitiveColumn([Int32(1), 0, 1]), dictionary: BinaryColumn(["x", "y"])))
        #expect(try Kernels.scatter(dictionary, validity: Self.mask).scalars == [.utf8("y"), .null, .null, .utf8("x"), .utf8("y"), .null])
    }

    @Test("no set bits gives all nulls; all set bits gives the column back")
    func edges() throws {
        let none = try Kernels.scatter(.utf8(BinaryColumn([String?]())), validity: Bitmap([false, false]))
        #expect(none.scalars == [.null, .null])
        #expect(none.dataType == .utf8)
        let all = try Kernels.scatter(.i64([1, 2]), validity: Bitmap([true, true]))
        #expect(all.scalars == [.int64(1), .int64(2)])
    }

    @Test("a count that differs from the set bits, or nulls in the input, are errors")
    func errors() {
        #expect(throws: ColumnarError.self) { try Kernels.scatter(.i64([1]), validity: Self.mask) }
        #expect(throws: ColumnarError.self) { try Kernels.scatter(.i64([1, nil, 3]), validity: Self.mask) }
    }
}
