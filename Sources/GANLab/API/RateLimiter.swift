/// A token bucket (commands per second per connection, docs/protocol.md §2.4 `rate-limited`): `rate` tokens
/// a second refill it up to `burst`; each command takes one. A value type that takes the time.
public struct RateLimiter: Sendable, Equatable {
    /// Tokens added per second.
    public let rate: Double
    /// The bucket's size (the largest burst).
    public let burst: Double
    private var tokens: Double
    private var last: Double?

    /// A full bucket.
    public init(rate: Double, burst: Double) {
        precondition(rate > 0 && burst >= 1, "a rate limiter needs a positive rate and room for one")
        self.rate = rate
        self.burst = burst
        tokens = burst
    }

    /// Takes a token at `now` if one is left.
    public mutating func allow(now: Double) -> Bool {
        if let last { tokens = min(burst, tokens + max(0, now - last) * rate) }
        last = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
