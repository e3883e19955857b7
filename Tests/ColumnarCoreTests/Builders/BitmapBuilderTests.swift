import ColumnarCore
import Testing

@Suite struct BitmapBuilderTests {
    @Test("appends single bits in order")
    func singleBits() {
        var builder = BitmapBuilder()
        for bit in [true, false, false, true, true] { builder.append(bit) }
        #expect(builder.count == 5)
        #expect(builder.finish().description == "10011")
    }

    @Test("runs of bits cross word boundaries", arguments: [0, 1, 63, 64, 65])
    func runs(prefix: Int) {
        var builder = BitmapBuilder(capacity: 10)
        var expected: [Bool] = []
        for i in 0..<prefix {
            builder.append(i % 3 == 0)
            expected.append(i % 3 == 0)
        }
        for (bit, n) in [(true, 130), (false, 1), (false, 64), (true, 70), (true, 0), (false, 5)] {
            builder.append(bit, count: n)
            expected += repeatElement(bit, count: n)
        }
        #expect(builder.count == expected.count)
        let bits = builder.finish()
        #expect(bits == Bitmap(expected))
        #expect(bits.setCount == expected.filter { $0 }.count)
    }

    @Test("finish leaves the builder empty and reusable")
    func finishResets() {
        var builder = BitmapBuilder()
        builder.append(true, count: 70)
        _ = builder.finish()
        #expect(builder.count == 0)
        builder.append(false)
        #expect(builder.finish() == Bitmap([false]))
    }
}
