import Foundation
import Testing
@testable import GANLab

@Suite struct RateLimitedWarningTests {
    @Test func logsTheFirst_thenOncePerInterval_withHowOftenItHappened() {
        var warning = RateLimitedWarning(interval: 60)
        let t0 = Date(timeIntervalSince1970: 1_000)
        #expect(warning.occurred(at: t0) == 1)
        #expect(warning.occurred(at: t0 + 1) == nil)
        #expect(warning.occurred(at: t0 + 59.9) == nil)
        #expect(warning.occurred(at: t0 + 60) == 3, "this one and the two held back")
        #expect(warning.occurred(at: t0 + 61) == nil)
        #expect(warning.occurred(at: t0 + 500) == 2)
    }
}
