/// One WebSocket endpoint: a path pattern (like "/ws/runs/:code"), its handler, and its message limit.
struct WebSocketRoute: Sendable {
    /// The path the upgrade request must match (`:name` captures one segment).
    let pattern: RoutePattern
    /// The application side.
    let handler: WebSocketHandler
    /// Largest message accepted on this route (bigger -> close 1009, RFC 6455 §7.4.1).
    let maxMessageBytes: Int
}

extension Array where Element == WebSocketRoute {
    /// The first route whose pattern matches `path`, with the captured parameters.
    func route(for path: String) -> (WebSocketRoute, RouteParameters)? {
        let pieces = RoutePattern.pieces(of: path)
        for route in self {
            if let parameters = route.pattern.match(pieces) { return (route, parameters) }
        }
        return nil
    }
}
