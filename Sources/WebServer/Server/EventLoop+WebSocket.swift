/// The WebSocket driver: feeds bytes to the state machine and performs its actions; application sends,
/// streams (newest-frame-wins) and closes arrive here through the mailbox.
extension EventLoop {
    /// Feeds received bytes to the connection's state machine.
    func receiveWebSocketBytes(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) {
        guard connection.webSocket != nil else { return }
        let actions = connection.webSocket!.machine.receive(bytes)
        perform(actions, on: connection)
    }

    /// Performs state-machine actions in order, then flushes.
    func perform(_ actions: [WebSocketAction], on connection: Connection) {
        guard let session = connection.webSocket else { return }
        for action in actions {
            switch action {
            case .write(let bytes):
                if connection.writeBuffer.isEmpty { connection.lastWriteProgress = SocketIO.monotonicNanoseconds() }
                connection.writeBuffer.append(bytes)
            case .deliver(let message):
                let handle = session.handle, handler = session.handler, backlog = session.backlog
                let size: Int
                switch message {
                case .text(let text): size = text.utf8.count
                case .binary(let bytes): size = bytes.count
                }
                backlog.add(size)
                let id = connection.id
                handle.callbackQueue.async { [weak self] in
                    handler.webSocket(handle, didReceive: message)
                    if backlog.remove(size) {
                        self?.execute { loop in loop.connections[id].map(loop.updateInterest) }
                    }
                }
            case .closeConnection:
                connection.closeAfterFlush = true
            }
        }
        flush(connection)
    }

    /// Queues an application frame; a slow reader over the write-buffer bound is dropped, a stream frame replaces the last.
    func sendWebSocketFrame(_ frame: [UInt8], to id: UInt64, isStream: Bool) {
        guard let connection = connections[id], let session = connection.webSocket,
              !session.machine.isClosing, !connection.closeAfterFlush else { return }
        if connection.writeBuffer.isEmpty { connection.lastWriteProgress = SocketIO.monotonicNanoseconds() }
        if isStream {
            connection.writeBuffer.replaceStream(frame)
        } else {
            guard connection.writeBuffer.queuedBytes <= configuration.writeBufferLimit else {
                logger.warning("dropping WebSocket \(id): \(connection.writeBuffer.queuedBytes) bytes unsent (limit \(configuration.writeBufferLimit))")
                closeConnection(connection)
                return
            }
            connection.writeBuffer.append(frame)
        }
        flush(connection)
    }

    /// Application-initiated close handshake.
    func closeWebSocket(_ id: UInt64, code: WebSocketCloseCode, reason: String) {
        guard let connection = connections[id], connection.webSocket != nil else { return }
        let actions = connection.webSocket!.machine.close(code: code, reason: reason)
        perform(actions, on: connection)
    }

    /// Hands one encoded frame (the same bytes, shared) to each listed WebSocket's stream slot.
    func broadcast(_ frame: [UInt8], to ids: [ConnectionID]) {
        for id in ids { sendWebSocketFrame(frame, to: id.rawValue, isStream: true) }
    }
}
