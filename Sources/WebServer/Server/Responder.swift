import Foundation
import Glibc
import Logging

/// Turns one request into serialized response bytes on a worker thread: healthz, the router, then static
/// files, then a JSON 404.
final class Responder: @unchecked Sendable {
    /// A serialized answer, ready for the write buffer.
    struct Prepared {
        /// The head, then the body unchanged (so a cached file is never copied); just the head when bodiless.
        var chunks: [[UInt8]]
        /// A large static file streamed after the head.
        var file: FileRegion?
        /// Whether the connection stays open afterwards.
        var keepAlive: Bool
        /// The status code (access log).
        var status: Int
        /// Body bytes sent (access log).
        var bodyBytes: Int
    }

    /// The application's JSON routes.
    let router: Router
    /// Static files, when a public folder exists.
    let staticFiles: StaticFileHandler?
    /// Open connections and buffered bytes, for healthz.
    let statistics: ServerStatistics
    /// Problems the application reports in healthz (e.g. runs cannot be saved).
    let healthProblems: @Sendable () -> [String]
    private let startedAt = SocketIO.monotonicNanoseconds()

    /// Bundles what a worker needs to answer a request.
    init(router: Router, staticFiles: StaticFileHandler?, statistics: ServerStatistics,
         healthProblems: @escaping @Sendable () -> [String] = { [] }) {
        self.healthProblems = healthProblems
        self.router = router
        self.staticFiles = staticFiles
        self.statistics = statistics
    }

    /// The response to `request` before serialization, with a streamed file when it is one.
    func answer(to request: HTTPRequest) -> StaticFileHandler.Answer {
        if request.path == HealthCheck.path {
            guard request.method == .GET || request.method == .HEAD else {
                return .init(response: .methodNotAllowed(request, allow: [.GET, .HEAD]))
            }
            let uptime = Double(SocketIO.monotonicNanoseconds() - startedAt) / 1e9
            return .init(response: HealthCheck.response(uptimeSeconds: uptime, connections: statistics.connections,
                                                        bufferedBytes: statistics.bufferedBytes, problems: healthProblems()))
        }
        if let routed = router.respond(to: request) { return .init(response: routed) }
        if let staticFiles {
            if request.method == .GET || request.method == .HEAD { return staticFiles.answer(to: request) }
            if case .success = staticFiles.resolver.resolve(request.path) { return .init(response: .methodNotAllowed(request, allow: [.GET, .HEAD])) }
        }
        return .init(response: .error(.notFound, "not found"))
    }

    /// The serialized answer to `request`; `keepAlive` false (or a handler's `Connection: close`) ends the connection.
    func prepare(_ request: HTTPRequest, keepAlive: Bool) -> Prepared {
        var answer = answer(to: request)
        return Self.serialize(&answer.response, file: answer.file, for: request, keepAlive: keepAlive)
    }

    /// Serializes a response for `request` (also used on the I/O thread for refusals and 426).
    static func serialize(_ response: inout HTTPResponse, file: FileRegion? = nil, for request: HTTPRequest, keepAlive: Bool) -> Prepared {
        let keepsAlive = keepAlive && !response.headers.tokens("Connection").contains("close")
        if keepsAlive && request.version == .http1_0 {
            response.headers.replaceOrAdd("Connection", "keep-alive")   // RFC 9112 §9.3: 1.0 needs it said
        }
        let code = response.status.code
        let isHead = request.method == .HEAD
        let hasBody = !isHead && !response.body.isEmpty && code >= 200 && code != 204 && code != 304
        let date = DateCache.shared.now()
        let bodyBytes = isHead ? 0 : (file?.remaining ?? (hasBody ? response.body.count : 0))
        guard hasBody else {
            // A streamed file's head: `isHeadRequest` keeps the Content-Length the handler stated.
            let head = response.serialized(date: date, keepAlive: keepsAlive, isHeadRequest: isHead || file != nil)
            return Prepared(chunks: [head], file: isHead ? nil : file, keepAlive: keepsAlive, status: code, bodyBytes: bodyBytes)
        }
        // `isHeadRequest: true` gives exactly the head a GET would send (Content-Length of the body included).
        let head = response.serialized(date: date, keepAlive: keepsAlive, isHeadRequest: true)
        return Prepared(chunks: [head, response.body], file: nil, keepAlive: keepsAlive, status: code, bodyBytes: bodyBytes)
    }
}
