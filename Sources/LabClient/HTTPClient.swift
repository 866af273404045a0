import Foundation

/// One HTTP/1.1 request and its answer over a fresh connection (`Connection: close`): enough for the lab's
/// JSON API in tests and the load test.
public enum HTTPClient {
    /// An answer.
    public struct Response: Sendable {
        /// The status code.
        public var status: Int
        /// Header fields (names lowercased).
        public var headers: [String: String]
        /// The body.
        public var body: [UInt8]
        /// The body as UTF-8 text.
        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The body parsed as a JSON object (nil when it is not one).
        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    }

    /// Sends `method path` with `headers` and `body`, reads the answer to the end.
    public static func request(_ method: String, _ path: String, host: String = "127.0.0.1", port: Int,
                               headers: [String: String] = [:], body: [UInt8] = [], timeout: Double = 10) throws -> Response {
        let connection = try TCPConnection(host: host, port: port, timeout: timeout)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        try connection.send(Array((head + "\r\n").utf8) + body)
        var bytes: [UInt8] = []
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw LabClientError.timedOut("\(method) \(path)") }
            guard let chunk = try connection.receive(timeout: remaining) else { break }
            bytes += chunk
            if let response = parse(bytes, isHead: method == "HEAD") { return response }
        }
        guard let response = parse(bytes, isHead: method == "HEAD", atEOF: true) else {
            throw LabClientError.protocolViolation("incomplete HTTP answer to \(method) \(path)")
        }
        return response
    }

    private static func parse(_ bytes: [UInt8], isHead: Bool, atEOF: Bool = false) -> Response? {
        guard let end = bytes.firstRange(of: [13, 10, 13, 10]) else { return nil }
        let lines = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = Array(bytes[end.upperBound...])
        if isHead || status == 204 || status == 304 { return Response(status: status, headers: headers, body: []) }
        if let length = headers["content-length"].flatMap(Int.init) {
            guard body.count >= length else { return nil }
            return Response(status: status, headers: headers, body: Array(body.prefix(length)))
        }
        return atEOF ? Response(status: status, headers: headers, body: body) : nil
    }
}
