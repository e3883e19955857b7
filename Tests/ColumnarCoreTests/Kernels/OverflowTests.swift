import ColumnarCore
import Testing

/// Integers never wrap: SQL raises on overflow, naming the first row that overflowed.
@Suite struct OverflowTests {
    @Test("Int64.max + 1 throws overflow at its row")
    func addition() {
        expectColumnarError(.overflow, row: 2) { try Kernels.arithmetic(.i64([1, 2, .max]), .add, .i64([1, 1, 1])) }
        expectColumnarError(.overflow, row: 0) { try Kernels.arithmetic(.i64([.max, .max]), .add, .i64([1, 1])) }
        expectColumnarError(.overflow, row: 1) { try Kernels.arithmetic(.i64([.max, .max]), .add, .i64([0, 1])) }
        expectColumnarError(.overflow, row: 0) { try Kernels.arithmetic(.i64([.max]), .add, .int64(1)) }
    }

    @Test("Int64.min - 1 throws overflow at its row")
    func subtraction() {
        expectColumnarError(.overflow, row: 1) { try Kernels.arithmetic(.i64([0, .min]), .subtract, .i64([1, 1])) }
        expectColumnarError(.overflow, row: 0) { try Kernels.arithmetic(.i64([0]), .subtract, .i64([.min])) }
    }

    @Test("Int32 multiplication past 2^31 throws overflow")
    func multiplication() {
        expectColumnarError(.overflow, row: 1) { try Kernels.arithmetic(.i32([2, 65_536]), .multiply, .i32([3, 32_768])) }
        expectColumnarError(.overflow, row: 0) { try Kernels.arithmetic(.i32([.min]), .multiply, .i32([-1])) }
    }

    @Test("Int64.min / -1 throws overflow; Int64.min % -1 is 0")
    func minByMinusOne() throws {
        expectColumnarError(.overflow, row: 1) { try Kernels.arithmetic(.i64([10, .min]), .divide, .i64([-1, -1])) }
        let remainder = try Kernels.arithmetic(.i64([10, .min, .min]), .remainder, .i64([-1, -1, 3]))
        #expect(remainder.primitive(as: Int64.self)?.optionals == [0, 0, -2])
        let narrow = try Kernels.arithmetic(.i8([.min]), .remainder, .i8([-1]))
        #expect(narrow.primitive(as: Int8.self)?.optionals == [0])
        expectColumnarError(.overflow, row: 0) { try Kernels.arithmetic(.i8([.min]), .divide, .i8([-1])) }
    }

    @Test("narrow and unsigned types overflow at their own bounds")
    func narrowTypes() throws {
        expectColumnarError(.overflow, row: 0) { try Kernels.arithmetic(.i8([127]), .add, .i8([1])) }
        expectColumnarError(.overflow, row: 0) { try Kernels.arithmetic(.i8([-128]), .subtract, .i8([1])) }
        let bytes = { (v: [UInt8?]) in Column.uint8(PrimitiveColumn(v)) }
        #expect(try Kernels.arithmetic(bytes([200]), .add, bytes([55])).scalars == [.uint8(255)])
        expectColumnarError(.overflow, row: 0) { try Kernels.arithmetic(bytes([200]), .add, bytes([56])) }
        expectColumnarError(.overflow, row: 0) {
            try Kernels.arithmetic(.uint64(PrimitiveColumn<UInt64>([0])), .subtract, .uint64(PrimitiveColumn<UInt64>([1])))
        }
    }

    /// A column whose null slot holds `hidden`: the slot is computed but must not raise.
    static func withHiddenNull(_ visible: Int64, hidden: Int64) -> Column {
        .int64(PrimitiveColumn(values: ValueBuffer([visible, hidden, visible]), validity: Bitmap([true, false, true])))
    }

    @Test("overflow in a null slot does not throw", arguments: ArithmeticOperator.allCases)
    func nullSlots(op: ArithmeticOperator) throws {
        let rhsValue: Int64 = op == .add ? 1 : op == .subtract ? -1 : op == .multiply ? 2 : -1
        let hiddenLeft: Int64 = op == .divide || op == .remainder ? .min : .max
        let result = try Kernels.arithmetic(Self.withHiddenNull(6, hidden: hiddenLeft), op, .i64([rhsValue, rhsValue, rhsValue]))
        let expected: Int64 = switch op {
        case .add: 7
        case .subtract: 7
        case .multiply: 12
        case .divide: -6
        case .remainder: 0
        }
        #expect(result.primitive(as: Int64.self)?.optionals == [expected, nil, expected])
    }

    @Test("overflow hidden under a null on the right does not throw")
    func nullOnTheRight() throws {
        let right = Column.int64(PrimitiveColumn(values: ValueBuffer([1, .max]), validity: Bitmap([true, false])))
        let result = try Kernels.arithmetic(.i64([1, .max]), .add, right)
        #expect(result.primitive(as: Int64.self)?.optionals == [2, nil])
    }
}
