import Foundation
import Glibc
import Testing
import WebServer

/// Bounded buffers: work pauses while a peer or a handler lags, and resumes without losing anything.
@Suite struct ServerBackpressureTests {
    @Test func pipelinedBigResponses_toANonReadingClient_stopGrowingAtTheBound_thenAllArriveInOrder() throws {
        let limit = 100_000
        let t = try TestServer { $0.writeBufferLimit = limit }
        let big = String(repeating: "x", count: 256 << 10)
        try big.write(toFile: t.folder.root + "/big.txt", atomically: true, encoding: .utf8)
        let c = try LoopbackClient(port: t.port, timeout: 5, receiveBuffer: 4096)
        let count = 40
        var requests = ""
        for index in 0..<count { requests += "GET /big.txt?i=\(index) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" }
        requests += "GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        c.send(requests)
        // The server's buffer grows, then stops: over the bound it answers no further pipelined request.
        #expect(waitUntil { t.server.bufferedByteCount > limit })
        var samples: [Int] = []
        #expect(waitUntil(timeout: 10) {
            samples.append(t.server.bufferedByteCount)
            return samples.count >= 10 && Set(samples.suffix(10)).count == 1
        })
        let held = samples.last ?? 0
        // At most the bound plus one 256 KiB answer (and the still unparsed requests) is held: not 40 answers. The
        // budget counts allocations, so the answer being sent counts whole until its last byte is out: two answers.
        #expect(held <= limit + 2 * (256 << 10) + 2 * requests.utf8.count, "held \(held)")
        let other = try t.client()
        other.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try other.readResponse().status == 200)
        for _ in 0..<count {
            let r = try c.readResponse()
            #expect(r.status == 200 && r.body.count == 256 << 10)
        }
        #expect(try c.readResponse().text == "body{}")
        #expect(waitUntil { t.server.bufferedByteCount == 0 })
    }

    @Test func expectContinue_gets100_thenTheAnswer() throws {
        let t = try TestServer { server in
            server.router.post("/api/echo") { request, _ in HTTPResponse(status: .ok, body: request.body) }
        }
        let c = try t.client()
        c.send("POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        #expect(try c.readResponse().status == 100)
        c.send("hello")
        #expect(try c.readResponse().text == "hello")
    }

    @Test func halfClosedClient_stillGetsEveryAnswer() throws {
        let t = try TestServer()
        let c = try t.client()
        c.send("GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        shutdown(c.fd, Int32(SHUT_WR))
        #expect(try c.readResponse().text == "body{}")
        #expect(try c.readResponse().status == 200)
        #expect(c.waitForClose())
    }

    @Test func throwingHandler_gives500JSON_andKeepsTheConnection() throws {
        struct Oops: Error {}
        let t = try TestServer { server in server.router.get("/boom") { _, _ in throw Oops() } }
        let c = try t.client()
        c.send("GET /boom HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 500)
        #expect(r.text.contains("\"code\": 500"))
        c.send("GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try c.readResponse().status == 200)
    }

    @Test func slowWebSocketHandler_pausesReading_butLosesNoMessage() throws {
        final class SlowEcho: WebSocketHandler, @unchecked Sendable {
            func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
                usleep(5_000)
                connection.send(message)
            }
        }
        let t = try TestServer({ $0.maxWebSocketMessageBytes = 4096 }) { $0.addWebSocketRoute("/ws/slow", handler: SlowEcho()) }
        let c = try t.client(timeout: 5)
        #expect(try c.upgrade(path: "/ws/slow").status == 101)
        let count = 60
        for index in 0..<count { c.sendFrame(opcode: 1, payload: Array(String(format: "%04d", index).utf8) + [UInt8](repeating: 46, count: 1000)) }
        for index in 0..<count {
            let frame = try c.readFrame()
            #expect(frame.text.hasPrefix(String(format: "%04d", index)))
        }
    }
}
