import ColumnarCore
import Testing

@Suite struct ArithmeticTests {
    @Test("integer operators; a null on either side gives null", arguments: [
        (ArithmeticOperator.add, [9, -5, nil, nil, nil] as [Int64?]),
        (.subtract, [5, -9, nil, nil, nil]),
        (.multiply, [14, -14, nil, nil, nil]),
        (.divide, [3, -3, nil, nil, nil]),
        (.remainder, [1, -1, nil, nil, nil]),
    ])
    func integers(op: ArithmeticOperator, expected: [Int64?]) throws {
        let result = try Kernels.arithmetic(.i64([7, -7, nil, 9, nil]), op, .i64([2, 2, 3, nil, nil]))
        #expect(result.dataType == .int64)
        #expect(result.primitive(as: Int64.self)?.optionals == expected)
    }

    @Test("division truncates toward zero and the remainder takes the dividend's sign")
    func signs() throws {
        let a = Column.i32([7, -7, 7, -7])
        let b = Column.i32([-2, -2, 2, 2])
        #expect(try Kernels.arithmetic(a, .divide, b).primitive(as: Int32.self)?.optionals == [-3, 3, 3, -3])
        #expect(try Kernels.arithmetic(a, .remainder, b).primitive(as: Int32.self)?.optionals == [1, -1, 1, -1])
    }

    @Test("unsigned division and remainder")
    func unsigned() throws {
        let a = Column.uint8(PrimitiveColumn<UInt8>([7, 255, 0]))
        let b = Column.uint8(PrimitiveColumn<UInt8>([2, 255, 9]))
        #expect(try Kernels.arithmetic(a, .divide, b).scalars == [.uint8(3), .uint8(1), .uint8(0)])
        #expect(try Kernels.arithmetic(a, .remainder, b).scalars == [.uint8(1), .uint8(0), .uint8(0)])
    }

    @Test("floating point follows IEEE 754")
    func floats() throws {
        let a = Column.f64([7.5, -7.5, nil, .infinity, 1])
        let b = Column.f64([2, 2, 1, .infinity, .infinity])
        #expect(try Kernels.arithmetic(a, .add, b).scalars == [.float64(9.5), .float64(-5.5), .null, .float64(.infinity), .float64(.infinity)])
        #expect(try Kernels.arithmetic(a, .remainder, b).scalar(at: 1) == .float64(-1.5))
        #expect(try Kernels.arithmetic(a, .divide, b).scalar(at: 4) == .float64(0))
        let difference = try Kernels.arithmetic(a, .subtract, b).primitive(as: Double.self)
        #expect(difference?[3]?.isNaN == true)
        let huge = try Kernels.arithmetic(.f64([1e308]), .multiply, .f64([10]))
        #expect(huge.scalar(at: 0) == .float64(.infinity))
        #expect(try Kernels.arithmetic(.f32([1.5]), .multiply, .f32([2])).scalars == [.float32(3)])
    }

    @Test("results keep the operand type", arguments: [
        (Column.i8([5]), Column.i8([3]), DataType.int8),
        (.uint16(PrimitiveColumn<UInt16>([5])), .uint16(PrimitiveColumn<UInt16>([3])), .uint16),
        (.f32([5]), .f32([3]), .float32),
    ])
    func resultTypes(lhs: Column, rhs: Column, type: DataType) throws {
        #expect(try Kernels.arithmetic(lhs, .add, rhs).dataType == type)
    }

    @Test("a column with a scalar; a null scalar makes every row null of the same type")
    func scalars() throws {
        #expect(try Kernels.arithmetic(.i64([1, nil, 3]), .multiply, .int64(10)).scalars == [.int64(10), .null, .int64(30)])
        let nulls = try Kernels.arithmetic(.i32([1, 2]), .add, Scalar.null)
        #expect(nulls.dataType == .int32)
        #expect(nulls.scalars == [.null, .null])
        #expect(try Kernels.arithmetic(.f64([1]), .subtract, .float64(0.5)).scalars == [.float64(0.5)])
    }

    @Test("operands of different types or lengths are rejected")
    func mismatches() {
        expectColumnarError(.typeMismatch) { try Kernels.arithmetic(.i64([1]), .add, .i32([1])) }
        expectColumnarError(.typeMismatch) { try Kernels.arithmetic(.text(["a"]), .add, .text(["b"])) }
        expectColumnarError(.typeMismatch) { try Kernels.arithmetic(.dates([1]), .add, .dates([1])) }
        expectColumnarError(.typeMismatch) { try Kernels.arithmetic(.bools([true]), .add, .bools([true])) }
        expectColumnarError(.typeMismatch) { try Kernels.arithmetic(.i64([1]), .add, .int32(1)) }
        expectColumnarError(.typeMismatch) { try Kernels.arithmetic(.text(["a"]), .add, Scalar.null) }
        expectColumnarError(.typeMismatch) { try Kernels.arithmetic(.decimals([1], precision: 3, scale: 0), .add, .i64([1])) }
        expectColumnarError(.lengthMismatch) { try Kernels.arithmetic(.i64([1, 2]), .add, .i64([1])) }
    }

    @Test("sliced operands at offsets 3 and 65 agree with Swift", arguments: [3, 65])
    func sliced(offset: Int) throws {
        let a: [Int64?] = (0..<100).map { (i: Int) -> Int64? in i % 6 == 0 ? nil : Int64(i * 37 - 1_000) }
        let b: [Int64?] = (0..<100).map { (i: Int) -> Int64? in i % 4 == 0 ? nil : Int64(i % 9 + 1) }
        let lhs = Column.sliced(at: offset, a, filler: .max, Column.i64)
        let rhs = Column.sliced(at: 70 - offset, b, filler: 0, Column.i64)
        let expected = zip(a, b).map { x, y -> Int64? in
            guard let x, let y else { return nil }
            return x * y - x / y
        }
        let product = try Kernels.arithmetic(lhs, .multiply, rhs)
        let quotient = try Kernels.arithmetic(lhs, .divide, rhs)
        #expect(try Kernels.arithmetic(product, .subtract, quotient).primitive(as: Int64.self)?.optionals == expected)
    }
}
