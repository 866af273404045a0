/// The application side of an upgraded connection (the protocol side is in `ConnectionMachine.webSocket`).
struct WebSocketSession {
    /// The application's handle for this connection.
    let handle: WebSocketConnection
    /// The application's handler for this route.
    let handler: WebSocketHandler
    /// Messages handed to the handler but not yet handled (bounds memory when the handler is slower than the peer).
    let backlog: DeliveryBacklog
}
