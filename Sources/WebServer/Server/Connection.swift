/// One client connection's state. Owned by the I/O thread: nothing else reads or writes it.
final class Connection {
    /// The server-wide identifier (also the epoll token), never reused.
    let id: UInt64
    /// The socket.
    let fd: Int32
    /// The HTTP parser (unused after an upgrade).
    var parser: HTTPRequestParser
    /// Set once the connection was upgraded to WebSocket.
    var webSocket: WebSocketSession?
    /// Bytes waiting to go out.
    var writeBuffer = WriteBuffer()
    /// A request was handed to a worker and its response has not come back (answers stay in order).
    var isRequestInFlight = false
    /// The peer shut down its sending side.
    var isReadClosed = false
    /// Close (lingering) once the write buffer drains.
    var closeAfterFlush = false
    /// Set while lingering: our side is shut for writing; input is discarded until EOF or this deadline.
    var lingerDeadline: UInt64?
    /// When the current incomplete request's first bytes arrived (header read timeout).
    var requestStartedAt: UInt64?
    /// Last time bytes arrived or a response completed (idle timeout, WebSocket ping).
    var lastActivity: UInt64
    /// Last time a write made progress, or when the buffer became non-empty (write-stall timeout).
    var lastWriteProgress: UInt64
    /// When the unanswered ping was sent, if any.
    var pingSentAt: UInt64?
    /// The epoll interest currently registered.
    var registeredEvents: Epoll.Events

    /// Wraps an accepted socket.
    init(id: UInt64, fd: Int32, limits: HTTPParserLimits, now: UInt64) {
        self.id = id
        self.fd = fd
        parser = HTTPRequestParser(limits: limits)
        lastActivity = now
        lastWriteProgress = now
        registeredEvents = .readable
    }

    /// The events this connection wants now (level-triggered, so only ask for what we will act on).
    func desiredEvents(writeBufferLimit: Int) -> Epoll.Events {
        var events: Epoll.Events = []
        if !writeBuffer.isEmpty { events.insert(.writable) }
        if lingerDeadline != nil { return events.union(.readable) }
        if webSocket != nil {
            if !isReadClosed && writeBuffer.queuedBytes <= writeBufferLimit { events.insert(.readable) }
        } else if !isReadClosed && !isRequestInFlight && !closeAfterFlush {
            events.insert(.readable)
        }
        return events
    }
}

/// The WebSocket half of an upgraded connection.
struct WebSocketSession {
    /// The protocol state machine (server-ws).
    var machine: WebSocketConnectionMachine
    /// The application's handle for this connection.
    let handle: WebSocketConnection
    /// The application's handler for this route.
    let handler: WebSocketHandler
}
