import Dispatch
import Foundation
import Glibc
import Logging

/// The I/O thread: one epoll loop (level-triggered) over the listening socket, an eventfd for wake-ups,
/// and every connection. Only this thread touches sockets and `Connection`s; workers hand results back
/// with `execute`, which queues a closure in the mailbox and signals the eventfd.
///
/// Every decision about a connection is its `ConnectionMachine`'s: the loop turns socket readiness, worker
/// answers and timers into events, and performs the actions that come back (`drive`).
final class EventLoop: @unchecked Sendable {
    /// epoll token of the listening socket (connection ids start at 16).
    static let listenerToken: UInt64 = 1
    /// epoll token of the wake-up eventfd.
    static let wakeupToken: UInt64 = 2

    /// Limits and timeouts in force.
    let configuration: ServerConfiguration
    /// The same, in the connection machine's units.
    let limits: ConnectionMachine.Limits
    /// Builds HTTP responses on workers.
    let responder: Responder
    /// WebSocket endpoints, matched in order.
    let webSocketRoutes: [WebSocketRoute]
    /// Which browser origins may open WebSockets and send unsafe methods.
    let originPolicy: OriginPolicy
    /// Whose `X-Forwarded-For` names the client.
    let trustedProxies: TrustedProxies
    /// Host and Origin checks before any handler (I/O thread only: it re-reads the machine's addresses).
    var requestGuard: RequestGuard
    /// Rate limit of the budget and slow-reader warnings.
    var warnings = WarningLimiter(interval: 10_000_000_000)
    /// Concurrent queue for handlers and file reads (never the I/O thread).
    let workers: DispatchQueue
    /// Access lines and warnings.
    let logger: Logger
    /// True when the logger's level lets access lines through (decided once: most servers run without them).
    let isAccessLogEnabled: Bool
    /// Figures published for healthz.
    let statistics: ServerStatistics
    /// Bytes held by every connection together.
    let budget: MemoryBudget
    /// Unsent output in memory, counted in `budget` once per storage (I/O thread only).
    let outputLedger: OutputStorageLedger
    /// Which WebSockets agreed to compression (read by broadcasters on other threads).
    let compressionRegistry: WebSocketCompressionRegistry

