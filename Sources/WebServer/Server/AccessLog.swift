/// Access log formatting: `PEER METHOD PATH STATUS BYTES DURATION`, e.g.
/// `192.168.1.7:51234 GET /api/run 200 812 0.41ms`.
///
/// Only the path is logged: a query string may carry secrets (tokens, codes), so it is shown as `?…`; no header
/// (in particular never `Authorization` or `Cookie`) is ever logged.
enum AccessLog {
    /// What the line shows of a request (kept per connection while it is answered; never its query or headers).
    struct Request: Sendable {
        /// The method.
        var method: HTTPMethod
        /// The path, still percent-encoded.
        var path: String
        /// True when the target had a query (shown as `?…`).
        var hasQuery: Bool
        /// The client: the TCP peer, or the one a trusted proxy forwarded for.
        var client: PeerAddress?

        /// The summary of `request`.
        init(_ request: HTTPRequest) {
            method = request.method
            path = request.path
            hasQuery = request.query != nil
            client = request.peer
        }
    }

    /// One line; `request` nil for an answer to a request that could not be parsed.
    static func line(peer: PeerAddress?, request: Request?, status: Int, bytes: Int, nanoseconds: UInt64?) -> String {
        let who = peer.map(\.description) ?? "-"
        let what = request.map { "\($0.method.rawValue) \($0.path)\($0.hasQuery ? "?…" : "")" } ?? "- -"
        let time = nanoseconds.map { " " + format(milliseconds: Double($0) / 1e6) } ?? ""
        return "\(who) \(what) \(status) \(bytes)\(time)"
    }

    /// "0.41ms", "12.3ms", "1530ms".
    static func format(milliseconds: Double) -> String {
        if milliseconds < 10 { return "\((milliseconds * 100).rounded() / 100)ms" }
        if milliseconds < 100 { return "\((milliseconds * 10).rounded() / 10)ms" }
        return "\(Int(milliseconds.rounded()))ms"
    }
}
