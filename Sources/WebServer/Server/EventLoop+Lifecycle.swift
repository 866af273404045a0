import Glibc

/// Timers (swept every `ServerConfiguration.sweepInterval`), the memory budget, and graceful shutdown.
extension EventLoop {
    /// Fires the timer of every connection whose deadline has passed.
    func sweep(now: UInt64) {
        for connection in Array(connections.values) {
            guard let deadline = connection.deadline, deadline <= now, isOpen(connection) else { continue }
            drive(connection, connection.machine.timerFired(now: now))
        }
    }

    /// Over the memory budget: shed the connections holding most (their unsent output, buffered input and
    /// unhandled messages) until the total is projected back under the low-water mark. Everyone else is untouched.
    func enforceBudget() {
        var projected = budget.current
        guard projected > budget.limit else { return }
        let now = SocketIO.monotonicNanoseconds()
        let holders = connections.values.map { ($0, $0.accountedBytes + ($0.session?.backlog.bytes ?? 0)) }.sorted { $0.1 > $1.1 }
        for (connection, held) in holders {
            guard projected > budget.lowWater, held > 0 else { break }
            let peer = connection.peer.map(\.description) ?? "-"
            logger.warning("memory budget: \(budget.current) of \(budget.limit) bytes buffered; shedding connection \(connection.id) (\(peer)) holding \(held)")
            projected -= held
            drive(connection, connection.machine.shed(now: now))
        }
    }

    /// Graceful shutdown (I/O thread): stop accepting, close WebSockets with 1001, let in-flight responses
    /// finish, close idle connections; `run` returns when all are gone or the grace period ends.
    func beginShutdown() {
        guard drainDeadline == nil else { return }
        let now = SocketIO.monotonicNanoseconds()
        drainDeadline = now + UInt64(configuration.shutdownGracePeriod * 1e9)
        if let listener {
            epoll.remove(listener.fd)
            listener.close()
            self.listener = nil
        }
        for connection in Array(connections.values) where isOpen(connection) {
            drive(connection, connection.machine.shutdown(now: now))
        }
    }

    /// True once graceful shutdown began.
    var isDraining: Bool { drainDeadline != nil }
}
