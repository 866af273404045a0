import Foundation
import Glibc
import Logging

/// Turns one request into serialized response bytes on a worker thread: healthz, the router, then static
/// files, then a JSON 404. Also writes the access log line.
final class Responder: @unchecked Sendable {
    /// The application's JSON routes.
    let router: Router
    /// Static files, when a public folder exists.
    let staticFiles: StaticFileHandler?
    /// Where access lines go.
    let logger: Logger
    /// Open connections, for healthz.
    let connectionCounter: LockedCounter
    /// Problems the application reports in healthz (e.g. runs cannot be saved).
    let healthProblems: @Sendable () -> [String]
    private let startedAt = SocketIO.monotonicNanoseconds()

    /// Bundles what a worker needs to answer a request.
    init(router: Router, staticFiles: StaticFileHandler?, logger: Logger, connectionCounter: LockedCounter,
         healthProblems: @escaping @Sendable () -> [String] = { [] }) {
        self.healthProblems = healthProblems
        self.router = router
        self.staticFiles = staticFiles
        self.logger = logger
        self.connectionCounter = connectionCounter
    }

    /// The response to `request`, before serialization.
    func response(to request: HTTPRequest) -> HTTPResponse {
        if request.path == HealthCheck.path, request.method == .GET || request.method == .HEAD {
            let uptime = Double(SocketIO.monotonicNanoseconds() - startedAt) / 1e9
            return HealthCheck.response(uptimeSeconds: uptime, connections: connectionCounter.current, problems: healthProblems())
        }
        if let routed = router.respond(to: request) { return routed }
        if let staticFiles {
            if request.method == .GET || request.method == .HEAD { return staticFiles.respond(to: request) }
            if case .success = staticFiles.resolver.resolve(request.path) {
                var response = HTTPResponse.error(.methodNotAllowed, "method \(request.method.rawValue) not allowed for \(request.path)")
                response.headers.replaceOrAdd("Allow", "GET, HEAD")
                return response
            }
        }
        return .error(.notFound, "not found")
    }

    /// Serialized chunks (head, then the body unchanged so a cached file is never copied) and whether the
    /// connection stays open; logs one access line.
    func serializedResponse(to request: HTTPRequest, keepAlive: Bool) -> ([[UInt8]], Bool) {
        var response = response(to: request)
        let keepsAlive = keepAlive && !response.headers.tokens("Connection").contains("close")
        if keepsAlive && request.version == .http1_0 {
            response.headers.replaceOrAdd("Connection", "keep-alive")   // RFC 9112 §9.3: 1.0 needs it said
        }
        let code = response.status.code
        let hasBody = request.method != .HEAD && !response.body.isEmpty && code >= 200 && code != 204 && code != 304
        let date = DateCache.shared.now()
        logger.info("\(AccessLog.line(request, status: code, bytes: response.body.count))")
        guard hasBody else {
            return ([response.serialized(date: date, keepAlive: keepsAlive, isHeadRequest: request.method == .HEAD)], keepsAlive)
        }
        // `isHeadRequest: true` gives exactly the head a GET would send (Content-Length of the body included).
        let head = response.serialized(date: date, keepAlive: keepsAlive, isHeadRequest: true)
        return ([head, response.body], keepsAlive)
    }
}
