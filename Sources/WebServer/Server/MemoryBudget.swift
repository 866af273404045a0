import Foundation

/// The bytes every connection together holds in buffers, against `ServerConfiguration.memoryBudgetBytes`.
///
/// The I/O thread moves it as a connection's buffers change (it recounts a connection after each event), and
/// handler queues move it as they take delivered messages. What is counted is allocated capacity, not bytes in
/// use: the budget is about memory. Over the limit the loop refuses new large WebSocket messages and request
/// bodies, and sheds the connections holding most (`EventLoop.enforceBudget`).
final class MemoryBudget: @unchecked Sendable {
    /// The ceiling in bytes.
    let limit: Int
    /// Shedding stops once the total is back under this (7/8 of the limit), so it does not run on every event.
    var lowWater: Int { limit - limit / 8 }
    /// Once the total fell this far (1/8 of the limit) below its peak since memory was last released, the freed
    /// memory is handed back to the system...
    var releaseAfterFreeingBytes: Int { limit / 8 }
    /// ... at most once per this many nanoseconds (1 s), so steady churn costs a few trims a minute, not one per sweep.
    static let releaseInterval: UInt64 = 1_000_000_000
    private let lock = NSLock()
    private var total = 0
    private var peakSinceRelease = 0
    private var lastRelease: UInt64?

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
        lock.lock()
        total += delta
        if total > peakSinceRelease { peakSinceRelease = total }
        lock.unlock()
    }

    /// True when the total is at least `releaseAfterFreeingBytes` below its peak since the last release and that
    /// release was at least `releaseInterval` before `now` (monotonic nanoseconds): a burst was freed.
    ///
    /// Why: glibc keeps freed memory in its arenas (and raises its mmap threshold after freeing a large block, so
    /// later large buffers come from the arenas too): 32 uploads of 16 MiB left 269 MiB resident after they were
    /// answered. `malloc_trim(0)` returns those pages; it walks every arena, so it runs once per burst, not per
    /// event. Measured from the peak rather than against a low mark, so one connection that still holds a large
    /// message does not keep what everyone else freed resident.
    func shouldReleaseFreedMemory(now: UInt64) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard peakSinceRelease - total >= releaseAfterFreeingBytes else { return false }
        if let last = lastRelease, now &- last < Self.releaseInterval { return false }
        peakSinceRelease = total
        lastRelease = now
        return true
    }
}
