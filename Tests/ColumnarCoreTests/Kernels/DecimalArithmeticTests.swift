import ColumnarCore
import Testing

@Suite struct DecimalArithmeticTests {
    static let maxDigits: Int128 = 99_999_999_999_999_999_999_999_999_999_999_999_999  // 10^38 - 1

    @Test("addition and subtraction keep the scale and add a digit of precision")
    func addSubtract() throws {
        let a = Column.decimals([125, -250, nil], precision: 5, scale: 2)
        let b = Column.decimals([250, 100, 1], precision: 5, scale: 2)
        let sum = try Kernels.arithmetic(a, .add, b)
        #expect(sum.dataType == .decimal128(precision: 6, scale: 2))
        #expect(sum.primitive(as: Int128.self)?.optionals == [375, -150, nil])
        #expect(try Kernels.arithmetic(a, .subtract, b).primitive(as: Int128.self)?.optionals == [-125, -350, nil])
    }

    @Test("result precision follows the wider integer part, capped at 38", arguments: [
        (10, 5, 11), (38, 38, 38), (3, 9, 10),
    ])
    func precision(left: Int, right: Int, expected: Int) throws {
        let result = try Kernels.arithmetic(.decimals([1], precision: left, scale: 2), .add, .decimals([1], precision: right, scale: 2))
        #expect(result.dataType == .decimal128(precision: expected, scale: 2))
    }

    @Test("multiplication adds scales and precisions")
    func multiply() throws {
        let product = try Kernels.arithmetic(.decimals([15, -15], precision: 4, scale: 1), .multiply, .decimals([225, 225], precision: 5, scale: 2))
        #expect(product.dataType == .decimal128(precision: 9, scale: 3))
        #expect(product.primitive(as: Int128.self)?.optionals == [3_375, -3_375])
    }

    @Test("a scalar operand must share the scale")
    func scalars() throws {
        let a = Column.decimals([125, nil], precision: 5, scale: 2)
        #expect(try Kernels.arithmetic(a, .add, .decimal128(5, precision: 5, scale: 2)).primitive(as: Int128.self)?.optionals == [130, nil])
        expectColumnarError(.typeMismatch) { try Kernels.arithmetic(a, .add, .decimal128(5, precision: 5, scale: 1)) }
    }

    @Test("results beyond 38 digits throw overflow at their row")
    func overflow() {
        let big = Self.maxDigits
        expectColumnarError(.overflow, row: 1) {
            try Kernels.arithmetic(.decimals([1, big], precision: 38, scale: 0), .add, .decimals([1, 1], precision: 38, scale: 0))
        }
        expectColumnarError(.overflow, row: 0) {
            try Kernels.arithmetic(.decimals([-big], precision: 38, scale: 0), .subtract, .decimals([1], precision: 38, scale: 0))
        }
        let e19: Int128 = 10_000_000_000_000_000_000
        expectColumnarError(.overflow, row: 0) {
            try Kernels.arithmetic(.decimals([e19], precision: 20, scale: 0), .multiply, .decimals([e19], precision: 20, scale: 0))
        }
        expectColumnarError(.overflow) {
            try Kernels.arithmetic(.decimals([1], precision: 38, scale: 20), .multiply, .decimals([1], precision: 38, scale: 20))
        }
    }

    @Test("the largest 38-digit values still add when they fit")
    func edge() throws {
        let result = try Kernels.arithmetic(.decimals([Self.maxDigits - 1], precision: 38, scale: 0), .add, .decimals([1], precision: 38, scale: 0))
        #expect(result.primitive(as: Int128.self)?.optionals == [Self.maxDigits])
    }

    @Test("overflow in a null slot does not throw")
    func nullSlot() throws {
        let hidden = Column.decimal128(PrimitiveColumn(values: ValueBuffer([1, Self.maxDigits]), validity: Bitmap([true, false])), precision: 38, scale: 0)
        let result = try Kernels.arithmetic(hidden, .add, .decimals([1, 1], precision: 38, scale: 0))
        #expect(result.primitive(as: Int128.self)?.optionals == [2, nil])
    }

    @Test("mixed scales, division and remainder are rejected")
    func rejected() {
        let a = Column.decimals([1], precision: 5, scale: 2)
        expectColumnarError(.typeMismatch) { try Kernels.arithmetic(a, .add, .decimals([1], precision: 5, scale: 1)) }
        expectColumnarError(.unsupported) { try Kernels.arithmetic(a, .divide, a) }
        expectColumnarError(.unsupported) { try Kernels.arithmetic(a, .remainder, a) }
    }
}
