/// The checks every request passes before any handler or handshake runs (on the I/O thread, so a refused
/// request costs no worker hop; for a request with a body, as soon as its head is complete, before `100 Continue`
/// or any of the body): its Host must name this server (else 421), and a request with an unsafe method must come
/// from an allowed origin (else 403). The WebSocket handshake checks Origin itself, with the same `OriginPolicy`
/// and the same effective host.
struct RequestGuard {
    /// Where the machine's own addresses come from when the server is bound to every interface: re-read when an
    /// IP-literal Host is refused, at most once per `minimumInterval`, so a laptop that moved to another network
    /// (new DHCP lease, other Wi-Fi) is reachable at its new address without a restart.
    struct AddressSource {
        /// The server's names now (`SocketAddress.namesOfThisServer()`: interface addresses and host name).
        var read: () -> [String]
        /// `ServerConfiguration.allowedHosts`, kept to rebuild the policy.
        var allowedHosts: [String]
        /// Nanoseconds between two reads at most (`ServerConfiguration.hostAddressRefreshInterval`).
        var minimumInterval: UInt64
    }

    /// The names this server answers to (DNS-rebinding defence).
    private(set) var hosts: HostPolicy
    /// The origins allowed to change state (CSRF and cross-site WebSocket defence).
    let origins: OriginPolicy
    /// Re-reads the machine's addresses; nil when bound to one address (its names cannot change).
    let addressSource: AddressSource?
    /// When the addresses were last re-read (nil: not since start).
    private(set) var lastAddressRead: UInt64?
    /// How many times they were re-read (for tests and the debug log).
    private(set) var addressReads = 0

    /// A guard with these policies; `addressSource` for a server bound to 0.0.0.0 or ::.
    init(hosts: HostPolicy, origins: OriginPolicy, addressSource: AddressSource? = nil) {
        self.hosts = hosts
        self.origins = origins
        self.addressSource = addressSource
    }

    /// The error response for a request that must not reach a handler, or nil when it may proceed.
    /// `acceptedHost` is the connection's last accepted Host: a keep-alive connection sends the same one every
    /// time, so the host policy runs once per connection, not once per request. `now` (monotonic nanoseconds)
    /// rate-limits re-reading the machine's addresses.
    mutating func refusal(for request: HTTPRequest, acceptedHost: inout String?, now: UInt64) -> HTTPResponse? {
        let host = request.effectiveHost
        if host == nil || host != acceptedHost {
            guard hosts.allows(host: host) || rereadAddressesAllow(host, now: now) else {
                // RFC 9110 §15.5.20: 421 "not able to produce a response for this target URI's authority".
                let shown = String((host ?? "").prefix(100))
                return .error(.misdirectedRequest, "this server does not answer to Host '\(shown)'; start it with --allow-host NAME to accept that name")
            }
            acceptedHost = host
        }
        guard origins.allows(request) else {
            return .error(.forbidden, "cross-origin \(request.method.rawValue) refused; start the server with --allow-origin ORIGIN to allow that origin")
        }
        return nil
    }

    /// For a refused Host that is an IP address: re-reads the machine's addresses (unless that happened less than
    /// `minimumInterval` ago) and answers whether the Host names the server now. Names are never re-resolved: only
    /// an address can change under a running server, and a refused name costs no system call.
    private mutating func rereadAddressesAllow(_ host: String?, now: UInt64) -> Bool {
        guard let source = addressSource, let host, let name = HostPolicy.hostname(ofAuthority: host),
              HostPolicy.canonicalIP(name) != nil else { return false }
        if let last = lastAddressRead, now &- last < source.minimumInterval { return false }
        lastAddressRead = now
        addressReads += 1
        hosts = HostPolicy(serverNames: source.read(), allowedHosts: source.allowedHosts)
        return hosts.allows(host: host)
    }
}
