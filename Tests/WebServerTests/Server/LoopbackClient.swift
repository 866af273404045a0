import Foundation
import Glibc
import WebServer

/// A blocking raw-socket client for loopback tests (no HTTP library: we check the bytes on the wire).
final class LoopbackClient {
    let fd: Int32

    /// Connects to host:port with a receive timeout so a broken server fails the test instead of hanging it.
    init(port: Int, host: String = "127.0.0.1", timeout: Double = 3, receiveBuffer: Int32? = nil) throws {
        let address = try SocketAddress(host: host, port: port)
        fd = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer {   // before connect, so the TCP window is small too
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))   // a stalled send gives up too
        let rc: Int32
        switch address {
        case .ipv4(var a): rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        case .ipv6(var a): rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        }
        guard rc == 0 else { close(fd); throw ClientError.connectFailed(errno) }
    }

    deinit { close(fd) }

    enum ClientError: Error { case connectFailed(Int32), timedOut, closed, malformed(String) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    private var pending: [UInt8] = []

    /// Reads more bytes into `pending`; false on EOF, reset or timeout.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        pending.append(contentsOf: chunk[0..<n])
        return true
    }

    /// Exactly `count` bytes.
    func read(count: Int) throws -> [UInt8] {
        while pending.count < count { guard fill() else { throw ClientError.closed } }
        let out = Array(pending[0..<count])
        pending.removeFirst(count)
        return out
    }

    /// True when the server closes the connection (EOF or reset) before the receive timeout; drains data first.
    func waitForClose() -> Bool {
        while true {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { pending.append(contentsOf: chunk[0..<n]); continue }
            if n == 0 { return true }
            return errno == ECONNRESET
        }
    }

    /// Reads and throws away `count` bytes without keeping them (a large download must not grow the test's memory);
    /// returns how many arrived before EOF or the timeout.
    @discardableResult
    func discard(count: Int) -> Int {
        var left = count
        let fromPending = min(left, pending.count)
        pending.removeFirst(fromPending)
        left -= fromPending
        var chunk = [UInt8](repeating: 0, count: 65536)
        while left > 0 {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, left), 0) }
            if n <= 0 { break }
            left -= n
        }
        return count - left
    }

    /// One HTTP response (Content-Length framed; `bodyless` for HEAD/304).
    func readResponse(bodyless: Bool = false) throws -> LoopbackResponse {
        while true {
            if let end = pending.firstRange(of: [13, 10, 13, 10]) {
                let head = String(decoding: pending[0..<end.lowerBound], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst()
                let parts = statusLine.split(separator: " ", maxSplits: 2)
                guard parts.count >= 2, let code = Int(parts[1]) else { throw ClientError.malformed(statusLine) }
                var headers: [(String, String)] = []
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
                }
                pending.removeFirst(end.upperBound)
                var response = LoopbackResponse(status: code, headers: headers, body: [])
                let length = bodyless || code == 304 || code < 200 || code == 204 ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
                response.body = try read(count: length)
                return response
            }
            guard fill() else { throw ClientError.closed }
        }
    }
}

/// A parsed response as seen on the wire.
struct LoopbackResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    var text: String { String(decoding: body, as: UTF8.self) }
}
