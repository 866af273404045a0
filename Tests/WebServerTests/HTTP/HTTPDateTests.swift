import Testing
import WebServer

@Suite struct HTTPDateTests {
    /// RFC 9110 §5.6.7's example instant.
    let example = 784_111_777

    @Test func rfcExample_formatsAsIMFFixdate() {
        #expect(HTTPDate.format(example) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.format(4_102_444_799) == "Thu, 31 Dec 2099 23:59:59 GMT")
        #expect(HTTPDate.format(-1) == "Wed, 31 Dec 1969 23:59:59 GMT")
    }

    @Test func earlyAndOutOfRangeYears_formatAsFourDigits() {
        let year800 = HTTPDate.parse("Sun, 06 Nov 0800 08:49:37 GMT")
        #expect(year800 != nil)
        let formatted = year800.map(HTTPDate.format) ?? ""
        #expect(formatted.hasSuffix(", 06 Nov 0800 08:49:37 GMT"))
        #expect(HTTPDate.parse(formatted) == year800)
        #expect(HTTPDate.format(Int.max) == "Fri, 31 Dec 9999 23:59:59 GMT")
        #expect(HTTPDate.format(Int.min) == "Mon, 01 Jan 0001 00:00:00 GMT")
    }

    @Test func rfcExample_parsesInAllThreeForms() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == example)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == example)
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == example)
    }

    @Test func formatThenParse_roundTrips() {
        var seconds = 0
        while seconds < 8_000_000_000 {
            #expect(HTTPDate.parse(HTTPDate.format(seconds)) == seconds, "\(seconds)")
            seconds += 7_654_321
        }
    }

    @Test func rfc850Year_isResolvedRelativeToNow() {
        let year2026 = 1_780_000_000
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT", relativeTo: year2026) == example)
        #expect(HTTPDate.parse("Thursday, 01-Jan-70 00:00:00 GMT", relativeTo: year2026) == HTTPDate.parse("Tue, 01 Jan 2070 00:00:00 GMT"))
        #expect(HTTPDate.parse("Saturday, 01-Jan-77 00:00:00 GMT", relativeTo: year2026) == HTTPDate.parse("Sat, 01 Jan 1977 00:00:00 GMT"))
        #expect(HTTPDate.parse("Saturday, 01-Jan-50 00:00:00 GMT") == HTTPDate.parse("Sat, 01 Jan 2050 00:00:00 GMT"))
    }

    @Test func malformedDates_areRejected() {
        for text in ["", "yesterday", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT",
                     "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC",
                     "Sun Nov 6 08:49:37 1994", "Sunday, 06-Nov-1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49 GMT",
                     "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, +6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov +994 08:49:37 GMT",
                     "Sunday, +6-Nov-94 08:49:37 GMT", "Sun Nov +6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 GMT" + String(repeating: " ", count: 100)] {
            #expect(HTTPDate.parse(text) == nil, "\(text)")
        }
    }
}
