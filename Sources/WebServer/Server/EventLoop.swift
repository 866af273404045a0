import Dispatch
import Foundation
import Glibc
import Logging

/// The I/O thread: one epoll loop (level-triggered) over the listening socket, an eventfd for wake-ups,
/// and every connection. Only this thread touches sockets and `Connection`s; workers hand results back
/// with `execute`, which queues a closure in the mailbox and signals the eventfd.
final class EventLoop: @unchecked Sendable {
    /// epoll token of the listening socket (connection ids start at 16).
    static let listenerToken: UInt64 = 1
    /// epoll token of the wake-up eventfd.
    static let wakeupToken: UInt64 = 2

    /// Limits and timeouts in force.
    let configuration: ServerConfiguration
    /// Builds HTTP responses on workers.
    let responder: Responder
    /// WebSocket endpoints, matched in order.
    let webSocketRoutes: [WebSocketRoute]
    /// Which browser origins may open WebSockets and send unsafe methods.
    let originPolicy: OriginPolicy
    /// Host and Origin checks before any handler.
    let requestGuard: RequestGuard
    /// Concurrent queue for handlers and file reads (never the I/O thread).
    let workers: DispatchQueue
    /// Access lines and warnings.
    let logger: Logger
    /// Open connections, published for healthz.
    let connectionCounter: LockedCounter

