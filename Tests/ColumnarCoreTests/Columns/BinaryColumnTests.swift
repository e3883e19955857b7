import ColumnarCore
import Testing

@Suite struct BinaryColumnTests {
    @Test("stores strings as offsets into one byte buffer")
    func layout() {
        let names = BinaryColumn(["ada", nil, "", "grace"])
        #expect(names.count == 4)
        #expect(names.nullCount == 1)
        #expect(names.offsets.array == [0, 3, 3, 3, 8])
        #expect(names.byteRange(3) == 3..<8)
        #expect(names.string(at: 3) == "grace")
        #expect(names.string(at: 1) == nil)
        #expect(names.string(at: 2) == "")
        #expect(names.bytes(at: 0) == Array("ada".utf8))
    }

    @Test("raw byte rows, including zero bytes and invalid UTF-8")
    func rawBytes() {
        let column = BinaryColumn(bytes: [[0, 0x41], nil, [0xFF]])
        #expect(column.bytes(at: 0) == [0, 0x41])
        #expect(column.isNull(1))
        #expect(column.string(at: 2) == "\u{FFFD}")
    }

    @Test("slices share the bytes and keep strings and nulls", arguments: [3, 65])
    func slices(offset: Int) {
        let values: [String?] = (0..<100).map { $0 % 7 == 0 ? nil : String(repeating: "x", count: $0 % 11) + "\($0)" }
        let slice = BinaryColumn(values).slice(offset..<(offset + 30))
        #expect(slice.count == 30)
        #expect((0..<30).map { slice.string(at: $0) } == Array(values[offset..<(offset + 30)]))
    }

    @Test("validated accepts well-formed buffers")
    func validatedAccepts() throws {
        let column = try BinaryColumn.validated(offsets: ValueBuffer([0, 2, 2, 5]), bytes: ValueBuffer(Array("abcde".utf8)))
        #expect(column.string(at: 2) == "cde")
    }

    @Test("validated rejects bad offsets, naming the row", arguments: [
        ([Int32](), nil as Int?),
        ([-1, 2], 0),
        ([0, 3, 2], 1),
        ([0, 2, 9], 1),
    ])
    func validatedRejects(offsets: [Int32], row: Int?) {
        expectColumnarError(.invalidArgument, row: row) {
            try BinaryColumn.validated(offsets: ValueBuffer(offsets), bytes: ValueBuffer(Array("abcde".utf8)))
        }
    }

    @Test("validated rejects validity of the wrong length")
    func validatedValidity() {
        expectColumnarError(.lengthMismatch) {
            try BinaryColumn.validated(offsets: ValueBuffer([0, 1]), bytes: ValueBuffer([65]), validity: Bitmap([true, true]))
        }
    }
}

@Suite struct DictionaryColumnTests {
    let city = DictionaryColumn(
        indices: PrimitiveColumn<Int32>([0, 1, 0, nil]),
        dictionary: BinaryColumn(["Chicago", "Denver"])
    )

    @Test("rows read through the dictionary")
    func rows() {
        #expect(city.count == 4)
        #expect(city.nullCount == 1)
        #expect((0..<4).map { city.string(at: $0) } == ["Chicago", "Denver", "Chicago", nil])
        #expect(Column.dictionary(city).dataType == .utf8)
    }

    @Test("slices share the dictionary")
    func slices() {
        let slice = city.slice(1..<4)
        #expect((0..<3).map { slice.string(at: $0) } == ["Denver", "Chicago", nil])
        #expect(slice.dictionary.count == 2)
    }

    @Test("validated rejects an index outside the dictionary, naming the row")
    func validatedRejects() {
        let error = expectColumnarError(.indexOutOfBounds, row: 2) {
            try DictionaryColumn.validated(indices: PrimitiveColumn<Int32>([0, 1, 2]), dictionary: BinaryColumn(["a", "b"]))
        }
        #expect(error?.message.contains("2") == true)
        expectColumnarError(.indexOutOfBounds, row: 0) {
            try DictionaryColumn.validated(indices: PrimitiveColumn<Int32>([-1]), dictionary: BinaryColumn(["a"]))
        }
    }

    @Test("validated ignores whatever index a null row holds")
    func validatedNulls() throws {
        let indices = PrimitiveColumn<Int32>(values: ValueBuffer([0, 99]), validity: Bitmap([true, false]))
        let column = try DictionaryColumn.validated(indices: indices, dictionary: BinaryColumn(["a"]))
        #expect(column.string(at: 1) == nil)
    }
}
