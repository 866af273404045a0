/// A response status code with its reason phrase (RFC 9110 §15).
public struct HTTPStatus: Sendable, Equatable, CustomStringConvertible {
    /// The three-digit status code.
    public var code: Int
    /// The reason phrase sent after the code; informational only (RFC 9112 §4).
    public var reason: String

    /// Creates a status from a code and its reason phrase.
    public init(_ code: Int, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The status line's tail, e.g. "404 Not Found".
    public var description: String { "\(code) \(reason)" }

    /// 101: the WebSocket handshake succeeded (RFC 9110 §15.2.2).
    public static let switchingProtocols = HTTPStatus(101, "Switching Protocols")
    /// 200 (RFC 9110 §15.3.1).
    public static let ok = HTTPStatus(200, "OK")
    /// 204: success with no content; no Content-Length may be sent (RFC 9110 §15.3.5).
    public static let noContent = HTTPStatus(204, "No Content")
    /// 304: the cached representation is still valid (RFC 9110 §15.4.5).
    public static let notModified = HTTPStatus(304, "Not Modified")
    /// 400: malformed or ambiguous request (RFC 9110 §15.5.1).
    public static let badRequest = HTTPStatus(400, "Bad Request")
    /// 403: refused, e.g. a WebSocket from a foreign origin (RFC 9110 §15.5.4).
    public static let forbidden = HTTPStatus(403, "Forbidden")
    /// 404 (RFC 9110 §15.5.5).
    public static let notFound = HTTPStatus(404, "Not Found")
    /// 405: the path exists but not for this method; send Allow (RFC 9110 §15.5.6).
    public static let methodNotAllowed = HTTPStatus(405, "Method Not Allowed")
    /// 408: the client was too slow sending its request (RFC 9110 §15.5.9).
    public static let requestTimeout = HTTPStatus(408, "Request Timeout")
    /// 411: a body without a length (RFC 9110 §15.5.12).
    public static let lengthRequired = HTTPStatus(411, "Length Required")
    /// 413: the body exceeds the configured limit (RFC 9110 §15.5.14).
    public static let payloadTooLarge = HTTPStatus(413, "Content Too Large")
    /// 414: the request-target exceeds the configured limit (RFC 9110 §15.5.15).
    public static let uriTooLong = HTTPStatus(414, "URI Too Long")
    /// 421: the request's Host does not name this server (RFC 9110 §15.5.20); the DNS-rebinding answer.
    public static let misdirectedRequest = HTTPStatus(421, "Misdirected Request")
    /// 426: the client must switch protocol version, e.g. WebSocket version 13 (RFC 9110 §15.5.22).
    public static let upgradeRequired = HTTPStatus(426, "Upgrade Required")
    /// 431: header section too large (RFC 6585 §5).
    public static let requestHeaderFieldsTooLarge = HTTPStatus(431, "Request Header Fields Too Large")
    /// 500 (RFC 9110 §15.6.1).
    public static let internalServerError = HTTPStatus(500, "Internal Server Error")
    /// 501: unknown method or transfer coding (RFC 9110 §15.6.2).
    public static let notImplemented = HTTPStatus(501, "Not Implemented")
    /// 503: e.g. too many connections (RFC 9110 §15.6.4).
    public static let serviceUnavailable = HTTPStatus(503, "Service Unavailable")
    /// 505: a major version other than 1, or the HTTP/2 preface (RFC 9110 §15.6.6).
    public static let httpVersionNotSupported = HTTPStatus(505, "HTTP Version Not Supported")
}
