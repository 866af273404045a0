/// At most one warning of each kind per interval, so a client that keeps tripping a limit cannot flood the log;
/// the next warning that passes says how many were held back. Times come in (monotonic nanoseconds), no clock.
struct WarningLimiter {
    /// Nanoseconds between two warnings of one kind.
    let interval: UInt64
    private var lastLogged: [String: UInt64] = [:]
    private var heldBack: [String: Int] = [:]

    /// A limiter letting one warning of a kind through per `interval` nanoseconds.
    init(interval: UInt64) { self.interval = interval }

    /// Whether a warning of `kind` may be logged at `now`, and how many of that kind were held back since the last one.
    mutating func admit(_ kind: String, now: UInt64) -> (isLogged: Bool, heldBack: Int) {
        if let last = lastLogged[kind], now &- last < interval {
            heldBack[kind, default: 0] += 1
            return (false, 0)
        }
        lastLogged[kind] = now
        let count = heldBack.removeValue(forKey: kind) ?? 0
        return (true, count)
    }
}
