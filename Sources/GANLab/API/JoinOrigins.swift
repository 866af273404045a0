import WebServer

/// Where other machines reach this server: `hello.joinOrigins` and `hello.loopbackOnly` (docs/protocol.md §2.2).
///
/// A teacher who opens the lab at `http://127.0.0.1:8080` must not show students a loopback link; the page
/// shows one of these origins instead when its own host is a loopback name.
public struct JoinOrigins: Sendable, Equatable {
    /// `http://HOST:PORT` for each reachable address, IPv4 first; empty when bound to loopback only.
    public let origins: [String]
    /// True when the server listens on a loopback address only (no other machine can connect).
    public let isLoopbackOnly: Bool

    /// Origins as given (tests; a lab that is not bound yet).
    public init(origins: [String], isLoopbackOnly: Bool) {
        self.origins = origins
        self.isLoopbackOnly = isLoopbackOnly
    }

    /// The origins of a server bound to `address`: its interfaces' addresses for a wildcard address
    /// (`SocketAddress.namesOfThisServer()`, getifaddrs(3)), else the bound address itself.
    public init(bound address: SocketAddress) {
        self.init(boundHost: address.host, port: address.port, isWildcard: address.isWildcard,
                  names: address.isWildcard ? address.namesOfThisServer() : [address.host])
    }

    /// The rule on plain values: of `names` (interface addresses and host names) keep the numeric addresses
    /// that are neither loopback nor link-local nor wildcard, IPv4 before IPv6, each once.
    public init(boundHost: String, port: Int, isWildcard: Bool, names: [String]) {
        let isLoopbackOnly = !isWildcard && Self.isLoopback(boundHost)
        let usable = isLoopbackOnly ? [] : names.filter { Self.isReachableAddress($0) }
        var seen = Set<String>()
        let ordered = usable.filter { !$0.contains(":") } + usable.filter { $0.contains(":") }
        origins = ordered.filter { seen.insert($0).inserted }.map { host in
            "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        }
        self.isLoopbackOnly = isLoopbackOnly
    }

    /// 127.0.0.0/8 and ::1 (and ::ffff:127.x).
    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        if let v4 = ipv4Octets(h) { return v4[0] == 127 }
        if h.hasPrefix("::ffff:"), let v4 = ipv4Octets(String(h.dropFirst(7))) { return v4[0] == 127 }
        return h == "::1" || h == "localhost"
    }

    /// A numeric address another machine could use: not loopback, link-local (169.254/16, fe80::/10) or
    /// unspecified; host names are left out (mDNS names do not resolve on many phones).
    static func isReachableAddress(_ name: String) -> Bool {
        let h = name.lowercased()
        if let v4 = ipv4Octets(h) {
            return v4[0] != 127 && v4[0] != 0 && !(v4[0] == 169 && v4[1] == 254)
        }
        guard h.contains(":"), h.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
        let linkLocal = ["fe8", "fe9", "fea", "feb"].contains(where: h.hasPrefix)
        return h != "::" && !isLoopback(h) && !linkLocal
    }

    /// The four octets of a dotted IPv4 address, or nil.
    private static func ipv4Octets(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let octets = parts.compactMap { part -> Int? in
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let v = Int(part), (0...255).contains(v) else { return nil }
            return v
        }
        return octets.count == 4 ? octets : nil
    }
}
