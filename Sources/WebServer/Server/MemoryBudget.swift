import Foundation

/// The bytes every connection together holds in buffers, against `ServerConfiguration.memoryBudgetBytes`.
///
/// The I/O thread moves it as a connection's buffers change (it recounts a connection after each event), and
/// handler queues move it as they take delivered messages. Over the limit the loop refuses new large WebSocket
/// messages and sheds the connections holding most (`EventLoop.enforceBudget`).
final class MemoryBudget: @unchecked Sendable {
    /// The ceiling in bytes.
    let limit: Int
    /// Shedding stops once the total is back under this (7/8 of the limit), so it does not run on every event.
    var lowWater: Int { limit - limit / 8 }
    private let lock = NSLock()
    private var total = 0

    /// A budget of `limit` bytes.
    init(limit: Int) { self.limit = limit }

    /// Bytes held now.
    var current: Int { lock.lock(); defer { lock.unlock() }; return total }

    /// Bytes still free (0 when over).
    var available: Int { max(0, limit - current) }

    /// True while the total exceeds the limit.
    var isExceeded: Bool { current > limit }

    /// Moves the total by `delta` bytes.
    func adjust(by delta: Int) {
        guard delta != 0 else { return }
        lock.lock(); total += delta; lock.unlock()
    }
}
