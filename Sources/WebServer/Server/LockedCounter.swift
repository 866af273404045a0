import Foundation

/// A counter written by the I/O thread and read by workers (healthz).
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    /// Stores a new value.
    func set(_ newValue: Int) { lock.lock(); value = newValue; lock.unlock() }
    /// The current value.
    var current: Int { lock.lock(); defer { lock.unlock() }; return value }
}
