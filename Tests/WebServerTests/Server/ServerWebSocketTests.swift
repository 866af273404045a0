import Foundation
import Testing
import WebServer

/// Records callbacks so tests can check what the application saw.
final class RecordingHandler: WebSocketHandler, @unchecked Sendable {
    private let lock = NSCondition()
    private(set) var events: [String] = []
    private(set) var connections: [WebSocketConnection] = []

    func webSocketDidConnect(_ connection: WebSocketConnection, request: HTTPRequest) {
        record("connect") { connections.append(connection) }
    }
    func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        switch message {
        case .text(let text): record("text:\(text)")
        case .binary(let bytes): record("binary:\(bytes.count)")
        }
    }
    func webSocketDidDisconnect(_ connection: WebSocketConnection) { record("disconnect") }

    private func record(_ event: String, _ extra: () -> Void = {}) {
        lock.lock(); events.append(event); extra(); lock.broadcast(); lock.unlock()
    }

    /// Waits until `event` was recorded (or 3 s pass).
    func wait(for event: String) -> Bool {
        let deadline = Date().addingTimeInterval(3)
        lock.lock(); defer { lock.unlock() }
        while !events.contains(event) { if !lock.wait(until: deadline) { return false } }
        return true
    }

    var firstConnection: WebSocketConnection? { lock.lock(); defer { lock.unlock() }; return connections.first }
}

@Suite struct ServerWebSocketTests {
    @Test func upgrade_returns101WithAccept() throws {
        let t = try TestServer()
        let c = try t.client()
        let r = try c.upgrade()
        #expect(r.status == 101)
        #expect(r.header("Sec-WebSocket-Accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")   // RFC 6455 §1.3 sample
        #expect(r.header("Upgrade")?.lowercased() == "websocket")
    }

    @Test func echo_returnsTextAndBinary() throws {
        let t = try TestServer()
        let c = try t.client()
        #expect(try c.upgrade().status == 101)
        c.sendFrame(opcode: 1, payload: Array("hello".utf8))
        #expect(try c.readFrame() == .init(isFinal: true, opcode: 1, payload: Array("hello".utf8)))
        let big = [UInt8]((0..<70_000).map { UInt8($0 & 0xFF) })
        c.sendFrame(opcode: 2, payload: big)
        let echoed = try c.readFrame()
        #expect(echoed.opcode == 2 && echoed.payload == big)
    }

