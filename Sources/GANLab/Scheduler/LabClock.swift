import Foundation
import Glibc

/// Where the lab reads the time: a monotonic clock in production, one a test moves by hand. Everything that
/// schedules (run machines, the scheduler, rate limits) takes its time from here, never from `Date()`.
public protocol LabClock: Sendable {
    /// Seconds on a monotonic scale (only differences matter).
    func now() -> Double
}

/// CLOCK_MONOTONIC: never jumps when the wall clock is set.
public struct MonotonicClock: LabClock {
    /// The system's monotonic clock.
    public init() {}

    /// Seconds since an arbitrary start.
    public func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}

/// A clock that moves only when told: for tests of anything that schedules, with no sleeping.
public final class ManualClock: LabClock, @unchecked Sendable {
    private let lock = NSLock()
    private var time: Double

    /// A clock at `start` seconds.
    public init(start: Double = 1_000) { time = start }

    /// The current made-up time.
    public func now() -> Double {
        lock.lock(); defer { lock.unlock() }
        return time
    }

    /// Moves the clock forward.
    public func advance(by seconds: Double) {
        lock.lock(); time += seconds; lock.unlock()
    }
}
