/// HTTP dates (RFC 9110 §5.6.7): IMF-fixdate out; IMF-fixdate, RFC 850 and asctime in. No clock inside.
///
/// Calendar arithmetic is done on days since 1970-01-01 with Hinnant's civil-from-days
/// algorithm, so no Foundation formatter (locale, time zone or thread-safety surprises) is needed.
public enum HTTPDate {
    /// Weekday names of IMF-fixdate and asctime, Sunday first (day 0).
    static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    /// Weekday names of the obsolete RFC 850 form.
    static let longDayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    /// Month names, January first.
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The instants IMF-fixdate can express: years 0001 to 9999 (year = 4DIGIT).
    static let representableSeconds = -62_135_596_800...253_402_300_799

    /// Formats seconds since 1970 as IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT" (clamped to years 0001–9999).
    public static func format(_ secondsSince1970: Int) -> String {
        let secondsSince1970 = min(max(secondsSince1970, representableSeconds.lowerBound), representableSeconds.upperBound)
        let days = secondsSince1970 >= 0 ? secondsSince1970 / 86_400 : (secondsSince1970 - 86_399) / 86_400
        let secondOfDay = secondsSince1970 - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        let weekday = ((days % 7) + 7 + 4) % 7  // 1970-01-01 was a Thursday
        let paddedYear = String(repeating: "0", count: 4 - String(year).count) + String(year)
        return "\(dayNames[weekday]), \(pad2(day)) \(monthNames[month - 1]) \(paddedYear) "
            + "\(pad2(secondOfDay / 3600)):\(pad2(secondOfDay / 60 % 60)):\(pad2(secondOfDay % 60)) GMT"
    }

    /// Parses any of the three forms; nil when the text is none of them. RFC 850 two-digit years 70–99 are 19xx, 00–69 20xx.
    public static func parse(_ text: String) -> Int? {
        parse(text, twoDigitYearPivot: 70)
    }

    /// Parses any of the three forms; RFC 850 years are resolved per RFC 9110 §5.6.7 relative to `now`
    /// (a date more than 50 years in the future means the most recent past year with those digits).
    public static func parse(_ text: String, relativeTo now: Int) -> Int? {
        let thisYear = civil(fromDays: now / 86_400).year
        let pivot = (thisYear + 50) % 100 + 1
        return parse(text, twoDigitYearPivot: pivot, century: (thisYear + 50) / 100 * 100)
    }

    /// The parser behind both public forms: RFC 850 years below `pivot` fall in `century`, others in the one before.
    static func parse(_ text: String, twoDigitYearPivot pivot: Int, century: Int = 2000) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count <= 64 else { return nil }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if parts.count == 6, parts[0].hasSuffix(","), dayNames.contains(String(parts[0].dropLast())), parts[5] == "GMT" {
            // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
            guard text.utf8.count == 29, parts[1].count == 2, parts[3].count == 4,
                  let day = number(parts[1]), let month = monthNames.firstIndex(of: parts[2]),
                  let year = number(parts[3]), let time = parseTime(parts[4]) else { return nil }
            return seconds(year: year, month: month + 1, day: day, time: time)
        }
        if parts.count == 4, parts[0].hasSuffix(","), longDayNames.contains(String(parts[0].dropLast())), parts[3] == "GMT" {
            // rfc850-date: "Sunday, 06-Nov-94 08:49:37 GMT"
            let date = parts[1].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard date.count == 3, date[0].count == 2, date[2].count == 2, let day = number(date[0]),
                  let month = monthNames.firstIndex(of: date[1]), let shortYear = number(date[2]),
                  let time = parseTime(parts[2]) else { return nil }
            let year = shortYear < pivot ? century + shortYear : century - 100 + shortYear
            return seconds(year: year, month: month + 1, day: day, time: time)
        }
        if parts.count == 5, dayNames.contains(parts[0]) {
            // asctime-date: "Sun Nov  6 08:49:37 1994" (day padded with a space)
            guard text.utf8.count == 24, let month = monthNames.firstIndex(of: parts[1]), (1...2).contains(parts[2].count),
                  let day = number(parts[2]), let time = parseTime(parts[3]), parts[4].count == 4, let year = number(parts[4]) else { return nil }
            return seconds(year: year, month: month + 1, day: day, time: time)
        }
        return nil
    }

    /// 1*DIGIT as a number; unlike `Int(_:)` no sign is accepted.
    static func number(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 4, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }

    /// "HH:MM:SS" as seconds of the day (a leap second 60 is accepted, as RFC 9110 §5.6.7 allows).
    static func parseTime(_ text: String) -> Int? {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, fields.allSatisfy({ $0.count == 2 && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
              let hour = Int(fields[0]), let minute = Int(fields[1]), let second = Int(fields[2]),
              hour < 24, minute < 60, second <= 60 else { return nil }
        return hour * 3600 + minute * 60 + second
    }

    /// Seconds since 1970 for a validated calendar date, or nil for an impossible one (e.g. 31 Feb).
    static func seconds(year: Int, month: Int, day: Int, time: Int) -> Int? {
        guard (1...9999).contains(year), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        return days(fromCivil: year, month, day) * 86_400 + time
    }

    /// 28–31, with Gregorian leap years.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Hinnant, "chrono-compatible date algorithms").
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `days(fromCivil:)`.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Two digits with a leading zero.
    static func pad2(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
