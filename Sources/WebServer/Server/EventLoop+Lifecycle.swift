import Glibc

/// Timers (swept every `ServerConfiguration.sweepInterval`) and graceful shutdown.
extension EventLoop {
    /// Nanoseconds from `start` to `now`, never negative (an unsigned underflow would trap).
    private func elapsed(since start: UInt64, now: UInt64) -> UInt64 { now >= start ? now - start : 0 }

    /// Applies every timeout: linger, write stall, WebSocket ping / dead peer, header read, keep-alive idle.
    func sweep(now: UInt64) {
        let headerTimeout = UInt64(configuration.headerReadTimeout * 1e9)
        let idleTimeout = UInt64(configuration.keepAliveTimeout * 1e9)
        let stallTimeout = UInt64(configuration.writeStallTimeout * 1e9)
        let pingInterval = UInt64(configuration.webSocketPingInterval * 1e9)
        let deadPeerTimeout = UInt64(configuration.webSocketDeadPeerTimeout * 1e9)
        for connection in Array(connections.values) {
            if let deadline = connection.lingerDeadline {
                if now >= deadline { closeConnection(connection) }
                continue
            }
            if !connection.writeBuffer.isEmpty, elapsed(since: connection.lastWriteProgress, now: now) > stallTimeout {
                logger.debug("closing \(connection.id): peer stopped reading")
                closeConnection(connection)
                continue
            }
            if connection.webSocket != nil {
                if let sent = connection.pingSentAt {
                    if elapsed(since: sent, now: now) > deadPeerTimeout {
                        logger.debug("closing WebSocket \(connection.id): no reply to ping")
                        closeConnection(connection)
                    }
                } else if elapsed(since: connection.lastActivity, now: now) > pingInterval {
                    connection.pingSentAt = now
                    let actions = connection.webSocket!.machine.ping(payload: Array("ganlab".utf8))
                    perform(actions, on: connection)
                }
                continue
            }
            guard !connection.isRequestInFlight, !connection.closeAfterFlush else { continue }
            if let started = connection.requestStartedAt {
                if elapsed(since: started, now: now) > headerTimeout {
                    // Slowloris guard: the request did not arrive in time.
                    sendFinalError(.requestTimeout, "request not received in time", on: connection)
                }
            } else if connection.writeBuffer.isEmpty, elapsed(since: connection.lastActivity, now: now) > idleTimeout {
                closeConnection(connection)
            }
        }
    }

    /// Graceful shutdown (I/O thread): stop accepting, close WebSockets with 1001, let in-flight responses
    /// finish, close idle connections; `run` returns when all are gone or the grace period ends.
    func beginShutdown() {
        guard drainDeadline == nil else { return }
        drainDeadline = SocketIO.monotonicNanoseconds() + UInt64(configuration.shutdownGracePeriod * 1e9)
        if let listener {
            epoll.remove(listener.fd)
            listener.close()
            self.listener = nil
        }
        for connection in Array(connections.values) {
            if connection.lingerDeadline != nil { continue }
            if connection.webSocket != nil {
                let actions = connection.webSocket!.machine.close(code: .goingAway, reason: "server shutting down")
                perform(actions, on: connection)
            } else if connection.isRequestInFlight || !connection.writeBuffer.isEmpty {
                connection.closeAfterFlush = true
                updateInterest(connection)
            } else {
                closeConnection(connection)
            }
        }
    }

    /// True once graceful shutdown began.
    var isDraining: Bool { drainDeadline != nil }
}
