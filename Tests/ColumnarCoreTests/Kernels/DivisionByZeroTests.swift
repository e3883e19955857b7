import ColumnarCore
import Testing

@Suite struct DivisionByZeroTests {
    @Test("the error policy throws divisionByZero at the first zero divisor", arguments: [ArithmeticOperator.divide, .remainder])
    func errorPolicy(op: ArithmeticOperator) {
        expectColumnarError(.divisionByZero, row: 1) { try Kernels.arithmetic(.i64([10, 20, 30]), op, .i64([5, 0, 0])) }
        expectColumnarError(.divisionByZero, row: 1) {
            try Kernels.arithmetic(.i64([nil, 3]), op, .int64(0), divisionByZero: .error)
        }
    }

    @Test("the error policy is the default")
    func defaultPolicy() {
        expectColumnarError(.divisionByZero, row: 0) { try Kernels.arithmetic(.i32([1]), .divide, .i32([0])) }
    }

    @Test("the null policy turns zero divisors into nulls")
    func nullPolicy() throws {
        let quotient = try Kernels.arithmetic(.i64([10, 20, 30]), .divide, .i64([5, 0, 0]), divisionByZero: .null)
        #expect(quotient.primitive(as: Int64.self)?.optionals == [2, nil, nil])
        let remainder = try Kernels.arithmetic(.i64([10, 20, 31]), .remainder, .i64([0, 6, 5]), divisionByZero: .null)
        #expect(remainder.primitive(as: Int64.self)?.optionals == [nil, 2, 1])
        let byScalar = try Kernels.arithmetic(.i64([1, 2, 3]), .divide, .int64(0), divisionByZero: .null)
        #expect(byScalar.scalars == [.null, .null, .null])
    }

    @Test("the null policy keeps the operands' other nulls null")
    func nullPolicyKeepsNulls() throws {
        // A null after the first zero divisor, on either side.
        let right = try Kernels.arithmetic(.i64([10, 10, 10, 10]), .divide, .i64([0, nil, 2, 5]), divisionByZero: .null)
        #expect(right.primitive(as: Int64.self)?.optionals == [nil, nil, 5, 2])
        let left = try Kernels.arithmetic(.i64([10, nil, 10, 12]), .remainder, .i64([0, 1, 4, 5]), divisionByZero: .null)
        #expect(left.primitive(as: Int64.self)?.optionals == [nil, nil, 2, 2])
        // A zero divisor after a null must not come back as a value.
        let byScalar = try Kernels.arithmetic(.i64([1, nil, 3]), .divide, .int64(0), divisionByZero: .null)
        #expect(byScalar.scalars == [.null, .null, .null])
        // A null before the first zero divisor.
        let before = try Kernels.arithmetic(.i64([nil, 10, 10]), .divide, .i64([1, 0, 5]), divisionByZero: .null)
        #expect(before.primitive(as: Int64.self)?.optionals == [nil, nil, 2])
    }

    @Test("a zero divisor in a null row does not throw")
    func zeroInNullRow() throws {
        let hiddenZero = Column.int64(PrimitiveColumn(values: ValueBuffer([5, 0]), validity: Bitmap([true, false])))
        let result = try Kernels.arithmetic(.i64([10, 20]), .divide, hiddenZero, divisionByZero: .error)
        #expect(result.primitive(as: Int64.self)?.optionals == [2, nil])
        let nullDividend = try Kernels.arithmetic(.i64([nil, 20]), .remainder, .i64([0, 6]))
        #expect(nullDividend.primitive(as: Int64.self)?.optionals == [nil, 2])
    }

    @Test("float division by zero follows the policy", arguments: [ArithmeticOperator.divide, .remainder])
    func floats(op: ArithmeticOperator) throws {
        expectColumnarError(.divisionByZero, row: 1) { try Kernels.arithmetic(.f64([1, 2]), op, .f64([4, 0])) }
        expectColumnarError(.divisionByZero, row: 0) { try Kernels.arithmetic(.f32([1]), op, .f32([-0.0])) }
        let nulls = try Kernels.arithmetic(.f64([1, 2, 3]), op, .f64([0, 4, -0.0]), divisionByZero: .null)
        #expect(nulls.primitive(as: Double.self)?.optionals == [nil, op == .divide ? 0.5 : 2, nil])
        let hiddenZero = Column.float64(PrimitiveColumn(values: ValueBuffer([0.0, 2.0]), validity: Bitmap([false, true])))
        #expect(try Kernels.arithmetic(.f64([1, 1]), op, hiddenZero).primitive(as: Double.self)?.optionals == [nil, op == .divide ? 0.5 : 1])
    }
}
