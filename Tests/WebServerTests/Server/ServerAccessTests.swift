import Foundation
import Testing
import WebServer

/// Who may talk to the server: Host names it (421 otherwise), unsafe methods come from allowed origins (403 otherwise).
@Suite struct ServerAccessTests {
    /// Counts handler runs, so a test can prove that a refused request reached none.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() { lock.lock(); value += 1; lock.unlock() }
        var count: Int { lock.lock(); defer { lock.unlock() }; return value }
    }

    func server(_ adjust: @escaping (inout ServerConfiguration) -> Void = { _ in }, counter: Counter) throws -> TestServer {
        try TestServer(adjust) { server in
            server.router.get("/api/state") { _, _ in counter.increment(); return .json(.ok, "{}") }
            server.router.post("/api/step") { _, _ in counter.increment(); return .json(.ok, "{\"stepped\":true}") }
        }
    }

    @Test func foreignHost_gets421JSON_andNoHandlerRuns() throws {
        let counter = Counter()
        let t = try server(counter: counter)
        let c = try t.client()
        for target in ["/api/state", "/style.css", "/healthz"] {
            c.send("GET \(target) HTTP/1.1\r\nHost: evil.example:\(t.port)\r\n\r\n")
            let r = try c.readResponse()
            #expect(r.status == 421, "\(target)")
            #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(r.text.contains("\"code\": 421") && r.text.contains("--allow-host"))
        }
        c.send("GET /api/state HTTP/1.1\r\nHost: 127.0.0.1:\(t.port)\r\n\r\n")   // the same connection still works
        #expect(try c.readResponse().status == 200)
        c.send("GET /api/state HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try c.readResponse().status == 200)
        #expect(counter.count == 2)
    }

    @Test func theClientAddress_comesFromXForwardedFor_onlyBehindATrustedProxy() throws {
        for trusted in [true, false] {
            let seen = PeerBox()
            let t = try TestServer({ if trusted { $0.trustedProxies = ["127.0.0.1", "::1"] } }) { server in
                server.router.get("/who") { request, _ in seen.set(request.peer); return .json(.ok, "{}") }
            }
            let c = try t.client()
            c.send("GET /who HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: 198.51.100.1, 203.0.113.7\r\n\r\n")
            #expect(try c.readResponse().status == 200)
            if trusted {
                #expect(seen.value == PeerAddress(host: "203.0.113.7", port: 0), "the client the proxy forwarded for")
            } else {
                #expect(seen.value?.host == "127.0.0.1", "from anyone else the header is ignored")
            }
        }
        #expect(throws: ServerConfigurationError.self) {
            var c = ServerConfiguration()
            c.trustedProxies = ["not an address"]
            try c.validate()
        }
    }

    final class PeerBox: @unchecked Sendable {
        private let lock = NSLock()
        private var peer: PeerAddress?
        func set(_ p: PeerAddress?) { lock.lock(); peer = p; lock.unlock() }
        var value: PeerAddress? { lock.lock(); defer { lock.unlock() }; return peer }
    }

    @Test func absoluteFormTarget_withForeignAuthority_gets421() throws {
        let counter = Counter()
        let t = try server(counter: counter)
        let c = try t.client()
        c.send("GET http://evil.example/api/state HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try c.readResponse().status == 421)
        #expect(counter.count == 0)
    }

    @Test func rebindingWebSocketUpgrade_gets421_andIsNotUpgraded() throws {
        let handler = RecordingHandler()
        let t = try TestServer { $0.addWebSocketRoute("/ws/app", handler: handler) }
        let c = try t.client()
        c.send("GET /ws/app HTTP/1.1\r\nHost: evil.example:\(t.port)\r\nOrigin: http://evil.example:\(t.port)\r\nUpgrade: websocket\r\n"
               + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 421)
        #expect(c.waitForClose())
        #expect(handler.events.isEmpty)
    }

    @Test func allowHost_acceptsThatName() throws {
        let counter = Counter()
        let t = try server({ $0.allowedHosts = ["lab.school.example"] }, counter: counter)
        let c = try t.client()
        c.send("GET /api/state HTTP/1.1\r\nHost: lab.school.example:\(t.port)\r\n\r\n")
        #expect(try c.readResponse().status == 200)
    }

    @Test func foreignOriginPOST_gets403_sameOriginAndScriptsPass() throws {
        let counter = Counter()
        let t = try server(counter: counter)
        let c = try t.client()
        let post = "POST /api/step HTTP/1.1\r\nHost: 127.0.0.1:\(t.port)\r\nContent-Length: 0\r\n"
        c.send(post + "Origin: http://evil.example\r\n\r\n")
        let refused = try c.readResponse()
        #expect(refused.status == 403)
        #expect(refused.text.contains("\"code\": 403"))
        c.send(post + "Sec-Fetch-Site: cross-site\r\n\r\n")
        #expect(try c.readResponse().status == 403)
        #expect(counter.count == 0)
        c.send(post + "Origin: http://127.0.0.1:\(t.port)\r\n\r\n")
        #expect(try c.readResponse().text == "{\"stepped\":true}")
        c.send(post + "\r\n")   // curl and scripts send no Origin
        #expect(try c.readResponse().status == 200)
        c.send("GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\n\r\n")   // reads stay open
        #expect(try c.readResponse().status == 200)
        #expect(counter.count == 3)
    }

    @Test func allowOrigin_letsThatOriginPOST() throws {
        let counter = Counter()
        let t = try server({ $0.allowedOrigins = ["http://lab.example:3000"] }, counter: counter)
        let c = try t.client()
        c.send("POST /api/step HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nOrigin: http://lab.example:3000\r\n\r\n")
        #expect(try c.readResponse().status == 200)
    }
}
