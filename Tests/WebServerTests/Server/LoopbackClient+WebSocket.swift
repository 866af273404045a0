import Foundation
import WebServer

/// A minimal RFC 6455 client for loopback tests: masked frames out, raw frames in.
extension LoopbackClient {
    /// One frame as received from the server.
    struct Frame: Equatable {
        var isFinal: Bool
        var opcode: UInt8
        var payload: [UInt8]
        /// RSV1: a permessage-deflate compressed message (RFC 7692 §6).
        var isCompressed = false
        var text: String { String(decoding: payload, as: UTF8.self) }
        /// The close code of a close frame.
        var closeCode: Int? { payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : nil }
    }

    /// Sends the upgrade request and returns the server's answer.
    func upgrade(path: String = "/ws/echo", extraHeaders: String = "") throws -> LoopbackResponse {
        send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(extraHeaders)\r\n")
        return try readResponse()
    }

    /// A masked client frame (RFC 6455 §5.2, §5.3).
    static func frame(opcode: UInt8, payload: [UInt8], isFinal: Bool = true, mask: [UInt8] = [1, 2, 3, 4]) -> [UInt8] {
        var out: [UInt8] = [(isFinal ? 0x80 : 0) | opcode]
        if payload.count < 126 {
            out.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            out.append(0x80 | 126)
            out += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            out.append(0x80 | 127)
            out += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        out += mask
        out += payload.enumerated().map { $1 ^ mask[$0 % 4] }
        return out
    }

    /// Sends one masked frame (RSV1 set when `compressed`).
    func sendFrame(opcode: UInt8, payload: [UInt8], isFinal: Bool = true, compressed: Bool = false) {
        var frame = Self.frame(opcode: opcode, payload: payload, isFinal: isFinal)
        if compressed { frame[0] |= 0x40 }
        send(frame)
    }

    /// Reads one server frame (must be unmasked).
    func readFrame() throws -> Frame {
        let head = try read(count: 2)
        guard expectUnmaskedImpl(head[1]) else { throw ClientError.malformed("masked server frame") }
        var length = Int(head[1] & 0x7F)
        if length == 126 {
            let ext = try read(count: 2)
            length = Int(ext[0]) << 8 | Int(ext[1])
        } else if length == 127 {
            length = try read(count: 8).reduce(0) { $0 << 8 | Int($1) }
        }
        return Frame(isFinal: head[0] & 0x80 != 0, opcode: head[0] & 0x0F, payload: try read(count: length), isCompressed: head[0] & 0x40 != 0)
    }
}

/// Server frames must not be masked (RFC 6455 §5.1).
func expectUnmaskedImpl(_ byte: UInt8) -> Bool { byte & 0x80 == 0 }
