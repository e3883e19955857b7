import Catalog
import ColumnarCore
import Ingest
import Testing

/// Column types: the most specific type every non-null value fits, else text. Expected days and
/// instants are counted by hand (2026-01-01 is day 20 454; 2024-01-01 is day 19 723).
@Suite struct InferenceTests {
    @Test("each type is inferred, with its values")
    func everyType() throws {
        let lake = try Workspace()
        let path = try lake.file("types.csv", """
            flag,count,price,ratio,day,at,name
            true,1,10.50,1.5,2026-03-07,2026-03-07 10:30:00,alice
            FALSE,-42,3.25,2.25e3,2026-12-31,2026-12-31T23:59:59,bob
            True,0,7,0.1,2024-02-29,2024-02-29 00:00:01.5,carol

            """)
        let result = try lake.ingest(path, into: "types")
        let expected = schema(("flag", .boolean), ("count", .int64), ("price", .decimal128(precision: 18, scale: 2)), ("ratio", .float64),
                              ("day", .date32), ("at", .timestamp(.microsecond, timeZone: nil)), ("name", .utf8))
        #expect(result.schema.pairs == expected)
        #expect(try lake.columns("types") == expected)
        #expect(try lake.rows("types", orderBy: "name") == [
            // 2026-03-07 is day 20 454 + 31 + 28 + 6 = 20 519; 10:30 is 37 800 s.
            [.boolean(true), int(1), .decimal128(1050, precision: 18, scale: 2), .float64(1.5), .date32(20_519),
             naive(1_772_879_400_000_000), text("alice")],
            // 2026-12-31 is day 20 454 + 364 = 20 818; 23:59:59 is 86 399 s.
            [.boolean(false), int(-42), .decimal128(325, precision: 18, scale: 2), .float64(2250), .date32(20_818),
             naive(1_798_761_599_000_000), text("bob")],
            // 2024-02-29 is day 19 723 + 59 = 19 782.
            [.boolean(true), int(0), .decimal128(700, precision: 18, scale: 2), .float64(0.1), .date32(19_782),
             naive(1_709_164_801_500_000), text("carol")],
        ])
    }

    @Test("one value that fits no type makes the column text, every value kept as written")
    func oneBadValueMakesText() throws {
        let lake = try Workspace()
        let path = try lake.file("qty.csv", "id,qty,when\n1,5,2026-03-07\n2,n/a,soon\n3,7,2026-03-09\n")
        try lake.ingest(path, into: "qty")
        #expect(try lake.columns("qty") == schema(("id", .int64), ("qty", .utf8), ("when", .utf8)))
        #expect(try lake.rows("qty", orderBy: "id") == [
            [int(1), text("5"), text("2026-03-07")],
            [int(2), text("n/a"), text("soon")],
            [int(3), text("7"), text("2026-03-09")],
        ])
    }

    @Test("leading zeros stay text (zip codes); a lone 0 is a number")
    func leadingZeros() throws {
        let lake = try Workspace()
        let path = try lake.file("zips.csv", "zip,n,code\n02134,0,007.5\n10001,10,1.5\n")
        try lake.ingest(path, into: "zips")
        #expect(try lake.columns("zips") == schema(("zip", .utf8), ("n", .int64), ("code", .utf8)))
        #expect(try lake.rows("zips", orderBy: "n") == [[text("02134"), int(0), text("007.5")], [text("10001"), int(10), text("1.5")]])
    }

    @Test("phone numbers with + stay text; a - sign is a number")
    func plusSign() throws {
        let lake = try Workspace()
        let path = try lake.file("phones.csv", "phone,delta\n+14155550100,-5\n+442071838750,+3\n")
        try lake.ingest(path, into: "phones")
        #expect(try lake.columns("phones") == schema(("phone", .utf8), ("delta", .utf8)))
        #expect(try lake.rows("phones") == [[text("+14155550100"), text("-5")], [text("+442071838750"), text("+3")]])
    }

    @Test("BIGINT holds its extremes")
    func integerExtremes() throws {
        let lake = try Workspace()
        let path = try lake.file("big.csv", "n\n9223372036854775807\n-9223372036854775808\n0\n")
        try lake.ingest(path, into: "big")
        #expect(try lake.columns("big") == schema(("n", .int64)))
        #expect(try lake.rows("big") == [[int(.max)], [int(.min)], [int(0)]])
    }

    @Test("integers beyond BIGINT (up to 38 digits) are DECIMAL(38,0), not text")
    func hugeIntegers() throws {
        let lake = try Workspace()
        // 2^63 does not fit BIGINT; 20 digits fit DECIMAL(38,0) exactly.
        let path = try lake.file("huge.csv", "n\n9223372036854775808\n-12345678901234567890\n7\n")
        try lake.ingest(path, into: "huge")
        #expect(try lake.columns("huge") == schema(("n", .decimal128(precision: 38, scale: 0))))
        #expect(try lake.rows("huge") == [[.decimal128(9_223_372_036_854_775_808, precision: 38, scale: 0)],
                                          [.decimal128(-12_345_678_901_234_567_890, precision: 38, scale: 0)],
                                          [.decimal128(7, precision: 38, scale: 0)]])
    }

    @Test("decimals: one scale for the column, integers allowed; two scales make it DOUBLE")
    func decimalScale() throws {
        let lake = try Workspace()
        let path = try lake.file("money.csv", "id,price,mixed,tenths\n1,1.25,1.5,0.1\n2,2.50,2.25,0.2\n3,3,3,-0.3\n")
        try lake.ingest(path, into: "money")
        #expect(try lake.columns("money") == schema(("id", .int64), ("price", .decimal128(precision: 18, scale: 2)), ("mixed", .float64),
                                                     ("tenths", .decimal128(precision: 18, scale: 1))))
        #expect(try lake.rows("money", orderBy: "id") == [
            [int(1), .decimal128(125, precision: 18, scale: 2), .float64(1.5), .decimal128(1, precision: 18, scale: 1)],
            [int(2), .decimal128(250, precision: 18, scale: 2), .float64(2.25), .decimal128(2, precision: 18, scale: 1)],
            [int(3), .decimal128(300, precision: 18, scale: 2), .float64(3), .decimal128(-3, precision: 18, scale: 1)],
        ])
    }

    @Test("a decimal with more than 18 digits is DECIMAL(38, s)")
    func wideDecimal() throws {
        let lake = try Workspace()
        // 17 integer digits + 2 of scale = 19 digits: more than DECIMAL(18) holds.
        let path = try lake.file("wide.csv", "amount\n12345678901234567.25\n1.50\n")
        try lake.ingest(path, into: "wide")
        #expect(try lake.columns("wide") == schema(("amount", .decimal128(precision: 38, scale: 2))))
        #expect(try lake.rows("wide") == [[.decimal128(1_234_567_890_123_456_725, precision: 38, scale: 2)], [.decimal128(150, precision: 38, scale: 2)]])
    }

    @Test("floating point: exponents, and at most 17 significant digits")
    func floats() throws {
        let lake = try Workspace()
        let path = try lake.file("floats.csv", """
            id,e,digits17,digits18
            1,1e3,0.12345678901234567,0.123456789012345678
            2,-2.5E-2,1.5,1.5

            """)
        try lake.ingest(path, into: "floats")
        #expect(try lake.columns("floats") == schema(("id", .int64), ("e", .float64), ("digits17", .float64), ("digits18", .utf8)))
        #expect(try lake.rows("floats", orderBy: "id") == [
            [int(1), .float64(1000), .float64(0.12345678901234567), text("0.123456789012345678")],
            [int(2), .float64(-0.025), .float64(1.5), text("1.5")],
        ])
    }

    @Test("booleans in any case; yes/no stays text")
    func booleans() throws {
        let lake = try Workspace()
        let path = try lake.file("flags.csv", "id,a,b\n1,true,yes\n2,FALSE,no\n3,tRuE,yes\n")
        try lake.ingest(path, into: "flags")
        #expect(try lake.columns("flags") == schema(("id", .int64), ("a", .boolean), ("b", .utf8)))
        #expect(try lake.rows("flags", orderBy: "id") == [
            [int(1), .boolean(true), text("yes")], [int(2), .boolean(false), text("no")], [int(3), .boolean(true), text("yes")],
        ])
    }

    @Test("date forms: ISO, year/month/day, US, dotted European, European with a day over 12")
    func dateForms() throws {
        let lake = try Workspace()
        let path = try lake.file("dates.csv", """
            id,iso,ymd,us,dotted,eu
            1,2026-03-07,2026/03/07,03/07/2026,07.03.2026,07/03/2026
            2,2026-12-25,2026/12/25,12/25/2026,25.12.2026,25/12/2026

            """)
        try lake.ingest(path, into: "dates")
        #expect(try lake.columns("dates") == schema(("id", .int64), ("iso", .date32), ("ymd", .date32), ("us", .date32), ("dotted", .date32),
                                                     ("eu", .date32)))
        // 2026-12-25 is day 20 818 − 6 = 20 812.
        let march7 = Scalar.date32(20_519), christmas = Scalar.date32(20_812)
        #expect(try lake.rows("dates", orderBy: "id") == [
            [int(1), march7, march7, march7, march7, march7],
            [int(2), christmas, christmas, christmas, christmas, christmas],
        ])
    }

    @Test("ambiguous dates are month first by default, day first when asked")
    func ambiguousDates() throws {
        let lake = try Workspace()
        let path = try lake.file("ambiguous.csv", "d\n03/04/2026\n05/06/2026\n")
        try lake.ingest(path, into: "us")
        try lake.ingest(path, into: "eu", options { $0.ambiguousDates = .dayFirst })
        #expect(try lake.columns("us") == schema(("d", .date32)))
        #expect(try lake.columns("eu") == schema(("d", .date32)))
        // 2026-03-04 = 20 454 + 59 + 3; 2026-05-06 = 20 454 + 120 + 5.
        #expect(try lake.rows("us") == [[.date32(20_516)], [.date32(20_579)]])
        // 2026-04-03 = 20 454 + 90 + 2; 2026-06-05 = 20 454 + 151 + 4.
        #expect(try lake.rows("eu") == [[.date32(20_546)], [.date32(20_609)]])
    }

    @Test("mixed date forms in one column make it text", arguments: [
        "d\n2026-03-07\n03/08/2026\n",
        "d\n03/25/2026\n25/03/2026\n",
        "d\n2026-03-07\n2026/03/08\n",
    ])
    func mixedDateForms(_ body: String) throws {
        let lake = try Workspace()
        let path = try lake.file("mixed.csv", body)
        try lake.ingest(path, into: "mixed")
        #expect(try lake.columns("mixed") == schema(("d", .utf8)))
        let values = body.split(separator: "\n").dropFirst().map { [text(String($0))] }
        #expect(try lake.rows("mixed") == values)
    }

    @Test("an invalid calendar date makes the column text")
    func invalidCalendarDate() throws {
        let lake = try Workspace()
        let path = try lake.file("feb.csv", "d\n2026-02-28\n2026-02-29\n")
        try lake.ingest(path, into: "feb")
        #expect(try lake.columns("feb") == schema(("d", .utf8)))
    }

    @Test("zoned timestamps are converted to UTC")
    func zonedTimestamps() throws {
        let lake = try Workspace()
        // Every value is 2026-03-07 10:30:00 UTC.
        let path = try lake.file("zoned.csv", """
            id,at
            1,2026-03-07T10:30:00Z
            2,2026-03-07T12:30:00+02:00
            3,2026-03-07 05:30:00-05:00
            4,2026-03-07T16:00:00+0530
            5,2026-03-08T00:30:00+14:00

            """)
        try lake.ingest(path, into: "zoned")
        #expect(try lake.columns("zoned") == schema(("id", .int64), ("at", .timestamp(.microsecond, timeZone: "UTC"))))
        let instant = utc(1_772_879_400_000_000)
        #expect(try lake.rows("zoned", orderBy: "id") == [[int(1), instant], [int(2), instant], [int(3), instant], [int(4), instant], [int(5), instant]])
    }

    @Test("zoned and naive timestamps in one column make it text")
    func zonedAndNaive() throws {
        let lake = try Workspace()
        let path = try lake.file("mixed.csv", "at\n2026-03-07T10:30:00Z\n2026-03-07T10:30:00\n")
        try lake.ingest(path, into: "mixed")
        #expect(try lake.columns("mixed") == schema(("at", .utf8)))
        #expect(try lake.rows("mixed") == [[text("2026-03-07T10:30:00Z")], [text("2026-03-07T10:30:00")]])
    }

    @Test("AM/PM times: 12 AM is midnight, 12 PM is noon")
    func amPm() throws {
        let lake = try Workspace()
        let path = try lake.file("clock.csv", """
            id,at
            1,2026-03-07 10:30 AM
            2,2026-03-07 12:15 PM
            3,2026-03-07 12:05 AM
            4,2026-03-07 11:59:59 PM
            5,03/07/2026 1:00 pm

            """)
        try lake.ingest(path, into: "clock")
        #expect(try lake.columns("clock") == schema(("id", .int64), ("at", .utf8)))
        // Values 1–4 are ISO, value 5 is US: mixed forms, so text. Without it the column is a timestamp:
        let isoOnly = try lake.file("iso.csv", """
            id,at
            1,2026-03-07 10:30 AM
            2,2026-03-07 12:15 PM
            3,2026-03-07 12:05 AM
            4,2026-03-07 11:59:59 PM

            """)
        try lake.ingest(isoOnly, into: "iso")
        #expect(try lake.columns("iso") == schema(("id", .int64), ("at", .timestamp(.microsecond, timeZone: nil))))
        // Midnight of 2026-03-07 is 20 519 × 86 400 = 1 772 841 600 s.
        #expect(try lake.rows("iso", orderBy: "id") == [
            [int(1), naive((1_772_841_600 + 37_800) * 1_000_000)],
            [int(2), naive((1_772_841_600 + 44_100) * 1_000_000)],
            [int(3), naive((1_772_841_600 + 300) * 1_000_000)],
            [int(4), naive((1_772_841_600 + 86_399) * 1_000_000)],
        ])
        let us = try lake.file("us.csv", "at\n03/07/2026 1:00 pm\n12/25/2026 9:05 AM\n")
        try lake.ingest(us, into: "usclock")
        #expect(try lake.columns("usclock") == schema(("at", .timestamp(.microsecond, timeZone: nil))))
        // 2026-12-25 is day 20 812: 20 812 × 86 400 = 1 798 156 800 s.
        #expect(try lake.rows("usclock") == [[naive((1_772_841_600 + 46_800) * 1_000_000)], [naive((1_798_156_800 + 32_700) * 1_000_000)]])
    }

    @Test("dates and timestamps in one column: dates are midnight")
    func datesInTimestampColumn() throws {
        let lake = try Workspace()
        let path = try lake.file("when.csv", "at\n2026-03-07\n2026-03-07 10:30:00\n")
        try lake.ingest(path, into: "stamps")
        #expect(try lake.columns("stamps") == schema(("at", .timestamp(.microsecond, timeZone: nil))))
        #expect(try lake.rows("stamps") == [[naive(1_772_841_600_000_000)], [naive(1_772_879_400_000_000)]])
    }

    @Test("more than six fraction digits: text, since Delta timestamps keep microseconds and no digit may be lost")
    func nanoseconds() throws {
        let lake = try Workspace()
        let path = try lake.file("nanos.csv", "at\n2026-03-07 10:30:00.123456789\n2026-03-07 10:30:00.5\n")
        let result = try lake.ingest(path, into: "nanos")
        #expect(result.schema.pairs == schema(("at", .utf8)))
        #expect(try lake.rows("nanos") == [[.utf8("2026-03-07 10:30:00.123456789")], [.utf8("2026-03-07 10:30:00.5")]])
    }

    @Test("null tokens and empty fields are null and do not change the type")
    func defaultNullTokens() throws {
        let lake = try Workspace()
        let path = try lake.file("nulls.csv", "id,v,d\n1,NULL,2026-03-07\n2,,NA\n3,NA,\n4,null,null\n5,7,2026-03-08\n")
        try lake.ingest(path, into: "blanks")
        #expect(try lake.columns("blanks") == schema(("id", .int64), ("v", .int64), ("d", .date32)))
        #expect(try lake.rows("blanks", orderBy: "id") == [
            [int(1), .null, .date32(20_519)],
            [int(2), .null, .null],
            [int(3), .null, .null],
            [int(4), .null, .null],
            [int(5), int(7), .date32(20_520)],
        ])
    }

    @Test("null tokens are configurable")
    func customNullTokens() throws {
        let lake = try Workspace()
        let path = try lake.file("dash.csv", "id,v\n1,-\n2,n/a\n3,4\n")
        try lake.ingest(path, into: "custom", options { $0.nullTokens = ["-", "n/a"] })
        #expect(try lake.columns("custom") == schema(("id", .int64), ("v", .int64)))
        #expect(try lake.rows("custom", orderBy: "id") == [[int(1), .null], [int(2), .null], [int(3), int(4)]])
        try lake.ingest(path, into: "plain")
        #expect(try lake.columns("plain") == schema(("id", .int64), ("v", .utf8)))
        #expect(try lake.rows("plain", orderBy: "id") == [[int(1), text("-")], [int(2), text("n/a")], [int(3), text("4")]])
        // With no null tokens, NULL is text.
        let word = try lake.file("word.csv", "id,v\n1,NULL\n2,x\n")
        try lake.ingest(word, into: "word", options { $0.nullTokens = [] })
        #expect(try lake.rows("word", orderBy: "id") == [[int(1), text("NULL")], [int(2), text("x")]])
    }

    @Test("a quoted empty field is the empty string in a text column and null elsewhere")
    func quotedEmpty() throws {
        let lake = try Workspace()
        let path = try lake.file("empty.csv", "id,name,n\n1,\"\",\"\"\n2,,5\n3,x,6\n")
        try lake.ingest(path, into: "empty")
        #expect(try lake.columns("empty") == schema(("id", .int64), ("name", .utf8), ("n", .int64)))
        #expect(try lake.rows("empty", orderBy: "id") == [[int(1), text(""), .null], [int(2), .null, int(5)], [int(3), text("x"), int(6)]])
    }

    @Test("a column of nulls only is text")
    func allNulls() throws {
        let lake = try Workspace()
        let path = try lake.file("nothing.csv", "id,gone\n1,\n2,NULL\n")
        try lake.ingest(path, into: "nothing")
        #expect(try lake.columns("nothing") == schema(("id", .int64), ("gone", .utf8)))
        #expect(try lake.rows("nothing", orderBy: "id") == [[int(1), .null], [int(2), .null]])
    }

    @Test("spaces around values are trimmed for typed columns and kept in text ones")
    func spacesAroundValues() throws {
        let lake = try Workspace()
        let path = try lake.file("spaces.csv", "id,n,name\n1, 5 , a \n2,6,b\n")
        try lake.ingest(path, into: "spaces")
        #expect(try lake.columns("spaces") == schema(("id", .int64), ("n", .int64), ("name", .utf8)))
        #expect(try lake.rows("spaces", orderBy: "id") == [[int(1), int(5), text(" a ")], [int(2), int(6), text("b")]])
    }

    @Test("type overrides and renames")
    func overrides() throws {
        let lake = try Workspace()
        let path = try lake.file("contacts.csv", "E-mail,code,score,price\na@x.org,1,2,1.5\nb@x.org,2,3,2.25\n")
        let result = try lake.ingest(path, into: "contacts", options {
            $0.rename = ["E-mail": "email", "price": "cost"]
            $0.columnTypes = ["code": .utf8, "score": .float64, "cost": .decimal128(precision: 10, scale: 2)]
        })
        let expected = schema(("email", .utf8), ("code", .utf8), ("score", .float64), ("cost", .decimal128(precision: 10, scale: 2)))
        #expect(result.schema.pairs == expected)
        #expect(try lake.columns("contacts") == expected)
        #expect(try lake.rows("contacts", orderBy: "email") == [
            [text("a@x.org"), text("1"), .float64(2), .decimal128(150, precision: 10, scale: 2)],
            [text("b@x.org"), text("2"), .float64(3), .decimal128(225, precision: 10, scale: 2)],
        ])
    }

    @Test("a forced type with a value that does not fit is typeMismatch naming line and column")
    func overrideMismatch() throws {
        let lake = try Workspace()
        let path = try lake.file("amounts.csv", "id,amount\n1,10\n2,12\n3,abc\n4,15\n")
        let error = try #require(lake.failure(path, into: "amounts", options { $0.columnTypes = ["amount": .int64] }))
        #expect(error.code == .typeMismatch)
        #expect(error.line == 4)
        #expect(error.column == "amount")
        #expect(error.file == path)
        try lake.expectNothingCommitted()
    }

    @Test("a forced TIMESTAMP on a column of dates reads them in the file's date form, at midnight")
    func overrideDateAsTimestamp() throws {
        let lake = try Workspace()
        let path = try lake.file("when.csv", "id,d\n1,25.12.2026\n2,\n")
        try lake.ingest(path, into: "dates", options { $0.columnTypes = ["d": .timestamp(.microsecond, timeZone: nil)] })
        #expect(try lake.columns("dates") == schema(("id", .int64), ("d", .timestamp(.microsecond, timeZone: nil))))
        // 2026-12-25 is day 20 812: 1 798 156 800 s.
        #expect(try lake.rows("dates", orderBy: "id") == [[int(1), naive(1_798_156_800_000_000)], [int(2), .null]])
    }

    @Test("an override or rename naming no column is invalidOption")
    func overrideUnknownColumn() throws {
        let lake = try Workspace()
        let path = try lake.file("t.csv", "id,name\n1,a\n")
        let typeError = try #require(lake.failure(path, into: "t", options { $0.columnTypes = ["nope": .int64] }))
        #expect(typeError.code == .invalidOption)
        let renameError = try #require(lake.failure(path, into: "t", options { $0.rename = ["nope": "x"] }))
        #expect(renameError.code == .invalidOption)
        try lake.expectNothingCommitted()
    }

    @Test("duplicate and blank header names are made unique")
    func duplicateNames() throws {
        let lake = try Workspace()
        let path = try lake.file("dup.csv", "id,name,name, \n1,a,b,c\n")
        try lake.ingest(path, into: "dup")
        #expect(try lake.columns("dup") == schema(("id", .int64), ("name", .utf8), ("name_2", .utf8), ("column4", .utf8)))
    }

    @Test("a rename onto another column's name is a schemaConflict")
    func renameCollision() throws {
        let lake = try Workspace()
        let path = try lake.file("t.csv", "a,b\n1,2\n")
        let error = try #require(lake.failure(path, into: "t", options { $0.rename = ["b": "a"] }))
        #expect(error.code == .schemaConflict)
        try lake.expectNothingCommitted()
    }

    @Test("types are inferred over every row, not a sample: a bad value on the last of 3000 rows makes text")
    func wholeFileInference() throws {
        let lake = try Workspace()
        var body = "id,n\n"
        for k in 1...2999 { body += "\(k),\(k)\n" }
        body += "3000,x\n"
        let path = try lake.file("long.csv", body)
        try lake.ingest(path, into: "long")
        #expect(try lake.columns("long") == schema(("id", .int64), ("n", .utf8)))
        // And the same over windows of 256 bytes.
        try lake.ingest(path, into: "windows", options { $0.windowBytes = 256 })
        #expect(try lake.columns("windows") == schema(("id", .int64), ("n", .utf8)))
    }
}
