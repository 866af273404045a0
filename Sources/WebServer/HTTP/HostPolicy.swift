import Glibc

/// Which `Host` values name this server: the defence against DNS rebinding.
///
/// A page on a rebinding domain (`evil.example`, re-pointed at 127.0.0.1 or a laptop's LAN address after the
/// page loaded) reaches the server with `Host: evil.example`, and the browser treats the answer as that
/// page's own. Refusing every Host that is not one of the server's names (421, RFC 9110 §15.5.20) closes it.
/// Only the host part is compared, never the port: a rebinding attack needs a name, and port forwarding or a
/// proxy legitimately changes the port (Django's `ALLOWED_HOSTS` and Vite's `allowedHosts` do the same).
public struct HostPolicy: Sendable, Equatable {
    /// Exact names (lowercased, no trailing dot) and IP literals (canonical text, IPv6 without brackets).
    public let names: Set<String>
    /// Domains from ".lab.example" entries: the domain itself and every subdomain.
    public let domainSuffixes: [String]
    /// True when "*" was given: any Host is accepted (no rebinding protection).
    public let allowsAnyHost: Bool

    /// A policy accepting `serverNames` (the bound address, the machine's addresses and name), the loopback
    /// names `localhost` and `*.localhost` (RFC 6761 §6.3: they always resolve to loopback), and `allowedHosts`
    /// (exact names or IP literals, ".domain" for a domain and its subdomains, "*" for anything).
    public init(serverNames: [String], allowedHosts: [String] = []) {
        allowsAnyHost = allowedHosts.contains("*")
        var names: Set<String> = ["localhost"]
        var suffixes: [String] = []
        for entry in serverNames + allowedHosts where entry != "*" {
            if entry.hasPrefix("."), let domain = Self.hostname(ofAuthority: String(entry.dropFirst())) {
                suffixes.append(domain)
            } else if let name = Self.hostname(ofAuthority: entry) ?? Self.canonicalIP(entry) {
                names.insert(name)
            }
        }
        self.names = names
        domainSuffixes = suffixes
    }

    /// True when a `Host` value (host[:port]) names this server. A missing or empty Host passes: browsers
    /// always send one, and HTTP/1.1 requires it anyway (the parser refuses a 1.1 request without it).
    public func allows(host: String?) -> Bool {
        guard let host, !host.isEmpty else { return true }
        if allowsAnyHost { return true }
        guard let name = Self.hostname(ofAuthority: host) else { return false }
        if names.contains(name) || name.hasSuffix(".localhost") { return true }
        return domainSuffixes.contains { name == $0 || name.hasSuffix("." + $0) }
    }

    /// True when `text` may be given as an allowed host: "*", a host name, ".domain", or an IP literal (no port).
    public static func isValidAllowedHost(_ text: String) -> Bool {
        if text == "*" { return true }
        let body = text.hasPrefix(".") ? String(text.dropFirst()) : text
        if canonicalIP(body) != nil { return !text.hasPrefix(".") }
        return !body.isEmpty && !body.contains(":") && hostname(ofAuthority: body) != nil
    }

    /// The comparable host of "host[:port]": lowercased, one trailing dot dropped, IP literals canonical
    /// ("[0:0::1]:8080" -> "::1"); nil when it is not a host[:port] at all.
    static func hostname(ofAuthority authority: String) -> String? {
        guard isAuthority(authority) else { return nil }
        var text = HTTPHeaders.lowercased(authority)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            return canonicalIP(String(text[text.index(after: text.startIndex)..<close]))
        }
        if let colon = text.lastIndex(of: ":") { text = String(text[..<colon]) }
        if text.hasSuffix(".") { text.removeLast() }
        guard !text.isEmpty else { return nil }
        return canonicalIP(text) ?? text
    }

    /// RFC 3986 §3.2.2–3.2.3 `host [":" port]`, restricted to what a browser sends: a DNS name (letters, digits,
    /// "-", "_", "."), an IPv4 address, or a bracketed IPv6 address; the port is 1–5 digits.
    static func isAuthority(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        guard !bytes.isEmpty else { return false }
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let inside = bytes[bytes.index(after: bytes.startIndex)..<close]
            guard !inside.isEmpty, inside.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { return false }
            bytes = bytes[bytes.index(after: close)...]
        } else {
            let end = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            let name = bytes[..<end]
            guard !name.isEmpty, name.allSatisfy(isNameByte) else { return false }
            bytes = bytes[end...]
        }
        guard let colon = bytes.first else { return true }
        guard colon == UInt8(ascii: ":") else { return false }
        let port = bytes.dropFirst()
        return (1...5).contains(port.count) && port.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// The canonical text of an IPv4 or IPv6 address literal (no brackets), or nil.
    static func canonicalIP(_ text: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            _ = inet_ntop(AF_INET, &v4, &buffer, socklen_t(buffer.count))
            return String(cString: buffer)
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            _ = inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count))
            return String(cString: buffer)
        }
        return nil
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
    }
}
