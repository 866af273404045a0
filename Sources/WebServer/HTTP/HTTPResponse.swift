/// A response to serialise: status, headers and body (RFC 9112 §4, §6).
public struct HTTPResponse: Sendable, Equatable {
    /// The status line's code and reason.
    public var status: HTTPStatus
    /// Header fields; Date, Content-Length, Content-Type and Connection are completed by `serialized`.
    public var headers: HTTPHeaders
    /// The content; not sent for HEAD requests or for 1xx, 204 and 304 responses.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: HTTPStatus, headers: HTTPHeaders = .init(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Serialises head (+ body unless `isHeadRequest`): always adds Date (given), Content-Length (of body, also for HEAD),
    /// Content-Type if missing and body non-empty ("application/octet-stream"), and "Connection: close" when !keepAlive.
    ///
    /// Exceptions required by RFC 9110 §8.6: 1xx and 204 carry no Content-Length and no body; a 304 keeps a
    /// Content-Length only if the caller set one. A HEAD response whose body is empty keeps a caller-set
    /// Content-Length (the length a GET would have sent). CR, LF and NUL in names or values become spaces, so
    /// a header value can never split the response (RFC 9110 §5.5).
    public func serialized(date: String, keepAlive: Bool, isHeadRequest: Bool) -> [UInt8] {
        let code = status.code
        let isBodiless = (100..<200).contains(code) || code == 204 || code == 304
        var headers = self.headers
        headers.replaceOrAdd("Date", date)
        if (100..<200).contains(code) || code == 204 {
            headers.remove("Content-Length")
        } else if code == 304 || (isHeadRequest && body.isEmpty && headers.contains("Content-Length")) {
            // keep what the caller said
        } else {
            headers.replaceOrAdd("Content-Length", String(body.count))
        }
        if !body.isEmpty && !isBodiless && !headers.contains("Content-Type") {
            headers.add("Content-Type", "application/octet-stream")
        }
        if !keepAlive { headers.replaceOrAdd("Connection", "close") }

        var out: [UInt8] = []
        out.reserveCapacity(128 + headers.count * 32 + ((isHeadRequest || isBodiless) ? 0 : body.count))
        out.append(contentsOf: "HTTP/1.1 \(code) ".utf8)
        Self.appendSanitised(status.reason, to: &out)
        out.append(contentsOf: [0x0D, 0x0A])
        for (name, value) in headers {
            Self.appendSanitised(name, to: &out)
            out.append(contentsOf: [UInt8(ascii: ":"), 0x20])
            Self.appendSanitised(value, to: &out)
            out.append(contentsOf: [0x0D, 0x0A])
        }
        out.append(contentsOf: [0x0D, 0x0A])
        if !isHeadRequest && !isBodiless { out.append(contentsOf: body) }
        return out
    }

    /// Appends text with CR, LF and NUL replaced by SP (RFC 9110 §5.5 allows a recipient to do the same).
    static func appendSanitised(_ text: String, to out: inout [UInt8]) {
        if !text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) {
            out.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 {
            out.append(byte == 0x0D || byte == 0x0A || byte == 0x00 ? 0x20 : byte)
        }
    }

    /// A JSON response with "application/json; charset=utf-8".
    public static func json(_ status: HTTPStatus, _ jsonText: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json; charset=utf-8"], body: Array(jsonText.utf8))
    }

    /// `{"error": {"code": <status code>, "message": "..."}}` with correct JSON string escaping.
    public static func error(_ status: HTTPStatus, _ message: String) -> HTTPResponse {
        json(status, "{\"error\": {\"code\": \(status.code), \"message\": \(jsonString(message))}}")
    }

    /// 405 with `Allow` listing `allow` (RFC 9110 §15.5.6: the origin server MUST send Allow), as a JSON error.
    public static func methodNotAllowed(_ request: HTTPRequest, allow: [HTTPMethod]) -> HTTPResponse {
        var response = error(.methodNotAllowed, "method \(request.method.rawValue) not allowed for \(request.path)")
        response.headers.replaceOrAdd("Allow", allow.map(\.rawValue).joined(separator: ", "))
        return response
    }

    /// A JSON string literal (RFC 8259 §7): quotes, backslash and control characters escaped.
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{2028}": out += "\\u2028"  // legal JSON, but breaks a JavaScript literal
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
