/// Which browser origins may open a WebSocket (RFC 6455 §10.2): a defence against cross-site WebSocket hijacking.
public struct WebSocketOriginPolicy: Sendable, Equatable {
    /// Extra origins allowed besides the same origin, normalised ("scheme://host[:port]", lowercased, default port dropped).
    public let allowedOrigins: [String]
    /// True when "*" was given: any origin is allowed.
    public let allowsAnyOrigin: Bool

    /// Same-origin only (Origin's host[:port] must equal the Host header); requests without Origin (non-browser clients) are allowed.
    public static let sameOrigin = WebSocketOriginPolicy(allowedOrigins: [])

    /// Same-origin plus these extra origins ("http://host:port", or "*" for any).
    public init(allowedOrigins: [String]) {
        self.allowsAnyOrigin = allowedOrigins.contains("*")
        self.allowedOrigins = allowedOrigins.filter { $0 != "*" }.compactMap { Self.normalise(origin: $0) }
    }

    /// Decides whether a handshake with this Origin and Host header may proceed.
    public func allows(origin: String?, host: String?) -> Bool {
        // §4.1: browsers always send Origin; other clients may not, and §10.2 only concerns browsers.
        guard let origin else { return true }
        if allowsAnyOrigin { return true }
        guard let normalised = Self.normalise(origin: origin) else { return false }  // e.g. "null" from sandboxed frames
        if allowedOrigins.contains(normalised) { return true }
        guard let host, let authority = Self.authority(ofNormalisedOrigin: normalised) else { return false }
        let scheme = normalised.hasPrefix("https://") ? "https" : "http"
        return authority == Self.normalise(authority: HTTPHeaders.lowercased(host), scheme: scheme)
    }

    /// "HTTP://Example.com:80/" → "http://example.com"; nil for anything that is not an http(s) origin.
    static func normalise(origin: String) -> String? {
        var text = HTTPHeaders.lowercased(origin)
        while text.hasSuffix("/") { text.removeLast() }
        let scheme: String
        if text.hasPrefix("http://") { scheme = "http" } else if text.hasPrefix("https://") { scheme = "https" } else { return nil }
        let authority = String(text.dropFirst(scheme.count + 3))
        guard !authority.isEmpty, !authority.contains("/"), !authority.contains("@"), !authority.contains("?") else { return nil }
        return scheme + "://" + normalise(authority: authority, scheme: scheme)
    }

    /// Drops the scheme's default port (RFC 6454 §4: the origin of "http://h:80" is "http://h").
    static func normalise(authority: String, scheme: String) -> String {
        let defaultPort = scheme == "https" ? ":443" : ":80"
        return authority.hasSuffix(defaultPort) ? String(authority.dropLast(defaultPort.count)) : authority
    }

    /// The host[:port] after "://".
    static func authority(ofNormalisedOrigin origin: String) -> String? {
        guard let range = origin.firstRange(of: "://") else { return nil }
        return String(origin[range.upperBound...])
    }
}
