/// The opening handshake, server side (RFC 6455 §4.2): validates the upgrade request and builds the 101 response.
public enum WebSocketHandshake {
    /// RFC 6455 §1.3: the GUID appended to the client's key before hashing.
    public static let magicGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    /// RFC 6455 §4.4: the only protocol version this server speaks.
    public static let supportedVersion = "13"

    /// RFC 6455 §4.2.2: base64(SHA-1(key + GUID)); sample key -> "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
    public static func acceptValue(forKey key: String) -> String {
        Base64.encode(Digest.sha1(Array((key + magicGUID).utf8)))
    }

    /// True when the request asks to upgrade to websocket (Upgrade token "websocket" + Connection token "upgrade"), so the server routes it here.
    public static func isUpgradeRequest(_ request: HTTPRequest) -> Bool {
        request.headers.tokens("Upgrade").contains("websocket") && request.headers.tokens("Connection").contains("upgrade")
    }

    /// Validates per RFC 6455 §4.2.1 (GET, HTTP/1.1+, Host, Upgrade, Connection, Sec-WebSocket-Key = base64 of 16 bytes, Version 13)
    /// and the origin policy; returns the full 101 response to send, or an error response (400; 426 with Sec-WebSocket-Version: 13 for a wrong version; 403 for a refused origin).
    public static func respond(to request: HTTPRequest, originPolicy: OriginPolicy) -> Result<HTTPResponse, WebSocketHandshakeError> {
        accept(request, originPolicy: originPolicy, allowsCompression: false).map(\.response)
    }

    /// An accepted handshake: the 101 response to send and the permessage-deflate parameters agreed (nil: none).
    public struct Acceptance: Sendable, Equatable {
        /// The complete 101 response.
        public var response: HTTPResponse
        /// What permessage-deflate (RFC 7692) was agreed, or nil when the connection is uncompressed.
        public var deflate: WebSocketDeflateParameters?
    }

