import Testing
@testable import WebServer

/// The budget's bookkeeping: when freed memory is handed back to the system.
@Suite struct MemoryBudgetTests {
    @Test func freedMemoryIsReleased_onceAfterEachBurst() {
        let budget = MemoryBudget(limit: 320)   // burst above 40, released under 10
        #expect(!budget.shouldReleaseFreedMemory())
        budget.adjust(by: 30)
        budget.adjust(by: -25)
        #expect(!budget.shouldReleaseFreedMemory())   // no burst: 30 is under 40
        budget.adjust(by: 100)
        #expect(!budget.shouldReleaseFreedMemory())   // still held
        budget.adjust(by: -96)
        #expect(budget.current == 9)
        #expect(budget.shouldReleaseFreedMemory())
        #expect(!budget.shouldReleaseFreedMemory())   // once per burst
        budget.adjust(by: 50)
        budget.adjust(by: -50)
        #expect(budget.shouldReleaseFreedMemory())
    }
}
