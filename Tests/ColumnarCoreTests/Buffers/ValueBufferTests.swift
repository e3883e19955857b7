import ColumnarCore
import Testing

@Suite struct ValueBufferTests {
    @Test("holds a copy of its elements as a random-access collection")
    func elements() {
        let buffer = ValueBuffer<Int64>([10, 20, 30, 40])
        #expect(buffer.count == 4)
        #expect(buffer[2] == 30)
        #expect(buffer.array == [10, 20, 30, 40])
        #expect(Array(buffer.reversed()) == [40, 30, 20, 10])
        #expect(buffer.description == "[10, 20, 30, 40]")
    }

    @Test("slices share the values and slice again")
    func slices() {
        let buffer = ValueBuffer<Int32>(Array(0..<100))
        let tail = buffer.slice(65..<100)
        #expect(tail.count == 35)
        #expect(tail.first == 65)
        #expect(tail.slice(3..<5).array == [68, 69])
        #expect(buffer.slice(50..<50).isEmpty)
    }

    @Test("pointer access sees exactly the visible values")
    func pointers() {
        let buffer = ValueBuffer<UInt16>([1, 2, 3, 4, 5]).slice(1..<4)
        #expect(buffer.withUnsafeBufferPointer { $0.reduce(0, +) } == 9)
        #expect(buffer.withUnsafeBytes { $0.count } == 6)
    }

    @Test("repeating, empty and uninitialised constructors")
    func constructors() {
        #expect(ValueBuffer(repeating: Float(1.5), count: 3).array == [1.5, 1.5, 1.5])
        #expect(ValueBuffer<Double>().isEmpty)
        let squares = ValueBuffer<Int>(unsafeUninitializedCount: 4) { out in
            for i in 0..<4 { out[i] = i * i }
        }
        #expect(squares.array == [0, 1, 4, 9])
    }

    @Test("equality is element-wise, regardless of where the values live")
    func equality() {
        let a = ValueBuffer<Int8>([9, 1, 2, 9]).slice(1..<3)
        #expect(a == ValueBuffer<Int8>([1, 2]))
        #expect(a != ValueBuffer<Int8>([1, 2, 3]))
    }
}
