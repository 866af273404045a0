import WebServer

/// A run's peer that is a WebSocket connection of the lab's server.
final class SocketPeer: RunPeer, @unchecked Sendable {
    /// The server's handle.
    let connection: WebSocketConnection

    /// A peer for `connection`.
    init(_ connection: WebSocketConnection) { self.connection = connection }

    /// The connection's id.
    var connectionID: ConnectionID { connection.id }

    /// Queues a text message.
    func send(text: String) { connection.send(text: text) }

    /// Starts the close handshake.
    func close(code: WebSocketCloseCode, reason: String) { connection.close(code: code, reason: reason) }
}

/// Frames to many connections through the server: framed once (and deflated once, when some viewer agreed
/// to permessage-deflate), the same bytes in each connection's newest-frame-wins slot
/// (`HTTPServer.broadcast(binary:to:)`).
struct ServerFanOut: FrameFanOut {
    /// The server (weak: the lab owns it).
    weak var server: HTTPServer?

    /// Hands `payload` as one binary message to every peer's stream slot.
    func send(frame payload: [UInt8], to peers: [RunPeer]) {
        guard let server, !peers.isEmpty else { return }
        server.broadcast(binary: payload, to: peers.map(\.connectionID))
    }
}
