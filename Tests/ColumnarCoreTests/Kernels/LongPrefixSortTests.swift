import ColumnarCore
import Testing

/// Strings that share long prefixes are refined eight bytes at a time; the order must still be
/// byte order with the shorter string first, stable, in both directions.
@Suite struct LongPrefixSortTests {
    @Test("random strings sharing prefixes of 0–40 bytes sort like a byte-wise oracle", arguments: [false, true])
    func oracle(descending: Bool) throws {
        var random = SplitMix64(seed: descending ? 7 : 8)
        let prefixes = ["", "customer_", "customer_00000000", String(repeating: "x", count: 40)]
        var rows: [[UInt8]] = []
        for _ in 0..<5_000 {
            var bytes = Array(prefixes[Int(random.next() % 4)].utf8)
            for _ in 0..<Int(random.next() % 12) {
                // Few distinct bytes (zero included) make ties at every depth.
                bytes.append([0, 1, 0x61, 0x62, 0xFF][Int(random.next() % 5)])
            }
            rows.append(bytes)
        }
        let column = Column.binary(BinaryColumn(bytes: rows))
        let order = try Kernels.sortIndices(column, descending: descending)
        let expected = rows.indices.sorted { a, b in
            if rows[a] == rows[b] { return a < b }
            let less = rows[a].lexicographicallyPrecedes(rows[b])
            return descending ? !less : less
        }
        #expect(order.map(Int.init) == expected)
    }
}

@Suite struct DecimalSortPathTests {
    @Test("decimals sort numerically whether they fit 64 bits (radix on the low word) or not", arguments: [false, true])
    func bothPaths(wide: Bool) throws {
        var random = SplitMix64(seed: wide ? 11 : 12)
        let values: [Int128] = (0..<3_000).map { _ in
            let small = Int128(Int64(bitPattern: random.next()) >> 20)
            return wide && random.next() % 3 == 0 ? small * Int128(1) << 70 : small
        }
        let column = Column.decimal128(PrimitiveColumn(values), precision: 38, scale: 2)
        let order = try Kernels.sortIndices(column)
        let expected = values.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
        #expect(order.map(Int.init) == expected)
    }
}
