/// A handler for one route: runs on a worker thread, never on the I/O thread.
public typealias RouteHandler = @Sendable (HTTPRequest, RouteParameters) throws -> HTTPResponse

/// Method + path routing for small JSON APIs, with `:name` path parameters.
///
/// Unknown paths give `nil` from `respond(to:)` (so static files can try next); a known path with another
/// method gives `405` with `Allow` (RFC 9110 §15.5.6). HEAD is served by a GET route when no HEAD route exists
/// (RFC 9110 §9.3.2). When several patterns match a path, only the most specific take part (a literal segment
/// beats a parameter), whatever the order they were added in: `GET /api/runs/import` is a 405 of the import
/// route, not a lookup of a run called "import".
public struct Router: Sendable {
    /// The outcome of matching a request against the routes.
    public enum Match {
        /// A route matched: its handler and the decoded parameters.
        case found(RouteHandler, RouteParameters)
        /// The path matched routes, but none for this method; `allowed` lists theirs.
        case methodNotAllowed(allowed: [HTTPMethod])
        /// No route has this path.
        case notFound
    }

    private struct Route: Sendable {
        var method: HTTPMethod
        var pattern: RoutePattern
        var handler: RouteHandler
    }

    private var routes: [Route] = []

    /// An empty router.
    public init() {}

    /// Adds a route; `pattern` is like "/api/runs/:id" (`:name` matches one segment).
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping RouteHandler) {
        routes.append(Route(method: method, pattern: RoutePattern(pattern), handler: handler))
    }

    /// Adds a GET route (also answers HEAD).
    public mutating func get(_ pattern: String, _ handler: @escaping RouteHandler) { add(.GET, pattern, handler) }
    /// Adds a POST route.
    public mutating func post(_ pattern: String, _ handler: @escaping RouteHandler) { add(.POST, pattern, handler) }
    /// Adds a PUT route.
    public mutating func put(_ pattern: String, _ handler: @escaping RouteHandler) { add(.PUT, pattern, handler) }
    /// Adds a DELETE route.
    public mutating func delete(_ pattern: String, _ handler: @escaping RouteHandler) { add(.DELETE, pattern, handler) }

    /// True when some route (any method) has exactly this pattern.
    public func hasRoute(_ method: HTTPMethod, _ pattern: String) -> Bool {
        let wanted = RoutePattern(pattern)
        return routes.contains { $0.method == method && $0.pattern == wanted }
    }

    /// Matches a method and a raw (percent-encoded) path.
    public func match(method: HTTPMethod, path: String) -> Match {
        let pieces = RoutePattern.pieces(of: path)
        var matching: [(route: Route, parameters: RouteParameters)] = []
        for route in routes {
            guard let parameters = route.pattern.match(pieces) else { continue }
            if let best = matching.first?.route.pattern {
                if best.isMoreSpecific(than: route.pattern) { continue }
                if route.pattern.isMoreSpecific(than: best) { matching.removeAll() }
            }
            matching.append((route, parameters))
        }
        var allowed: [HTTPMethod] = []
        var headFallback: (RouteHandler, RouteParameters)?
        for (route, parameters) in matching {
            if route.method == method { return .found(route.handler, parameters) }
            if method == .HEAD, route.method == .GET, headFallback == nil { headFallback = (route.handler, parameters) }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        if let (handler, parameters) = headFallback { return .found(handler, parameters) }
        if allowed.isEmpty { return .notFound }
        if allowed.contains(.GET), !allowed.contains(.HEAD) { allowed.append(.HEAD) }
        return .methodNotAllowed(allowed: allowed)
    }

    /// The response for `request`, or nil when no route has its path. Handler errors become a JSON 500.
    public func respond(to request: HTTPRequest) -> HTTPResponse? {
        switch match(method: request.method, path: request.path) {
        case .notFound:
            return nil
        case .methodNotAllowed(let allowed):
            return .methodNotAllowed(request, allow: allowed)
        case .found(let handler, let parameters):
            do {
                return try handler(request, parameters)
            } catch let error as HTTPError {
                return .error(error.status, error.message)
            } catch {
                return .error(.internalServerError, "internal error")
            }
        }
    }
}
