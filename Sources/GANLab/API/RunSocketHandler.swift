import Foundation
import WebServer

/// `GET /ws/runs/{code}` (docs/protocol.md §2): joins the run, then decodes each text message into a command,
/// rate-limits it, checks the sender's role, and queues it for the run's worker. Errors that need no run (bad
/// JSON, unknown type, bad fields, read-only, rate-limited, bad token) are answered here at once.
final class RunSocketHandler: WebSocketHandler, @unchecked Sendable {
    /// The route's path pattern.
    static let path = "/ws/runs/:code"

    private final class Session: @unchecked Sendable {
        let peer: SocketPeer
        var run: Run
        var role: RunRole = .viewer
        var limiter: RateLimiter
        var forkLimiter: RateLimiter

        /// A viewer's session with full rate-limit buckets.
        init(peer: SocketPeer, run: Run, configuration c: LabConfiguration) {
            self.peer = peer
            self.run = run
            limiter = RateLimiter(rate: c.commandsPerSecond, burst: 2 * c.commandsPerSecond)
            forkLimiter = RateLimiter(rate: c.forksPerMinute / 60, burst: 3)
        }
    }

    private let registry: RunRegistry
    private let environment: RunEnvironment
    private let lock = NSLockBox()
    private var sessions: [ConnectionID: Session] = [:]
    private let pattern = RoutePattern(RunSocketHandler.path)

    /// The handler for one lab's runs.
    init(registry: RunRegistry, environment: RunEnvironment) {
        self.registry = registry
        self.environment = environment
    }

    /// Connections on run sockets now.
    var sessionCount: Int { lock.withLock { sessions.count } }

    /// Looks the run up (loading it if archived) and joins it, or refuses with `not-found` and 4004.
    func webSocketDidConnect(_ connection: WebSocketConnection, request: HTTPRequest) {
        let peer = SocketPeer(connection)
        guard let text = pattern.match(connection.path)?["code"], let code = RunCode(text) else {
            refuse(peer, .notFound(pattern.match(connection.path)?["code"] ?? ""), close: 4004, reason: "no such run")
            return
        }
        // Twice: a run evicted between lookup and join is loaded again from the archive.
        for _ in 0..<2 {
            let run: Run
            do {
                run = try registry.run(code)
            } catch {
                if case .notFound = error {
                    refuse(peer, error, close: 4004, reason: "no such run")
                } else {
                    refuse(peer, error, close: 1013, reason: "try again later")
                }
                return
            }
            let session = Session(peer: peer, run: run, configuration: environment.configuration)
            lock.withLock { sessions[connection.id] = session }
            do {
                try run.post(.join(peer))
                return
            } catch {
                lock.withLock { sessions[connection.id] = nil }
            }
        }
        refuse(peer, .notFound(code.text), close: 4004, reason: "no such run")
    }

    /// Rate-limits, decodes and authorises one message, then queues it for the run (or answers the error).
    func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        guard let session = lock.withLock({ sessions[connection.id] }) else { return }
        let now = environment.clock.now()
        // Limit before decoding, so a flood costs no parsing; the id is found by a byte scan so the client can match
        // the refusal to its command.
        guard session.limiter.allow(now: now) else {
            let c = environment.configuration
            let id: JSON? = if case .text(let text) = message { CommandIDScanner.id(in: text) } else { nil }
            reply(session, LabProtocolError.rateLimited(
                "More than \(Int(c.commandsPerSecond)) commands per second on this connection: wait a moment.").reply(id: id, command: nil))
            return
        }
        guard case .text(let text) = message else {
            reply(session, LabProtocolError.badJSON("commands are JSON text messages, not binary").reply(id: nil, command: nil))
            return
        }
        let decoded: CommandDecoder.Decoded
        do {
            decoded = try environment.decoder.decode(text)
        } catch {
            reply(session, error.reply)
            return
        }
        if case .auth(let token) = decoded.command {
            guard session.run.accepts(token: token) else {
                reply(session, LabProtocolError.badToken.reply(id: decoded.id, command: decoded.name))
                return
            }
            session.role = .controller
            post(.authenticated(session.peer, id: decoded.id), to: session, decoded: decoded)
            return
        }
        if decoded.command == .fork, !session.forkLimiter.allow(now: now) {
            let limit = Int(environment.configuration.forksPerMinute)
            reply(session, LabProtocolError.rateLimited("At most \(limit) forks per minute on one connection: wait a moment.")
                .reply(id: decoded.id, command: decoded.name))
            return
        }
        if decoded.command == .fork {
            do {
                try registry.admitNewRun(from: session.peer.connection.peerAddress)
            } catch {
                reply(session, error.reply(id: decoded.id, command: decoded.name))
                return
            }
        }
        if decoded.command.needsControl && session.role != .controller {
            reply(session, LabProtocolError.readOnly(command: decoded.name).reply(id: decoded.id, command: decoded.name))
            return
        }
        post(.command(session.peer, decoded), to: session, decoded: decoded)
    }

    /// Tells the run the connection left.
    func webSocketDidDisconnect(_ connection: WebSocketConnection) {
        guard let session = lock.withLock({ sessions.removeValue(forKey: connection.id) }) else { return }
        try? session.run.post(.leave(session.peer))
    }

    private func post(_ message: RunMessage, to session: Session, decoded: CommandDecoder.Decoded) {
        do {
            try session.run.post(message)
        } catch .full {
            reply(session, LabProtocolError.rateLimited("The run is busy with earlier commands: wait a moment.")
                .reply(id: decoded.id, command: decoded.name))
        } catch {
            reply(session, LabProtocolError.notFound(session.run.code.text).reply(id: decoded.id, command: decoded.name))
        }
    }

    private func reply(_ session: Session, _ json: JSON) {
        session.peer.send(text: json.text)
    }

    private func refuse(_ peer: SocketPeer, _ error: LabProtocolError, close code: UInt16, reason: String) {
        peer.send(text: error.reply(id: nil, command: nil).text)
        peer.close(code: WebSocketCloseCode(code), reason: reason)
    }
}
