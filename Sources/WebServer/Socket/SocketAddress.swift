import Glibc

/// A numeric IPv4 or IPv6 socket address parsed from the `--host` text and a port.
///
/// Host names other than "localhost" are refused on purpose: the server binds what the person typed,
/// with no DNS lookup that could silently pick another interface.
public enum SocketAddress: Sendable, Equatable {
    /// An IPv4 address (network byte order inside).
    case ipv4(sockaddr_in)
    /// An IPv6 address (network byte order inside).
    case ipv6(sockaddr_in6)

    /// Parses `host` ("127.0.0.1", "0.0.0.0", "::1", "::", "[::1]" or "localhost") and `port` (0...65535).
    public init(host: String, port: Int) throws(SocketError) {
        guard (0...65535).contains(port) else { throw .invalidPort(port) }
        var text = host
        if text == "localhost" { text = "127.0.0.1" }
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr = v4
            self = .ipv4(address)
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            address.sin6_addr = v6
            self = .ipv6(address)
            return
        }
        throw .invalidAddress(host)
    }

    /// The address family (AF_INET or AF_INET6) for `socket(2)`.
    public var family: Int32 {
        switch self {
        case .ipv4: return AF_INET
        case .ipv6: return AF_INET6
        }
    }

    /// The port in host byte order.
    public var port: Int {
        switch self {
        case .ipv4(let a): return Int(UInt16(bigEndian: a.sin_port))
        case .ipv6(let a): return Int(UInt16(bigEndian: a.sin6_port))
        }
    }

    /// The numeric host text ("127.0.0.1", "::1").
    public var host: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch self {
        case .ipv4(var a): _ = inet_ntop(AF_INET, &a.sin_addr, &buffer, socklen_t(buffer.count))
        case .ipv6(var a): _ = inet_ntop(AF_INET6, &a.sin6_addr, &buffer, socklen_t(buffer.count))
        }
        return String(cString: buffer)
    }

    /// The host as it appears in a URL: IPv6 in brackets.
    public var urlHost: String {
        if case .ipv6 = self { return "[\(host)]" }
        return host
    }

    /// Calls `body` with a pointer to the sockaddr and its length, for bind/connect.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        switch self {
        case .ipv4(var a):
            return withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        case .ipv6(var a):
            return withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        }
    }

    /// The address in a `sockaddr_storage` filled by the kernel (accept, getsockname), nil for other families.
    init?(storage: sockaddr_storage) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            self = withUnsafePointer(to: &storage) { .ipv4($0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }) }
        case AF_INET6:
            self = withUnsafePointer(to: &storage) { .ipv6($0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }) }
        default:
            return nil
        }
    }

    /// Reads the local address a socket is bound to (`getsockname`), e.g. to learn the port picked for port 0.
    static func local(of fd: Int32) throws(SocketError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { throw .system(call: "getsockname", errno: errno) }
        guard let address = SocketAddress(storage: storage) else { throw .system(call: "getsockname", errno: EAFNOSUPPORT) }
        return address
    }
}

extension sockaddr_in: @retroactive Equatable {
    /// Byte-wise equality of family, port and address.
    public static func == (l: sockaddr_in, r: sockaddr_in) -> Bool {
        l.sin_family == r.sin_family && l.sin_port == r.sin_port && l.sin_addr.s_addr == r.sin_addr.s_addr
    }
}

extension sockaddr_in6: @retroactive Equatable {
    /// Byte-wise equality of family, port and address.
    public static func == (l: sockaddr_in6, r: sockaddr_in6) -> Bool {
        var a = l.sin6_addr, b = r.sin6_addr
        return l.sin6_family == r.sin6_family && l.sin6_port == r.sin6_port
            && memcmp(&a, &b, MemoryLayout<in6_addr>.size) == 0
    }
}
