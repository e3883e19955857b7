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
