import Glibc
import WebServer

/// A TCP connection with blocking sends and polled receives: the transport under `WebSocketClient` and
/// `HTTPClient`. Closed on deinit.
public final class TCPConnection {
    /// The socket descriptor (a load test polls many of them).
    public let fd: Int32
    private var isClosed = false

    /// Connects to `host:port`, giving up after `timeout` seconds.
    public init(host: String, port: Int, timeout: Double = 5, receiveBufferBytes: Int32? = nil) throws {
        let address: SocketAddress
        do { address = try SocketAddress(host: host, port: port) } catch { throw LabClientError.system("address \(host)", EINVAL) }
        fd = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LabClientError.system("socket", errno) }
        if var size = receiveBufferBytes {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc: Int32
        switch address {
        case .ipv4(var a):
            rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        case .ipv6(var a):
            rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        }
        guard rc == 0 else {
            let code = errno
            Glibc.close(fd)
            throw LabClientError.system("connect", code)
        }
    }

    deinit { close() }

    /// Closes the socket (idempotent).
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }

    /// Sends every byte (blocking).
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw LabClientError.system("send", errno) }
            offset += n
        }
    }

    /// Waits up to `timeout` seconds for bytes and reads what is there (at most 256 KiB). `[]` on timeout;
    /// nil when the peer closed.
    public func receive(timeout: Double) throws -> [UInt8]? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(max(0, min(timeout, 3_600)) * 1000)
        let ready = poll(&poller, 1, milliseconds)
        if ready < 0 && errno == EINTR { return [] }
        guard ready >= 0 else { throw LabClientError.system("poll", errno) }
        guard ready > 0 else { return [] }
        return try readAvailable()
    }

    /// Reads what is there without waiting: `[]` if nothing, nil when the peer closed.
    public func readAvailable() throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if n == 0 { return nil }
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return [] }
            if errno == ECONNRESET { return nil }
            throw LabClientError.system("recv", errno)
        }
        return Array(buffer[0..<n])
    }
}
