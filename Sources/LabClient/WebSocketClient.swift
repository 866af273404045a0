import Foundation
import WebServer

/// A small blocking WebSocket client (RFC 6455) on the server's own frame codec: what the lab's tests and
/// `ganlab loadtest` speak to a real server over loopback. Masks what it sends, answers pings, reassembles
/// fragments, and reports the server's close code.
public final class WebSocketClient {
    /// A complete message from the server.
    public enum Message: Sendable, Equatable {
        /// A text message.
        case text(String)
        /// A binary message.
        case binary([UInt8])
    }

    /// The transport.
    public let connection: TCPConnection
    private var decoder = WebSocketFrameDecoder(maxFrameBytes: 64 << 20, expectsMaskedFrames: false)
    private var fragments: [UInt8] = []
    private var fragmentOpcode: WebSocketOpcode?
    private var inbox: [Message] = []
    /// The close code the server sent, once it closed.
    public private(set) var closeCode: UInt16?
    /// The close reason the server sent.
    public private(set) var closeReason = ""
    /// Whether the connection is gone.
    public private(set) var isClosed = false
    private var random = SystemRandomNumberGenerator()

    /// Connects and upgrades `path` (e.g. "/ws/runs/K7QX3M"); throws when the server refuses the handshake.
    public init(host: String = "127.0.0.1", port: Int, path: String, origin: String? = nil, timeout: Double = 5,
                receiveBufferBytes: Int32? = nil) throws {
        connection = try TCPConnection(host: host, port: port, timeout: timeout, receiveBufferBytes: receiveBufferBytes)
        let key = Base64Encoding.encode((0..<16).map { _ in UInt8.random(in: 0...255) })
        var request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
        if let origin { request += "Origin: \(origin)\r\n" }
        try connection.send(Array((request + "\r\n").utf8))
        var head: [UInt8] = []
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            if let end = head.firstRange(of: [13, 10, 13, 10]) {
                let text = String(decoding: head[..<end.lowerBound], as: UTF8.self)
                guard text.hasPrefix("HTTP/1.1 101") else {
                    throw LabClientError.protocolViolation("handshake refused: \(text.split(separator: "\r\n").first ?? "")")
                }
                let expected = Base64Encoding.encode(Digest.sha1(Array((key + WebSocketHandshake.magicGUID).utf8)))
                guard text.lowercased().contains("sec-websocket-accept: \(expected.lowercased())") else {
                    throw LabClientError.protocolViolation("wrong Sec-WebSocket-Accept")
                }
                decoder.append(Array(head[end.upperBound...]))
                break
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw LabClientError.timedOut("the handshake") }
            guard let bytes = try connection.receive(timeout: remaining) else {
                throw LabClientError.closed(code: nil, reason: "during the handshake")
            }
            head += bytes
        }
        try drainDecoder()
    }

    /// Sends a text message.
    public func send(text: String) throws { try send(.text, Array(text.utf8)) }

    /// Sends a binary message.
    public func send(binary: [UInt8]) throws { try send(.binary, binary) }

    /// Sends one frame of any opcode (tests send odd ones on purpose).
    public func send(_ opcode: WebSocketOpcode, _ payload: [UInt8], isFinal: Bool = true) throws {
        let key = withUnsafeBytes(of: random.next() as UInt32) { Array($0) }
        try connection.send(WebSocketFrameEncoder.encodeMasked(opcode: opcode, payload: payload, maskingKey: key, isFinal: isFinal))
    }

    /// The next message, waiting at most `timeout` seconds; nil on timeout. Throws `closed` once the server closed.
    public func receive(timeout: Double) throws -> Message? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while inbox.isEmpty {
            if isClosed { throw LabClientError.closed(code: closeCode, reason: closeReason) }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            try pump(timeout: remaining)
        }
        return inbox.removeFirst()
    }

    /// Reads what arrives within `timeout` (0: only what is there) and decodes it; returns the messages now waiting.
    @discardableResult
    public func pump(timeout: Double = 0) throws -> Int {
        guard !isClosed else { return inbox.count }
        let bytes = timeout > 0 ? try connection.receive(timeout: timeout) : try connection.readAvailable()
        guard let bytes else {
            isClosed = true
            return inbox.count
        }
        if !bytes.isEmpty {
            decoder.append(bytes)
            try drainDecoder()
        }
        return inbox.count
    }

    /// Takes every decoded message (for callers that `pump` themselves).
    public func takeMessages() -> [Message] {
        defer { inbox.removeAll(keepingCapacity: true) }
        return inbox
    }

    /// Sends a close frame and waits briefly for the server's.
    public func close(code: UInt16 = 1000) {
        guard !isClosed else { return }
        try? send(.close, [UInt8(code >> 8), UInt8(code & 0xFF)])
        let deadline = Date(timeIntervalSinceNow: 1)
        while !isClosed && deadline.timeIntervalSinceNow > 0 { _ = try? pump(timeout: deadline.timeIntervalSinceNow) }
        connection.close()
        isClosed = true
    }

    private func drainDecoder() throws {
        while true {
            switch decoder.next() {
            case .needMoreData:
                return
            case .error(let error):
                throw LabClientError.protocolViolation("bad frame from the server: \(error)")
            case .frame(let frame):
                switch frame.opcode {
                case .ping:
                    try? send(.pong, frame.payload)
                case .pong:
                    break
                case .close:
                    if frame.payload.count >= 2 {
                        closeCode = UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1])
                        closeReason = String(decoding: frame.payload[2...], as: UTF8.self)
                    }
                    if !isClosed { try? send(.close, Array(frame.payload.prefix(2))) }
                    isClosed = true
                    connection.close()
                    return
                case .text, .binary:
                    if frame.isFinal {
                        inbox.append(frame.opcode == .text ? .text(String(decoding: frame.payload, as: UTF8.self)) : .binary(frame.payload))
                    } else {
                        fragmentOpcode = frame.opcode
                        fragments = frame.payload
                    }
                case .continuation:
                    fragments += frame.payload
                    if frame.isFinal, let opcode = fragmentOpcode {
                        inbox.append(opcode == .text ? .text(String(decoding: fragments, as: UTF8.self)) : .binary(fragments))
                        fragments = []
                        fragmentOpcode = nil
                    }
                }
            }
        }
    }
}
