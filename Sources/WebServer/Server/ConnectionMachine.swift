/// The lifecycle of one client connection, HTTP/1.1 and (after an upgrade) WebSocket, as a value type that takes
/// events and returns actions; the event loop performs them. It owns no socket and reads no clock: times come
/// in with the events, so every order of events can be unit-tested without I/O.
///
/// Phases (`Phase`):
/// ```
/// idle ──bytes──▶ receivingHead ──request──────────────────────▶ responding ──responseQueued──▶ idle (keep-alive) ─┐
///   ▲                 │    │ head of a request with a body: checkHead ▲    │ upgraded                               │
///   │                 │    └──accepted──▶ receivingBody ──request───┘    │                                        │
///   └─────────────────┼───────────────────────┼─────────────────────────┼──────────── pipelined request ◀─────────┘
///                     │ 408 / parse error / refused head                ▼
///                     ▼                                             webSocket
///              flushingToClose ◀──────────────── close ─────────────────┘
///                     │ drained
///                     ▼
///               lingering ──EOF / timeout──▶ closed
/// ```
/// The machine mirrors how much output is queued (from `written(remaining:progressed:now:)`) because reading,
/// pipelining and lingering depend on it; the loop keeps the bytes in a `WriteBuffer`.
struct ConnectionMachine {
    /// Timeouts (nanoseconds) and bounds, taken from `ServerConfiguration`.
    struct Limits: Sendable, Equatable {
        /// A request's head must arrive completely within this time of its first byte (slowloris): else 408.
        var headerReadTimeout: UInt64
        /// While a body arrives, the longest wait between two reads (not the whole upload): else 408.
        var bodyReadTimeout: UInt64
        /// An idle keep-alive connection is closed after this.
        var keepAliveTimeout: UInt64
        /// Queued output that makes no progress for this long drops the connection.
        var writeStallTimeout: UInt64
        /// Lingering close reads and discards input for at most this long.
        var lingerTimeout: UInt64
        /// A silent WebSocket peer is pinged after this.
        var pingInterval: UInt64
        /// ... and dropped when nothing arrives within this after the ping.
        var deadPeerTimeout: UInt64
        /// Over this many queued bytes the connection is not read (HTTP: no next pipelined request).
        var writeBufferLimit: Int
        /// Request parser limits.
        var parserLimits: HTTPParserLimits

        /// The limits of a configuration.
        init(_ configuration: ServerConfiguration) {
            func ns(_ seconds: Double) -> UInt64 { UInt64(seconds * 1e9) }
            headerReadTimeout = ns(configuration.headerReadTimeout)
            bodyReadTimeout = ns(configuration.bodyReadTimeout)
            keepAliveTimeout = ns(configuration.keepAliveTimeout)
            writeStallTimeout = ns(configuration.writeStallTimeout)
            lingerTimeout = ns(configuration.lingerTimeout)
            pingInterval = ns(configuration.webSocketPingInterval)
            deadPeerTimeout = ns(configuration.webSocketDeadPeerTimeout)
            writeBufferLimit = configuration.writeBufferLimit
            parserLimits = configuration.parserLimits
        }
    }

    /// Where the connection is in its life.
    enum Phase: Sendable, Equatable {
        /// Between requests (or before the first), no byte of the next one yet: the keep-alive timer runs from `since`.
        case idle(since: UInt64)
        /// A request started arriving at `since`: the header-read timer runs until its head is complete.
        case receivingHead(since: UInt64)
        /// The head was accepted and the body is arriving; bytes last arrived at `lastRead` (the body-read timer
        /// runs from there, so a slow but steady upload never times out).
        case receivingBody(lastRead: UInt64)
        /// A complete request is with a handler; further requests wait (answers stay in order, RFC 9112 §9.3.2).
        case responding
        /// Upgraded: bytes go to the WebSocket machine.
        case webSocket
        /// The last response or close frame is queued: once it is written the connection lingers.
        case flushingToClose
        /// Our sending side is shut; input is read and discarded until EOF or `until` (RFC 9112 §9.6).
        case lingering(until: UInt64)
        /// Nothing more happens.
        case closed
    }

