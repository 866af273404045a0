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
    /// Input arrived while a response was being computed: reading is paused until it is sent.
    /// (Paused lazily, on the first such event, so a plain keep-alive request costs no epoll_ctl.)
    var isReadPaused = false
    /// The peer shut down its sending side.
    var isReadClosed = false
    /// Close (lingering) once the write buffer drains.
    var closeAfterFlush = false
    /// Set while lingering: our side is shut for writing; input is discarded until EOF or this deadline.
    var lingerDeadline: UInt64?
    /// When the current incomplete request's first bytes arrived (header read timeout).
    var requestStartedAt: UInt64?
    /// "100 Continue" was already sent for the current request.
    var hasSentContinue = false
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
        // Over the write bound, stop reading: a peer that does not take its answers gets no more work done.
        guard !isReadClosed, writeBuffer.queuedBytes <= writeBufferLimit else { return events }
        if let webSocket {
            if !webSocket.backlog.isOverLimit { events.insert(.readable) }
        } else if !closeAfterFlush && !(isRequestInFlight && isReadPaused) {
            events.insert(.readable)
        }
        return events
    }
}
