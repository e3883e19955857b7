import ColumnarCore

/// A UTC calendar date and time, converted to and from seconds since 1970 without a time zone
/// database (the proleptic Gregorian calendar, through ColumnarCore's `CivilDate`).
struct _CivilTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    init(secondsSince1970 seconds: Int64) {
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let inDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = CivilDate.date(fromDays: days)
        self.init(year: year, month: month, day: day,
                  hour: inDay / 3600, minute: inDay / 60 % 60, second: inDay % 60)
    }

    var secondsSince1970: Int64 {
        let days = CivilDate.days(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// `2024-01-02T03:04:05.678Z` (S3 listings), in milliseconds since 1970.
    static func iso8601Milliseconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T") else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return nil }
        var milliseconds = 0
        if bytes.count > 20, bytes[19] == UInt8(ascii: ".") {
            let fraction = bytes[20...].prefix(while: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            let padded = Array(fraction.prefix(3)) + Array(repeating: UInt8(ascii: "0"), count: max(0, 3 - fraction.count))
            milliseconds = Int(String(decoding: padded, as: UTF8.self)) ?? 0
        }
        let time = _CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return time.secondsSince1970 * 1000 + Int64(milliseconds)
    }

    /// `Tue, 02 Jan 2024 03:04:05 GMT` (HTTP `Last-Modified`), in milliseconds since 1970.
    static func httpDateMilliseconds(_ text: String) -> Int64? {
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let words = text.split(separator: " ")
        guard words.count >= 5, let day = Int(words[1]), let monthIndex = months.firstIndex(of: words[2].lowercased()),
              let year = Int(words[3]) else { return nil }
        let clock = words[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        let time = _CivilTime(year: year, month: monthIndex + 1, day: day, hour: clock[0], minute: clock[1], second: clock[2])
        return time.secondsSince1970 * 1000
    }
}
