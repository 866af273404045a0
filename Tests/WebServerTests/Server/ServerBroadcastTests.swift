import Foundation
import Testing
import WebServer

/// Newest-frame-wins: a client that does not read skips stale streamed frames; memory stays bounded.
@Suite struct ServerBroadcastTests {
    @Test func slowReader_skipsStaleFrames_andGetsTheNewest() throws {
        let handler = RecordingHandler()
        let t = try TestServer { server in server.addWebSocketRoute("/ws/app", handler: handler) }
        let slow = try LoopbackClient(port: t.port, timeout: 3, receiveBuffer: 4096)
        #expect(try slow.upgrade(path: "/ws/app").status == 101)
        #expect(handler.wait(for: "connect"))
        let id = try #require(handler.firstConnection).id
        let frameCount = 300
        for index in 0..<frameCount {
            var payload = [UInt8](repeating: 0, count: 64 << 10)
            payload[0] = UInt8(index >> 8)
            payload[1] = UInt8(index & 0xFF)
            t.server.broadcast(.binary(payload), to: [id])
        }
        var received: [Int] = []
        while received.last != frameCount - 1 {
            let frame = try slow.readFrame()
            #expect(frame.opcode == 2 && frame.payload.count == 64 << 10)
            received.append(Int(frame.payload[0]) << 8 | Int(frame.payload[1]))
        }
        #expect(received.count < frameCount)            // stale frames were dropped for this client
        #expect(received == received.sorted())          // never out of order
        #expect(received.last == frameCount - 1)        // and the newest one arrived
    }

    /// Frames received by a client that reads nothing during a burst of 300 frames of 8 KiB (a lab frame's size), then
    /// reads until the newest: what the kernel buffers held, plus the newest.
    private func framesAfterABurst(sendBuffer: Int?) throws -> [Int] {
        let handler = RecordingHandler()
        let t = try TestServer({ $0.webSocketSendBufferBytes = sendBuffer }) { server in server.addWebSocketRoute("/ws/app", handler: handler) }
        let slow = try LoopbackClient(port: t.port, timeout: 3, receiveBuffer: 4096)
        #expect(try slow.upgrade(path: "/ws/app").status == 101)
        #expect(handler.wait(for: "connect"))
        let id = try #require(handler.firstConnection).id
        for index in 0..<300 {
            var payload = [UInt8](repeating: 0, count: 8 << 10)
            payload[0] = UInt8(index >> 8)
            payload[1] = UInt8(index & 0xFF)
            t.server.broadcast(.binary(payload), to: [id])
        }
        // Two HTTP round trips through the I/O thread: it has taken every broadcast before the slow client reads
        // (under load the loop may lag behind the broadcasts, and reading early lets more frames through).
        for _ in 0..<2 {
            let probe = try t.client()
            probe.send("GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(try probe.readResponse().status == 200)
        }
        var received: [Int] = []
        while received.last != 299 {
            let frame = try slow.readFrame()
            received.append(Int(frame.payload[0]) << 8 | Int(frame.payload[1]))
        }
        return received
    }

    @Test func aSmallKernelSendBuffer_keepsASlowReadersBacklogToAFewFrames() throws {
        // 32 KiB (the default; Linux doubles it) plus the client's small receive window: 10-16 frames of 8 KiB here.
        // 32 frames (256 KiB) leaves room for kernels that round buffers up; the autotuned buffer held all 300.
        let bounded = try framesAfterABurst(sendBuffer: 32 << 10)
        #expect(bounded.count <= 32, "\(bounded.count) frames reached the slow reader")
        #expect(bounded == bounded.sorted() && bounded.last == 299)
        let tuned = try framesAfterABurst(sendBuffer: nil)
        #expect(tuned.last == 299)
        #expect(bounded.count * 4 <= tuned.count, "SO_SNDBUF 32 KiB: \(bounded.count) frames; autotuned: \(tuned.count)")
        print("frames a slow reader received after a burst of 300: SO_SNDBUF 32 KiB \(bounded.count), kernel default \(tuned.count)")
        var configuration = ServerConfiguration()
        configuration.webSocketSendBufferBytes = 100
        #expect(throws: ServerConfigurationError.self) { try configuration.validate() }
    }

    @Test func slowReader_doesNotStallOtherClients() throws {
        let handler = RecordingHandler()
        let t = try TestServer { server in server.addWebSocketRoute("/ws/app", handler: handler) }
        let slow = try LoopbackClient(port: t.port, timeout: 3, receiveBuffer: 4096)
        #expect(try slow.upgrade(path: "/ws/app").status == 101)
        #expect(handler.wait(for: "connect"))
        let slowID = try #require(handler.firstConnection).id
        for _ in 0..<100 { t.server.broadcast(.binary([UInt8](repeating: 1, count: 64 << 10)), to: [slowID]) }
        let other = try t.client()
        other.send("GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try other.readResponse().text == "body{}")
        let echo = try t.client()
        #expect(try echo.upgrade().status == 101)
        echo.sendFrame(opcode: 1, payload: Array("quick".utf8))
        #expect(try echo.readFrame().text == "quick")
    }
}
