import Testing
@testable import WebServer

/// Warnings a misbehaving client can trigger at will come at most once per interval and kind.
@Suite struct WarningLimiterTests {
    @Test func oneWarningPerKindAndInterval_thenTheCountOfTheHeldBack() {
        var limiter = WarningLimiter(interval: 10)
        #expect(limiter.admit("a", now: 100) == (true, 0))
        #expect(limiter.admit("a", now: 105) == (false, 0))
        #expect(limiter.admit("a", now: 109) == (false, 0))
        #expect(limiter.admit("b", now: 109) == (true, 0))   // kinds are independent
        #expect(limiter.admit("a", now: 110) == (true, 2))
        #expect(limiter.admit("a", now: 125) == (true, 0))
    }
}