    /// Why the machine asks for the socket to close (for the debug log).
    enum CloseReason: Sendable, Equatable {
        /// Lingering ended, or the peer had already closed its side.
        case finished
        /// The peer closed a WebSocket or a lingering connection.
        case peerClosed
        /// Keep-alive connection idle for `keepAliveTimeout`.
        case idle
        /// Output made no progress for `writeStallTimeout`.
        case stalled
        /// A WebSocket peer did not answer a ping.
        case deadPeer
        /// Shed to keep the server under its memory budget.
        case overBudget
        /// Graceful shutdown closed an idle connection.
        case shutdown
        /// The socket failed: hang-up or error reported by epoll, or a read or write that failed (e.g. reset).
        case reset
        /// An application message arrived for a WebSocket whose unsent output was over `writeBufferLimit`.
        case slowReader
    }

    /// Something the operator should hear about at `info` (the loop logs it, rate-limited per kind).
    enum Warning: Sendable, Equatable {
        /// An application message went to a WebSocket with `queuedBytes` unsent: the client was dropped.
        case slowReaderDropped(queuedBytes: Int)
        /// An application message of `bytes` did not fit the memory budget: that client was closed (1008).
        case outgoingMessageOverBudget(bytes: Int)
        /// A client's WebSocket message was refused (1009) because the memory budget could not hold it.
        case incomingMessageOverBudget
        /// A request declared a body of `bytes` that the memory budget could not hold: 503 at its head.
        case requestBodyOverBudget(bytes: Int)
    }

    /// Outgoing WebSocket messages at least this large are refused when the memory budget cannot hold them;
    /// smaller ones always pass (control-sized replies never fail for lack of memory).
    static let largeMessageBytes = 64 << 10

    /// What the event loop must do, in order.
    enum Action: Sendable, Equatable {
        /// Register this epoll interest (arm / disarm read and write).
        case setInterest(Epoll.Events)
        /// Read from the socket now (then report `bytesRead` or `inputClosed`).
        case read
        /// Answer this request (handler, static file, handshake); report `responseQueued` or `upgraded` once queued.
        /// (`indirect`, like `sendFinal`: the large payloads are boxed so every other action stays a few bytes.)
        indirect case handle(HTTPRequest, keepAlive: Bool)
        /// The head of a request with a body is complete: check it (Host, Origin, a body on an upgrade) and report
        /// `headChecked` before anything else happens (no `100 Continue`, no body buffered beyond this read).
        indirect case checkHead(HTTPRequest)
        /// Queue these bytes (100 Continue, WebSocket frames).
        case send([UInt8])
        /// Put this frame in the newest-frame-wins slot (replacing an unsent older one).
        case sendStream([UInt8])
        /// Queue this final response with `Connection: close` (408, parse errors, 503).
        indirect case sendFinal(HTTPResponse)
        /// Drop queued output that has not started (memory budget).
        case discardOutput
        /// Write what the socket takes, then report `written`.
        case flush
        /// Hand a complete WebSocket message to the route's handler.
        case deliver(WebSocketMessage)
        /// `shutdown(SHUT_WR)`: lingering close begins.
        case shutdownWrite
        /// Close the socket now; no event follows.
        case close(CloseReason)
        /// Call `timerFired` at this monotonic time (nil: no timer).
        case startTimer(UInt64?)
        /// Log this (at warning level, rate-limited).
        case warn(Warning)
    }

    /// Timeouts and bounds.
    let limits: Limits
    /// The current phase.
    var phase: Phase
    /// The request parser (replaced by an empty one after an upgrade).
    var parser: HTTPRequestParser
    /// The WebSocket protocol machine once upgraded.
    var webSocket: WebSocketConnectionMachine?
    /// `checkHead` was asked for and `headChecked` has not answered yet: nothing proceeds meanwhile.
    var isHeadCheckPending = false
    /// Bytes allocated for the body of the request a handler is answering: still memory until the answer is queued.
    var handledBodyBytes = 0
    /// Input arrived while responding and reading was paused (lazily, so a plain keep-alive request costs no epoll_ctl).
    var isReadPaused = false
    /// The peer closed its sending side (EOF).
    var isInputClosed = false
    /// Graceful shutdown began: no new keep-alive, WebSockets closed with 1001.
    var isDraining = false
    /// The WebSocket handler is behind (its backlog is over the bound): stop reading.
    var isHandlerBacklogged = false
    /// Output bytes queued, as last reported by `written`.
    var pendingOutput = 0
    /// When output last made progress (or became non-empty).
    var lastWriteProgress: UInt64
    /// When input last arrived (WebSocket ping timer).
    var lastActivity: UInt64
    /// When the unanswered ping was sent.
    var pingSentAt: UInt64?
    /// The epoll interest last asked for.
    var interest: Epoll.Events = .readable
    /// The timer last asked for.
    var timer: UInt64?

