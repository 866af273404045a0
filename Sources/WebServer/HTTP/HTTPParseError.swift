/// Why a request was refused; `status` is the one mapping from parse errors to the wire.
///
/// After any of these the connection is closed: the byte stream can no longer be trusted
/// to be in sync with request boundaries (RFC 9112 §11.2, request smuggling).
public enum HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Syntax error anywhere in the message; the text names what was wrong.
    case malformed(String)
    /// The request-target exceeds `maxRequestLineBytes`.
    case uriTooLong
    /// The header (or trailer) section exceeds `maxHeaderBytes` or `maxHeaderCount`.
    case headersTooLarge
    /// The declared or received body exceeds `maxBodyBytes`.
    case bodyTooLarge
    /// An HTTP/1.1 request without exactly one Host field (RFC 9112 §3.2).
    case missingHost
    /// Both Content-Length and Transfer-Encoding (RFC 9112 §6.3 item 3), a smuggling vector.
    case conflictingLength
    /// Content-Length that is not digits, or repeated with differing values (RFC 9110 §8.6).
    case invalidContentLength
    /// A transfer coding other than "chunked" (RFC 9112 §6.1); answered 501.
    case unsupportedTransferEncoding
    /// A syntactically valid method this server does not implement (RFC 9110 §9.1).
    case methodNotImplemented(String)
    /// A version other than HTTP/1.0 or 1.1, including the HTTP/2 preface "PRI * HTTP/2.0".
    case versionNotSupported

    /// The response status for this error.
    public var status: HTTPStatus {
        switch self {
        case .malformed, .missingHost, .conflictingLength, .invalidContentLength: return .badRequest
        case .uriTooLong: return .uriTooLong
        case .headersTooLarge: return .requestHeaderFieldsTooLarge
        case .bodyTooLarge: return .payloadTooLarge
        case .unsupportedTransferEncoding, .methodNotImplemented: return .notImplemented
        case .versionNotSupported: return .httpVersionNotSupported
        }
    }

    /// The JSON error response for this error (sent with `Connection: close`): the one place its wire text is built.
    public var response: HTTPResponse { .error(status, description) }

    /// A short human-readable message, safe to put in an error body.
    public var description: String {
        switch self {
        case .malformed(let what): return "malformed request: \(what)"
        case .uriTooLong: return "request-target too long"
        case .headersTooLarge: return "header section too large"
        case .bodyTooLarge: return "request body too large"
        case .missingHost: return "HTTP/1.1 request needs exactly one Host header"
        case .conflictingLength: return "both Content-Length and Transfer-Encoding present"
        case .invalidContentLength: return "Content-Length must be digits, and repeated values must agree"
        case .unsupportedTransferEncoding: return "only the chunked transfer coding is supported"
        case .methodNotImplemented(let method): return "method not implemented: \(method)"
        case .versionNotSupported: return "only HTTP/1.0 and HTTP/1.1 are supported"
        }
    }
}
