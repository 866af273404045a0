/// A complete application message, reassembled from its fragments (RFC 6455 §5.4).
public enum WebSocketMessage: Sendable, Equatable {
    /// A text message, already validated as UTF-8.
    case text(String)
    /// A binary message.
    case binary([UInt8])
}

/// What the I/O code must do on behalf of a `WebSocketConnectionMachine`, in order.
public enum WebSocketAction: Sendable, Equatable {
    /// Bytes to send (already framed).
    case write([UInt8])
    /// A complete message for the application.
    case deliver(WebSocketMessage)
    /// Flush pending writes, then close the socket.
    case closeConnection
}
