import ColumnarCore
import Testing

/// Every kernel accepts zero-row input: freshly built, and sliced out of the middle of a column.
@Suite struct ZeroRowTests {
    static let flatKinds = SelectionKind.allCases.filter { !$0.dataType.isNested }

    static func empty(_ kind: SelectionKind, sliced: Bool) throws -> Column {
        sliced ? try kind.column(count: 70, slicedAt: 3).slice(67..<67) : try kind.column(0..<0)
    }

    @Test("selection kernels return zero rows of the same type", arguments: SelectionKind.allCases, [false, true])
    func selection(kind: SelectionKind, sliced: Bool) throws {
        let column = try Self.empty(kind, sliced: sliced)
        #expect(column.count == 0)
        #expect(try Kernels.filter(column, BooleanColumn([])).dataType == column.dataType)
        #expect(try Kernels.filter(column, BooleanColumn([])).count == 0)
        #expect(try Kernels.take(column, SelectionVector([])).count == 0)
        #expect(Kernels.isNull(column).count == 0)
        #expect(Kernels.isNotNull(column).count == 0)
        #expect(Kernels.count(column) == 0)
        #expect(Kernels.decodeDictionary(column).count == 0)
        #expect(try Kernels.cast(column, to: .utf8).count == 0)
    }

    @Test("comparison, hashing, grouping, sorting and min/max on flat columns", arguments: flatKinds, [false, true])
    func flat(kind: SelectionKind, sliced: Bool) throws {
        let column = try Self.empty(kind, sliced: sliced)
        #expect(try Kernels.compare(column, .equal, column).count == 0)
        #expect(try Kernels.compare(column, .less, .null).count == 0)
        #expect(try Kernels.hash([column]).count == 0)
        #expect(try Kernels.groupIDs([column, column]).groupCount == 0)
        #expect(try Kernels.sortIndices([SortKey(column), SortKey(column, descending: true)]).isEmpty)
        #expect(try Kernels.min(column) == .null)
        #expect(try Kernels.max(column) == .null)
    }

    @Test("arithmetic and sum on numeric columns", arguments: [SelectionKind.int64, .float64, .decimal], [false, true])
    func numeric(kind: SelectionKind, sliced: Bool) throws {
        let column = try Self.empty(kind, sliced: sliced)
        for op in [ArithmeticOperator.add, .subtract, .multiply] {
            #expect(try Kernels.arithmetic(column, op, column).count == 0)
        }
        #expect(try Kernels.arithmetic(column, .add, Scalar.null).count == 0)
        #expect(try Kernels.sum(column) == .null)
        #expect(try Kernels.cast(column, to: .float64).count == 0)
    }

    @Test("boolean logic on zero rows")
    func logic() throws {
        let empty = BooleanColumn([])
        let sliced = BooleanColumn([true, nil, false]).slice(2..<2)
        #expect(try Kernels.and(empty, sliced).count == 0)
        #expect(try Kernels.or(sliced, empty).count == 0)
        #expect(Kernels.not(sliced).count == 0)
        #expect(SelectionVector(sliced).count == 0)
    }

    @Test("text parsing on zero rows", arguments: [DataType.int64, .float64, .boolean, .date32, .decimal128(precision: 5, scale: 2)])
    func parsing(type: DataType) throws {
        let result = try Kernels.cast(.text(["x", "y"]).slice(1..<1), to: type)
        #expect(result.count == 0)
        #expect(result.dataType == type)
    }
}
