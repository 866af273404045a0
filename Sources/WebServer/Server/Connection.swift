/// One client connection: its socket, lifecycle machine and output. Owned by the I/O thread: nothing else reads
/// or writes it.
final class Connection {
    /// The server-wide identifier (also the epoll token), never reused.
    let id: UInt64
    /// The socket.
    let fd: Int32
    /// The client's address, from accept.
    let peer: PeerAddress?
    /// The lifecycle: every decision about reading, answering, timing out and closing.
    var machine: ConnectionMachine
    /// Bytes waiting to go out.
    var writeBuffer: WriteBuffer
    /// The application side once upgraded to WebSocket.
    var session: WebSocketSession?
    /// The epoll interest currently registered.
    var registeredEvents: Epoll.Events = .readable
    /// When the machine wants `timerFired` (checked by the sweep).
    var deadline: UInt64?
    /// Input bytes this connection was last counted for in the memory budget.
    var accountedBytes = 0
    /// The last Host value `RequestGuard` accepted on this connection (checked again only when it changes).
    var acceptedHost: String?
    /// The request being answered, as the access line shows it, and when it was parsed.
    var currentRequest: (summary: AccessLog.Request, startedAt: UInt64)?

    /// Wraps an accepted socket.
    init(id: UInt64, fd: Int32, peer: PeerAddress?, limits: ConnectionMachine.Limits, outputLedger: OutputStorageLedger, now: UInt64) {
        self.id = id
        writeBuffer = WriteBuffer(ledger: outputLedger)
        self.fd = fd
        self.peer = peer
        machine = ConnectionMachine(limits: limits, now: now)
        deadline = machine.timer
    }

    /// Memory this connection answers for: protocol buffers, its share of unsent output (storage queued on several
    /// connections divided among them), and messages waiting for its handler. Shedding ranks by it.
    var bufferedBytes: Int {
        machine.bufferedInputBytes + writeBuffer.memoryBytes + (session?.backlog.bytes ?? 0)
    }
}
