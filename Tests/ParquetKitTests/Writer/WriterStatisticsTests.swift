import ColumnarCore
@testable import ParquetKit
import Testing

/// Statistics rules of the Parquet specification, checked on hand-made values.
@Suite struct WriterStatisticsTests {
    static func leaf(_ type: DataType) throws -> WriterLeaf { try WriterLeaf(type, path: ["c"]) }

    @Test("floats: NaN is ignored, a zero minimum is written -0.0 and a zero maximum +0.0")
    func floats() throws {
        let values = PhysicalColumn.double(ValueBuffer([Double.nan, 0.0, 3.5, -0.0, .nan]))
        let s = try #require(ValueStatistics(values, 0..<5, leaf: try Self.leaf(.float64)))
        #expect(s.min == Array(withUnsafeBytes(of: (-0.0 as Double).bitPattern.littleEndian) { Array($0) }))
        #expect(s.max == Array(withUnsafeBytes(of: (3.5 as Double).bitPattern.littleEndian) { Array($0) }))
        let zeros = try #require(ValueStatistics(PhysicalColumn.float(ValueBuffer([Float(0.0), -0.0])), 0..<2, leaf: try Self.leaf(.float32)))
        #expect(zeros.min == withUnsafeBytes(of: (-Float.zero).bitPattern.littleEndian) { Array($0) })
        #expect(zeros.max == withUnsafeBytes(of: Float.zero.bitPattern.littleEndian) { Array($0) })
        #expect(ValueStatistics(PhysicalColumn.float(ValueBuffer([Float.nan])), 0..<1, leaf: try Self.leaf(.float32)) == nil, "all NaN: no min/max")
    }

    @Test("unsigned integers order unsigned; signed ones signed")
    func integerOrder() throws {
        let bits = PhysicalColumn.int32(ValueBuffer([Int32(-1), 5, Int32.min]))
        let unsigned = try #require(ValueStatistics(bits, 0..<3, leaf: try Self.leaf(.uint32)))
        #expect(unsigned.min == [5, 0, 0, 0])
        #expect(unsigned.max == [0xFF, 0xFF, 0xFF, 0xFF])
        let signed = try #require(ValueStatistics(bits, 0..<3, leaf: try Self.leaf(.int32)))
        #expect(signed.min == [0, 0, 0, 0x80])
        #expect(signed.max == [5, 0, 0, 0])
    }

    @Test("long strings are truncated to 64 bytes: the minimum as a prefix, the maximum rounded up past 0xFF bytes")
    func truncation() throws {
        let long = [UInt8](repeating: 0x61, count: 63) + [0xFF, 0xFF, 0x10]  // 66 bytes
        let values = PhysicalColumn.bytes(BinaryColumn(bytes: [long, [0x61]]))
        let s = try #require(ValueStatistics(values, 0..<2, leaf: try Self.leaf(.binary)))
        #expect(s.min == [0x61])
        #expect(s.minIsExact)
        // The 64-byte prefix ends a…a 0xFF: the 0xFF cannot be incremented, so it is dropped and
        // the last 'a' becomes 'b'.
        #expect(s.max == [UInt8](repeating: 0x61, count: 62) + [0x62])
        #expect(!s.maxIsExact)
        #expect(s.max.lexicographicallyPrecedes(long) == false, "still an upper bound")
        let allFF = [UInt8](repeating: 0xFF, count: 70)
        #expect(ValueStatistics.truncatedUpperBound(allFF) == (allFF, true), "nothing to round up: kept whole")
    }

    @Test("decimals in FIXED_LEN_BYTE_ARRAY order as signed numbers")
    func decimalOrder() throws {
        let leaf = try Self.leaf(.decimal128(precision: 30, scale: 0))
        let width = Int(leaf.typeLength ?? 0)
        #expect(width == 13)
        let values = PhysicalColumn.fixed(PhysicalColumn.bigEndian(3, width: width) { [Int256(Int64(-2)), Int256(Int64(7)), Int256(Int64(-9))][$0] }, width: width)
        let s = try #require(ValueStatistics(values, 0..<3, leaf: leaf))
        #expect(s.min == Array(repeating: 0xFF, count: 12) + [0xF7])
        #expect(s.max == Array(repeating: 0, count: 12) + [7])
    }

    @Test("decimal byte widths are the smallest that hold every value of the precision")
    func decimalWidths() {
        #expect(WriterLeaf.decimalBytes(1) == 1)
        #expect(WriterLeaf.decimalBytes(2) == 1)   // 99 < 128
        #expect(WriterLeaf.decimalBytes(3) == 2)   // 999 ≥ 128
        #expect(WriterLeaf.decimalBytes(18) == 8)
        #expect(WriterLeaf.decimalBytes(19) == 9)
        #expect(WriterLeaf.decimalBytes(38) == 16)
        #expect(WriterLeaf.decimalBytes(39) == 17)
        #expect(WriterLeaf.decimalBytes(76) == 32)
    }
}
