import Foundation

/// Figures the I/O thread publishes for other threads (healthz, `HTTPServer.connectionCount`).
final class ServerStatistics: @unchecked Sendable {
    private let lock = NSLock()
    private var openConnections = 0
    /// The memory budget, read for `bufferedBytes`.
    let budget: MemoryBudget

    /// Statistics reading `budget`.
    init(budget: MemoryBudget) { self.budget = budget }

    /// Open connections right now.
    var connections: Int { lock.lock(); defer { lock.unlock() }; return openConnections }

    /// Bytes held in connection buffers right now.
    var bufferedBytes: Int { budget.current }

    /// Stores the number of open connections.
    func setConnections(_ count: Int) { lock.lock(); openConnections = count; lock.unlock() }
}
