import ColumnarCore
import Testing

@Suite struct ColumnBuilderTests {
    @Test("a primitive builder without nulls makes a column without validity")
    func primitiveNoNulls() {
        var builder = PrimitiveColumnBuilder<Int64>(capacity: 2)
        builder.append(4)
        builder.append(Int64?.some(5))
        #expect(builder.count == 2)
        let column = builder.finish()
        #expect(column.validity == nil)
        #expect(column.optionals == [4, 5])
        #expect(builder.count == 0)
    }

    @Test("the first null creates validity that covers earlier rows", arguments: [0, 1, 64, 100])
    func primitiveLateNull(before: Int) {
        var builder = PrimitiveColumnBuilder<Int32>()
        for i in 0..<before { builder.append(Int32(i)) }
        builder.appendNull()
        builder.append(Int32?.none)
        builder.append(7)
        let column = builder.finish()
        #expect(column.count == before + 3)
        #expect(column.nullCount == 2)
        #expect(column.optionals == (0..<before).map { Int32($0) } + [nil, nil, 7])
    }

    @Test("a boolean builder keeps values and nulls apart")
    func booleans() {
        var builder = BooleanColumnBuilder()
        for value in [true, nil, false, true] as [Bool?] { builder.append(value) }
        #expect(builder.count == 4)
        #expect(builder.finish().optionals == [true, nil, false, true])
    }

    @Test("a binary builder lays out offsets, bytes and nulls")
    func binary() {
        var builder = BinaryColumnBuilder(capacity: 4, byteCapacity: 8)
        builder.append("héllo")
        builder.appendNull()
        builder.append("")
        builder.append(bytes: [0, 255])
        #expect(builder.count == 4)
        #expect(builder.byteCount == 8)
        let column = builder.finish()
        #expect(column.offsets.array == [0, 6, 6, 6, 8])
        #expect(column.string(at: 0) == "héllo")
        #expect(column.string(at: 1) == nil)
        #expect(column.string(at: 2) == "")
        #expect(column.bytes(at: 3) == [0, 255])
        #expect(builder.count == 0 && builder.byteCount == 0)
    }

    @Test("a binary builder copies bytes from a raw buffer")
    func rawBytes() {
        var builder = BinaryColumnBuilder()
        [UInt8](arrayLiteral: 1, 2, 3).withUnsafeBytes { builder.append(bytes: $0) }
        #expect(builder.finish().bytes(at: 0) == [1, 2, 3])
    }
}
