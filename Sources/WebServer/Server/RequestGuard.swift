/// The checks every request passes before any handler or handshake runs (on the I/O thread, so a refused
/// request costs no worker hop): its Host must name this server (else 421), and a request with an unsafe
/// method must come from an allowed origin (else 403). The WebSocket handshake checks Origin itself, with the
/// same `OriginPolicy`.
struct RequestGuard: Sendable {
    /// The names this server answers to (DNS-rebinding defence).
    let hosts: HostPolicy
    /// The origins allowed to change state (CSRF and cross-site WebSocket defence).
    let origins: OriginPolicy

    /// The error response for a request that must not reach a handler, or nil when it may proceed.
    /// `acceptedHost` is the connection's last accepted Host: a keep-alive connection sends the same one every
    /// time, so the host policy runs once per connection, not once per request.
    func refusal(for request: HTTPRequest, acceptedHost: inout String?) -> HTTPResponse? {
        let host = request.effectiveHost
        if host == nil || host != acceptedHost {
            guard hosts.allows(host: host) else {
                // RFC 9110 §15.5.20: 421 "not able to produce a response for this target URI's authority".
                let shown = String((host ?? "").prefix(100))
                return .error(.misdirectedRequest, "this server does not answer to Host '\(shown)'; start it with --allow-host NAME to accept that name")
            }
            acceptedHost = host
        }
        guard origins.allows(request) else {
            return .error(.forbidden, "cross-origin \(request.method.rawValue) refused; start the server with --allow-origin ORIGIN to allow that origin")
        }
        return nil
    }
}
