import ColumnarCore
import Testing

/// Large and random sorts checked against Swift's own sort of (value, row) pairs.
@Suite struct SortOracleTests {
    /// The stable order of `values` under `less`, with nulls placed as asked.
    static func oracle<T>(_ values: [T?], descending: Bool = false, nullsFirst: Bool = false, _ less: (T, T) -> Bool) -> [UInt32] {
        let rows = Array(values.indices)
        return rows.sorted { i, j in
            switch (values[i], values[j]) {
            case (nil, nil): return i < j
            case (nil, _): return nullsFirst
            case (_, nil): return !nullsFirst
            case (let a?, let b?):
                if descending ? less(b, a) : less(a, b) { return true }
                if descending ? less(a, b) : less(b, a) { return false }
                return i < j
            }
        }.map(UInt32.init)
    }

    static let placements = [(false, false), (false, true), (true, false), (true, true)]

    @Test("100,000 random Int64 values in both directions")
    func randomInt64() throws {
        var random = SplitMix64(seed: 42)
        let values: [Int64?] = (0..<100_000).map { _ in Int64(bitPattern: random.next()) }
        #expect(try Kernels.sortIndices(.i64(values)).array == Self.oracle(values, <))
        #expect(try Kernels.sortIndices(.i64(values), descending: true).array == Self.oracle(values, descending: true, <))
    }

    @Test("many ties and nulls: stable in every placement", arguments: 0..<4)
    func ties(placement: Int) throws {
        let (descending, nullsFirst) = Self.placements[placement]
        var random = SplitMix64(seed: 7)
        let values: [Int32?] = (0..<20_000).map { _ in
            let r = random.next()
            return r % 11 == 0 ? nil : Int32(truncatingIfNeeded: r % 300) - 150
        }
        let result = try Kernels.sortIndices(.i32(values), descending: descending, nullsFirst: nullsFirst)
        #expect(result.array == Self.oracle(values, descending: descending, nullsFirst: nullsFirst, <))
    }

    @Test("random strings built from 'a', 'b' and zero bytes", arguments: [false, true])
    func randomStrings(descending: Bool) throws {
        var random = SplitMix64(seed: 99)
        let alphabet: [UInt8] = [0x61, 0x62, 0x00]
        let rows: [[UInt8]?] = (0..<5_000).map { _ in
            if random.next() % 17 == 0 { return nil }
            let shared = random.next() % 2 == 0 ? Array("prefix12".utf8) : []
            return shared + (0..<Int(random.next() % 14)).map { _ in alphabet[Int(random.next() % 3)] }
        }
        let column = Column.utf8(BinaryColumn(bytes: rows))
        let expected = Self.oracle(rows, descending: descending) { $0.lexicographicallyPrecedes($1) }
        #expect(try Kernels.sortIndices(column, descending: descending).array == expected)
        let dictionary = Column.dictionaryOf(rows.map { $0.map { String(decoding: $0, as: UTF8.self) } })
        #expect(try Kernels.sortIndices(dictionary, descending: descending).array == expected)
    }

    @Test("doubles with NaN, infinities and signed zeros", arguments: 0..<4)
    func randomDoubles(placement: Int) throws {
        let (descending, nullsFirst) = Self.placements[placement]
        var random = SplitMix64(seed: 5)
        let specials: [Double] = [.nan, -.nan, .infinity, -.infinity, 0.0, -0.0, .greatestFiniteMagnitude, -.leastNonzeroMagnitude]
        let values: [Double?] = (0..<3_000).map { _ in
            let r = random.next()
            switch r % 10 {
            case 0: return nil
            case 1, 2: return specials[Int(r >> 8) % specials.count]
            default: return Double(Int64(r >> 40) - 8_000_000) / 1_000
            }
        }
        // SQL order: NaN above every number (+inf included); -0.0 ties with 0.0.
        func sqlLess(_ a: Double, _ b: Double) -> Bool { a.isNaN ? false : b.isNaN ? true : a < b }
        let result = try Kernels.sortIndices(.f64(values), descending: descending, nullsFirst: nullsFirst)
        #expect(result.array == Self.oracle(values, descending: descending, nullsFirst: nullsFirst, sqlLess))
    }

    @Test("NaN after +inf ascending, first descending")
    func nanPlacement() throws {
        let values: [Double?] = [1, .nan, .infinity, -.infinity, -0.0, 0.0, nil]
        #expect(try Kernels.sortIndices(.f64(values)).array == [3, 4, 5, 0, 2, 1, 6])
        #expect(try Kernels.sortIndices(.f64(values), descending: true).array == [1, 2, 0, 4, 5, 3, 6])
        let floats = Column.f32(values.map { $0.map(Float.init) })
        #expect(try Kernels.sortIndices(floats).array == [3, 4, 5, 0, 2, 1, 6])
    }

    @Test("random wide decimals sharing a few high words", arguments: [false, true])
    func randomDecimals(descending: Bool) throws {
        var random = SplitMix64(seed: 2024)
        let highs: [Int128] = [-2, -1, 0, 1, 7]
        let values: [Int128?] = (0..<4_000).map { _ in
            let r = random.next()
            if r % 19 == 0 { return nil }
            return highs[Int(r % 5)] << 64 | Int128(random.next() % 1_000)
        }
        let column = Column.decimals(values, precision: 38, scale: 4)
        #expect(try Kernels.sortIndices(column, descending: descending).array == Self.oracle(values, descending: descending, <))
    }

    @Test("random two-key sort: text then integer descending")
    func randomMultiKey() throws {
        var random = SplitMix64(seed: 11)
        let texts: [String?] = (0..<6_000).map { _ in random.next() % 13 == 0 ? nil : "name-\(random.next() % 40)" }
        let numbers: [Int64?] = (0..<6_000).map { _ in random.next() % 9 == 0 ? nil : Int64(random.next() % 25) }
        struct Row { let text: String?; let number: Int64? }
        let rows = zip(texts, numbers).map { Row(text: $0, number: $1) }
        let expected = rows.indices.sorted { i, j in
            let (a, b) = (rows[i], rows[j])
            if a.text != b.text {
                guard let x = a.text else { return false }
                guard let y = b.text else { return true }
                return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
            }
            if a.number != b.number {
                guard let x = a.number else { return false }
                guard let y = b.number else { return true }
                return x > y
            }
            return i < j
        }.map(UInt32.init)
        let result = try Kernels.sortIndices([SortKey(.text(texts)), SortKey(.i64(numbers), descending: true)])
        #expect(result.array == expected)
    }

    @Test("random two-key sort: integer descending with nulls first, then double")
    func randomIntegerFirst() throws {
        var random = SplitMix64(seed: 12)
        let groups: [Int32?] = (0..<6_000).map { _ in random.next() % 10 == 0 ? nil : Int32(random.next() % 30) }
        let doubles: [Double?] = (0..<6_000).map { _ in random.next() % 10 == 0 ? nil : Double(random.next() % 50) / 4 }
        let expected = groups.indices.sorted { i, j in
            if groups[i] != groups[j] {
                guard let x = groups[i] else { return true }
                guard let y = groups[j] else { return false }
                return x > y
            }
            if doubles[i] != doubles[j] {
                guard let x = doubles[i] else { return false }
                guard let y = doubles[j] else { return true }
                return x < y
            }
            return i < j
        }.map(UInt32.init)
        let keys = [SortKey(.i32(groups), descending: true, nullsFirst: true), SortKey(.f64(doubles))]
        #expect(try Kernels.sortIndices(keys).array == expected)
    }
}
