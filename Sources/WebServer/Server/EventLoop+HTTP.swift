import Logging

/// Answering HTTP requests: the Host/Origin guard and WebSocket paths on the I/O thread, everything else on a
/// worker; the answer comes back through the mailbox and goes to the machine as `responseQueued`.
extension EventLoop {
    /// The machine asks whether a request whose body is about to arrive may proceed: the request guard (Host,
    /// Origin) and, for an upgrade, the handshake (which refuses any body) answer now, before `100 Continue`
    /// or the body; the machine weighs the declared length against what is left of the memory budget.
    func checkHead(_ parsed: HTTPRequest, on connection: Connection) -> [ConnectionMachine.Action] {
        var head = parsed
        head.peer = trustedProxies.client(of: connection.peer, headers: head.headers)
        let now = SocketIO.monotonicNanoseconds()
        connection.currentRequest = (AccessLog.Request(head), now)
        var refusal = requestGuard.refusal(for: head, acceptedHost: &connection.acceptedHost, now: now)
        if refusal == nil, WebSocketHandshake.isUpgradeRequest(head),
           case .failure(let refused) = WebSocketHandshake.accept(head, originPolicy: originPolicy, allowsCompression: false) {
            refusal = refused.response
        }
        account(connection)   // what this read added, so `available` is what is left for the body
        return connection.machine.headChecked(refusal: refusal, budgetAvailable: budget.available, now: now)
    }

    /// The machine handed over a complete request.
    func handleRequest(_ parsed: HTTPRequest, keepAlive: Bool, on connection: Connection) -> [ConnectionMachine.Action] {
        var request = parsed
        request.peer = trustedProxies.client(of: connection.peer, headers: request.headers)
        let now = SocketIO.monotonicNanoseconds()
        connection.currentRequest = (AccessLog.Request(request), now)
        let isUpgrade = WebSocketHandshake.isUpgradeRequest(request)
        if let refusal = requestGuard.refusal(for: request, acceptedHost: &connection.acceptedHost, now: now) {
            return respondNow(refusal, to: request, keepAlive: keepAlive && !isUpgrade, on: connection)
        }
        if isUpgrade { return upgrade(connection, request: request) }
        if webSocketRoutes.route(for: request.path) != nil {
            // RFC 9110 §15.5.22: a WebSocket endpoint asked for without an upgrade; other methods: 405.
            let response: HTTPResponse = request.method == .GET || request.method == .HEAD
                ? WebSocketHandshake.upgradeRequired("\(request.path) is a WebSocket endpoint")
                : .methodNotAllowed(request, allow: [.GET])
            return respondNow(response, to: request, keepAlive: keepAlive, on: connection)
        }
        let id = connection.id
        let responder = self.responder
        workers.async { [weak self, request] in
            let prepared = responder.prepare(request, keepAlive: keepAlive)
            self?.execute { loop in loop.complete(id, prepared) }
        }
        return []
    }

    /// Answers on the I/O thread (refusals, 426, handshake errors).
    private func respondNow(_ response: HTTPResponse, to request: HTTPRequest, keepAlive: Bool, on connection: Connection) -> [ConnectionMachine.Action] {
        var response = response
        return queue(Responder.serialize(&response, for: request, keepAlive: keepAlive), on: connection)
    }

    /// A worker's answer is ready: queue it unless the connection moved on (closed, or shed meanwhile).
    private func complete(_ id: UInt64, _ prepared: Responder.Prepared) {
        guard let connection = connections[id], connection.machine.isAwaitingResponse else { return }
        drive(connection, queue(prepared, on: connection))
    }

