import Glibc

/// Why a socket operation failed, with a one-line message a person can act on (never a trap).
public enum SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The host text is not a numeric IPv4 or IPv6 address (or "localhost").
    case invalidAddress(String)
    /// The port is outside 0...65535.
    case invalidPort(Int)
    /// Another process already listens on this address and port (EADDRINUSE).
    case addressInUse(host: String, port: Int)
    /// The address is not one of this machine's (EADDRNOTAVAIL), e.g. an IPv6 address with IPv6 disabled.
    case addressNotAvailable(host: String, port: Int)
    /// Binding a port below 1024 needs privileges (EACCES).
    case permissionDenied(host: String, port: Int)
    /// Any other system call failure: the call's name and errno.
    case system(call: String, errno: Int32)

    /// True when the person starting the server can fix it with other flags (address, port): a usage error (exit 2).
    public var isUsageError: Bool {
        if case .system = self { return false }
        return true
    }

    /// A one-line human-readable explanation.
    public var description: String {
        switch self {
        case .invalidAddress(let host):
            return "invalid address '\(host)': expected an IPv4 (e.g. 127.0.0.1, 0.0.0.0) or IPv6 (e.g. ::1, ::) address"
        case .invalidPort(let port):
            return "invalid port \(port): expected 0...65535 (0 picks a free port)"
        case .addressInUse(let host, let port):
            return "port \(port) on \(host) is already in use: stop the other server or pass --port with another value (0 picks a free one)"
        case .addressNotAvailable(let host, let port):
            return "cannot listen on \(host):\(port): the address is not available on this machine"
        case .permissionDenied(let host, let port):
            return "cannot listen on \(host):\(port): permission denied (ports below 1024 need privileges)"
        case .system(let call, let code):
            return "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
