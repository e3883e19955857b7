import ColumnarCore
import Testing

@Suite struct HashTests {
    func hashes(_ columns: [Column]) throws -> [UInt64] { try Kernels.hash(columns).array }

    @Test("rows with equal keys over several columns hash equally")
    func multiColumn() throws {
        let h = try hashes([.i64([1, 2, 1, 1, nil, nil]), .text(["x", "y", "x", "z", nil, nil]), .bools([true, true, true, true, false, false])])
        #expect(h.count == 6)
        #expect(h[0] == h[2])
        #expect(h[4] == h[5])
    }

    @Test("distinct integers never collide")
    func integersAreInjective() throws {
        let values = (0..<5_000).map { Int64($0) * 7_919 - 1_000_000 } + [.min, .max, 0, -1]
        #expect(Set(try hashes([.i64(values.map(Optional.some))])).count == values.count)
    }

    @Test("a dictionary-encoded string hashes like the same plain string")
    func dictionaryLikePlain() throws {
        let strings: [String?] = ["x", nil, "a long string past eight bytes", "", "x"]
        #expect(try hashes([.dictionaryOf(strings)]) == hashes([.text(strings)]))
        #expect(try hashes([.i64([1, 2, 3, 4, 5]), .dictionaryOf(strings)]) == hashes([.i64([1, 2, 3, 4, 5]), .text(strings)]))
    }

    @Test("null hashes the same in every column type")
    func nulls() throws {
        let columns: [Column] = [.i64([nil]), .text([nil]), .f64([nil]), .bools([nil]), .dictionaryOf([nil]), .i8([nil])]
        let h = try columns.map { try hashes([$0])[0] }
        #expect(Set(h).count == 1)
    }

    @Test("every NaN hashes alike, and -0.0 hashes like 0.0")
    func floatingPoint() throws {
        let doubles: [Double?] = [.nan, -.nan, Double(nan: 0x5A5A, signaling: false), Double(nan: 1, signaling: true), 0.0, -0.0]
        let h = try hashes([.f64(doubles)])
        #expect(Set(h[0..<4]).count == 1)
        #expect(h[4] == h[5])
        #expect(h[0] != h[4])
        let floats: [Float?] = [.nan, -.nan, Float(nan: 7, signaling: false), 0.0, -0.0]
        let f = try hashes([.f32(floats)])
        #expect(Set(f[0..<3]).count == 1)
        #expect(f[3] == f[4])
    }

    @Test("strings hash by their bytes only, whatever lies after them in the buffer")
    func bytesOnly() throws {
        let a = try hashes([.text(["hello", "zzzzzzzzzzzzzzzz", "abcdefghij", "q"])])
        let b = try hashes([.text(["hello", "world", "abcdefghij", "q"])])
        #expect(a[0] == b[0])
        #expect(a[2] == b[2])
        #expect(a[3] == b[3])
        let zeros = try hashes([.text(["ab", "ab\u{0}", "ab\u{0}\u{0}"])])
        #expect(Set(zeros).count == 3)
    }

    @Test("a slice hashes like the same rows built directly", arguments: [3, 65])
    func slices(offset: Int) throws {
        let ints: [Int64?] = (0..<100).map { $0 % 7 == 0 ? nil : Int64($0 % 13) }
        let texts: [String?] = (0..<100).map { $0 % 5 == 0 ? nil : String(repeating: "k", count: $0 % 17) }
        let sliced = [Column.sliced(at: offset, ints, filler: 99, Column.i64), Column.sliced(at: offset, texts, filler: "pad", Column.text)]
        #expect(try hashes(sliced) == hashes([.i64(ints), .text(texts)]))
    }

    @Test("equal decimals hash equally, whatever their high words")
    func decimals() throws {
        let big: Int128 = 12_345_678_901_234_567_890_123_456
        let h = try hashes([.decimals([big, -big, big, -big, 5], precision: 38, scale: 2)])
        #expect(h[0] == h[2] && h[1] == h[3])
    }

    @Test("needs at least one column of equal length, and no nested keys")
    func errors() throws {
        expectColumnarError(.invalidArgument) { try Kernels.hash([]) }
        expectColumnarError(.lengthMismatch) { try Kernels.hash([.i64([1]), .i64([1, 2])]) }
        let list = try Column(.list(Field("item", .int8)), [.list([])])
        expectColumnarError(.unsupported) { try Kernels.hash([list]) }
    }
}
