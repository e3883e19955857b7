import ColumnarCore
import Testing

/// Buffers of a megabyte and more come from a pool of reused blocks; a reused block must look
/// exactly like a fresh one.
@Suite struct LargeBufferTests {
    static let words = 300_000  // 2.4 MB of UInt64

    @Test("a large buffer allocated after another of the same size holds only its own values")
    func reuse() {
        for round in 0..<3 {
            do {
                let ones = ValueBuffer<UInt64>(repeating: .max, count: Self.words)
                #expect(ones[Self.words - 1] == .max)
            }
            let zeros = ValueBuffer<UInt64>(repeating: 0, count: Self.words)
            #expect(zeros.withUnsafeBufferPointer { $0.allSatisfy { $0 == 0 } }, "round \(round)")
            let clear = Bitmap(repeating: false, count: Self.words * 64 - 3)
            #expect(clear.setCount == 0)
        }
    }

    @Test("kernels over large columns give the same answers as over small ones")
    func largeKernels() throws {
        let count = 200_000
        let values = (0..<count).map { Int64($0 % 1_000) - 500 }
        let column = Column.i64(values.map(Optional.some))
        let mask = BooleanColumn((0..<count).map { $0 % 3 != 0 })
        let filtered = try Kernels.filter(column, mask)
        let expected = values.enumerated().filter { $0.offset % 3 != 0 }.map(\.element)
        #expect(filtered.primitive(as: Int64.self)?.values.array == expected)
        let doubled = try Kernels.arithmetic(column, .add, column)
        #expect(doubled.primitive(as: Int64.self)?.values.array == values.map { $0 * 2 })
    }
}
