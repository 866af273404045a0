import Foundation
import Glibc
import Logging

/// The HTTP/1.1 + WebSocket server: configure routes, `start()`, and later `shutdown()`.
///
/// ```swift
/// let server = HTTPServer(configuration: config)
/// server.router.get("/api/hello") { _, _ in .json(.ok, "{\"hello\":true}") }
/// server.addWebSocketRoute("/ws/lab", handler: labHandler)
/// try server.start()
/// print("listening on \(server.port)")
/// server.waitUntilStopped()
/// ```
/// One I/O thread owns every socket (see `EventLoop`); handlers run on a concurrent worker queue.
public final class HTTPServer: @unchecked Sendable {
    /// The limits and options in force (fixed at `start()`).
    public let configuration: ServerConfiguration
    /// JSON API routes; change them only before `start()`.
    public var router = Router()
    /// The logger for access lines and warnings.
    public let logger: Logger
    /// Problems the application wants `GET /healthz` to report (status "degraded"); set before `start()`.
    public var healthProblems: @Sendable () -> [String] = { [] }

    private var webSocketRoutes: [WebSocketRoute] = []
    private let lock = NSCondition()
    private var loop: EventLoop?
    private var listener: ListeningSocket?
    private var isStopped = false
    private let connectionCounter = LockedCounter()

    /// A server with `configuration` (nothing is bound until `start()`).
    public init(configuration: ServerConfiguration = .init(), logger: Logger? = nil) {
        self.configuration = configuration
        var logger = logger ?? Logger(label: "ganlab.server")
        logger.logLevel = configuration.logLevel
        self.logger = logger
        if configuration.isEchoEnabled {
            webSocketRoutes.append(WebSocketRoute(pattern: RoutePattern(EchoWebSocketHandler.path), handler: EchoWebSocketHandler(),
                                                  maxMessageBytes: configuration.maxWebSocketMessageBytes))
        }
    }

    /// Registers a WebSocket endpoint; call before `start()`. `path` is exact or a pattern such as
    /// "/ws/runs/:code" (the handler reads the parameters with `RoutePattern(path).match(connection.path)`).
    /// `maxMessageBytes` (default: `configuration.maxWebSocketMessageBytes`) bounds messages on this route;
    /// it may only be lower than the server-wide limit. Earlier routes win when several match.
    public func addWebSocketRoute(_ path: String, maxMessageBytes: Int? = nil, handler: WebSocketHandler) {
        lock.lock()
        defer { lock.unlock() }
        precondition(loop == nil, "add WebSocket routes before start()")
        let limit = min(maxMessageBytes ?? configuration.maxWebSocketMessageBytes, configuration.maxWebSocketMessageBytes)
        webSocketRoutes.removeAll { $0.pattern == RoutePattern(path) }
        webSocketRoutes.append(WebSocketRoute(pattern: RoutePattern(path), handler: handler, maxMessageBytes: max(125, limit)))
    }

    /// Removes a WebSocket endpoint; call before `start()`.
    public func removeWebSocketRoute(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        precondition(loop == nil, "remove WebSocket routes before start()")
        webSocketRoutes.removeAll { $0.pattern == RoutePattern(path) }
    }

    /// Binds the listening socket and starts the I/O thread. Throws a one-line error for a bad or busy address.
    public func start() throws {
        try configuration.validate()
        signal(SIGPIPE, SIG_IGN)   // belt and braces: every send also uses MSG_NOSIGNAL
        SocketIO.raiseOpenFileLimit()
        let address = try SocketAddress(host: configuration.host, port: configuration.port)
        let listener = try ListeningSocket(address: address)
        let staticFiles = configuration.publicDirectory.flatMap {
            StaticFileHandler(root: $0, cacheControl: configuration.staticCacheControl, maxCachedFileBytes: configuration.maxCachedFileBytes)
        }
        if let folder = configuration.publicDirectory, staticFiles == nil {
            logger.warning("public folder \(folder) not found: static files disabled")
        }
        let responder = Responder(router: router, staticFiles: staticFiles, logger: logger, connectionCounter: connectionCounter,
                                  healthProblems: healthProblems)
        lock.lock()
        defer { lock.unlock() }
        precondition(self.loop == nil, "start() called twice")
        let loop: EventLoop
        do {
            loop = try EventLoop(configuration: configuration, listener: listener, responder: responder,
                                 webSocketRoutes: webSocketRoutes, logger: logger, connectionCounter: connectionCounter)
        } catch {
            listener.close()
            throw error
        }
        self.loop = loop
        self.listener = listener
        let thread = Thread { [weak self] in
            loop.run()
            self?.markStopped()
        }
        thread.name = "ganlab-io"
        thread.start()
    }

    /// The bound address (after `start()`).
    public var localAddress: SocketAddress? {
        lock.lock()
        defer { lock.unlock() }
        return listener?.address
    }

    /// The bound port (after `start()`; the kernel's choice when the configuration said 0).
    public var port: Int { localAddress?.port ?? 0 }

    /// Open connections right now (as healthz reports).
    public var connectionCount: Int { connectionCounter.current }

    /// Graceful shutdown: stop accepting, close WebSockets with 1001, flush, then stop within the grace period.
    /// Returns at once; use `waitUntilStopped()` to block.
    public func shutdown() {
        lock.lock()
        let loop = self.loop
        lock.unlock()
        guard let loop else { markStopped(); return }
        loop.execute { $0.beginShutdown() }
    }

    /// Blocks until the I/O thread has finished (after `shutdown()`).
    public func waitUntilStopped() {
        lock.lock()
        while !isStopped { lock.wait() }
        lock.unlock()
    }

    /// `shutdown()` then `waitUntilStopped()`.
    public func stop() {
        shutdown()
        waitUntilStopped()
    }

    /// Hands one already-encoded WebSocket frame (the same bytes, no copy per client) to each connection's
    /// newest-frame-wins slot: a slow client skips stale frames, the others are unaffected.
    public func broadcast(frame: [UInt8], to connections: [ConnectionID]) {
        lock.lock()
        let loop = self.loop
        lock.unlock()
        loop?.execute { $0.broadcast(frame, to: connections) }
    }

    /// Encodes `message` once and broadcasts it as a streamed frame (see `broadcast(frame:to:)`).
    public func broadcast(_ message: WebSocketMessage, to connections: [ConnectionID]) {
        broadcast(frame: WebSocketConnectionMachine.frame(message), to: connections)
    }

    private func markStopped() {
        lock.lock()
        isStopped = true
        lock.broadcast()
        lock.unlock()
    }
}
