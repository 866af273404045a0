import Testing
@testable import WebServer

/// The budget's bookkeeping: when freed memory is handed back to the system.
@Suite struct MemoryBudgetTests {
    static let second: UInt64 = 1_000_000_000

    @Test func freedMemoryIsReleased_onceABurstWasFreed_atMostOncePerSecond() {
        let budget = MemoryBudget(limit: 320)   // released once 40 bytes are freed below the peak
        var now: UInt64 = 100 * Self.second
        #expect(!budget.shouldReleaseFreedMemory(now: now))
        budget.adjust(by: 30)
        budget.adjust(by: -25)
        #expect(!budget.shouldReleaseFreedMemory(now: now))   // only 25 freed
        budget.adjust(by: 100)                                // peak 105
        #expect(!budget.shouldReleaseFreedMemory(now: now))   // still held
        budget.adjust(by: -40)                                // 65: 40 below the peak, though much is still held
        #expect(budget.shouldReleaseFreedMemory(now: now))
        #expect(!budget.shouldReleaseFreedMemory(now: now))   // once per burst
        budget.adjust(by: 50)
        budget.adjust(by: -50)
        now += Self.second / 2
        #expect(!budget.shouldReleaseFreedMemory(now: now))   // a second burst within the second waits ...
        now += Self.second / 2
        #expect(budget.shouldReleaseFreedMemory(now: now))    // ... and is released once it has passed
    }
}
