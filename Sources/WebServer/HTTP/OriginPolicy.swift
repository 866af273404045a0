/// Which browser origins may change state on this server: the WebSocket handshake (RFC 6455 §10.2, against
/// cross-site WebSocket hijacking) and every HTTP request with an unsafe method (against cross-site request forgery).
///
/// One policy for both, so `--allow-origin` means the same thing everywhere. Requests without `Origin`
/// (scripts, curl, old clients) pass: the policy defends browsers, which always send it on cross-origin
/// requests with unsafe methods and on every WebSocket handshake.
public struct OriginPolicy: Sendable, Equatable {
    /// Extra origins allowed besides the same origin, normalised ("scheme://host[:port]", lowercased, default port dropped).
    public let allowedOrigins: [String]
    /// True when "*" was given: any origin is allowed.
    public let allowsAnyOrigin: Bool

    /// Same-origin only (Origin's host[:port] must equal the Host header); requests without Origin (non-browser clients) are allowed.
    public static let sameOrigin = OriginPolicy(allowedOrigins: [])

    /// Methods that never change state (RFC 9110 §9.2.1), so a cross-site request with one is harmless here.
    public static let safeMethods: Set<HTTPMethod> = [.GET, .HEAD, .OPTIONS]

    /// Same-origin plus these extra origins ("http://host:port", or "*" for any); entries that are not
    /// origins are ignored here (`ServerConfiguration.validate()` refuses them first).
    public init(allowedOrigins: [String]) {
        self.allowsAnyOrigin = allowedOrigins.contains("*")
        self.allowedOrigins = allowedOrigins.filter { $0 != "*" }.compactMap { Self.normalise(origin: $0) }
    }

    /// True when `text` may be given as an allowed origin: "*" or an http(s) origin without path, query or user
    /// info, whose port (if any) is 1-65535 (a browser never sends another, so such an entry is a typo).
    public static func isValidAllowedOrigin(_ text: String) -> Bool {
        if text == "*" { return true }
        guard let origin = normalise(origin: text), let authority = authority(ofNormalisedOrigin: origin) else { return false }
        let afterHost = authority.hasPrefix("[") ? authority.drop { $0 != "]" }.dropFirst() : Substring(authority)
        guard let colon = afterHost.firstIndex(of: ":") else { return true }
        return Int(afterHost[afterHost.index(after: colon)...]).map { (1...65_535).contains($0) } ?? false
    }

    /// Decides whether a request or handshake with this Origin may proceed; `host` is the request's effective
    /// host (`HTTPRequest.effectiveHost`: an absolute-form target's authority, else Host), the one the Host check used.
    public func allows(origin: String?, host: String?) -> Bool {
        // RFC 6455 §4.1: browsers always send Origin; other clients may not, and §10.2 only concerns browsers.
        guard let origin else { return true }
        if allowsAnyOrigin { return true }
        guard let normalised = Self.normalise(origin: origin) else { return false }  // e.g. "null" from sandboxed frames
        if allowedOrigins.contains(normalised) { return true }
        guard let host, let authority = Self.authority(ofNormalisedOrigin: normalised) else { return false }
        let scheme = normalised.hasPrefix("https://") ? "https" : "http"
        return authority == Self.normalise(authority: HTTPHeaders.lowercased(host), scheme: scheme)
    }

    /// Whether an HTTP request may reach a handler: safe methods always; otherwise its one `Origin` must be
    /// allowed, or, without `Origin`, `Sec-Fetch-Site` must not say `cross-site` (Fetch Metadata, W3C);
    /// a request with neither header (not a browser) passes. Refused requests get 403.
    public func allows(_ request: HTTPRequest) -> Bool {
        switch request.method {
        case .GET, .HEAD, .OPTIONS: return true   // `safeMethods`, without hashing on every request
        default: break
        }
        let origins = request.headers.values("Origin")
        if origins.count > 1 { return false }
        if let origin = origins.first { return allows(origin: origin, host: request.effectiveHost) }
        if allowsAnyOrigin { return true }
        // Any cross-site value counts, however many fields carry it (a proxy or a hand-made request may repeat it).
        return !request.headers.tokens("Sec-Fetch-Site").contains("cross-site")
    }

    /// "HTTP://Example.com:80/" → "http://example.com"; nil for anything that is not an http(s) origin.
    static func normalise(origin: String) -> String? {
        var text = HTTPHeaders.lowercased(origin)
        while text.hasSuffix("/") { text.removeLast() }
        let scheme: String
        if text.hasPrefix("http://") { scheme = "http" } else if text.hasPrefix("https://") { scheme = "https" } else { return nil }
        let authority = String(text.dropFirst(scheme.count + 3))
        guard !authority.isEmpty, HostPolicy.isAuthority(authority) else { return nil }
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

/// The name this type had when only the WebSocket handshake used it.
public typealias WebSocketOriginPolicy = OriginPolicy
