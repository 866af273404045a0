import Testing
import WebServer

@Suite struct WebSocketHandshakeTests {
    private func upgradeRequest(method: HTTPMethod = .GET, version: HTTPVersion = .http1_1, drop: String? = nil,
                                replace: [String: String] = [:]) -> HTTPRequest {
        var fields: [(String, String)] = [
            ("Host", "127.0.0.1:8080"), ("Upgrade", "websocket"), ("Connection", "keep-alive, Upgrade"),
            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"), ("Origin", "http://127.0.0.1:8080"),
        ]
        fields.removeAll { $0.0 == drop }
        for (name, value) in replace {
            if let index = fields.firstIndex(where: { $0.0 == name }) { fields[index].1 = value } else { fields.append((name, value)) }
        }
        return HTTPRequest(method: method, target: "/ws/echo", version: version, headers: HTTPHeaders(fields))
    }

    private func status(_ request: HTTPRequest, _ policy: OriginPolicy = .sameOrigin) -> Int {
        switch WebSocketHandshake.respond(to: request, originPolicy: policy) {
        case .success(let response): return response.status.code
        case .failure(let error): return error.response.status.code
        }
    }

    @Test func rfcSampleKey_givesTheRFCAcceptValue() {
        #expect(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(WebSocketHandshake.magicGUID == "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
    }

