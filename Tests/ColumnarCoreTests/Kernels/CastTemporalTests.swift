import ColumnarCore
import Testing

@Suite struct CastTemporalTests {
    static let microsPerDay: Int64 = 86_400_000_000

    @Test("dates become midnight timestamps in the target unit and zone")
    func dateToTimestamp() throws {
        let result = try Kernels.cast(.dates([0, 1, -1, nil]), to: .timestamp(.microsecond, timeZone: "UTC"))
        #expect(result.dataType == .timestamp(.microsecond, timeZone: "UTC"))
        #expect(result.primitive(as: Int64.self)?.optionals == [0, Self.microsPerDay, -Self.microsPerDay, nil])
        let seconds = try Kernels.cast(.dates([19_723]), to: .timestamp(.second, timeZone: nil))
        #expect(seconds.primitive(as: Int64.self)?.optionals == [1_704_067_200])
    }

    @Test("a date too far out for nanoseconds throws invalidCast")
    func dateOverflow() {
        // 200,000 days is about 1.7e19 ns, past Int64.max (about 9.2e18).
        expectColumnarError(.invalidCast, row: 1) { try Kernels.cast(.dates([0, 200_000]), to: .timestamp(.nanosecond, timeZone: nil)) }
    }

    @Test("timestamps become the date they fall on, flooring before the epoch")
    func timestampToDate() throws {
        let ticks: [Int64?] = [-1, 0, Self.microsPerDay - 1, Self.microsPerDay, -Self.microsPerDay, -Self.microsPerDay - 1, nil]
        let result = try Kernels.cast(.micros(ticks), to: .date32)
        #expect(result.primitive(as: Int32.self)?.optionals == [-1, 0, 0, 1, -1, -2, nil])
        let seconds = Column.timestamp(PrimitiveColumn<Int64>([-86_401, 86_399]), .second, timeZone: "UTC")
        #expect(try Kernels.cast(seconds, to: .date32).primitive(as: Int32.self)?.optionals == [-2, 0])
    }

    @Test("dates survive a round trip through timestamps")
    func roundTrip() throws {
        let days: [Int32?] = Array(stride(from: Int32(-800), through: 800, by: 7)) + [nil]
        for unit in TimeUnit.allCases {
            let there = try Kernels.cast(.dates(days), to: .timestamp(unit, timeZone: nil))
            #expect(try Kernels.cast(there, to: .date32).primitive(as: Int32.self)?.optionals == days, "\(unit)")
        }
    }

    @Test("timestamps change unit: exact when finer, floored when coarser")
    func rescale() throws {
        let seconds = Column.timestamp(PrimitiveColumn<Int64>([1, -1]), .second, timeZone: nil)
        let millis = try Kernels.cast(seconds, to: .timestamp(.millisecond, timeZone: "UTC"))
        #expect(millis.dataType == .timestamp(.millisecond, timeZone: "UTC"))
        #expect(millis.primitive(as: Int64.self)?.optionals == [1_000, -1_000])
        let fine = Column.timestamp(PrimitiveColumn<Int64>([1_999, -1, -1_000, -1_001]), .millisecond, timeZone: nil)
        let coarse = try Kernels.cast(fine, to: .timestamp(.second, timeZone: nil))
        #expect(coarse.primitive(as: Int64.self)?.optionals == [1, -1, -1, -2])
        let far = Column.timestamp(PrimitiveColumn<Int64>([0, .max / 1_000]), .second, timeZone: nil)
        expectColumnarError(.invalidCast, row: 1) { try Kernels.cast(far, to: .timestamp(.nanosecond, timeZone: nil)) }
    }

    @Test("times of day change unit")
    func times() throws {
        let millis = Column.time64(PrimitiveColumn<Int64>([1_500, nil]), .millisecond)
        #expect(try Kernels.cast(millis, to: .time64(.microsecond)).primitive(as: Int64.self)?.optionals == [1_500_000, nil])
        let micros = Column.time64(PrimitiveColumn<Int64>([3_599_999_999]), .microsecond)
        #expect(try Kernels.cast(micros, to: .time64(.second)).primitive(as: Int64.self)?.optionals == [3_599])
    }
}
