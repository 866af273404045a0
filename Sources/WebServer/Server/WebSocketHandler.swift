/// The application side of a WebSocket route. Callbacks for one connection arrive in order on a serial
/// queue of that connection, never on the I/O thread.
public protocol WebSocketHandler: AnyObject, Sendable {
    /// A client completed the handshake on this route.
    func webSocketDidConnect(_ connection: WebSocketConnection, request: HTTPRequest)
    /// A complete (reassembled, validated) message arrived.
    func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage)
    /// The connection is gone (close handshake, error, dead peer, shutdown); sends are ignored from now on.
    func webSocketDidDisconnect(_ connection: WebSocketConnection)
}

extension WebSocketHandler {
    /// Default: nothing to do on connect.
    public func webSocketDidConnect(_ connection: WebSocketConnection, request: HTTPRequest) {}
    /// Default: nothing to do on disconnect.
    public func webSocketDidDisconnect(_ connection: WebSocketConnection) {}
}

/// `/ws/echo`: sends every message back unchanged (the target of the Autobahn conformance suite).
public final class EchoWebSocketHandler: WebSocketHandler {
    /// The route path it is registered under by default.
    public static let path = "/ws/echo"

    /// Creates the echo handler.
    public init() {}

    /// Echoes the message.
    public func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        connection.send(message)
    }
}
