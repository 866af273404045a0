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
