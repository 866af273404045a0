import Foundation
import Testing
import WebServer

/// A request's head is judged before its body: a foreign Host or Origin, or an upgrade with a body, is answered
/// before `100 Continue` and before the body is read; the body has its own timeout. Real sockets on 127.0.0.1.
@Suite struct ServerRequestHeadTests {
    typealias Counter = ServerAccessTests.Counter

    func server(_ adjust: @escaping (inout ServerConfiguration) -> Void = { _ in }, counter: Counter) throws -> TestServer {
        try TestServer(adjust) { server in
            server.router.post("/api/upload") { request, _ in counter.increment(); return .json(.ok, "{\"bytes\":\(request.body.count)}") }
        }
    }

    static func head(port: Int, host: String? = nil, length: Int, extra: String = "") -> String {
        "POST /api/upload HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nContent-Length: \(length)\r\nExpect: 100-continue\r\n\(extra)\r\n"
    }

    @Test func foreignHost_withExpectContinue_gets421_neverContinue_andNoBodyIsRead() throws {
        let counter = Counter()
        let t = try server(counter: counter)
        let c = try t.client()
        c.send(Self.head(port: t.port, host: "evil.example:\(t.port)", length: 1 << 20))
        let r = try c.readResponse()
        #expect(r.status == 421)   // the first answer: no 100 went out before it
        #expect(r.header("Connection") == "close")
        #expect(c.waitForClose())
        #expect(counter.count == 0)
        #expect(waitUntil { t.server.bufferedByteCount == 0 })
    }

    @Test func foreignOrigin_withExpectContinue_gets403_neverContinue() throws {
        let counter = Counter()
        let t = try server(counter: counter)
        let c = try t.client()
        c.send(Self.head(port: t.port, length: 1000, extra: "Origin: http://evil.example\r\n"))
        #expect(try c.readResponse().status == 403)
        #expect(c.waitForClose())
        #expect(counter.count == 0)
    }

    @Test func acceptedHead_gets100Continue_thenTheBody_thenTheAnswer() throws {
        let counter = Counter()
        let t = try server(counter: counter)
        let c = try t.client()
        c.send(Self.head(port: t.port, length: 5, extra: "Origin: http://127.0.0.1:\(t.port)\r\n"))
        #expect(try c.readResponse().status == 100)
        c.send("hello")
        let r = try c.readResponse()
        #expect(r.status == 200 && r.text == "{\"bytes\":5}")
        #expect(counter.count == 1)
    }

    @Test func upgradeWithABody_isRefusedAtItsHead_withoutWaitingForTheBody() throws {
        let handler = RecordingHandler()
        let t = try TestServer { $0.addWebSocketRoute("/ws/app", handler: handler) }
        let c = try t.client()
        c.send("GET /ws/app HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nContent-Length: 100000\r\n\r\n")
        let r = try c.readResponse()   // no byte of the body was sent
        #expect(r.status == 400 && r.text.contains("must not carry a body"))
        #expect(c.waitForClose())
        #expect(handler.events.isEmpty)
    }

    @Test func absoluteFormUpgrade_withForeignHostAndOrigin_gets403() throws {
        let handler = RecordingHandler()
        let t = try TestServer { $0.addWebSocketRoute("/ws/app", handler: handler) }
        let c = try t.client()
        c.send("GET http://127.0.0.1:\(t.port)/ws/app HTTP/1.1\r\nHost: evil.example\r\nOrigin: http://evil.example\r\n"
               + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        #expect(try c.readResponse().status == 403)
        #expect(handler.events.isEmpty)
    }

    @Test func emptyHost_onHTTP11_gets400() throws {
        let counter = Counter()
        let t = try server(counter: counter)
        let c = try t.client()
        c.send("POST /api/upload HTTP/1.1\r\nHost:\r\nContent-Length: 0\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 400 && r.text.contains("empty Host"))
        #expect(counter.count == 0)
    }

    @Test func stalledBody_gets408_fromTheBodyTimer() throws {
        let counter = Counter()
        let t = try server({ $0.headerReadTimeout = 30; $0.bodyReadTimeout = 0.3 }, counter: counter)
        let c = try t.client()
        c.send(Self.head(port: t.port, length: 100))
        #expect(try c.readResponse().status == 100)
        c.send(String(repeating: "x", count: 40))   // then nothing more
        let r = try c.readResponse()
        #expect(r.status == 408 && r.text.contains("body"))   // the 30 s head timer is not what fired
        #expect(counter.count == 0)
    }
}
