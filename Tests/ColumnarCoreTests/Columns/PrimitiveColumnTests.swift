import ColumnarCore
import Testing

@Suite struct PrimitiveColumnTests {
    @Test("optional values become nulls; a column without nulls has no validity")
    func optionals() {
        let column = PrimitiveColumn<Int64>([31, nil, 45])
        #expect(column.count == 3)
        #expect(column.nullCount == 1)
        #expect(column.isNull(1) && !column.isNull(0))
        #expect(column[0] == 31 && column[1] == nil && column[2] == 45)
        #expect(PrimitiveColumn<Int64>([1, 2]).validity == nil)
        #expect(PrimitiveColumn<Int64>([1, 2]).nullCount == 0)
    }

    @Test("null slots may hold any value and still read as null")
    func nullSlotValues() {
        let column = PrimitiveColumn<Int64>(values: ValueBuffer([1, .max, 3]), validity: Bitmap([true, false, true]))
        #expect(column.optionals == [1, nil, 3])
        #expect(column.values[1] == .max)
    }

    @Test("slices keep values and nulls at offsets that are not word-aligned", arguments: [3, 65])
    func slices(offset: Int) {
        let values: [Int32?] = (0..<200).map { $0 % 4 == 1 ? nil : Int32($0) }
        let column = PrimitiveColumn(values)
        let slice = column.slice(offset..<(offset + 70))
        #expect(slice.count == 70)
        #expect(slice.optionals == Array(values[offset..<(offset + 70)]))
        #expect(slice.nullCount == values[offset..<(offset + 70)].filter { $0 == nil }.count)
        #expect(slice.slice(2..<4).optionals == Array(values[(offset + 2)..<(offset + 4)]))
    }
}

@Suite struct BooleanColumnTests {
    @Test("reads values and nulls")
    func values() {
        let flags = BooleanColumn([true, nil, false])
        #expect(flags.count == 3 && flags.nullCount == 1)
        #expect(flags[0] == true && flags[1] == nil && flags[2] == false)
    }

    @Test("true bits exclude nulls even when the value bit under them is set")
    func trueBits() {
        let flags = BooleanColumn(values: Bitmap([true, true, false, true]), validity: Bitmap([true, false, true, true]))
        #expect(flags.trueBits == Bitmap([true, false, false, true]))
        #expect(BooleanColumn([true, false]).trueBits == Bitmap([true, false]))
    }

    @Test("slices at odd offsets", arguments: [3, 65])
    func slices(offset: Int) {
        let values: [Bool?] = (0..<150).map { $0 % 5 == 0 ? nil : $0 % 3 == 0 }
        let slice = BooleanColumn(values).slice(offset..<(offset + 40))
        #expect(slice.optionals == Array(values[offset..<(offset + 40)]))
    }
}
