import Glibc

/// The HTTP/1.1 driver: feeds the parser, answers pipelined requests one at a time and in order
/// (RFC 9112 §9.3.2), hands each request to a worker, and switches to WebSocket on an upgrade.
extension EventLoop {
    /// Takes complete requests from the parser while no response is pending.
    func processRequests(_ connection: Connection) {
        while connections[connection.id] != nil, connection.webSocket == nil,
              !connection.isRequestInFlight, !connection.closeAfterFlush, connection.lingerDeadline == nil {
            // A reader that does not drain its responses gets no more until it does.
            if connection.writeBuffer.queuedBytes > configuration.writeBufferLimit { break }
            switch connection.parser.next() {
            case .needMoreData:
                if connection.parser.isMidRequest {
                    if connection.requestStartedAt == nil { connection.requestStartedAt = SocketIO.monotonicNanoseconds() }
                    if connection.parser.expectsContinue && !connection.hasSentContinue {
                        // RFC 9110 §10.1.1: the client waits for this before sending the body.
                        connection.hasSentContinue = true
                        connection.writeBuffer.append(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                        flush(connection)
                        guard connections[connection.id] != nil else { return }
                    }
                } else {
                    connection.requestStartedAt = nil
                }
                if connection.isReadClosed {
                    // The peer finished sending; answer what we have, then close.
                    connection.closeAfterFlush = true
                    if connection.writeBuffer.isEmpty { closeConnection(connection); return }
                }
                updateInterest(connection)
                return
            case .request(let request):
                connection.requestStartedAt = nil
                connection.hasSentContinue = false
                if let refusal = requestGuard.refusal(for: request) {
                    let isUpgrade = WebSocketHandshake.isUpgradeRequest(request)
                    logger.info("\(AccessLog.line(request, status: refusal.status.code))")
                    let keepAlive = request.isKeepAlive && !isUpgrade
                    connection.writeBuffer.append(refusal.serialized(date: DateCache.shared.now(), keepAlive: keepAlive,
                                                                     isHeadRequest: request.method == .HEAD))
                    if !keepAlive { connection.closeAfterFlush = true }
                    flush(connection)
                } else if WebSocketHandshake.isUpgradeRequest(request) {
                    upgrade(connection, request: request)
                } else if webSocketRoutes.route(for: request.path) != nil {
                    // RFC 9110 §15.5.22: a WebSocket endpoint asked for without an upgrade; other methods: 405.
                    var response: HTTPResponse
                    if request.method == .GET || request.method == .HEAD {
                        response = WebSocketHandshake.upgradeRequired("\(request.path) is a WebSocket endpoint")
                    } else {
                        response = .error(.methodNotAllowed, "method \(request.method.rawValue) not allowed for \(request.path)")
                        response.headers.add("Allow", "GET")
                    }
                    logger.info("\(AccessLog.line(request, status: response.status.code))")
                    connection.writeBuffer.append(response.serialized(date: DateCache.shared.now(), keepAlive: request.isKeepAlive,
                                                                      isHeadRequest: request.method == .HEAD))
                    if !request.isKeepAlive { connection.closeAfterFlush = true }
                    flush(connection)
                } else {
                    dispatch(request, on: connection)
                }
            case .error(let error):
                // RFC 9112 §9.6: after a framing error the connection cannot be trusted; answer and close.
                logger.info("\(AccessLog.line(nil, status: error.status.code)) parse error: \(error)")
                sendFinal(error.response, on: connection)
                return
            }
        }
        if connections[connection.id] != nil { updateInterest(connection) }
    }

    /// Queues an error response with `Connection: close` and closes once it is written.
    func sendFinalError(_ status: HTTPStatus, _ message: String, on connection: Connection) {
        sendFinal(.error(status, message), on: connection)
    }

    /// Queues `response` with `Connection: close` and closes once it is written.
    func sendFinal(_ response: HTTPResponse, on connection: Connection) {
        connection.writeBuffer.append(response.serialized(date: DateCache.shared.now(), keepAlive: false, isHeadRequest: false))
        connection.closeAfterFlush = true
        flush(connection)
    }

    /// Runs the responder on a worker; the serialized answer comes back through the mailbox.
    private func dispatch(_ request: HTTPRequest, on connection: Connection) {
        connection.isRequestInFlight = true
        let id = connection.id
        let keepAlive = request.isKeepAlive && !isDraining
        let responder = self.responder
        workers.async { [weak self] in
            let (chunks, keepsAlive) = responder.serializedResponse(to: request, keepAlive: keepAlive)
            self?.execute { loop in loop.complete(id, chunks: chunks, keepAlive: keepsAlive) }
        }
        updateInterest(connection)
    }

    /// A worker's answer is ready: send it, then move on to the next pipelined request.
    private func complete(_ id: UInt64, chunks: [[UInt8]], keepAlive: Bool) {
        guard let connection = connections[id] else { return }
        connection.isRequestInFlight = false
        connection.isReadPaused = false
        connection.lastActivity = SocketIO.monotonicNanoseconds()
        if connection.writeBuffer.isEmpty { connection.lastWriteProgress = connection.lastActivity }
        for chunk in chunks { connection.writeBuffer.append(chunk) }
        if !keepAlive || isDraining { connection.closeAfterFlush = true }
        flush(connection)
        guard connections[id] != nil else { return }
        processRequests(connection)
    }

    /// RFC 6455 §4.2: validate the handshake, answer 101, and hand the connection to a state machine.
    private func upgrade(_ connection: Connection, request: HTTPRequest) {
        guard !isDraining else {
            sendFinalError(.serviceUnavailable, "server shutting down", on: connection)
            return
        }
        guard let (route, _) = webSocketRoutes.route(for: request.path) else {
            logger.info("\(AccessLog.line(request, status: 404)) no WebSocket route")
            sendFinalError(.notFound, "no WebSocket endpoint at \(request.path)", on: connection)
            return
        }
        switch WebSocketHandshake.respond(to: request, originPolicy: originPolicy) {
        case .failure(let refusal):
            logger.info("\(AccessLog.line(request, status: refusal.response.status.code)) handshake refused: \(refusal.reason)")
            connection.writeBuffer.append(refusal.response.serialized(date: DateCache.shared.now(), keepAlive: false, isHeadRequest: false))
            connection.closeAfterFlush = true
            flush(connection)
        case .success(let response):
            logger.info("\(AccessLog.line(request, status: 101))")
            connection.writeBuffer.append(response.serialized(date: DateCache.shared.now(), keepAlive: true, isHeadRequest: false))
            let handle = WebSocketConnection(id: ConnectionID(rawValue: connection.id), path: request.path, loop: self, target: workers)
            let handler = route.handler
            let machine = WebSocketConnectionMachine(maxMessageBytes: route.maxMessageBytes)
            connection.webSocket = WebSocketSession(machine: machine, handle: handle, handler: handler,
                                                    backlog: DeliveryBacklog(limit: route.maxMessageBytes))
            handle.callbackQueue.async { handler.webSocketDidConnect(handle, request: request) }
            let leftover = connection.parser.takeBufferedBytes()
            if !leftover.isEmpty {
                leftover.withUnsafeBytes { receiveWebSocketBytes(connection, $0) }
            } else {
                flush(connection)
            }
        }
    }
}