    /// The epoll instance (I/O thread only).
    let epoll: Epoll
    private let wakeup: EventFD
    /// The listening socket; nil once shutdown began.
    var listener: ListeningSocket?
    /// Every open connection by id (I/O thread only).
    var connections: [UInt64: Connection] = [:]
    private var nextID: UInt64 = 16
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)

    private let mailboxLock = NSLock()
    private var mailbox: [(EventLoop) -> Void] = []
    private var isWakeupPending = false

    /// Set when graceful shutdown began: the time after which remaining connections are closed.
    var drainDeadline: UInt64?
    /// While descriptors are exhausted, the listener is unwatched until this time.
    private var acceptPausedUntil: UInt64?
    private var nextSweep: UInt64 = 0
    private let sweepNanoseconds: UInt64

    /// Prepares epoll and the eventfd; `run()` starts the loop.
    init(configuration: ServerConfiguration, listener: ListeningSocket, responder: Responder,
         webSocketRoutes: [WebSocketRoute], logger: Logger, connectionCounter: LockedCounter) throws(SocketError) {
        self.configuration = configuration
        self.listener = listener
        self.responder = responder
        self.webSocketRoutes = webSocketRoutes
        self.originPolicy = OriginPolicy(allowedOrigins: configuration.allowedOrigins)
        self.requestGuard = RequestGuard(hosts: HostPolicy(serverNames: listener.address.namesOfThisServer(), allowedHosts: configuration.allowedHosts),
                                         origins: originPolicy)
        self.logger = logger
        self.connectionCounter = connectionCounter
        workers = DispatchQueue(label: "ganlab.workers", attributes: .concurrent)
        epoll = try Epoll()
        wakeup = try EventFD()
        sweepNanoseconds = UInt64(configuration.sweepInterval * 1e9)
    }

    deinit { readBuffer.deallocate() }

    /// Runs `task` on the I/O thread soon. Safe from any thread; wake-ups are coalesced.
    func execute(_ task: @escaping (EventLoop) -> Void) {
        mailboxLock.lock()
        mailbox.append(task)
        let needsSignal = !isWakeupPending
        isWakeupPending = true
        mailboxLock.unlock()
        if needsSignal { wakeup.signal() }
    }

    /// The loop body; returns once shutdown finished.
    func run() {
        guard let listener else { return }
        epoll.add(listener.fd, token: Self.listenerToken, events: .readable)
        epoll.add(wakeup.fd, token: Self.wakeupToken, events: .readable)
        let timeout = Int32(max(1, sweepNanoseconds / 1_000_000))
        while true {
            epoll.wait(timeoutMilliseconds: timeout) { token, events in
                switch token {
                case Self.listenerToken: acceptConnections()
                case Self.wakeupToken: wakeup.drain()
                default:
                    guard let connection = connections[token] else { return }
                    handle(connection, events: events)
                }
            }
            drainMailbox()
            let now = SocketIO.monotonicNanoseconds()
            if let until = acceptPausedUntil, now >= until, let listener = self.listener {
                acceptPausedUntil = nil
                epoll.add(listener.fd, token: Self.listenerToken, events: .readable)
            }
            if now >= nextSweep {
                sweep(now: now)
                nextSweep = now + sweepNanoseconds
            }
            if let deadline = drainDeadline, connections.isEmpty || now >= deadline { break }
        }
        for connection in Array(connections.values) { closeConnection(connection) }
        drainMailbox()
    }

    private func drainMailbox() {
        while true {
            mailboxLock.lock()
            let tasks = mailbox
            mailbox.removeAll(keepingCapacity: true)
            isWakeupPending = false
            mailboxLock.unlock()
            if tasks.isEmpty { return }
            for task in tasks { task(self) }
        }
    }

    // MARK: accepting

    private func acceptConnections() {
        guard let listener else { return }
        for _ in 0..<128 {
            let fd: Int32
            switch listener.acceptConnection() {
            case .accepted(let accepted): fd = accepted
            case .none: return
            case .exhausted:
                logger.warning("out of file descriptors: pausing accept for 100 ms")
                epoll.remove(listener.fd)
                acceptPausedUntil = SocketIO.monotonicNanoseconds() + 100_000_000
                return
            }
            let now = SocketIO.monotonicNanoseconds()
            let connection = Connection(id: nextID, fd: fd, limits: configuration.parserLimits, now: now)
            nextID += 1
            connections[connection.id] = connection
            connectionCounter.set(connections.count)
            epoll.add(fd, token: connection.id, events: .readable)
            if connections.count > configuration.maxConnections {
                // Over the limit: answer 503 and close (never read the request).
                let response = HTTPResponse.error(.serviceUnavailable, "too many connections")
                connection.writeBuffer.append(response.serialized(date: DateCache.shared.now(), keepAlive: false, isHeadRequest: false))
                connection.closeAfterFlush = true
                flush(connection)
            }
        }
    }

    // MARK: events

    private func handle(_ connection: Connection, events: Epoll.Events) {
        if events.contains(.writable) {
            flush(connection)
            guard connections[connection.id] != nil else { return }
            // Draining may have brought the queue under its bound: take the next pipelined request.
            if connection.webSocket == nil && !connection.isRequestInFlight { processRequests(connection) }
            guard connections[connection.id] != nil else { return }
        }
        if events.contains(.readable) {
            if connection.webSocket == nil && connection.isRequestInFlight && connection.lingerDeadline == nil {
                // One request at a time: leave further input in the kernel buffer (backpressure).
                connection.isReadPaused = true
                updateInterest(connection)
            } else {
                readFrom(connection)
            }
            guard connections[connection.id] != nil else { return }
        }
        // EPOLLHUP/EPOLLERR: reset, or both directions shut. Nothing more can be sent, and level-triggered
        // epoll would report it on every wait, so the connection ends here.
        if events.contains(.hangUp) || events.contains(.error) {
            closeConnection(connection)
        }
    }

    private func readFrom(_ connection: Connection) {
        switch SocketIO.read(connection.fd, into: readBuffer) {
        case .wouldBlock:
            return
        case .failed:
            closeConnection(connection)
        case .endOfFile:
            connection.isReadClosed = true
            if connection.lingerDeadline != nil || connection.webSocket != nil {
                closeConnection(connection)
            } else {
                processRequests(connection)
            }
        case .bytes(let count):
            if connection.lingerDeadline != nil { return }   // discarding while lingering
            connection.lastActivity = SocketIO.monotonicNanoseconds()
            connection.pingSentAt = nil
            let bytes = UnsafeRawBufferPointer(rebasing: readBuffer[0..<count])
            if connection.webSocket != nil {
                receiveWebSocketBytes(connection, bytes)
            } else {
                connection.parser.append(bytes)
                processRequests(connection)
            }
        }
    }

    // MARK: writing and closing

    /// Writes what the socket takes; closes (lingering) once drained if asked; keeps epoll interest current.
    func flush(_ connection: Connection) {
        let fd = connection.fd
        let before = connection.writeBuffer.queuedBytes
        switch connection.writeBuffer.flush({ SocketIO.write(fd, $0) }) {
        case .failed:
            closeConnection(connection)
            return
        case .drained:
            connection.lastWriteProgress = SocketIO.monotonicNanoseconds()
            if connection.closeAfterFlush && connection.lingerDeadline == nil {
                beginLingeringClose(connection)
                return
            }
        case .blocked:
            if connection.writeBuffer.queuedBytes != before { connection.lastWriteProgress = SocketIO.monotonicNanoseconds() }
        }
        updateInterest(connection)
    }

    /// Re-registers epoll interest when it changed.
    func updateInterest(_ connection: Connection) {
        let wanted = connection.desiredEvents(writeBufferLimit: configuration.writeBufferLimit)
        if wanted != connection.registeredEvents {
            epoll.modify(connection.fd, token: connection.id, events: wanted)
            connection.registeredEvents = wanted
        }
    }

    /// Shuts our sending side and discards input until the peer closes or the linger timeout, so a client still
    /// sending (e.g. a body we refused) reads our final response instead of a reset (RFC 9112 §9.6).
    private func beginLingeringClose(_ connection: Connection) {
        if connection.isReadClosed {
            closeConnection(connection)
            return
        }
        shutdown(connection.fd, Int32(SHUT_WR))
        connection.lingerDeadline = SocketIO.monotonicNanoseconds() + UInt64(configuration.lingerTimeout * 1e9)
        updateInterest(connection)
    }

    /// Closes the socket now and forgets the connection (WebSocket handlers get their disconnect callback).
    func closeConnection(_ connection: Connection) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        epoll.remove(connection.fd)
        Glibc.close(connection.fd)
        connectionCounter.set(connections.count)
        if let session = connection.webSocket {
            let handle = session.handle, handler = session.handler
            handle.callbackQueue.async { handler.webSocketDidDisconnect(handle) }
        }
    }

}
