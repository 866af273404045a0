import Foundation

/// A one-shot mailbox for the answer to an eviction request.
final class EvictionBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Bool?

    /// Delivers the answer (from the run's worker).
    func put(_ evicted: Bool) {
        condition.lock()
        value = evicted
        condition.broadcast()
        condition.unlock()
    }

    /// Waits at most `timeout` seconds; false when the run stayed or did not answer.
    func take(timeout: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while value == nil { if !condition.wait(until: deadline) { break } }
        return value ?? false
    }
}

/// A one-shot mailbox for a record from a run's worker.
final class RecordBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: RunRecord?

    /// Delivers the record (from the run's worker).
    func put(_ record: RunRecord) {
        condition.lock()
        value = record
        condition.broadcast()
        condition.unlock()
    }

    /// Waits at most `timeout` seconds for the record.
    func take(timeout: Double) -> RunRecord? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while value == nil { if !condition.wait(until: deadline) { break } }
        return value
    }
}