    /// A freshly accepted connection at `now`: idle, reading, with the keep-alive timer running.
    init(limits: Limits, now: UInt64) {
        self.limits = limits
        parser = HTTPRequestParser(limits: limits.parserLimits)
        phase = .idle(since: now)
        lastWriteProgress = now
        lastActivity = now
        timer = deadline
    }

    /// Bytes the connection's input side has allocated (parser input and body, the body of the request being
    /// answered, WebSocket frames and message): what the memory budget counts for it besides unsent output.
    var bufferedInputBytes: Int { parser.allocatedByteCount + handledBodyBytes + (webSocket?.allocatedByteCount ?? 0) }

    /// True while the loop should append a handler's answer (a request is in `responding`).
    var isAwaitingResponse: Bool { phase == .responding }

    /// True while application messages may be queued on the WebSocket (open, no close sent or received).
    var acceptsWebSocketMessages: Bool { phase == .webSocket && webSocket?.isClosing == false }

    /// The bound on new WebSocket messages set by the memory budget (see `WebSocketConnectionMachine.messageAllowance`).
    var webSocketMessageAllowance: Int {
        get { webSocket?.messageAllowance ?? .max }
        set { webSocket?.messageAllowance = newValue }
    }

    /// The epoll interest this state wants (level-triggered: only what will be acted on).
    var desiredInterest: Epoll.Events {
        var events: Epoll.Events = pendingOutput > 0 ? .writable : []
        switch phase {
        case .closed: return []
        case .lingering: return events.union(.readable)
        case .flushingToClose: return events
        default: break
        }
        // Over the write bound, stop reading: a peer that does not take its answers gets no more work done.
        guard !isInputClosed, pendingOutput <= limits.writeBufferLimit else { return events }
        switch phase {
        case .webSocket: if !isHandlerBacklogged { events.insert(.readable) }
        case .responding: if !isReadPaused { events.insert(.readable) }
        default: events.insert(.readable)
        }
        return events
    }

    /// When `timerFired` must next run: the earliest applicable timeout, or nil.
    var deadline: UInt64? {
        var earliest: UInt64?
        func consider(_ time: UInt64) { earliest = min(earliest ?? time, time) }
        switch phase {
        case .closed: return nil
        case .lingering(let until): return until
        default: break
        }
        if pendingOutput > 0 { consider(lastWriteProgress &+ limits.writeStallTimeout) }
        switch phase {
        case .idle(let since): if pendingOutput == 0 { consider(since &+ limits.keepAliveTimeout) }
        case .receivingHead(let since): consider(since &+ limits.headerReadTimeout)
        case .receivingBody(let lastRead): consider(lastRead &+ limits.bodyReadTimeout)
        case .webSocket:
            if let sent = pingSentAt { consider(sent &+ limits.deadPeerTimeout) } else { consider(lastActivity &+ limits.pingInterval) }
        default: break
        }
        return earliest
    }

    /// Appends interest and timer changes to `actions` (every event ends here).
    mutating func finish(_ actions: [Action]) -> [Action] {
        if phase == .closed { return actions }
        let wanted = desiredInterest
        let next = deadline
        guard wanted != interest || next != timer else { return actions }   // the common case: nothing to add
        var actions = actions
        actions.reserveCapacity(actions.count + 2)
        if wanted != interest {
            interest = wanted
            actions.append(.setInterest(wanted))
        }
        if next != timer {
            timer = next
            actions.append(.startTimer(next))
        }
        return actions
    }

    /// Marks the connection closed and returns the close action.
    mutating func close(_ reason: CloseReason) -> [Action] {
        phase = .closed
        handledBodyBytes = 0
        return [.close(reason)]
    }
}
