import ColumnarCore
import Testing

@Suite struct FilterTests {
    static let rows = 150

    @Test("keeps the rows where the mask is true, on every column kind and slice offset",
          arguments: SelectionKind.allCases, [0, 3, 65])
    func everyKind(kind: SelectionKind, offset: Int) throws {
        let column = try kind.column(count: Self.rows, slicedAt: offset)
        let mask = MaskPattern.mixed.mask(Self.rows)
        let expected = zip(kind.rows(0..<Self.rows), mask).filter { $0.1 == true }.map(\.0)
        let result = try Kernels.filter(column, .mask(mask))
        #expect(result.dataType == column.dataType)
        #expect(result.count == expected.count)
        #expect(result.scalars == expected)
    }

    @Test("whole words of trues, partial words and empty selections", arguments: MaskPattern.allCases, [0, 3, 65])
    func maskShapes(pattern: MaskPattern, offset: Int) throws {
        let count = 200
        let values: [Int64?] = (0..<count).map { $0 % 9 == 4 ? nil : Int64($0) }
        let column = Column.sliced(at: offset, values, filler: -1, Column.i64)
        let mask = pattern.mask(count)
        let expected = zip(values, mask).filter { $0.1 == true }.map { $0.0.map(Scalar.int64) ?? .null }
        #expect(try Kernels.filter(column, .mask(mask)).scalars == expected)
        // The same mask read through a slice of a longer boolean column.
        let slicedMask = Column.sliced(at: 67 - offset, mask, filler: true, Column.bools)
        guard case .boolean(let shiftedMask) = slicedMask else { Issue.record("not boolean"); return }
        #expect(try Kernels.filter(column, shiftedMask).scalars == expected)
    }

    @Test("a null mask row is not selected even when its value bit is set")
    func nullIsFalse() throws {
        let mask = BooleanColumn(values: Bitmap([true, true, true]), validity: Bitmap([true, false, true]))
        #expect(try Kernels.filter(.i64([1, 2, 3]), mask).scalars == [.int64(1), .int64(3)])
        #expect(try Kernels.filter(.text(["a", "b", "c"]), mask).strings == ["a", "c"])
    }

    @Test("exactly 64 and 128 selected rows end on a word boundary", arguments: [64, 128])
    func wordMultiples(count: Int) throws {
        let values = (0..<count).map { Int64($0) }
        let result = try Kernels.filter(.i64(values), BooleanColumn([Bool?](repeating: true, count: count)))
        #expect(result.primitive(as: Int64.self)?.optionals == values)
    }

    @Test("a mask of another length is rejected")
    func lengthMismatch() {
        expectColumnarError(.lengthMismatch) { try Kernels.filter(.i64([1, 2]), BooleanColumn([true])) }
        expectColumnarError(.lengthMismatch) { try Kernels.filter(.text(["a"]), BooleanColumn([true, false])) }
    }
}

@Suite struct SelectionVectorTests {
    @Test("selects the true rows; null is not selected")
    func fromMask() {
        #expect(SelectionVector(.mask([true, nil, false, true])).indices.array == [0, 3])
        #expect(SelectionVector(BooleanColumn([])).count == 0)
    }

    @Test("positions across word boundaries and from sliced masks", arguments: MaskPattern.allCases, [0, 3, 65])
    func oracle(pattern: MaskPattern, offset: Int) {
        let mask = pattern.mask(200)
        let expected = mask.indices.filter { mask[$0] == true }.map(UInt32.init)
        guard case .boolean(let column) = Column.sliced(at: offset, mask, filler: true, Column.bools) else { return }
        #expect(SelectionVector(column).indices.array == expected)
    }
}
