import ColumnarCore
import Testing

@Suite struct CivilDateTests {
    /// An independent oracle: walks whole years, then months, from 1970-01-01.
    static func walk(days: Int) -> (year: Int, month: Int, day: Int) {
        func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
        func monthLength(_ y: Int, _ m: Int) -> Int {
            [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        }
        var year = 1970
        var rest = days
        while rest < 0 {
            year -= 1
            rest += isLeap(year) ? 366 : 365
        }
        while rest >= (isLeap(year) ? 366 : 365) {
            rest -= isLeap(year) ? 366 : 365
            year += 1
        }
        var month = 1
        while rest >= monthLength(year, month) {
            rest -= monthLength(year, month)
            month += 1
        }
        return (year, month, rest + 1)
    }

    @Test("known anchors", arguments: [
        (1970, 1, 1, 0), (2000, 3, 1, 11_017), (1969, 12, 31, -1), (2024, 2, 29, 19_782), (2000, 1, 1, 10_957),
        (1, 1, 1, -719_162), (0, 3, 1, -719_468), (-1, 1, 1, -719_893), (9999, 12, 31, 2_932_896), (1900, 3, 1, -25_508),
    ])
    func anchors(year: Int, month: Int, day: Int, days: Int) {
        #expect(CivilDate.days(year: year, month: month, day: day) == days)
        let date = CivilDate.date(fromDays: days)
        #expect(date.year == year && date.month == month && date.day == day)
    }

    @Test("day counts and dates round-trip and agree with a calendar walk")
    func roundTrip() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let date = CivilDate.date(fromDays: days)
            let expected = Self.walk(days: days)
            #expect(date.year == expected.year && date.month == expected.month && date.day == expected.day, "day \(days)")
            #expect(CivilDate.isValid(year: date.year, month: date.month, day: date.day))
            #expect(CivilDate.days(year: date.year, month: date.month, day: date.day) == days)
        }
    }

    @Test("consecutive days advance one calendar day at a time across centuries")
    func consecutive() {
        var previous = CivilDate.date(fromDays: -40_000)
        var firstBroken: Int? = nil
        for days in -39_999...40_000 where firstBroken == nil {
            let date = CivilDate.date(fromDays: days)
            let sameMonth = date.year == previous.year && date.month == previous.month && date.day == previous.day + 1
            let nextMonth = date.month == previous.month + 1 && date.year == previous.year
            let nextYear = date.month == 1 && previous.month == 12 && date.year == previous.year + 1
            if !(sameMonth || (date.day == 1 && (nextMonth || nextYear))) { firstBroken = days }
            previous = date
        }
        #expect(firstBroken == nil)
    }

    @Test("leap years follow the Gregorian rules", arguments: [
        (2024, true), (2023, false), (2000, true), (1900, false), (2100, false), (1600, true), (0, true), (-4, true), (-1, false),
    ])
    func leapYears(year: Int, leap: Bool) {
        #expect(CivilDate.isValid(year: year, month: 2, day: 29) == leap)
        #expect(CivilDate.isValid(year: year, month: 2, day: 28))
    }

    @Test("rejects impossible months and days")
    func invalid() {
        #expect(!CivilDate.isValid(year: 2024, month: 4, day: 31))
        #expect(!CivilDate.isValid(year: 2024, month: 13, day: 1))
        #expect(!CivilDate.isValid(year: 2024, month: 0, day: 1))
        #expect(!CivilDate.isValid(year: 2024, month: 1, day: 0))
        #expect(!CivilDate.isValid(year: 2024, month: 1, day: 32))
        #expect(CivilDate.isValid(year: 2024, month: 12, day: 31))
    }
}
