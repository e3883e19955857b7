import ColumnarCore
import Testing

@Suite struct ComparisonTests {
    static let t: Bool? = true, f: Bool? = false, n: Bool? = nil

    @Test("integers under every operator; a null on either side gives null", arguments: [
        (ComparisonOperator.equal, [f, t, f, n, n]),
        (.notEqual, [t, f, t, n, n]),
        (.less, [t, f, f, n, n]),
        (.lessOrEqual, [t, t, f, n, n]),
        (.greater, [f, f, t, n, n]),
        (.greaterOrEqual, [f, t, t, n, n]),
    ])
    func integers(op: ComparisonOperator, expected: [Bool?]) throws {
        let result = try Kernels.compare(.i64([1, 2, 3, nil, 5]), op, .i64([2, 2, 2, 4, nil]))
        #expect(result.optionals == expected)
    }

    @Test("strings compare by UTF-8 bytes; a shorter prefix sorts first", arguments: [
        (ComparisonOperator.equal, [f, f, f, t, f, n]),
        (.notEqual, [t, t, t, f, t, n]),
        (.less, [t, t, f, f, f, n]),
        (.lessOrEqual, [t, t, f, t, f, n]),
        (.greater, [f, f, t, f, t, n]),
        (.greaterOrEqual, [f, f, t, t, t, n]),
    ])
    func strings(op: ComparisonOperator, expected: [Bool?]) throws {
        let lhs = Column.text(["a", "ab", "ab\u{0}", "", "b", nil])
        let rhs = Column.text(["b", "ab\u{0}", "ab", "", "abc", "x"])
        #expect(try Kernels.compare(lhs, op, rhs).optionals == expected)
    }

    @Test("non-ASCII text orders by code point")
    func codePoints() throws {
        let result = try Kernels.compare(.text(["é", "Z", "日本"]), .greater, .text(["z", "a", "é"]))
        #expect(result.optionals == [true, false, true])
    }

    @Test("NaN equals NaN and exceeds every number; -0.0 equals 0.0", arguments: [
        (ComparisonOperator.equal, [t, f, f, f, t, f, t]),
        (.notEqual, [f, t, t, t, f, t, f]),
        (.less, [f, f, f, t, f, t, f]),
        (.lessOrEqual, [t, f, f, t, t, t, t]),
        (.greater, [f, t, t, f, f, f, f]),
        (.greaterOrEqual, [t, t, t, f, t, f, t]),
    ])
    func nan(op: ComparisonOperator, expected: [Bool?]) throws {
        let otherNaN = Double(nan: 0x1234, signaling: false)
        let lhs: [Double?] = [.nan, .nan, .nan, 1, -0.0, .infinity, -.nan]
        let rhs: [Double?] = [.nan, .infinity, -.infinity, .nan, 0.0, .nan, otherNaN]
        #expect(try Kernels.compare(.f64(lhs), op, .f64(rhs)).optionals == expected)
        let narrow = try Kernels.compare(.f32(lhs.map { $0.map(Float.init) }), op, .f32(rhs.map { $0.map(Float.init) }))
        #expect(narrow.optionals == expected)
    }

    @Test("a column against a scalar; a null scalar makes every row null")
    func scalars() throws {
        #expect(try Kernels.compare(.i64([1, nil, 3]), .less, .int64(2)).optionals == [true, nil, false])
        #expect(try Kernels.compare(.i64([1, nil, 3]), .equal, Scalar.null).optionals == [nil, nil, nil])
        #expect(try Kernels.compare(.f64([.nan, 1]), .greater, .float64(.infinity)).optionals == [true, false])
        #expect(try Kernels.compare(.text(["a", "b", nil]), .greaterOrEqual, .utf8("b")).optionals == [false, true, nil])
        #expect(try Kernels.compare(.dates([0, 1]), .equal, .date32(1)).optionals == [false, true])
        let prices = Column.decimals([125, 250], precision: 5, scale: 2)
        #expect(try Kernels.compare(prices, .less, .decimal128(200, precision: 5, scale: 2)).optionals == [true, false])
    }

    @Test("booleans order false before true", arguments: [
        (ComparisonOperator.equal, [t, f, f, t, n]),
        (.notEqual, [f, t, t, f, n]),
        (.less, [f, f, t, f, n]),
        (.lessOrEqual, [t, f, t, t, n]),
        (.greater, [f, t, f, f, n]),
        (.greaterOrEqual, [t, t, f, t, n]),
    ])
    func booleans(op: ComparisonOperator, expected: [Bool?]) throws {
        let lhs = Column.bools([true, true, false, false, nil])
        #expect(try Kernels.compare(lhs, op, .bools([true, false, true, false, true])).optionals == expected)
    }

    @Test("booleans against a scalar")
    func booleanScalar() throws {
        #expect(try Kernels.compare(.bools([true, false, nil]), .equal, .boolean(true)).optionals == [true, false, nil])
        #expect(try Kernels.compare(.bools([true, false]), .less, .boolean(true)).optionals == [false, true])
    }

