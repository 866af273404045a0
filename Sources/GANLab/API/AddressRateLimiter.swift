import Foundation
import WebServer

/// One token bucket (`RateLimiter`) per client address, for what fills the server: new runs (create, import,
/// fork; docs/api.md "Limits"). Thread-safe; takes the time from the lab's clock.
///
/// Keys: an IPv4 address as is; an IPv6 address by its /64 prefix, since one host usually holds a whole /64 and
/// could otherwise step through fresh addresses. The table is bounded: past `maxAddresses` the buckets that have
/// refilled (unused for `burst / rate` seconds, so forgetting them changes nothing) are dropped, then the oldest.
final class AddressRateLimiter: @unchecked Sendable {
    private struct Entry {
        var bucket: RateLimiter
        var lastUsed: Double
    }

    /// Tokens per second per address.
    let rate: Double
    /// The largest burst per address.
    let burst: Double
    private let maxAddresses: Int
    private let lock = NSLockBox()
    private var entries: [String: Entry] = [:]

    /// Buckets of `burst` tokens refilling at `rate` per second, for at most `maxAddresses` addresses at once.
    init(rate: Double, burst: Double, maxAddresses: Int = 10_000) {
        self.rate = rate
        self.burst = burst
        self.maxAddresses = maxAddresses
    }

    /// Takes a token for `address` at `now`; false when its bucket is empty. Requests without an address (built
    /// in-process) share one bucket.
    func allow(_ address: PeerAddress?, now: Double) -> Bool {
        let key = address.map { Self.key(forHost: $0.host) } ?? "-"
        return lock.withLock {
            var entry = entries[key] ?? Entry(bucket: RateLimiter(rate: rate, burst: burst), lastUsed: now)
            let allowed = entry.bucket.allow(now: now)
            entry.lastUsed = now
            entries[key] = entry
            if entries.count > maxAddresses { prune(now: now) }
            return allowed
        }
    }

    /// Addresses tracked now.
    var count: Int { lock.withLock { entries.count } }

    /// The bucket's key for a numeric host: IPv4 (also IPv4-mapped IPv6) as is, IPv6 by its first four groups.
    static func key(forHost host: String) -> String {
        guard host.contains(":"), !host.hasPrefix("::ffff:") else { return host }
        var address = in6_addr()
        guard inet_pton(AF_INET6, host, &address) == 1 else { return host }
        let bytes = withUnsafeBytes(of: &address) { Array($0.prefix(8)) }
        return stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":") + "::/64"
    }

    private func prune(now: Double) {
        let refill = burst / rate
        entries = entries.filter { now - $0.value.lastUsed < refill }
        guard entries.count > maxAddresses else { return }
        let keep = entries.sorted { $0.value.lastUsed > $1.value.lastUsed }.prefix(maxAddresses / 2)
        entries = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}
