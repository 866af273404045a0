import Dispatch

/// The application's handle on one WebSocket connection: safe to use from any thread, and to keep after
/// the connection is gone (sends are then ignored).
public final class WebSocketConnection: @unchecked Sendable, Hashable {
    /// Server-wide identifier, used with `HTTPServer.broadcast`.
    public let id: ConnectionID
    /// The request path the client upgraded on.
    public let path: String
    /// The client's address (for logs and rate limits); behind a proxy, the proxy's.
    public let peerAddress: PeerAddress?
    /// The permessage-deflate parameters agreed in the handshake, nil when the connection is uncompressed.
    public let compression: WebSocketDeflateParameters?
    /// Messages shorter than this go uncompressed even when compression was agreed.
    let compressionThreshold: Int
    /// Serial queue on which this connection's callbacks run, in order.
    let callbackQueue: DispatchQueue
    private weak var loop: EventLoop?

    /// Creates the handle; callbacks run on a serial queue targeting the workers.
    init(id: ConnectionID, path: String, peerAddress: PeerAddress?, compression: WebSocketDeflateParameters?,
         compressionThreshold: Int, loop: EventLoop, target: DispatchQueue) {
        self.id = id
        self.path = path
        self.peerAddress = peerAddress
        self.compression = compression
        self.compressionThreshold = compressionThreshold
        self.loop = loop
        callbackQueue = DispatchQueue(label: "ganlab.ws.\(id.rawValue)", target: target)
    }

    /// Sends a text message (framed, and compressed when agreed, on the caller's thread).
    public func send(text: String) { send(.text(text)) }

    /// Sends a binary message.
    public func send(binary: [UInt8]) { send(.binary(binary)) }

    /// Sends a message; queued in order and never dropped (a peer too slow to take it is disconnected).
    /// Compressed (RFC 7692) on the caller's thread when the connection agreed to it and the message is large enough.
    public func send(_ message: WebSocketMessage) {
        let frame = self.frame(message)
        loop?.execute { [id] loop in loop.sendWebSocketFrame(frame, to: id.rawValue, isStream: false) }
    }

    /// Sends a streamed binary frame: newest-frame-wins, an older unsent one is dropped for this connection.
    public func stream(binary: [UInt8]) {
        let frame = WebSocketFrameEncoder.encodeMessage(opcode: .binary, payload: binary, deflate: compression, threshold: compressionThreshold)
        loop?.execute { [id] loop in loop.sendWebSocketFrame(frame, to: id.rawValue, isStream: true) }
    }

    /// Starts the close handshake with `code` (RFC 6455 §7.1.2); the peer's reply ends the connection.
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        loop?.execute { [id] loop in loop.closeWebSocket(id.rawValue, code: code, reason: reason) }
    }

    /// The frame for `message` on this connection (compressed when agreed and worth it).
    func frame(_ message: WebSocketMessage) -> [UInt8] {
        switch message {
        case .text(let text):
            return WebSocketFrameEncoder.encodeMessage(opcode: .text, payload: Array(text.utf8), deflate: compression, threshold: compressionThreshold)
        case .binary(let bytes):
            return WebSocketFrameEncoder.encodeMessage(opcode: .binary, payload: bytes, deflate: compression, threshold: compressionThreshold)
        }
    }

    /// Identity equality (one handle per connection).
    public static func == (lhs: WebSocketConnection, rhs: WebSocketConnection) -> Bool { lhs.id == rhs.id }
    /// Hashes the identifier.
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
