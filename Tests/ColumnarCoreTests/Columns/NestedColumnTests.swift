import ColumnarCore
import Testing

@Suite struct FixedSizeListColumnTests {
    @Test("rows are consecutive runs of `size` floats")
    func vectors() {
        let vectors = FixedSizeListColumn(size: 3, values: ValueBuffer<Float>([1, 0, 0, 0, 1, 0]), validity: Bitmap([true, false]))
        #expect(vectors.count == 2)
        #expect(vectors.vector(at: 0) == [1, 0, 0])
        #expect(vectors.nullCount == 1 && vectors.isNull(1))
        #expect(Column.fixedSizeList(vectors).scalar(at: 0) == .list([.float32(1), .float32(0), .float32(0)]))
        #expect(Column.fixedSizeList(vectors).scalar(at: 1) == .null)
    }

    @Test("slices select whole rows", arguments: [3, 65])
    func slices(offset: Int) {
        let rows = 80
        let column = FixedSizeListColumn(size: 2, values: ValueBuffer((0..<(rows * 2)).map(Float.init)))
        let slice = column.slice(offset..<(offset + 4))
        #expect(slice.count == 4)
        #expect(slice.vector(at: 1) == [Float(2 * offset + 2), Float(2 * offset + 3)])
    }
}

@Suite struct ListColumnTests {
    let tags = ListColumn(
        element: Field("item", .utf8),
        offsets: ValueBuffer<Int32>([0, 2, 2, 3, 5]),
        child: .text(["a", "b", "c", nil, "e"]),
        validity: Bitmap([true, true, false, true])
    )

    @Test("rows are ranges of the child column")
    func elements() {
        #expect(tags.count == 4)
        #expect(tags.nullCount == 1)
        #expect(tags.elements(at: 0).strings == ["a", "b"])
        #expect(tags.elements(at: 1).count == 0)
        #expect(tags.elements(at: 3).strings == [nil, "e"])
        #expect(Column.list(tags).dataType == .list(Field("item", .utf8)))
        #expect(Column.list(tags).scalar(at: 0) == .list([.utf8("a"), .utf8("b")]))
        #expect(Column.list(tags).scalar(at: 2) == .null)
    }

    @Test("slices keep absolute offsets into the shared child")
    func slices() {
        let slice = tags.slice(1..<4)
        #expect(slice.count == 3)
        #expect(slice.offsets.array == [2, 2, 3, 5])
        #expect(slice.isNull(1))
        #expect(slice.elements(at: 2).strings == [nil, "e"])
    }
}

@Suite struct StructColumnTests {
    let fields = [Field("city", .utf8), Field("zip", .int32)]

    @Test("children line up row by row")
    func rows() throws {
        let column = try StructColumn(fields: fields, children: [.text(["Austin", "Boise"]), .i32([73301, nil])], validity: Bitmap([true, false]))
        #expect(column.count == 2)
        #expect(column.nullCount == 1)
        #expect(Column.struct(column).scalar(at: 0) == .struct(["city": .utf8("Austin"), "zip": .int32(73301)]))
        #expect(Column.struct(column).scalar(at: 1) == .null)
        #expect(Column.struct(column).dataType == .struct(fields))
    }

    @Test("a struct without children takes its row count from the caller")
    func noChildren() throws {
        #expect(try StructColumn(fields: [], children: [], count: 5).count == 5)
        #expect(try StructColumn(fields: [], children: [], validity: Bitmap([true, false])).count == 2)
    }

    @Test("rejects children that disagree with the fields")
    func validation() {
        expectColumnarError(.invalidArgument) { try StructColumn(fields: fields, children: [.text(["a"])]) }
        expectColumnarError(.lengthMismatch) { try StructColumn(fields: fields, children: [.text(["a"]), .i32([1, 2])]) }
        expectColumnarError(.typeMismatch) { try StructColumn(fields: fields, children: [.text(["a"]), .i64([1])]) }
        expectColumnarError(.lengthMismatch) {
            try StructColumn(fields: fields, children: [.text(["a"]), .i32([1])], validity: Bitmap([true, true]))
        }
    }

    @Test("slices slice every child", arguments: [3, 65])
    func slices(offset: Int) throws {
        let n = 100
        let column = try StructColumn(
            fields: fields,
            children: [.text((0..<n).map { "c\($0)" }), .i32((0..<n).map { Int32($0) })],
            validity: Bitmap((0..<n).map { $0 % 2 == 0 })
        )
        let slice = Column.struct(column.slice(offset..<(offset + 3)))
        let first: Scalar = offset % 2 == 0 ? .struct(["city": .utf8("c\(offset)"), "zip": .int32(Int32(offset))]) : .null
        #expect(slice.count == 3)
        #expect(slice.scalar(at: 0) == first)
        #expect(slice.scalar(at: 1) == (offset % 2 == 1 ? .struct(["city": .utf8("c\(offset + 1)"), "zip": .int32(Int32(offset + 1))]) : .null))
    }
}
