import ColumnarCore
import Testing

@Suite struct GroupIDsTests {
    @Test("numbers groups by first appearance; representatives are first rows")
    func firstAppearance() throws {
        let groups = try Kernels.groupIDs([.i64([5, 3, 5, nil, 3, nil, 7])])
        #expect(groups.ids.array == [0, 1, 0, 2, 1, 2, 3])
        #expect(groups.representatives.array == [0, 1, 3, 6])
        #expect(groups.groupCount == 4)
    }

    @Test("strings, plain and dictionary-encoded, group by their text")
    func strings() throws {
        let values: [String?] = ["b", "a", "b", nil, "", "a", nil, ""]
        let expected: [UInt32] = [0, 1, 0, 2, 3, 1, 2, 3]
        #expect(try Kernels.groupIDs([.text(values)]).ids.array == expected)
        #expect(try Kernels.groupIDs([.dictionaryOf(values)]).ids.array == expected)
    }

    @Test("a dictionary with repeated entries groups equal text together")
    func duplicateEntries() throws {
        let column = Column.dictionary(DictionaryColumn(indices: PrimitiveColumn<Int32>([0, 1, 2, 1]), dictionary: BinaryColumn(["x", "y", "x"])))
        #expect(try Kernels.groupIDs([column]).ids.array == [0, 1, 0, 1])
    }

    @Test("several key columns group by the whole row")
    func multiKey() throws {
        let groups = try Kernels.groupIDs([.text(["a", "a", "a", "b", nil, nil]), .i64([1, 2, 1, 1, nil, 1]), .bools([true, true, true, true, nil, nil])])
        #expect(groups.ids.array == [0, 1, 0, 2, 3, 4])
        #expect(groups.representatives.array == [0, 1, 3, 4, 5])
    }

    @Test("NaN meets NaN and -0.0 meets 0.0")
    func floatingPoint() throws {
        let values: [Double?] = [.nan, 0.0, -0.0, Double(nan: 9, signaling: false), nil, 1]
        #expect(try Kernels.groupIDs([.f64(values)]).ids.array == [0, 1, 1, 0, 2, 3])
        #expect(try Kernels.groupIDs([.f32(values.map { $0.map(Float.init) })]).ids.array == [0, 1, 1, 0, 2, 3])
    }

    @Test("booleans with nulls form at most three groups")
    func booleans() throws {
        #expect(try Kernels.groupIDs([.bools([true, nil, false, true, nil, false])]).ids.array == [0, 1, 2, 0, 1, 2])
    }

    @Test("decimals that differ only in their high word stay apart")
    func decimalHighWords() throws {
        // Two unscaled values built so that their low words differ by exactly what their high words
        // contribute to a mixed 64-bit fingerprint: a grouping that compares fingerprints instead
        // of values would merge them.
        let low = finalizer(1) ^ finalizer(0)
        let other = Int128(1) << 64 | Int128(low)
        let decimals = Column.decimals([0, other, 0, other], precision: 38, scale: 0)
        #expect(try Kernels.groupIDs([decimals]).ids.array == [0, 1, 0, 1])
        #expect(try Kernels.groupIDs([decimals, .i8([1, 1, 1, 1])]).ids.array == [0, 1, 0, 1])
    }

    /// The splitmix64-style finaliser the hash kernel documents using, reproduced for the collision
    /// test above.
    func finalizer(_ value: UInt64) -> UInt64 {
        var x = value &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 32
        x = x &* 0xD6E8_FEB8_6659_FD93
        x ^= x >> 32
        return x
    }

    @Test("sliced keys group their own rows", arguments: [3, 65])
    func sliced(offset: Int) throws {
        let values: [Int64?] = (0..<100).map { $0 % 10 == 9 ? nil : Int64($0 % 4) }
        let groups = try Kernels.groupIDs([Column.sliced(at: offset, values, filler: 4, Column.i64)])
        #expect(groups.ids.array == values.map { v -> UInt32 in v.map { UInt32($0) } ?? 4 })
    }

    @Test("50,000 random keys agree with a Swift dictionary")
    func randomOracle() throws {
        var random = SplitMix64(seed: 0xC0FFEE)
        let ints: [Int64?] = (0..<50_000).map { _ in
            let r = random.next()
            return r % 37 == 0 ? nil : Int64(bitPattern: r >> 20) % 3_000
        }
        let texts: [String?] = ints.map { $0.map { "key-\($0 % 211)" } }
        func oracle<Key: Hashable>(_ keys: [Key]) -> (ids: [UInt32], representatives: [UInt32]) {
            var seen: [Key: UInt32] = [:]
            var ids: [UInt32] = []
            var representatives: [UInt32] = []
            for (row, key) in keys.enumerated() {
                if let id = seen[key] {
                    ids.append(id)
                } else {
                    let id = UInt32(representatives.count)
                    seen[key] = id
                    representatives.append(UInt32(row))
                    ids.append(id)
                }
            }
            return (ids, representatives)
        }
        let single = try Kernels.groupIDs([.i64(ints)])
        let expected = oracle(ints)
        #expect(single.ids.array == expected.ids)
        #expect(single.representatives.array == expected.representatives)

        struct Pair: Hashable { let text: String?; let parity: Bool? }
        let parity: [Bool?] = ints.indices.map { $0 % 3 == 0 ? nil : $0 % 2 == 0 }
        let pairs = try Kernels.groupIDs([.dictionaryOf(texts), .bools(parity)])
        let pairOracle = oracle(zip(texts, parity).map { Pair(text: $0, parity: $1) })
        #expect(pairs.ids.array == pairOracle.ids)
        #expect(pairs.representatives.array == pairOracle.representatives)
    }

    @Test("more than a million distinct keys: the table grows and keeps every group")
    func growth() throws {
        let count = (1 << 20) + 20_000
        // A permutation of 0..<count, then the first thousand keys again in reverse.
        let keys = (0..<count).map { Int64($0 &* 65_537 % count) }
        let repeats = Array(keys[0..<1_000].reversed())
        let groups = try Kernels.groupIDs([.int64(PrimitiveColumn(values: ValueBuffer(keys + repeats)))])
        #expect(groups.groupCount == count)
        let ids = groups.ids.array
        #expect(ids[0..<count].elementsEqual(0..<UInt32(count)))
        #expect(ids[count...].elementsEqual((0..<UInt32(1_000)).reversed()))
        #expect(groups.representatives.array.elementsEqual(0..<UInt32(count)))
    }

    @Test("zero rows give zero groups; nested keys are unsupported")
    func edges() throws {
        #expect(try Kernels.groupIDs([.i64([])]).groupCount == 0)
        let record = try Column(.struct([Field("a", .int8)]), [.null])
        expectColumnarError(.unsupported) { try Kernels.groupIDs([record]) }
        expectColumnarError(.invalidArgument) { try Kernels.groupIDs([]) }
    }
}
