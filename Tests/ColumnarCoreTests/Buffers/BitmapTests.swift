import ColumnarCore
import Testing

@Suite struct BitmapTests {
    /// An irregular pattern with runs of both values, so shifted copies cannot pass by accident.
    static func pattern(_ count: Int) -> [Bool] {
        (0..<count).map { i in (i * 7 + i / 3) % 5 < 2 }
    }

    @Test("reads back the bits it was built from, least-significant bit first")
    func fromBools() {
        let bits = Bitmap([true, false, true, true])
        #expect(bits.count == 4)
        #expect(bits.setCount == 3)
        #expect(bits[0] && !bits[1] && bits[2] && bits[3])
        #expect(bits.description == "1011")
        #expect(!bits.allSet)
        bits.withUnsafeWords { words in
            #expect(words.count == 1)
            #expect(words[0] & 0b1111 == 0b1101)
        }
    }

    @Test("all-set and all-clear bitmaps count only their visible bits", arguments: [0, 1, 63, 64, 65, 130])
    func repeating(count: Int) {
        #expect(Bitmap(repeating: true, count: count).setCount == count)
        #expect(Bitmap(repeating: true, count: count).allSet)
        #expect(Bitmap(repeating: false, count: count).setCount == 0)
        #expect(Bitmap(repeating: false, count: count).allSet == (count == 0))
    }

    @Test("bits past the count in the last word are ignored")
    func junkPastCount() {
        let bits = Bitmap(unsafeUninitializedCount: 3) { $0.initialize(repeating: ~0) }
        #expect(bits.setCount == 3)
        #expect(bits == Bitmap([true, true, true]))
    }

    @Test("a slice is a view of the same bits, at any offset")
    func slices() {
        let bools = Self.pattern(300)
        let bits = Bitmap(bools)
        for (start, end) in [(0, 300), (1, 2), (3, 70), (63, 65), (64, 128), (65, 300), (299, 300), (150, 150)] {
            let view = bits.slice(start..<end)
            #expect(view.count == end - start)
            #expect((0..<view.count).map { view[$0] } == Array(bools[start..<end]))
            #expect(view.setCount == bools[start..<end].filter { $0 }.count)
            #expect(view == Bitmap(bools[start..<end]))
        }
    }

    @Test("a slice of a slice adds the offsets")
    func sliceOfSlice() {
        let bools = Self.pattern(300)
        let inner = Bitmap(bools).slice(5..<250).slice(60..<130)
        #expect(inner == Bitmap(bools[65..<135]))
        #expect(inner.description == String(bools[65..<135].map { $0 ? "1" : "0" }))
    }

    @Test("realigned copies odd offsets to bit 0 of fresh words", arguments: [1, 3, 31, 63, 64, 65, 127, 129])
    func realigned(offset: Int) {
        let bools = Self.pattern(400)
        for length in [0, 1, 63, 64, 65, 150, 400 - offset] {
            let expected = Array(bools[offset..<(offset + length)])
            let aligned = Bitmap(bools).slice(offset..<(offset + length)).realigned()
            #expect(aligned == Bitmap(expected))
            #expect(aligned.setCount == expected.filter { $0 }.count)
            aligned.withUnsafeWords { words in
                #expect(words.count == (length + 63) / 64)
                for i in 0..<length {
                    #expect((words[i / 64] >> UInt64(i % 64)) & 1 == (expected[i] ? 1 : 0), "bit \(i) of offset \(offset)")
                }
            }
        }
    }

    @Test("withUnsafeWords of a slice sees the slice's bits from bit 0")
    func wordsOfSlice() {
        // Bits 3..<67 of the source are 1 at even positions within the slice.
        let bools = (0..<100).map { $0 >= 3 && ($0 - 3) % 2 == 0 }
        Bitmap(bools).slice(3..<67).withUnsafeWords { words in
            #expect(words.count == 1)
            #expect(words[0] == 0x5555_5555_5555_5555)
        }
    }

    @Test("equality compares visible bits, not storage")
    func equality() {
        let a = Bitmap([false, true, true, false]).slice(1..<3)
        #expect(a == Bitmap([true, true]))
        #expect(a != Bitmap([true, true, true]))
        #expect(a != Bitmap([true, false]))
        #expect(Bitmap([]) == Bitmap(repeating: true, count: 0))
    }
}