    /// The epoll instance (I/O thread only).
    let epoll: Epoll
    private let wakeup: EventFD
    /// The listening socket; nil once shutdown began.
    var listener: ListeningSocket?
    /// Every open connection by id (I/O thread only).
    var connections: [UInt64: Connection] = [:]
    private var nextID: UInt64 = 16
    /// One read's bytes (`WebSocketFrameDecoder.readSlack` counts on reads of at most this).
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
    init(configuration: ServerConfiguration, listener: ListeningSocket, responder: Responder, webSocketRoutes: [WebSocketRoute],
         logger: Logger, statistics: ServerStatistics, compressionRegistry: WebSocketCompressionRegistry) throws(SocketError) {
        self.configuration = configuration
        self.limits = ConnectionMachine.Limits(configuration)
        self.listener = listener
        self.responder = responder
        self.webSocketRoutes = webSocketRoutes
        self.originPolicy = OriginPolicy(allowedOrigins: configuration.allowedOrigins)
        self.trustedProxies = TrustedProxies(configuration.trustedProxies) ?? .none  // validated before
        let address = listener.address
        self.requestGuard = RequestGuard(
            hosts: HostPolicy(serverNames: address.namesOfThisServer(), allowedHosts: configuration.allowedHosts),
            origins: originPolicy,
            addressSource: address.isWildcard
                ? .init(read: { address.namesOfThisServer() }, allowedHosts: configuration.allowedHosts,
                        minimumInterval: UInt64(configuration.hostAddressRefreshInterval * 1e9))
                : nil)
        self.logger = logger
        self.isAccessLogEnabled = logger.logLevel <= configuration.accessLogLevel
        self.statistics = statistics
        self.budget = statistics.budget
        self.outputLedger = OutputStorageLedger(budget: statistics.budget)
        self.compressionRegistry = compressionRegistry
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
            if budget.isExceeded { enforceBudget() }
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
        for connection in Array(connections.values) { closeConnection(connection, reason: .shutdown) }
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
            let fd: Int32, peer: PeerAddress?
            switch listener.acceptConnection() {
            case .accepted(let accepted, let address): (fd, peer) = (accepted, address)
            case .none: return
            case .exhausted:
                logger.warning("out of file descriptors: pausing accept for 100 ms")
                epoll.remove(listener.fd)
                acceptPausedUntil = SocketIO.monotonicNanoseconds() + 100_000_000
                return
            }
            let connection = Connection(id: nextID, fd: fd, peer: peer, limits: limits, outputLedger: outputLedger,
                                        now: SocketIO.monotonicNanoseconds())
            nextID += 1
            connections[connection.id] = connection
            statistics.setConnections(connections.count)
            epoll.add(fd, token: connection.id, events: .readable)
            if connections.count > configuration.maxConnections {
                // Over the limit: answer 503 and close (never read the request).
                drive(connection, connection.machine.refuseOverload())
            }
        }
    }

    // MARK: events

    private func handle(_ connection: Connection, events: Epoll.Events) {
        if events.contains(.writable) {
            drive(connection, [.flush])
            guard isOpen(connection) else { return }
        }
        if events.contains(.readable) {
            drive(connection, connection.machine.readReady())
            guard isOpen(connection) else { return }
        }
        // EPOLLHUP/EPOLLERR: reset, or both directions shut (after what could still be read was read).
        if events.contains(.hangUp) || events.contains(.error) {
            drive(connection, connection.machine.hungUp())
        }
    }

    /// True while `connection` is still registered (any action may have closed it).
    func isOpen(_ connection: Connection) -> Bool { connections[connection.id] === connection }

    /// Performs a machine's actions in order; actions produced while performing (a read's events, a flush's
    /// `written`, an immediate answer) are performed after them. Stops once the connection is closed.
    func drive(_ connection: Connection, _ initial: [ConnectionMachine.Action]) {
        var queue = initial
        var index = 0
        func enqueue(_ more: [ConnectionMachine.Action]) {
            guard !more.isEmpty else { return }
            if index == queue.count { queue = more; index = 0 } else { queue += more }   // usually: replace, no copy
        }
        while index < queue.count {
            guard isOpen(connection) else { return }
            let action = queue[index]
            index += 1
            switch action {
            case .setInterest(let events):
                if events != connection.registeredEvents {
                    epoll.modify(connection.fd, token: connection.id, events: events)
                    connection.registeredEvents = events
                }
            case .startTimer(let deadline):
                connection.deadline = deadline
            case .read:
                enqueue(readFrom(connection))
            case .handle(let request, let keepAlive):
                enqueue(handleRequest(request, keepAlive: keepAlive, on: connection))
            case .checkHead(let head):
                enqueue(checkHead(head, on: connection))
            case .send(let bytes):
                connection.writeBuffer.append(bytes)
            case .sendStream(let frame):
                connection.writeBuffer.replaceStream(frame)
            case .sendFinal(let response):
                logAccess(connection, status: response.status.code, bytes: response.body.count)
                connection.currentRequest = nil
                connection.writeBuffer.append(response.serialized(date: DateCache.shared.now(), keepAlive: false, isHeadRequest: false))
            case .discardOutput:
                connection.writeBuffer.discardUnstarted()
            case .warn(let warning):
                warn(warning, on: connection)
            case .flush:
                enqueue(flushNow(connection))
            case .deliver(let message):
                enqueue(deliver(message, on: connection))
            case .shutdownWrite:
                shutdown(connection.fd, Int32(SHUT_WR))
            case .close(let reason):
                closeConnection(connection, reason: reason)
                return
            }
        }
        account(connection)
    }

    private func readFrom(_ connection: Connection) -> [ConnectionMachine.Action] {
        switch SocketIO.read(connection.fd, into: readBuffer) {
        case .wouldBlock:
            return []
        case .failed:
            return connection.machine.socketFailed()
        case .endOfFile:
            return connection.machine.inputClosed(now: SocketIO.monotonicNanoseconds())
        case .bytes(let count):
            if connection.session != nil {
                // Refuse a new message that would not fit the memory budget (1009), counting what this
                // connection already holds toward it.
                connection.machine.webSocketMessageAllowance = budget.available + connection.machine.bufferedInputBytes
            }
            return connection.machine.bytesRead(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]), now: SocketIO.monotonicNanoseconds())
        }
    }

    // MARK: writing and closing

    /// Writes what the socket takes and reports it to the machine.
    private func flushNow(_ connection: Connection) -> [ConnectionMachine.Action] {
        let before = connection.writeBuffer.queuedBytes
        if case .failed = connection.writeBuffer.flush(SocketSink(fd: connection.fd)) {
            return connection.machine.socketFailed()
        }
        let remaining = connection.writeBuffer.queuedBytes
        return connection.machine.written(remaining: remaining, progressed: remaining < before, now: SocketIO.monotonicNanoseconds())
    }

    /// Moves the memory budget by the change in the input the connection holds on this thread (its output is
    /// counted by `outputLedger` as it is queued and sent).
    func account(_ connection: Connection) {
        let held = connection.machine.bufferedInputBytes
        budget.adjust(by: held - connection.accountedBytes)
        connection.accountedBytes = held
    }

    /// Closes the socket now and forgets the connection (WebSocket handlers get their disconnect callback).
    func closeConnection(_ connection: Connection, reason: ConnectionMachine.CloseReason) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        connection.machine.phase = .closed
        epoll.remove(connection.fd)
        Glibc.close(connection.fd)
        statistics.setConnections(connections.count)
        budget.adjust(by: -connection.accountedBytes)
        connection.accountedBytes = 0
        connection.writeBuffer.discardAll()
        if reason != .finished && reason != .peerClosed && reason != .reset {
            logger.debug("closed connection \(connection.id) (\(connection.peer.map(\.description) ?? "-")): \(reason)")
        }
        if let session = connection.session {
            compressionRegistry.remove(connection.id)
            let handle = session.handle, handler = session.handler
            handle.callbackQueue.async { handler.webSocketDidDisconnect(handle) }
        }
    }
}
