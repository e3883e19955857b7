import ColumnarCore
import Testing

@Suite struct SortTests {
    func order(_ keys: [SortKey]) throws -> [UInt32] { try Kernels.sortIndices(keys).array }
    func order(_ column: Column, descending: Bool = false, nullsFirst: Bool = false) throws -> [UInt32] {
        try Kernels.sortIndices(column, descending: descending, nullsFirst: nullsFirst).array
    }

    @Test("nulls first or last in both directions", arguments: [
        (false, false, [2, 5, 3, 0, 1, 4] as [UInt32]),
        (false, true, [1, 4, 2, 5, 3, 0]),
        (true, false, [0, 3, 2, 5, 1, 4]),
        (true, true, [1, 4, 0, 3, 2, 5]),
    ])
    func nullPlacement(descending: Bool, nullsFirst: Bool, expected: [UInt32]) throws {
        #expect(try order(.i64([3, nil, 1, 2, nil, 1]), descending: descending, nullsFirst: nullsFirst) == expected)
    }

    @Test("nulls go last by default")
    func defaults() throws {
        #expect(try order([SortKey(.i32([nil, 2, 1]))]) == [2, 1, 0])
        #expect(try order(.i32([nil, 2, 1]), descending: true) == [1, 2, 0])
    }

    @Test("ties keep their input order, ascending and descending")
    func stability() throws {
        let values: [Int64?] = [2, 1, 2, 1, 2, 1]
        #expect(try order(.i64(values)) == [1, 3, 5, 0, 2, 4])
        #expect(try order(.i64(values), descending: true) == [0, 2, 4, 1, 3, 5])
    }

    @Test("several keys: text ascending, then integer descending")
    func multiKey() throws {
        let names = Column.text(["b", "a", "b", "a", "a", "b"])
        let numbers = Column.i64([1, 2, 3, 2, 5, 1])
        #expect(try order([SortKey(names), SortKey(numbers, descending: true)]) == [4, 1, 3, 2, 0, 5])
    }

    @Test("rows whose first key is null are ordered by the next key")
    func nullsThenNextKey() throws {
        let first = Column.text([nil, "a", nil, "a", nil])
        let second = Column.i64([3, 2, 1, 1, 2])
        #expect(try order([SortKey(first), SortKey(second)]) == [3, 1, 2, 4, 0])
        #expect(try order([SortKey(first, nullsFirst: true), SortKey(second, descending: true)]) == [0, 4, 2, 1, 3])
    }

    @Test("strings longer than eight bytes with a shared eight-byte prefix")
    func longStrings() throws {
        let values: [String?] = ["abcdefgh_z", "abcdefgh_a", "abcdefgh", "abcdefgh_m", "abcdefg", "abcdefgh_a"]
        #expect(try order(.text(values)) == [4, 2, 1, 5, 3, 0])
        #expect(try order(.text(values), descending: true) == [0, 3, 1, 5, 2, 4])
    }

    @Test("empty strings, zero bytes and prefixes: \"ab\" sorts before \"ab\\0\"")
    func zeroBytes() throws {
        let values: [String?] = ["ab\u{0}", "", "ab", "a", "\u{0}", "b", "ab\u{0}\u{0}", ""]
        #expect(try order(.text(values)) == [1, 7, 4, 3, 2, 0, 6, 5])
        let bytes = Column.binary(BinaryColumn(bytes: [[0xFF], [], [0x00, 0x01], [0x00]]))
        #expect(try order(bytes) == [1, 3, 2, 0])
    }

    @Test("text sorts by UTF-8 bytes, so by code point")
    func codePoints() throws {
        #expect(try order(.text(["é", "z", "Z", "日本", "e"])) == [2, 4, 1, 0, 3])
    }

    @Test("a dictionary column sorts by its text, not its indices")
    func dictionary() throws {
        let fruit = DictionaryColumn(indices: PrimitiveColumn<Int32>([0, 1, 2, 1, nil, 0]), dictionary: BinaryColumn(["pear", "apple", "fig"]))
        #expect(try order(.dictionary(fruit)) == [1, 3, 2, 0, 5, 4])
        #expect(try order(.dictionary(fruit), descending: true, nullsFirst: true) == [4, 0, 5, 2, 1, 3])
        let repeated = DictionaryColumn(indices: PrimitiveColumn<Int32>([2, 0, 1]), dictionary: BinaryColumn(["b", "a", "b"]))
        #expect(try order(.dictionary(repeated)) == [2, 0, 1])
        #expect(try order([SortKey(.dictionary(repeated)), SortKey(.i64([2, 1, 1]))]) == [2, 1, 0])
    }

    @Test("narrow, unsigned and temporal integers sort numerically")
    func integerTypes() throws {
        #expect(try order(.i8([-1, 127, -128, 0])) == [2, 0, 3, 1])
        #expect(try order(.uint64(PrimitiveColumn<UInt64>([.max, 0, 1 << 63]))) == [1, 2, 0])
        #expect(try order(.dates([19_782, -1, 0])) == [1, 2, 0])
        #expect(try order(.micros([5, -5, nil, 0]), descending: true) == [0, 3, 1, 2])
    }

    @Test("booleans sort false before true")
    func booleans() throws {
        #expect(try order(.bools([true, false, nil, true, false])) == [1, 4, 0, 3, 2])
    }

    @Test("decimals whose high words are equal are ordered by their low words")
    func wideDecimals() throws {
        let base = Int128(1) << 64
        let values: [Int128?] = [base + 5, base + 1, -1, -5, 3, base + 1, -base, nil, base - 1]
        let column = Column.decimals(values, precision: 38, scale: 0)
        #expect(try order(column) == [6, 3, 2, 4, 8, 1, 5, 0, 7])
        #expect(try order(column, descending: true) == [0, 1, 5, 8, 4, 2, 3, 6, 7])
    }

    @Test("sliced keys sort their own rows", arguments: [3, 65])
    func sliced(offset: Int) throws {
        let values: [Int64?] = [4, nil, -2, 4, 0]
        #expect(try order(Column.sliced(at: offset, values, filler: -100, Column.i64)) == [2, 4, 0, 3, 1])
        let texts: [String?] = ["pear", nil, "fig", "apple"]
        #expect(try order(Column.sliced(at: offset, texts, filler: "aaa", Column.text)) == [3, 2, 0, 1])
        #expect(try order(Column.sliced(at: offset, texts, filler: "aaa", Column.dictionaryOf)) == [3, 2, 0, 1])
        let flags: [Bool?] = [true, nil, false, true]
        #expect(try order(Column.sliced(at: offset, flags, filler: false, Column.bools), descending: true) == [0, 3, 2, 1])
    }

    @Test("zero rows and one row")
    func tiny() throws {
        #expect(try order(.i64([])).isEmpty)
        #expect(try order(.text(["only"])) == [0])
    }

    @Test("needs keys of equal length and of sortable types")
    func errors() throws {
        expectColumnarError(.invalidArgument) { try Kernels.sortIndices([]) }
        expectColumnarError(.lengthMismatch) { try Kernels.sortIndices([SortKey(.i64([1, 2])), SortKey(.i64([1]))]) }
        let list = try Column(.list(Field("item", .int8)), [.list([]), .null])
        expectColumnarError(.unsupported) { try Kernels.sortIndices(list) }
    }
}
