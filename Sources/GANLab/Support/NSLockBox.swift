import Foundation

/// An `NSLock` with a scoped `withLock`, so a lock is never left held on an early return or a throw.
final class NSLockBox: @unchecked Sendable {
    private let lock = NSLock()

    /// Runs `body` holding the lock.
    @inline(__always)
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
