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
