import Glibc

/// A bound, listening, non-blocking TCP socket (IPv4 or IPv6).
///
/// SO_REUSEADDR lets a restarted server bind while old connections sit in TIME_WAIT;
/// an IPv6 socket is IPv6-only so `::` and `0.0.0.0` can be bound side by side.
public final class ListeningSocket: @unchecked Sendable {
    /// The file descriptor (owned; closed by `close()`).
    public let fd: Int32
    /// The address actually bound (with the chosen port when 0 was asked).
    public let address: SocketAddress

    /// Binds and listens on `address`; throws a `SocketError` naming the address on failure.
    public init(address requested: SocketAddress, backlog: Int32 = 1024) throws(SocketError) {
        let fd = socket(requested.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(call: "socket", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if requested.family == AF_INET6 {
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        let bound = requested.withSockAddr { bind(fd, $0, $1) }
        if bound != 0 {
            let code = errno
            Glibc.close(fd)
            switch code {
            case EADDRINUSE: throw .addressInUse(host: requested.host, port: requested.port)
            case EADDRNOTAVAIL, EAFNOSUPPORT: throw .addressNotAvailable(host: requested.host, port: requested.port)
            case EACCES: throw .permissionDenied(host: requested.host, port: requested.port)
            default: throw .system(call: "bind", errno: code)
            }
        }
        guard listen(fd, backlog) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw .system(call: "listen", errno: code)
        }
        do {
            self.address = try SocketAddress.local(of: fd)
        } catch {
            Glibc.close(fd)
            throw error
        }
        self.fd = fd
    }

    /// The port actually bound (useful after asking for port 0).
    public var port: Int { address.port }

    /// What one `accept` produced.
    enum AcceptResult {
        /// A new non-blocking socket and the peer's address.
        case accepted(Int32, PeerAddress?)
        /// Nothing pending (EAGAIN) or a transient error (e.g. the peer reset first).
        case none
        /// Out of descriptors (EMFILE/ENFILE): the caller must stop watching the listener for a while,
        /// or level-triggered epoll would spin on it.
        case exhausted
    }

    /// Accepts one pending connection as a non-blocking socket with TCP_NODELAY.
    func acceptConnection() -> AcceptResult {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let client = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(fd, $0, &length) }
        }
        guard client >= 0 else {
            let code = errno
            return code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM ? .exhausted : .none
        }
        _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        var one: Int32 = 1
        setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return .accepted(client, SocketAddress(storage: storage).map { PeerAddress(host: $0.host, port: $0.port) })
    }

    /// Closes the listening descriptor (idempotence is the caller's job).
    func close() {
        Glibc.close(fd)
    }
}
