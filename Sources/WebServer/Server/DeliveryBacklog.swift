import Foundation

/// Bytes of delivered-but-unhandled messages for one WebSocket: the I/O thread adds, the handler's queue
/// removes; while over the limit the connection is not read (TCP flow control pushes back on the peer).
/// Every change also moves the server-wide `MemoryBudget`.
final class DeliveryBacklog: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private let limit: Int
    private let budget: MemoryBudget

    /// A backlog that pauses reading beyond `limit` bytes, counted in `budget`.
    init(limit: Int, budget: MemoryBudget) {
        self.limit = limit
        self.budget = budget
    }

    /// Bytes waiting for the handler.
    var bytes: Int { lock.lock(); defer { lock.unlock() }; return count }

    /// True while more than `limit` bytes wait for the handler.
    var isOverLimit: Bool { lock.lock(); defer { lock.unlock() }; return count > limit }

    /// Counts a message handed to the handler's queue.
    func add(_ size: Int) {
        lock.lock(); count += size; lock.unlock()
        budget.adjust(by: size)
    }

    /// Counts a handled message; true when this brought the backlog back under the limit (resume reading).
    func remove(_ size: Int) -> Bool {
        lock.lock()
        let wasOver = count > limit
        count -= size
        let isUnder = count <= limit
        lock.unlock()
        budget.adjust(by: -size)
        return wasOver && isUnder
    }
}
