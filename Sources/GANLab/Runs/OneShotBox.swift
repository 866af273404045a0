import Foundation

/// A one-shot mailbox: a run's worker puts one answer (a record for an export, whether it left memory for an
/// eviction), and the HTTP thread that asked waits for it with a timeout.
final class OneShotBox<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Value?

    /// Delivers the answer (from the run's worker).
    func put(_ answer: Value) {
        condition.lock()
        value = answer
        condition.broadcast()
        condition.unlock()
    }

    /// Waits at most `timeout` seconds; nil when no answer came.
    func take(timeout: Double) -> Value? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while value == nil { if !condition.wait(until: deadline) { break } }
        return value
    }
}