    /// `respond(to:originPolicy:)`, and with `allowsCompression` the permessage-deflate negotiation (RFC 7692 §5):
    /// the first offer this server can honour is accepted and named in `Sec-WebSocket-Extensions`.
    public static func accept(_ request: HTTPRequest, originPolicy: OriginPolicy, allowsCompression: Bool) -> Result<Acceptance, WebSocketHandshakeError> {
        let headers = request.headers
        // §4.2.1 step 1: "An HTTP/1.1 or higher GET request, including a "Request-URI" [RFC2616]
        // that should be interpreted as a /resource name/ defined in Section 3."
        guard request.method == .GET else { return refuse(.badRequest, "WebSocket handshake must use GET") }
        guard request.version == .http1_1 || request.version.major > 1 else {
            return refuse(.badRequest, "WebSocket handshake needs HTTP/1.1 or higher")
        }
        // An upgrade request carries no content: after the 101 the bytes that follow are WebSocket frames, so a body
        // would be read as frames (request smuggling into the WebSocket) or silently lost. Refused like nginx does.
        guard request.body.isEmpty, headers.values("Content-Length").allSatisfy({ $0 == "0" }), !headers.contains("Transfer-Encoding") else {
            return refuse(.badRequest, "a WebSocket upgrade request must not carry a body")
        }
        // §4.2.1 step 2: "A |Host| header field containing the server's authority."
        guard headers.values("Host").count == 1 else { return refuse(.badRequest, "WebSocket handshake needs exactly one Host header") }
        // §4.2.1 step 3: "An |Upgrade| header field containing the value "websocket", treated as an ASCII case-insensitive value."
        guard headers.tokens("Upgrade").contains("websocket") else {
            return refuse(.badRequest, "Upgrade header must contain \"websocket\"")
        }
        // §4.2.1 step 4: "A |Connection| header field that includes the token "Upgrade", treated as an ASCII case-insensitive value."
        guard headers.tokens("Connection").contains("upgrade") else {
            return refuse(.badRequest, "Connection header must contain \"Upgrade\"")
        }
        // §4.2.1 step 5: "A |Sec-WebSocket-Key| header field with a base64-encoded (see Section 4 of [RFC4648])
        // value that, when decoded, is 16 bytes in length."
        let keys = headers.values("Sec-WebSocket-Key")
        guard keys.count == 1, let key = keys.first, Base64.decode(key)?.count == 16 else {
            return refuse(.badRequest, "Sec-WebSocket-Key must be the base64 encoding of 16 bytes")
        }
        // §4.2.1 step 6: "A |Sec-WebSocket-Version| header field, with a value of 13." Otherwise (§4.4) the server
        // "MUST abort the WebSocket handshake ... and send an appropriate HTTP error code (such as 426 Upgrade Required),
        // and a |Sec-WebSocket-Version| header field indicating the version(s) the server is capable of understanding."
        guard headers.values("Sec-WebSocket-Version") == [supportedVersion] else {
            return .failure(WebSocketHandshakeError(response: upgradeRequired("only WebSocket version 13 is supported"),
                                                    reason: "unsupported WebSocket version"))
        }
        // §4.2.1 step 7: "Optionally, an |Origin| header field. This header field is sent by all browser clients."
        // §4.2.2: "If the server does not wish to accept this connection, it MUST return an appropriate HTTP error code (e.g., 403 Forbidden)".
        let origins = headers.values("Origin")
        // Same-origin means the effective host (an absolute-form target's authority wins over Host, RFC 9112 §3.2.2),
        // the one the Host check judged; comparing with the raw Host would let "GET http://lab/ws" + "Host: evil"
        // + "Origin: http://evil" pass both checks.
        guard origins.count <= 1, originPolicy.allows(origin: origins.first, host: request.effectiveHost) else {
            return refuse(.forbidden, "origin not allowed")
        }
        // §4.2.1 steps 8–9: Sec-WebSocket-Protocol and Sec-WebSocket-Extensions are optional. No subprotocol is
        // offered back; of the extensions only permessage-deflate, when allowed (§9.1: the server answers with the
        // extensions it accepts, in one header; the client may use no other).
        let deflate = allowsCompression ? WebSocketDeflateParameters.negotiate(headers.values("Sec-WebSocket-Extensions")) : nil

        // §4.2.2 step 5: the 101 response with Upgrade, Connection and Sec-WebSocket-Accept.
        var response = HTTPResponse(status: .switchingProtocols, headers: HTTPHeaders([
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Accept", acceptValue(forKey: key)),
        ]))
        if let deflate { response.headers.add("Sec-WebSocket-Extensions", deflate.responseHeaderValue) }
        return .success(Acceptance(response: response, deflate: deflate))
    }

    /// 426 naming the version this server speaks (RFC 6455 §4.4) and, as RFC 9110 §15.5.22 requires, `Upgrade`:
    /// the one builder of this response, for a wrong version and for a plain request to a WebSocket endpoint.
    public static func upgradeRequired(_ message: String) -> HTTPResponse {
        var response = HTTPResponse.error(.upgradeRequired, message)
        response.headers.add("Sec-WebSocket-Version", supportedVersion)
        response.headers.add("Upgrade", "websocket")
        return response
    }

    private static func refuse(_ status: HTTPStatus, _ reason: String) -> Result<Acceptance, WebSocketHandshakeError> {
        .failure(WebSocketHandshakeError(response: .error(status, reason), reason: reason))
    }
}

/// A refused handshake: the response to send (then close) and a reason for the log.
public struct WebSocketHandshakeError: Error, Sendable {
    /// The complete error response (400, 403 or 426) with a JSON body.
    public var response: HTTPResponse
    /// Why the handshake was refused.
    public var reason: String

    /// Creates an error.
    public init(response: HTTPResponse, reason: String) {
        self.response = response
        self.reason = reason
    }
}
