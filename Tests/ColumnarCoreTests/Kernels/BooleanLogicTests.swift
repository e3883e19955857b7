import ColumnarCore
import Testing

@Suite struct BooleanLogicTests {
    /// The nine combinations, left operand major: (T,T) (T,F) (T,N) (F,T) (F,F) (F,N) (N,T) (N,F) (N,N).
    static let lhs: [Bool?] = [true, true, true, false, false, false, nil, nil, nil]
    static let rhs: [Bool?] = [true, false, nil, true, false, nil, true, false, nil]
    static let andTable: [Bool?] = [true, false, nil, false, false, false, nil, false, nil]
    static let orTable: [Bool?] = [true, true, true, true, false, nil, true, nil, nil]

    /// A boolean column whose null slots hold `underNull` as their value bit, so no kernel can
    /// get the right answer by reading the bit under a null.
    static func column(_ values: [Bool?], underNull: Bool) -> BooleanColumn {
        BooleanColumn(values: Bitmap(values.map { $0 ?? underNull }), validity: Bitmap(values.map { $0 != nil }))
    }

    @Test("AND follows the three-valued truth table", arguments: [false, true])
    func andTruthTable(underNull: Bool) throws {
        let result = try Kernels.and(Self.column(Self.lhs, underNull: underNull), Self.column(Self.rhs, underNull: underNull))
        #expect(result.optionals == Self.andTable)
    }

    @Test("OR follows the three-valued truth table", arguments: [false, true])
    func orTruthTable(underNull: Bool) throws {
        let result = try Kernels.or(Self.column(Self.lhs, underNull: underNull), Self.column(Self.rhs, underNull: underNull))
        #expect(result.optionals == Self.orTable)
    }

    @Test("NOT keeps null null", arguments: [false, true])
    func not(underNull: Bool) {
        #expect(Kernels.not(Self.column([true, false, nil], underNull: underNull)).optionals == [false, true, nil])
    }

    @Test("AND and OR when only one side has validity")
    func oneSidedValidity() throws {
        let known = BooleanColumn([true, false, true, false])
        let partial = BooleanColumn([nil, nil, true, false])
        #expect(try Kernels.and(known, partial).optionals == [nil, false, true, false])
        #expect(try Kernels.and(partial, known).optionals == [nil, false, true, false])
        #expect(try Kernels.or(known, partial).optionals == [true, nil, true, false])
        #expect(try Kernels.or(partial, known).optionals == [true, nil, true, false])
        #expect(try Kernels.and(known, known).optionals == [true, false, true, false])
        #expect(try Kernels.or(known, BooleanColumn([false, false, false, false])).optionals == [true, false, true, false])
    }

    @Test("long sliced operands agree with a row-by-row oracle", arguments: [3, 65])
    func slicedOracle(offset: Int) throws {
        let n = 200
        let a: [Bool?] = (0..<n).map { i in i % 7 == 0 ? nil : i % 3 == 0 }
        let b: [Bool?] = (0..<n).map { i in i % 5 == 0 ? nil : i % 4 < 2 }
        let left = Column.sliced(at: offset, a, filler: true, Column.bools)
        let right = Column.sliced(at: 130 - offset, b, filler: true, Column.bools)
        guard case .boolean(let x) = left, case .boolean(let y) = right else { Issue.record("not boolean"); return }
        func and(_ p: Bool?, _ q: Bool?) -> Bool? {
            if p == false || q == false { return false }
            if p == nil || q == nil { return nil }
            return true
        }
        func or(_ p: Bool?, _ q: Bool?) -> Bool? {
            if p == true || q == true { return true }
            if p == nil || q == nil { return nil }
            return false
        }
        #expect(try Kernels.and(x, y).optionals == zip(a, b).map { and($0, $1) })
        #expect(try Kernels.or(x, y).optionals == zip(a, b).map { or($0, $1) })
        #expect(Kernels.not(x).optionals == a.map { $0.map { !$0 } })
    }

    @Test("operands of different lengths are rejected")
    func lengths() {
        expectColumnarError(.lengthMismatch) { try Kernels.and(BooleanColumn([true]), BooleanColumn([true, false])) }
        expectColumnarError(.lengthMismatch) { try Kernels.or(BooleanColumn([true]), BooleanColumn([])) }
    }
}

@Suite struct NullTestTests {
    static let columns: [Column] = [
        .i64([1, nil, 3]), .f64([nil, .nan, nil]), .text(["a", nil, ""]), .dictionaryOf([nil, "x", nil]),
        .bools([nil, nil, false]), .decimals([1, 2, nil], precision: 3, scale: 0),
    ]

    @Test("IS NULL and IS NOT NULL are never null themselves", arguments: columns)
    func neverNull(column: Column) {
        let isNull = Kernels.isNull(column)
        let isNotNull = Kernels.isNotNull(column)
        let expected = (0..<column.count).map { column.scalar(at: $0) == .null }
        #expect(isNull.validity == nil && isNotNull.validity == nil)
        #expect(isNull.optionals == expected)
        #expect(isNotNull.optionals == expected.map { !$0 })
    }

    @Test("a column without validity is never null")
    func noValidity() {
        #expect(Kernels.isNull(.i64([1, 2])).optionals == [false, false])
        #expect(Kernels.isNotNull(.text(["a"])).optionals == [true])
    }

    @Test("nested columns report their own nulls")
    func nested() throws {
        let list = try Column(.list(Field("item", .int8)), [.list([.null]), .null])
        #expect(Kernels.isNull(list).optionals == [false, true])
        let record = try Column(.struct([Field("a", .int8)]), [.null, .struct(["a": .null])])
        #expect(Kernels.isNotNull(record).optionals == [false, true])
    }

    @Test("sliced columns at offsets 3 and 65", arguments: [3, 65])
    func sliced(offset: Int) {
        let values: [Int64?] = (0..<100).map { $0 % 3 == 0 ? nil : Int64($0) }
        let column = Column.sliced(at: offset, values, filler: 1, Column.i64)
        #expect(Kernels.isNull(column).optionals == values.map { $0 == nil })
        #expect(Kernels.isNotNull(column).optionals == values.map { $0 != nil })
    }
}
