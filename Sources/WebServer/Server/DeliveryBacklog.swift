import Foundation

/// Bytes of delivered-but-unhandled messages for one WebSocket: the I/O thread adds, the handler's queue
/// removes; while over the limit the connection is not read (TCP flow control pushes back on the peer).
final class DeliveryBacklog: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = 0
    private let limit: Int

    /// A backlog that pauses reading beyond `limit` bytes.
    init(limit: Int) { self.limit = limit }

    /// True while more than `limit` bytes wait for the handler.
    var isOverLimit: Bool { lock.lock(); defer { lock.unlock() }; return bytes > limit }

    /// Counts a message handed to the handler's queue.
    func add(_ count: Int) { lock.lock(); bytes += count; lock.unlock() }

    /// Counts a handled message; true when this brought the backlog back under the limit (resume reading).
    func remove(_ count: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let wasOver = bytes > limit
        bytes -= count
        return wasOver && bytes <= limit
    }
}