    @Test func validRequest_gets101WithAccept() throws {
        let response = try WebSocketHandshake.respond(to: upgradeRequest(), originPolicy: .sameOrigin).get()
        #expect(response.status == .switchingProtocols)
        #expect(response.headers["Upgrade"] == "websocket")
        #expect(response.headers["Connection"] == "Upgrade")
        #expect(response.headers["Sec-WebSocket-Accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(!response.headers.contains("Sec-WebSocket-Extensions"))
        let text = String(decoding: response.serialized(date: "d", keepAlive: true, isHeadRequest: false), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
        #expect(!text.contains("Content-Length"))
    }

    @Test func isUpgradeRequest_needsBothTokens() {
        #expect(WebSocketHandshake.isUpgradeRequest(upgradeRequest()))
        #expect(WebSocketHandshake.isUpgradeRequest(upgradeRequest(replace: ["Upgrade": "WebSocket", "Connection": "UPGRADE"])))
        #expect(!WebSocketHandshake.isUpgradeRequest(upgradeRequest(drop: "Upgrade")))
        #expect(!WebSocketHandshake.isUpgradeRequest(upgradeRequest(replace: ["Connection": "keep-alive"])))
    }

    @Test func badMethodOrVersion_isRefusedWith400() {
        #expect(status(upgradeRequest(method: .POST)) == 400)
        #expect(status(upgradeRequest(version: .http1_0)) == 400)
    }

    @Test func missingTokensOrHost_isRefusedWith400() {
        #expect(status(upgradeRequest(drop: "Upgrade")) == 400)
        #expect(status(upgradeRequest(replace: ["Upgrade": "h2c"])) == 400)
        #expect(status(upgradeRequest(replace: ["Connection": "keep-alive"])) == 400)
        #expect(status(upgradeRequest(drop: "Host")) == 400)
    }

    @Test func badKeys_areRefusedWith400() {
        for key in ["", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25j", "dGhlIHNhbXBsZSBub25jZXg=",
                    "dGhlIHNhbXBsZSBub25jZQ=!", "!GhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZR=="] {
            #expect(status(upgradeRequest(replace: ["Sec-WebSocket-Key": key])) == 400, "\(key)")
        }
        #expect(status(upgradeRequest(drop: "Sec-WebSocket-Key")) == 400)
        #expect(status(upgradeRequest(replace: ["Sec-WebSocket-Key": "AAAAAAAAAAAAAAAAAAAAAA=="])) == 101)
    }

    @Test func wrongVersion_isRefusedWith426NamingVersion13() {
        for version in ["8", "12", "14", "13, 8", ""] {
            guard case .failure(let error) = WebSocketHandshake.respond(to: upgradeRequest(replace: ["Sec-WebSocket-Version": version]),
                                                                        originPolicy: .sameOrigin) else {
                Issue.record("accepted version \(version)"); continue
            }
            #expect(error.response.status == .upgradeRequired)
            #expect(error.response.headers["Sec-WebSocket-Version"] == "13")
        }
        #expect(status(upgradeRequest(drop: "Sec-WebSocket-Version")) == 426)
    }

    @Test func repeatedKeyOrOrigin_isRefused() {
        var twoKeys = upgradeRequest()
        twoKeys.headers.add("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA==")
        #expect(status(twoKeys) == 400)
        var twoOrigins = upgradeRequest()
        twoOrigins.headers.add("Origin", "http://127.0.0.1:8080")
        #expect(status(twoOrigins) == 403)
    }

    @Test func refusal_hasAJSONErrorBody() throws {
        guard case .failure(let error) = WebSocketHandshake.respond(to: upgradeRequest(method: .POST), originPolicy: .sameOrigin) else {
            Issue.record("POST accepted"); return
        }
        #expect(!error.reason.isEmpty)
        #expect(String(decoding: error.response.body, as: UTF8.self).hasPrefix("{\"error\": {\"code\": 400, \"message\": "))
    }

    @Test func foreignOrigin_isRefusedWith403() {
        #expect(status(upgradeRequest(replace: ["Origin": "http://evil.example"])) == 403)
        #expect(status(upgradeRequest(replace: ["Origin": "http://127.0.0.1:9999"])) == 403)
        #expect(status(upgradeRequest(replace: ["Origin": "null"])) == 403)
    }

    @Test func sameOrigin_meansTheEffectiveHost_theOneTheHostCheckJudged() {
        // An absolute-form target names the authority (RFC 9112 §3.2.2); a foreign Host and Origin agreeing with
        // each other must not make the handshake same-origin.
        var absolute = upgradeRequest(replace: ["Host": "evil.example", "Origin": "http://evil.example"])
        absolute = HTTPRequest(method: .GET, target: "http://127.0.0.1:8080/ws/echo", headers: absolute.headers)
        #expect(status(absolute) == 403)
        var own = upgradeRequest(replace: ["Host": "evil.example"])
        own = HTTPRequest(method: .GET, target: "http://127.0.0.1:8080/ws/echo", headers: own.headers)
        #expect(status(own) == 101)
    }

    @Test func allowedOrigins_areAccepted() {
        #expect(status(upgradeRequest(drop: "Origin")) == 101)
        let policy = OriginPolicy(allowedOrigins: ["http://lab.example:3000"])
        #expect(status(upgradeRequest(replace: ["Origin": "HTTP://Lab.Example:3000/"]), policy) == 101)
        #expect(status(upgradeRequest(replace: ["Origin": "http://other.example"]), policy) == 403)
        #expect(status(upgradeRequest(replace: ["Origin": "http://other.example"]), OriginPolicy(allowedOrigins: ["*"])) == 101)
    }

    @Test func sameOrigin_comparesHostAndPortWithDefaultPorts() {
        let policy = OriginPolicy.sameOrigin
        #expect(policy.allows(origin: "http://localhost:8080", host: "localhost:8080"))
        #expect(policy.allows(origin: "http://Example.com", host: "example.com:80"))
        #expect(policy.allows(origin: "https://example.com:443", host: "example.com"))
        #expect(policy.allows(origin: "http://[::1]:8080", host: "[::1]:8080"))
        #expect(!policy.allows(origin: "http://localhost:8081", host: "localhost:8080"))
        #expect(!policy.allows(origin: "http://localhost:8080", host: nil))
        #expect(!policy.allows(origin: "ftp://localhost:8080", host: "localhost:8080"))
        #expect(policy.allows(origin: nil, host: "localhost:8080"))
    }

    @Test func upgradeWithABody_isRefusedWith400() {
        #expect(status(upgradeRequest(replace: ["Content-Length": "5"])) == 400)
        #expect(status(upgradeRequest(replace: ["Transfer-Encoding": "chunked"])) == 400)
        var withBody = upgradeRequest()
        withBody.body = Array("hello".utf8)
        #expect(status(withBody) == 400)
        #expect(status(upgradeRequest(replace: ["Content-Length": "0"])) == 101)
    }

    @Test func upgradeRequired_isBuiltInOnePlace_withVersionAndUpgrade() {
        let response = WebSocketHandshake.upgradeRequired("x")
        #expect(response.status == .upgradeRequired)
        #expect(response.headers["Sec-WebSocket-Version"] == WebSocketHandshake.supportedVersion)
        #expect(response.headers["Upgrade"] == "websocket")
    }
}