    @Test func framesSentRightBehindTheUpgrade_areNotLost() throws {
        let t = try TestServer()
        let c = try t.client()
        c.send(Array(("GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8)
               + LoopbackClient.frame(opcode: 1, payload: Array("early".utf8)))
        #expect(try c.readResponse().status == 101)
        #expect(try c.readFrame().text == "early")
    }

    @Test func ping_isAnsweredWithPong() throws {
        let t = try TestServer()
        let c = try t.client()
        #expect(try c.upgrade().status == 101)
        c.sendFrame(opcode: 9, payload: Array("are you there".utf8))
        #expect(try c.readFrame() == .init(isFinal: true, opcode: 10, payload: Array("are you there".utf8)))
    }

    @Test func fragmentedMessage_withInterleavedPing_isReassembled() throws {
        let t = try TestServer()
        let c = try t.client()
        #expect(try c.upgrade().status == 101)
        c.sendFrame(opcode: 1, payload: Array("frag".utf8), isFinal: false)
        c.sendFrame(opcode: 9, payload: [])
        c.sendFrame(opcode: 0, payload: Array("ment".utf8), isFinal: false)
        c.sendFrame(opcode: 0, payload: Array("ed".utf8), isFinal: true)
        #expect(try c.readFrame().opcode == 10)
        #expect(try c.readFrame().text == "fragmented")
    }

    @Test func closeHandshake_echoesCode1000() throws {
        let t = try TestServer()
        let c = try t.client()
        #expect(try c.upgrade().status == 101)
        c.sendFrame(opcode: 8, payload: [0x03, 0xE8] + Array("bye".utf8))
        let reply = try c.readFrame()
        #expect(reply.opcode == 8 && reply.closeCode == 1000)
        #expect(c.waitForClose())
    }

    @Test func unmaskedFrame_closesWith1002() throws {
        let t = try TestServer()
        let c = try t.client()
        #expect(try c.upgrade().status == 101)
        c.send([0x81, 0x02, 0x68, 0x69])   // unmasked "hi"
        let reply = try c.readFrame()
        #expect(reply.opcode == 8 && reply.closeCode == 1002)
        #expect(c.waitForClose())
    }

    @Test func invalidUTF8_closesWith1007() throws {
        let t = try TestServer()
        let c = try t.client()
        #expect(try c.upgrade().status == 101)
        c.sendFrame(opcode: 1, payload: [0xC3, 0x28])
        let reply = try c.readFrame()
        #expect(reply.opcode == 8 && reply.closeCode == 1007)
    }

    @Test func tooBigMessage_closesWith1009() throws {
        let t = try TestServer { $0.maxWebSocketMessageBytes = 1000 }
        let c = try t.client()
        #expect(try c.upgrade().status == 101)
        c.sendFrame(opcode: 2, payload: [UInt8](repeating: 7, count: 2000))
        let reply = try c.readFrame()
        #expect(reply.opcode == 8 && reply.closeCode == 1009)
    }

    @Test func handler_getsConnectMessageDisconnect_andCanSendAndClose() throws {
        let handler = RecordingHandler()
        let t = try TestServer { server in server.addWebSocketRoute("/ws/app", handler: handler) }
        let c = try t.client()
        #expect(try c.upgrade(path: "/ws/app").status == 101)
        #expect(handler.wait(for: "connect"))
        c.sendFrame(opcode: 1, payload: Array("hi".utf8))
        #expect(handler.wait(for: "text:hi"))
        let connection = try #require(handler.firstConnection)
        connection.send(text: "from server")
        #expect(try c.readFrame().text == "from server")
        connection.close(code: .policyViolation, reason: "done")
        let close = try c.readFrame()
        #expect(close.opcode == 8 && close.closeCode == 1008)
        c.sendFrame(opcode: 8, payload: [0x03, 0xF0])
        #expect(c.waitForClose())
        #expect(handler.wait(for: "disconnect"))
    }

    @Test func patternRoute_matchesItsParameter_andRefusesOtherPaths() throws {
        let handler = RecordingHandler()
        let t = try TestServer { server in server.addWebSocketRoute("/ws/runs/:code", handler: handler) }
        let c = try t.client()
        #expect(try c.upgrade(path: "/ws/runs/ABC234").status == 101)
        #expect(handler.wait(for: "connect"))
        let connection = try #require(handler.firstConnection)
        #expect(connection.path == "/ws/runs/ABC234")
        #expect(RoutePattern("/ws/runs/:code").match(connection.path)?["code"] == "ABC234")
        #expect(try t.client().upgrade(path: "/ws/runs").status == 404)
        #expect(try t.client().upgrade(path: "/ws/runs/A/B").status == 404)
    }

    @Test func routeMessageLimit_closes1009_aboveItsOwnLimit() throws {
        let handler = RecordingHandler()
        let t = try TestServer { server in server.addWebSocketRoute("/ws/small", maxMessageBytes: 1000, handler: handler) }
        let c = try t.client()
        #expect(try c.upgrade(path: "/ws/small").status == 101)
        c.sendFrame(opcode: 2, payload: [UInt8](repeating: 7, count: 1000))
        #expect(handler.wait(for: "binary:1000"))
        c.sendFrame(opcode: 2, payload: [UInt8](repeating: 7, count: 1001))
        let reply = try c.readFrame()
        #expect(reply.opcode == 8 && reply.closeCode == 1009)
    }

    @Test func broadcast_sendsTheSameFrameToEveryone() throws {
        let handler = RecordingHandler()
        let t = try TestServer { server in server.addWebSocketRoute("/ws/app", handler: handler) }
        let a = try t.client(), b = try t.client()
        #expect(try a.upgrade(path: "/ws/app").status == 101)
        #expect(try b.upgrade(path: "/ws/app").status == 101)
        let deadline = Date().addingTimeInterval(3)
        while handler.connections.count < 2 && Date() < deadline { usleep(10_000) }
        t.server.broadcast(.binary([1, 2, 3]), to: handler.connections.map(\.id))
        #expect(try a.readFrame() == .init(isFinal: true, opcode: 2, payload: [1, 2, 3]))
        #expect(try b.readFrame() == .init(isFinal: true, opcode: 2, payload: [1, 2, 3]))
    }

    @Test func unknownPath_andBadHandshake_areRefused() throws {
        let t = try TestServer()
        let c = try t.client()
        #expect(try c.upgrade(path: "/ws/none").status == 404)
        let d = try t.client()
        d.send("GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n")
        let r = try d.readResponse()
        #expect(r.status == 426)
        #expect(r.header("Sec-WebSocket-Version") == "13")
        let e = try t.client()
        #expect(try e.upgrade(extraHeaders: "Origin: http://evil.example\r\n").status == 403)
    }

    @Test func upgradeCarryingABody_gets400_andIsNotUpgraded() throws {
        let t = try TestServer()
        let head = "GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        let c = try t.client()
        c.send(head + "Content-Length: 6\r\n\r\n" + String(decoding: LoopbackClient.frame(opcode: 1, payload: []), as: UTF8.self) + "abcd")
        let r = try c.readResponse()
        #expect(r.status == 400)
        #expect(r.text.contains("must not carry a body"))
        #expect(c.waitForClose())
        let d = try t.client()
        d.send(head + "Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n")
        #expect(try d.readResponse().status == 400)
        #expect(d.waitForClose())
    }

    @Test func otherMethodsOnAWebSocketPath_are405WithAllowGET() throws {
        let t = try TestServer()
        let c = try t.client()
        c.send("POST /ws/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 405)
        #expect(r.header("Allow") == "GET")
    }

    @Test func plainGETOnAWebSocketPath_is426_andKeepsTheConnection() throws {
        let t = try TestServer()
        let c = try t.client()
        c.send("GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 426)
        #expect(r.header("Upgrade") == "websocket")
        c.send("GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try c.readResponse().status == 200)
    }

    @Test func allowedOrigin_isAccepted_othersRefused() throws {
        let t = try TestServer { $0.allowedOrigins = ["http://lab.example:8080"] }
        #expect(try t.client().upgrade(extraHeaders: "Origin: http://lab.example:8080\r\n").status == 101)
        #expect(try t.client().upgrade(extraHeaders: "Origin: http://127.0.0.1\r\n").status == 101)   // same origin as Host
        #expect(try t.client().upgrade(extraHeaders: "Origin: http://other.example\r\n").status == 403)
    }

    @Test func noEcho_disablesTheEchoEndpoint() throws {
        let t = try TestServer { $0.isEchoEnabled = false }
        #expect(try t.client().upgrade().status == 404)
    }

    @Test func silentPeer_isPingedThenDropped() throws {
        let t = try TestServer { $0.webSocketPingInterval = 0.1; $0.webSocketDeadPeerTimeout = 0.2 }
        let c = try t.client()
        #expect(try c.upgrade().status == 101)
        #expect(try c.readFrame().opcode == 9)   // the server's ping; we never answer
        #expect(c.waitForClose())
    }

    @Test func answeringPeer_staysConnected() throws {
        // A generous dead-peer timeout: the test thread may be descheduled on a loaded machine.
        let t = try TestServer { $0.webSocketPingInterval = 0.1; $0.webSocketDeadPeerTimeout = 1.5 }
        let c = try t.client()
        #expect(try c.upgrade().status == 101)
        for _ in 0..<3 {
            let ping = try c.readFrame()
            #expect(ping.opcode == 9)
            c.sendFrame(opcode: 10, payload: ping.payload)
        }
        c.sendFrame(opcode: 1, payload: Array("still here".utf8))
        var frame = try c.readFrame()
        while frame.opcode == 9 { frame = try c.readFrame() }
        #expect(frame.text == "still here")
    }

    @Test func gracefulShutdown_closesWebSocketsWith1001() throws {
        let t = try TestServer()
        let c = try t.client()
        #expect(try c.upgrade().status == 101)
        t.server.shutdown()
        let close = try c.readFrame()
        #expect(close.opcode == 8 && close.closeCode == 1001)
        c.sendFrame(opcode: 8, payload: [0x03, 0xE9])
        #expect(c.waitForClose())
        let started = Date()
        t.server.waitUntilStopped()
        #expect(Date().timeIntervalSince(started) < 2)
        #expect((try? t.client()) == nil)   // no longer accepting
    }
}
