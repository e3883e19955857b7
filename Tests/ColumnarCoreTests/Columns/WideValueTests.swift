import ColumnarCore
import Testing

/// `Int256`, `decimal256` and `wideTimestamp`: exact text, ordering and the kernels that need
/// no arithmetic (compare, sort, hash/group, take, cast to text). Expected values are written
/// out by hand.
@Suite struct WideValueTests {
    static let maxDigits = String(repeating: "9", count: 76)

    @Test("Int256 text round-trips at the extremes of 76-digit decimals and of 256 bits")
    func text() throws {
        for text in ["0", "1", "-1", Self.maxDigits, "-" + Self.maxDigits, "170141183460469231731687303715884105728",
                     "-57896044618658097711785492504343953926634992332820282019728792003956564819968",
                     "57896044618658097711785492504343953926634992332820282019728792003956564819967"] {
            #expect(try #require(Int256(text)).description == text)
        }
        #expect(Int256("57896044618658097711785492504343953926634992332820282019728792003956564819968") == nil, "2^255 does not fit")
        #expect(Int256("12a") == nil)
        #expect(Int256("") == nil)
        #expect(Int256("+42")?.description == "42")
    }

    @Test("Int256 orders by value across the sign and the 128-bit halves")
    func ordering() throws {
        let values = try ["-" + Self.maxDigits, "-340282366920938463463374607431768211456", "-1", "0", "1",
                          "18446744073709551616", "340282366920938463463374607431768211456", Self.maxDigits].map { try #require(Int256($0)) }
        #expect(values == values.sorted())
        #expect(values.shuffled().sorted() == values)
        #expect(Int256(Int128(-5)) < Int256(Int128(3)))
        #expect(Int256(Int128.max).int128 == Int128.max)
        #expect((Int256(Int128.max) == Int256(Int128.min)) == false)
        #expect(try #require(Int256("340282366920938463463374607431768211456")).int128 == nil)
    }

    @Test("big-endian two's complement bytes of any width up to 32 read as Parquet stores them")
    func bytes() {
        #expect(Int256(bigEndianTwosComplement: [0xFF])?.description == "-1")
        #expect(Int256(bigEndianTwosComplement: [0x01, 0x00])?.description == "256")
        #expect(Int256(bigEndianTwosComplement: [0x80] + [UInt8](repeating: 0, count: 31))?.description
                == "-57896044618658097711785492504343953926634992332820282019728792003956564819968")
        #expect(Int256(bigEndianTwosComplement: [0x00, 0x00] + [UInt8](repeating: 0xFF, count: 32)) == nil, "33+ bytes must be sign extension")
        #expect(Int256(bigEndianTwosComplement: [0xFF] + [UInt8](repeating: 0xFF, count: 32))?.description == "-1")
        #expect(Int256(bigEndianTwosComplement: [UInt8]()) == nil)
    }

    static func decimals() throws -> Column {
        let scalars: [Scalar] = try ["5", "-" + Self.maxDigits, Self.maxDigits, "0", "-5"].map {
            .decimal256(try #require(Int256($0)), precision: 76, scale: 2)
        } + [.null]
        return try Column(.decimal256(precision: 76, scale: 2), scalars)
    }

    @Test("decimal256 columns print, cast to text, compare, sort, group and take")
    func decimalKernels() throws {
        let column = try Self.decimals()
        #expect(column.dataType == .decimal256(precision: 76, scale: 2))
        #expect(column.scalar(at: 0).formatted == "0.05")
        #expect(column.scalar(at: 4).formatted == "-0.05")
        #expect(column.scalar(at: 2).formatted == String(repeating: "9", count: 74) + ".99")
        let text = try Kernels.cast(column, to: .utf8)
        #expect(text.scalar(at: 1) == .utf8("-" + String(repeating: "9", count: 74) + ".99"))
        #expect(text.isNull(5))
        #expect(Array(try Kernels.sortIndices(column)) == [1, 4, 3, 0, 2, 5])
        let five = Scalar.decimal256(Int256(Int64(5)), precision: 76, scale: 2)
        let equal = try Kernels.compare(column, .equal, five)
        #expect((0..<6).map { equal.isNull($0) ? nil : equal.values[$0] } == [true, false, false, false, false, nil])
        let groups = try Kernels.groupIDs([try Kernels.take(column, SelectionVector([0, 0, 4, 0, 4]))])
        #expect(Array(groups.ids) == [0, 0, 1, 0, 1])
        #expect(throws: (any Error).self) { try Kernels.arithmetic(column, .add, column) }
    }

    @Test("wide timestamps print and sort exactly far outside 64-bit nanoseconds")
    func wideTimestamps() throws {
        let day = Int128(86_400_000_000_000)
        let values: [Int128] = [2_932_896 * day + 3 * 3_600_000_000_000, -719_162 * day, 1, -1]  // 9999-12-31 03:00, 0001-01-01
        let column = try Column(.wideTimestamp(timeZone: nil), values.map { .wideTimestamp($0, timeZone: nil) })
        #expect(column.scalar(at: 0).formatted == "9999-12-31 03:00:00", "zero fractions are left out, as DuckDB prints them")
        #expect(column.scalar(at: 1).formatted == "0001-01-01 00:00:00")
        #expect(column.scalar(at: 3).formatted == "1969-12-31 23:59:59.999999999")
        #expect(Array(try Kernels.sortIndices(column)) == [1, 3, 2, 0])
        #expect(DataType.wideTimestamp(timeZone: "UTC").description == "TIMESTAMP(ns 128-bit, UTC)")
    }
}