    @Test("a dictionary column compares as the text it encodes")
    func dictionaries() throws {
        let dictionary = Column.dictionaryOf(["b", "a", nil, "c", "a"])
        #expect(try Kernels.compare(dictionary, .equal, .utf8("a")).optionals == [false, true, nil, false, true])
        #expect(try Kernels.compare(dictionary, .less, .utf8("b")).optionals == [false, true, nil, false, true])
        #expect(try Kernels.compare(dictionary, .greaterOrEqual, .utf8("b")).optionals == [true, false, nil, true, false])
        let plain = Column.text(["b", "b", "b", "b", nil])
        #expect(try Kernels.compare(dictionary, .equal, plain).optionals == [true, false, nil, false, nil])
        #expect(try Kernels.compare(plain, .less, dictionary).optionals == [false, false, nil, true, nil])
    }

    @Test("a null dictionary row may hold any index")
    func dictionaryNullIndex() throws {
        let indices = PrimitiveColumn<Int32>(values: ValueBuffer([0, 99]), validity: Bitmap([true, false]))
        let column = Column.dictionary(DictionaryColumn(indices: indices, dictionary: BinaryColumn(["a"])))
        #expect(try Kernels.compare(column, .equal, .utf8("a")).optionals == [true, nil])
        #expect(try Kernels.compare(column, .equal, .text(["a", "a"])).optionals == [true, nil])
    }

    @Test("sliced operands at offsets 3 and 65 compare the right rows", arguments: [3, 65])
    func sliced(offset: Int) throws {
        let a: [Int64?] = (0..<100).map { $0 % 5 == 0 ? nil : Int64($0 % 7) }
        let b: [Int64?] = (0..<100).map { $0 % 6 == 0 ? nil : Int64($0 % 4) }
        let lhs = Column.sliced(at: offset, a, filler: 9, Column.i64)
        let rhs = Column.sliced(at: 70 - offset, b, filler: 9, Column.i64)
        let expected = zip(a, b).map { x, y -> Bool? in
            guard let x, let y else { return nil }
            return x <= y
        }
        #expect(try Kernels.compare(lhs, .lessOrEqual, rhs).optionals == expected)
        let texts = Column.sliced(at: offset, a.map { $0.map { "s\($0)" } }, filler: "zz", Column.text)
        let scalarExpected = a.map { $0.map { "s\($0)" < "s3" } }
        #expect(try Kernels.compare(texts, .less, .utf8("s3")).optionals == scalarExpected)
        let dictionary = Column.sliced(at: offset, a.map { $0.map { "s\($0)" } }, filler: "zz", Column.dictionaryOf)
        #expect(try Kernels.compare(dictionary, .less, .utf8("s3")).optionals == scalarExpected)
        #expect(try Kernels.compare(dictionary, .lessOrEqual, texts).optionals == a.map { $0.map { _ in true } })
        let flags = a.map { $0.map { $0 % 2 == 0 } }
        let booleans = Column.sliced(at: offset, flags, filler: true, Column.bools)
        let otherBooleans = Column.sliced(at: 70 - offset, b.map { $0.map { $0 % 2 == 0 } }, filler: false, Column.bools)
        let booleanExpected = zip(flags, b.map { $0.map { $0 % 2 == 0 } }).map { x, y -> Bool? in
            guard let x, let y else { return nil }
            return x != y
        }
        #expect(try Kernels.compare(booleans, .notEqual, otherBooleans).optionals == booleanExpected)
    }

    @Test("bytes compare against a bytes scalar")
    func binaryScalar() throws {
        let column = Column.binary(BinaryColumn(bytes: [[0x00], [0x01, 0x00], [], nil]))
        #expect(try Kernels.compare(column, .greater, .binary([0x01])).optionals == [false, true, false, nil])
        #expect(try Kernels.compare(column, .equal, .binary([])).optionals == [false, false, true, nil])
    }

    @Test("operands of different types or lengths are rejected")
    func mismatches() {
        expectColumnarError(.typeMismatch) { try Kernels.compare(.i64([1]), .equal, .i32([1])) }
        expectColumnarError(.typeMismatch) { try Kernels.compare(.text(["a"]), .equal, .binary(BinaryColumn(["a"]))) }
        expectColumnarError(.typeMismatch) { try Kernels.compare(.dictionaryOf(["a"]), .equal, .i64([1])) }
        expectColumnarError(.lengthMismatch) { try Kernels.compare(.i64([1, 2]), .equal, .i64([1])) }
        expectColumnarError(.typeMismatch) { try Kernels.compare(.dates([1]), .equal, .int32(1)) }
        expectColumnarError(.typeMismatch) { try Kernels.compare(.i64([1]), .equal, .int32(1)) }
        expectColumnarError(.typeMismatch) {
            try Kernels.compare(.decimals([1], precision: 5, scale: 2), .equal, .decimal128(1, precision: 5, scale: 3))
        }
        expectColumnarError(.typeMismatch) { try Kernels.compare(.micros([1]), .equal, .timestamp(1, .second, timeZone: nil)) }
    }

    @Test("flipping an operator swaps its operands")
    func flipped() {
        #expect(ComparisonOperator.allCases.map(\.flipped) == [.equal, .notEqual, .greater, .greaterOrEqual, .less, .lessOrEqual])
        #expect(ComparisonOperator.allCases.map(\.rawValue) == ["=", "<>", "<", "<=", ">", ">="])
    }
}
