/// The WebSocket half of an upgraded connection.
struct WebSocketSession {
    /// The protocol state machine (server-ws).
    var machine: WebSocketConnectionMachine
    /// The application's handle for this connection.
    let handle: WebSocketConnection
    /// The application's handler for this route.
    let handler: WebSocketHandler
    /// Messages handed to the handler but not yet handled (bounds memory when the handler is slower than the peer).
    let backlog: DeliveryBacklog
}
