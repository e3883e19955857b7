import ColumnarCore
import Testing

@Suite struct CastTextToTemporalTests {
    func cast(_ texts: [String?], to type: DataType) throws -> Column {
        try Kernels.cast(.text(texts), to: type)
    }

    func micros(_ texts: [String?], timeZone: String? = nil) throws -> [Int64?] {
        try cast(texts, to: .timestamp(.microsecond, timeZone: timeZone)).primitive(as: Int64.self)?.optionals ?? []
    }

    @Test("dates: leap days, the epoch and its neighbours")
    func dates() throws {
        let texts: [String?] = ["2024-02-29", "1970-01-01", "1969-12-31", "2000-03-01", "2024-1-5", " 2024-01-01 ", nil, "-0001-01-01", "0001-01-01"]
        let result = try cast(texts, to: .date32)
        #expect(result.primitive(as: Int32.self)?.optionals == [19_782, 0, -1, 11_017, 19_727, 19_723, nil, -719_893, -719_162])
    }

    @Test("impossible or malformed dates throw invalidCast",
          arguments: ["2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "24-01-01", "2024/01/01", "2024-01-01x", ""])
    func badDates(text: String) {
        expectColumnarError(.invalidCast, row: 1) { try cast(["2000-02-29", text], to: .date32) }
    }

    @Test("timestamps with a T, a fraction and an offset")
    func timestamps() throws {
        // 2024-01-01 is day 19,723: 1,704,067,200 s. 12:30:45 adds 45,045 s; +02:00 takes 7,200 s off.
        #expect(try micros(["2024-01-01T12:30:45.5+02:00"]) == [1_704_105_045_500_000])
        #expect(try micros(["2024-01-01 00:00:00Z", "2024-01-01", "2024-01-01t08:00", nil]) == [
            1_704_067_200_000_000, 1_704_067_200_000_000, 1_704_096_000_000_000, nil,
        ])
        // Offsets west of UTC add time; the minutes may follow a colon or not.
        #expect(try micros(["1970-01-01T00:00:00-05:30", "1970-01-01T00:00:00+0530", "1970-01-01T00:00:00+05"]) == [
            19_800_000_000, -19_800_000_000, -18_000_000_000,
        ])
        #expect(try micros(["1969-12-31T23:59:59.999999"]) == [-1])
    }

    @Test("each unit keeps the digits it can hold and floors the rest")
    func units() throws {
        let nanos = try cast(["1970-01-01T00:00:00.123456789"], to: .timestamp(.nanosecond, timeZone: nil))
        #expect(nanos.primitive(as: Int64.self)?.optionals == [123_456_789])
        let millis = try cast(["1969-12-31T23:59:59.9995", "1970-01-01T00:00:00.0019"], to: .timestamp(.millisecond, timeZone: nil))
        #expect(millis.primitive(as: Int64.self)?.optionals == [-1, 1])
        let seconds = try cast(["2000-03-01T00:00:01"], to: .timestamp(.second, timeZone: "UTC"))
        #expect(seconds.dataType == .timestamp(.second, timeZone: "UTC"))
        #expect(seconds.primitive(as: Int64.self)?.optionals == [951_868_801])
    }

    @Test("a timestamp past the unit's range throws invalidCast")
    func outOfRange() throws {
        expectColumnarError(.invalidCast, row: 1) { try cast(["2262-04-11", "2262-04-12"], to: .timestamp(.nanosecond, timeZone: nil)) }
        let far = try cast(["200000-01-01"], to: .timestamp(.second, timeZone: nil))
        #expect(far.primitive(as: Int64.self)?.optionals == [6_249_223_180_800])
    }

    @Test("malformed timestamps throw invalidCast",
          arguments: ["2024-01-01T25:00", "2024-01-01T12:60", "2024-01-01T12", "2024-02-30T00:00", "2024-01-01T12:00:00+2", "2024-01-01T"])
    func badTimestamps(text: String) {
        expectColumnarError(.invalidCast, row: 0) { try micros([text]) }
    }

    @Test("timestamps ignore surrounding spaces like every other parsed type")
    func timestampSpaces() throws {
        #expect(try micros([" 2024-01-01 "]) == [1_704_067_200_000_000])
        #expect(try micros([" 2024-01-01 00:00:01 "]) == [1_704_067_201_000_000])
    }

    @Test("times of day, up to 24:00")
    func times() throws {
        let micros = try cast(["12:30", "24:00:00", "1:05", nil], to: .time64(.microsecond))
        #expect(micros.primitive(as: Int64.self)?.optionals == [45_000_000_000, 86_400_000_000, 3_900_000_000, nil])
        let short = try cast(["12:3", "11:", "11:11:"], to: .time64(.second))
        #expect(short.primitive(as: Int64.self)?.optionals == [43_380, 39_600, 40_260])
        let millis = try cast(["01:02:03.25"], to: .time64(.millisecond))
        #expect(millis.primitive(as: Int64.self)?.optionals == [3_723_250])
    }

    // DuckDB reads short fields (`12:3` is 12:03:00, `11:` is 11:00:00), so those are not here.
    @Test("malformed times throw invalidCast", arguments: ["24:00:01", "12:60", "7", "12:30:61", "12:30:00.", "12:3x", ":30"])
    func badTimes(text: String) {
        expectColumnarError(.invalidCast, row: 0) { try cast([text], to: .time64(.nanosecond)) }
    }

    @Test("text to a type without a parser is unsupported; text to binary keeps the bytes")
    func otherTargets() throws {
        expectColumnarError(.unsupported) { try cast(["[1]"], to: .list(Field("item", .int8))) }
        #expect(try cast(["hi", nil], to: .binary).scalars == [.binary(Array("hi".utf8)), .null])
    }

    @Test("a dictionary column parses through its text")
    func dictionary() throws {
        let result = try Kernels.cast(.dictionaryOf(["2024-02-29", nil, "2024-02-29"]), to: .date32)
        #expect(result.primitive(as: Int32.self)?.optionals == [19_782, nil, 19_782])
    }
}
