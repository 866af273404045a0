import Dispatch
import Glibc
import Logging

/// Timers (swept every `ServerConfiguration.sweepInterval`), the memory budget, warnings, and graceful shutdown.
extension EventLoop {
    /// Fires the timer of every connection whose deadline has passed, and hands freed memory back after a burst.
    func sweep(now: UInt64) {
        for connection in Array(connections.values) {
            guard let deadline = connection.deadline, deadline <= now, isOpen(connection) else { continue }
            drive(connection, connection.machine.timerFired(now: now))
        }
        if budget.shouldReleaseFreedMemory(now: now) {
            // On a worker: it walks glibc's arenas (a few ms after a burst of large buffers), the I/O thread goes on.
            // Once now, and once more a little later for what handlers and handler queues freed after the count
            // fell (a request body a worker still held, messages a WebSocket handler had not taken yet).
            workers.async { SystemMemory.releaseFreedMemory() }
            workers.asyncAfter(deadline: .now() + .seconds(2)) { SystemMemory.releaseFreedMemory() }
        }
    }

    /// Logs a machine's warning at `warning` level, at most one of a kind per 10 s (the next says how many were held back).
    func warn(_ warning: ConnectionMachine.Warning, on connection: Connection) {
        let kind: String, message: String
        switch warning {
        case .slowReaderDropped(let queued):
            kind = "slow reader"
            message = "dropping WebSocket \(connection.id): \(queued) bytes unsent (limit \(configuration.writeBufferLimit))"
        case .outgoingMessageOverBudget(let bytes):
            kind = "outgoing over budget"
            message = "refusing a \(bytes)-byte message to WebSocket \(connection.id): memory budget (\(budget.limit) bytes) exhausted; closed with 1008"
        case .incomingMessageOverBudget:
            kind = "incoming over budget"
            message = "refused a WebSocket message from connection \(connection.id) with 1009: memory budget (\(budget.current) of \(budget.limit) bytes buffered)"
        case .requestBodyOverBudget(let bytes):
            kind = "body over budget"
            message = "refused a \(bytes)-byte request body on connection \(connection.id) with 503: memory budget (\(budget.current) of \(budget.limit) bytes buffered)"
        }
        logRateLimited(kind, "\(message) (\(connection.peer.map(\.description) ?? "-"))")
    }

    /// Logs `message` at warning level unless one of `kind` was logged in the last 10 s.
    func logRateLimited(_ kind: String, _ message: String) {
        guard logger.logLevel <= .warning else { return }
        let verdict = warnings.admit(kind, now: SocketIO.monotonicNanoseconds())
        guard verdict.isLogged else { return }
        logger.warning("\(message)\(verdict.heldBack > 0 ? " [\(verdict.heldBack) more like it in the last 10 s]" : "")")
    }

    /// Over the memory budget: shed the connections holding most (their unsent output, buffered input and
    /// unhandled messages) until the total is projected back under the low-water mark. Everyone else is untouched.
    func enforceBudget() {
        var projected = budget.current
        guard projected > budget.limit else { return }
        let now = SocketIO.monotonicNanoseconds()
        let holders = connections.values.map { ($0, $0.bufferedBytes) }.sorted { $0.1 > $1.1 }
        for (connection, held) in holders {
            guard projected > budget.lowWater, held > 0 else { break }
            let peer = connection.peer.map(\.description) ?? "-"
            logRateLimited("shed", "memory budget: \(budget.current) of \(budget.limit) bytes buffered; shedding connection \(connection.id) (\(peer)) holding \(held)")
            projected -= held
            // A half-sent HTTP response cannot be followed by a 503 (the machine closes such a connection at once).
            let isMidChunk = connection.session == nil && connection.writeBuffer.hasStartedChunk
            drive(connection, connection.machine.shed(now: now, isMidChunk: isMidChunk))
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
