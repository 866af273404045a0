import Foundation
import Testing
import WebServer

/// permessage-deflate over a real socket: negotiation, compressed echo, and one broadcast to mixed clients.
@Suite struct ServerCompressionTests {
    static let offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"

    /// Inflates a server message as a client would (RFC 7692 §7.2.2).
    static func inflate(_ payload: [UInt8]) -> [UInt8]? {
        let inflater = WebSocketInflater(resetsAfterEachMessage: true)
        var output: [UInt8] = []
        guard payload.withUnsafeBytes({ inflater.inflate($0, into: &output, limit: 1 << 24) }) == .ok,
              inflater.finishMessage(into: &output, limit: 1 << 24) == .ok else { return nil }
        return output
    }

    @Test func handshake_agreesToDeflate_onlyWhenOfferedAndEnabled() throws {
        let t = try TestServer()
        let r = try t.client().upgrade(extraHeaders: Self.offer)
        #expect(r.status == 101)
        #expect(r.header("Sec-WebSocket-Extensions") == "permessage-deflate; server_no_context_takeover")
        #expect(try t.client().upgrade().header("Sec-WebSocket-Extensions") == nil)
        let off = try TestServer { $0.isWebSocketCompressionEnabled = false }
        #expect(try off.client().upgrade(extraHeaders: Self.offer).header("Sec-WebSocket-Extensions") == nil)
    }

    @Test func compressedMessages_areInflated_andLargeEchoesComeBackCompressed() throws {
        let t = try TestServer()
        let c = try t.client()
        #expect(try c.upgrade(extraHeaders: Self.offer).status == 101)
        let text = String(repeating: "compress me, please. ", count: 100)
        c.sendFrame(opcode: 1, payload: WebSocketDeflate.compress(Array(text.utf8)), compressed: true)
        let echo = try c.readFrame()
        #expect(echo.opcode == 1 && echo.isCompressed)
        #expect(echo.payload.count < text.utf8.count / 5)
        #expect(Self.inflate(echo.payload) == Array(text.utf8))
        c.sendFrame(opcode: 1, payload: Array("tiny".utf8))   // under the threshold: plain both ways
        let small = try c.readFrame()
        #expect(!small.isCompressed && small.text == "tiny")
    }

    @Test func deflateBomb_overTheRouteLimit_closesWith1009() throws {
        let t = try TestServer { $0.maxWebSocketMessageBytes = 64 << 10 }
        let c = try t.client()
        #expect(try c.upgrade(extraHeaders: Self.offer).status == 101)
        c.sendFrame(opcode: 2, payload: WebSocketDeflate.compress([UInt8](repeating: 0, count: 4 << 20)), compressed: true)
        let close = try c.readFrame()
        #expect(close.opcode == 8 && close.closeCode == 1009)
        #expect(c.waitForClose())
    }

    @Test func oneBroadcast_reachesADeflateClientCompressed_andAPlainClientPlain() throws {
        let handler = RecordingHandler()
        let t = try TestServer { $0.addWebSocketRoute("/ws/app", handler: handler) }
        let deflating = try t.client(), plain = try t.client()
        #expect(try deflating.upgrade(path: "/ws/app", extraHeaders: Self.offer).status == 101)
        #expect(try plain.upgrade(path: "/ws/app").status == 101)
        #expect(waitUntil { handler.connections.count == 2 })
        #expect(handler.connections.contains { $0.compression != nil } && handler.connections.contains { $0.compression == nil })
        #expect(handler.connections.allSatisfy { $0.peerAddress?.host == "127.0.0.1" })
        let payload = (0..<8192).map { UInt8(($0 / 64) & 0xFF) }   // a quantised, compressible frame
        let sizes = t.server.broadcast(binary: payload, to: handler.connections.map(\.id))
        #expect(sizes.payloadBytes == 8192 && sizes.frameBytes == 8196)
        let compressedBytes = try #require(sizes.compressedFrameBytes)
        #expect(compressedBytes < sizes.frameBytes / 4)
        let a = try deflating.readFrame(), b = try plain.readFrame()
        #expect(a.isCompressed && a.opcode == 2 && a.payload.count + 4 == compressedBytes)
        #expect(Self.inflate(a.payload) == payload)
        #expect(!b.isCompressed && b.payload == payload)
        #expect(WebSocketDeflate.compressedSize(of: payload) == a.payload.count)
    }
}
