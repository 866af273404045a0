/// The numeric address and port of a connection's other end, as `accept(2)` reported it.
public struct PeerAddress: Sendable, Hashable, CustomStringConvertible {
    /// The numeric host ("192.168.1.7", "::1"); IPv4 clients of an IPv6 socket appear as "::ffff:a.b.c.d".
    public var host: String
    /// The peer's TCP port.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// "host:port", IPv6 in brackets ("[::1]:54321"); the host alone when the port is 0 (unknown: a client a trusted
    /// proxy forwarded for).
    public var description: String {
        if port == 0 { return host }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