    /// Appends a serialized answer, logs it, and tells the machine.
    private func queue(_ prepared: Responder.Prepared, on connection: Connection) -> [ConnectionMachine.Action] {
        for chunk in prepared.chunks { connection.writeBuffer.append(chunk) }
        if let file = prepared.file { connection.writeBuffer.append(file) }
        logAccess(connection, status: prepared.status, bytes: prepared.bodyBytes)
        connection.currentRequest = nil
        return connection.machine.responseQueued(keepAlive: prepared.keepAlive && !isDraining, now: SocketIO.monotonicNanoseconds())
    }

    /// RFC 6455 §4.2: validate the handshake, answer 101, and switch the connection's machine to WebSocket.
    private func upgrade(_ connection: Connection, request: HTTPRequest) -> [ConnectionMachine.Action] {
        guard !isDraining else {
            return respondNow(.error(.serviceUnavailable, "server shutting down"), to: request, keepAlive: false, on: connection)
        }
        guard let (route, _) = webSocketRoutes.route(for: request.path) else {
            return respondNow(.error(.notFound, "no WebSocket endpoint at \(request.path)"), to: request, keepAlive: false, on: connection)
        }
        let acceptance: WebSocketHandshake.Acceptance
        switch WebSocketHandshake.accept(request, originPolicy: originPolicy, allowsCompression: configuration.isWebSocketCompressionEnabled) {
        case .failure(let refusal):
            logger.debug("handshake refused (\(connection.peer.map(\.description) ?? "-")): \(refusal.reason)")
            return respondNow(refusal.response, to: request, keepAlive: false, on: connection)
        case .success(let accepted):
            acceptance = accepted
        }
        connection.writeBuffer.append(acceptance.response.serialized(date: DateCache.shared.now(), keepAlive: true, isHeadRequest: false))
        logAccess(connection, status: 101, bytes: 0)
        connection.currentRequest = nil
        if let bytes = configuration.webSocketSendBufferBytes, !SocketIO.setSendBufferSize(connection.fd, bytes: bytes) {
            logger.debug("SO_SNDBUF \(bytes) refused on connection \(connection.id)")
        }
        let handle = WebSocketConnection(id: ConnectionID(rawValue: connection.id), path: request.path, peerAddress: request.peer,
                                         compression: acceptance.deflate, compressionThreshold: configuration.webSocketCompressionThreshold,
                                         loop: self, target: workers)
        let handler = route.handler
        connection.session = WebSocketSession(handle: handle, handler: handler,
                                              backlog: DeliveryBacklog(limit: route.maxMessageBytes, budget: budget))
        if let deflate = acceptance.deflate { compressionRegistry.set(deflate, for: connection.id) }
        handle.callbackQueue.async { handler.webSocketDidConnect(handle, request: request) }
        let machine = WebSocketConnectionMachine(maxMessageBytes: route.maxMessageBytes, deflate: acceptance.deflate)
        return connection.machine.upgraded(to: machine, now: SocketIO.monotonicNanoseconds())
    }

    /// One access line for the connection's current request (none when the answer is to bytes that were no
    /// request, e.g. a parse error or a 408): peer, method, path (never the query or any header), status, body
    /// bytes, duration. At `accessLogLevel` (debug by default), 5xx at warning; nothing is built when the level
    /// filters it out.
    func logAccess(_ connection: Connection, status: Int, bytes: Int) {
        guard status >= 500 || isAccessLogEnabled else { return }
        let level: Logger.Level = status >= 500 ? .warning : configuration.accessLogLevel
        guard logger.logLevel <= level else { return }
        let current = connection.currentRequest
        let duration = current.map { SocketIO.monotonicNanoseconds() &- $0.startedAt }
        let line = AccessLog.line(peer: current?.summary.client ?? connection.peer, request: current?.summary, status: status, bytes: bytes, nanoseconds: duration)
        if isAccessLogEnabled {
            logger.log(level: level, "\(line)")
        } else {
            // Without the access log, 5xx answers still warn, but a client can cause them at will (501, 505, 503
            // past a limit): one line per status per 10 s, like every other refusal.
            logRateLimited("status \(status)", line)
        }
    }
}
