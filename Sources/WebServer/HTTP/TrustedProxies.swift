import Glibc

/// Which peers are reverse proxies whose `X-Forwarded-For` names the real client (nginx's `set_real_ip_from` with
/// `real_ip_recursive on`).
///
/// Behind nginx every request arrives from the proxy's address, so anything keyed by client address (a per-address
/// rate limit, the access log) would see one client. Trusting the header from anyone would let every client pick
/// its own address, so it is read only when the TCP peer is a trusted proxy, and then from the right: each proxy
/// appends the address it received from, so the rightmost entry that is not itself a trusted proxy is the client.
/// Entries to its left were written by that client and are ignored.
public struct TrustedProxies: Sendable, Equatable {
    /// One address or CIDR range, as 16 bytes (IPv4 as IPv4-mapped IPv6, so it also matches "::ffff:a.b.c.d" peers).
    struct Range: Sendable, Equatable {
        var address: [UInt8]
        var prefixLength: Int

        func contains(_ other: [UInt8]) -> Bool {
            var bits = prefixLength
            for index in 0..<16 where bits > 0 {
                let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
                if address[index] & mask != other[index] & mask { return false }
                bits -= 8
            }
            return true
        }
    }

    private let ranges: [Range]

    /// No proxy is trusted: every request's client is its TCP peer.
    public static let none = TrustedProxies(ranges: [])

    /// Parses addresses and ranges ("127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"); nil when one is not valid.
    public init?(_ entries: [String]) {
        var ranges: [Range] = []
        for entry in entries {
            guard let range = Self.range(entry) else { return nil }
            ranges.append(range)
        }
        self.init(ranges: ranges)
    }

    private init(ranges: [Range]) { self.ranges = ranges }

    /// True when `text` is an address or range `init` accepts.
    public static func isValid(_ text: String) -> Bool { range(text) != nil }

    /// The client of a request that arrived from `peer` with `headers`: the peer itself unless it is a trusted proxy
    /// that sent `X-Forwarded-For`; then the rightmost forwarded address that is not a trusted proxy (port 0:
    /// unknown), or the leftmost when all are. An entry that is not an IP address ends the walk at the last address
    /// a trusted proxy vouched for.
    public func client(of peer: PeerAddress?, headers: HTTPHeaders) -> PeerAddress? {
        guard !ranges.isEmpty, let peer, let peerBytes = Self.bytes(peer.host), isTrusted(peerBytes) else { return peer }
        let entries = headers.values("X-Forwarded-For").flatMap { $0.split(separator: ",") }
        var client = peer
        for entry in entries.reversed() {
            let text = String(entry.trimmingHTTPWhitespace())
            guard let bytes = Self.bytes(text) else { return client }
            client = PeerAddress(host: HostPolicy.canonicalIP(text) ?? text, port: 0)
            if !isTrusted(bytes) { return client }
        }
        return client
    }

    private func isTrusted(_ bytes: [UInt8]) -> Bool { ranges.contains { $0.contains(bytes) } }

    private static func range(_ text: String) -> Range? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = bytes(String(parts[0])) else { return nil }
        let isV4 = !parts[0].contains(":")
        let maximum = isV4 ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            guard parts[1].allSatisfy({ $0 >= "0" && $0 <= "9" }), let value = Int(parts[1]), (0...maximum).contains(value) else { return nil }
            length = value
        }
        return Range(address: address, prefixLength: isV4 ? length + 96 : length)
    }

    /// 16 bytes of an IPv4 (mapped) or IPv6 literal, nil for anything else.
    static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
