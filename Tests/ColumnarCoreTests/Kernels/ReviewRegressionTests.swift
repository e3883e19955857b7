import ColumnarCore
import Testing

/// Inputs a review found crashing or misbehaving; each now gets the SQL answer or a typed error.
@Suite struct ReviewRegressionTests {
    @Test("a time with far more than nine fraction digits truncates instead of overflowing")
    func longFraction() throws {
        let text = Column.utf8(BinaryColumn(["12:00:00.123456789012345678901234567890"]))
        let time = try Kernels.cast(text, to: .time64(.microsecond))
        // 12 h = 43,200 s; the fraction truncates to .123456 at microseconds.
        #expect(time.scalar(at: 0) == .time64(43_200_123_456, .microsecond))
    }

    @Test("timestamps at Int64.min convert with floor division, without overflow")
    func extremeTimestamps() throws {
        let seconds = Column.timestamp(PrimitiveColumn([Int64.min]), .second, timeZone: nil)
        // Int64.min seconds is about -1.07e14 days: outside DATE's 32 bits, so a clean error.
        #expect(throws: ColumnarError.self) { try Kernels.cast(seconds, to: .date32) }
        let nanos = Column.timestamp(PrimitiveColumn([Int64.min]), .nanosecond, timeZone: nil)
        let coarse = try Kernels.cast(nanos, to: .timestamp(.second, timeZone: nil))
        // floor(-9223372036854775808 / 1e9) = -9223372037 (the remainder is negative).
        #expect(coarse.scalar(at: 0) == .timestamp(-9_223_372_037, .second, timeZone: nil))
    }

    @Test("the most negative unscaled decimal prints")
    func extremeDecimal() {
        let column = Column.decimal128(PrimitiveColumn([Int128.min]), precision: 38, scale: 2)
        #expect(column.scalar(at: 0).formatted == "-1701411834604692317316873037158841057.28")
    }

    @Test("a decimal sum may pass 38 digits on the way as long as the total fits")
    func decimalExcursion() throws {
        var nines: Int128 = 1
        for _ in 0..<38 { nines *= 10 }
        nines -= 1
        let column = Column.decimal128(PrimitiveColumn([nines, nines, -nines]), precision: 38, scale: 0)
        #expect(try Kernels.sum(column) == .decimal128(nines, precision: 38, scale: 0))
        let tooBig = Column.decimal128(PrimitiveColumn([nines, 1]), precision: 38, scale: 0)
        #expect(throws: ColumnarError.self) { try Kernels.sum(tooBig) }
    }

    @Test("a finite literal too large for DOUBLE is out of range, not infinity")
    func hugeLiteral() {
        #expect(throws: ColumnarError.self) { try Kernels.cast(.utf8(BinaryColumn(["1e999"])), to: .float64) }
    }

    @Test("the table printer survives degenerate limits")
    func degenerateLimits() throws {
        let batch = try RecordBatch(schema: Schema([Field("s", .utf8)]), columns: [.utf8(BinaryColumn(["long text here"]))])
        #expect(BatchPrinter.table([batch], maxRows: 0, maxWidth: 0).contains("…"))
    }
}
