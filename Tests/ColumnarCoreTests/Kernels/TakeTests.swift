import ColumnarCore
import Testing

@Suite struct TakeTests {
    static let rows = 150
    /// Out of order, with repeats, across word boundaries, ending at the last row.
    static let positions: [UInt32] = [149, 0, 0, 64, 65, 3, 130, 2, 63, 64, 7]

    @Test("gathers rows in the order given, on every column kind and slice offset",
          arguments: SelectionKind.allCases, [0, 3, 65])
    func everyKind(kind: SelectionKind, offset: Int) throws {
        let column = try kind.column(count: Self.rows, slicedAt: offset)
        let result = try Kernels.take(column, SelectionVector(Self.positions))
        #expect(result.dataType == column.dataType)
        #expect(result.scalars == Self.positions.map { kind.row(Int($0)) })
    }

    @Test("an empty selection gives zero rows of the same type", arguments: SelectionKind.allCases)
    func emptySelection(kind: SelectionKind) throws {
        let result = try Kernels.take(try kind.column(0..<10), SelectionVector([]))
        #expect(result.count == 0)
        #expect(result.dataType == kind.dataType)
    }

    @Test("a position past the end throws indexOutOfBounds naming its place in the selection", arguments: SelectionKind.allCases)
    func outOfBounds(kind: SelectionKind) throws {
        let column = try kind.column(count: 5, slicedAt: 3)
        expectColumnarError(.indexOutOfBounds, row: 1) { try Kernels.take(column, SelectionVector([0, 5, 9])) }
        expectColumnarError(.indexOutOfBounds, row: 0) { try Kernels.take(column, SelectionVector([UInt32.max])) }
    }

    @Test("strings of every length from 0 to 40 bytes are copied exactly")
    func stringLengths() throws {
        let values: [String?] = (0...40).map { n in String((0..<n).map { Character(UnicodeScalar(UInt8(65 + ($0 + n) % 26))) }) }
        let column = Column.text(values)
        let reversed = try Kernels.take(column, SelectionVector((0...40).reversed().map(UInt32.init)))
        #expect(reversed.strings == values.reversed())
        let evens = try Kernels.filter(column, BooleanColumn((0...40).map { $0 % 2 == 0 }))
        #expect(evens.strings == values.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
    }

    @Test("taking from an empty column fails for any position")
    func fromEmpty() {
        expectColumnarError(.indexOutOfBounds, row: 0) { try Kernels.take(.i64([]), SelectionVector([0])) }
    }
}

@Suite struct DecodeDictionaryTests {
    @Test("expands a dictionary column to plain text")
    func expands() {
        let decoded = Kernels.decodeDictionary(.dictionaryOf(["b", nil, "a", "b", ""]))
        guard case .utf8(let text) = decoded else { Issue.record("expected plain utf8, got \(decoded.dataType)"); return }
        #expect((0..<text.count).map { text.string(at: $0) } == ["b", nil, "a", "b", ""])
    }

    @Test("a null row with an out-of-range index decodes to null")
    func nullRows() {
        let indices = PrimitiveColumn<Int32>(values: ValueBuffer([1, -4, 99, 0]), validity: Bitmap([true, false, false, true]))
        let decoded = Kernels.decodeDictionary(.dictionary(DictionaryColumn(indices: indices, dictionary: BinaryColumn(["x", "y"]))))
        #expect(decoded.strings == ["y", nil, nil, "x"])
    }

    @Test("a sliced dictionary column decodes only its rows", arguments: [3, 65])
    func sliced(offset: Int) {
        let values: [String?] = (0..<100).map { $0 % 4 == 0 ? nil : "v\($0 % 3)" }
        let column = Column.sliced(at: offset, values, filler: "pad", Column.dictionaryOf)
        #expect(Kernels.decodeDictionary(column).strings == values)
    }

    @Test("other columns pass through unchanged")
    func passThrough() {
        #expect(Kernels.decodeDictionary(.i64([1, nil])).scalars == [.int64(1), .null])
        #expect(Kernels.decodeDictionary(.text(["a"])).strings == ["a"])
    }
}
