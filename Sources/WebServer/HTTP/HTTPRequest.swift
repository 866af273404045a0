/// One parsed request: method, target, version, headers and the complete (de-chunked) body.
public struct HTTPRequest: Sendable, Equatable {
    /// The request method (RFC 9110 §9).
    public var method: HTTPMethod
    /// The raw request-target as sent (RFC 9112 §3.2).
    public var target: String
    /// The target's path part (before '?'), still percent-encoded; "/" for absolute-form without a path, "*" for asterisk-form.
    public var path: String
    /// The part after '?', raw; nil when the target has no '?'.
    public var query: String?
    /// The protocol version from the request line.
    public var version: HTTPVersion
    /// The header fields in the order received.
    public var headers: HTTPHeaders
    /// The body: Content-Length bytes, or the chunks concatenated (RFC 9112 §7.1).
    public var body: [UInt8]
    /// The client's address as the server saw it (nil for requests built in tests): for logs and rate limits.
    /// Behind a proxy it is the proxy's address.
    public var peer: PeerAddress?

    /// Creates a request; the parser fills `path` and `query` from `target`, tests may set them directly.
    public init(method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
                headers: HTTPHeaders = .init(), body: [UInt8] = [], peer: PeerAddress? = nil) {
        self.method = method
        self.target = target
        let split = HTTPRequest.splitTarget(target)
        self.path = split.path
        self.query = split.query
        self.version = version
        self.headers = headers
        self.body = body
        self.peer = peer
    }

    /// The authority the request is for: an absolute-form target's authority, which RFC 9112 §3.2.2 says wins
    /// over the Host header, else the Host header; nil when neither exists (an HTTP/1.0 request without Host).
    public var effectiveHost: String? {
        if !target.hasPrefix("/"), let schemeEnd = target.firstRange(of: "://") {
            let rest = target[schemeEnd.upperBound...]
            return String(rest.prefix { $0 != "/" && $0 != "?" })
        }
        return headers["Host"]
    }

    /// RFC 9112 §9.3: 1.1 default persistent unless "close"; 1.0 only with "keep-alive".
    public var isKeepAlive: Bool {
        let connection = headers.tokens("Connection")
        if connection.contains("close") { return false }
        if version == .http1_0 { return connection.contains("keep-alive") }
        return true
    }

    /// Splits a request-target into path and query (RFC 9112 §3.2): absolute-form keeps only its path.
    static func splitTarget(_ target: String) -> (path: String, query: String?) {
        var rest = Substring(target)
        // RFC 9112 §3.2.2 absolute-form: scheme "://" authority path-abempty [ "?" query ].
        if !rest.hasPrefix("/"), let schemeEnd = rest.firstRange(of: "://") {
            let afterAuthority = rest[schemeEnd.upperBound...]
            if let pathStart = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }) {
                rest = afterAuthority[pathStart...]
            } else {
                rest = ""
            }
            if rest.isEmpty || rest.hasPrefix("?") { rest = Substring("/" + rest) }
        }
        if let mark = rest.utf8.firstIndex(of: UInt8(ascii: "?")) {
            return (String(rest[..<mark]), String(rest[rest.utf8.index(after: mark)...]))
        }
        return (String(rest), nil)
    }
}
