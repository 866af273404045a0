import Foundation

/// A warning that may recur on every save (a data directory over its limit while every run is in memory): logged
/// at most once per `interval`, saying how often it happened since the last line, so a full server writes one line
/// a minute instead of hundreds every few seconds.
struct RateLimitedWarning: Sendable {
    /// Seconds between two lines at least.
    let interval: Double
    private var lastLoggedAt: Date?
    private var suppressed = 0

    /// A warning logged at most once per `interval` seconds.
    init(interval: Double) { self.interval = interval }

    /// The warning happened at `now`: the number of times it happened since the last line (this one included) when
    /// a line is due, nil when it is not.
    mutating func occurred(at now: Date) -> Int? {
        if let last = lastLoggedAt, now.timeIntervalSince(last) < interval {
            suppressed += 1
            return nil
        }
        defer { lastLoggedAt = now; suppressed = 0 }
        return suppressed + 1
    }
}
