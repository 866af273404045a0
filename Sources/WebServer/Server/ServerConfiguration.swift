import Foundation
import Logging

/// Every limit and default of the server in one place (each documented in docs/server.md).
///
/// Defaults suit one lab on a laptop or a classroom network; tests shrink the timeouts.
public struct ServerConfiguration: Sendable {
    /// Address to bind: an IPv4 or IPv6 literal; "0.0.0.0" or "::" for every interface.
    public var host: String = "127.0.0.1"
    /// TCP port; 0 lets the kernel pick a free one (read it back from `HTTPServer.port`).
    public var port: Int = 8080
    /// Open connections beyond which new ones get `503 Service Unavailable` and are closed.
    public var maxConnections: Int = 4096
    /// Seconds a request's head (request line and header fields) may take from its first byte to its last
    /// (slowloris guard) before `408` and close.
    public var headerReadTimeout: Double = 10
    /// Seconds a request body may go without a single byte arriving before `408` and close: a wait between two
    /// reads, not a bound on the whole upload (nginx's `client_body_timeout`), so a 16 MiB run file sent over a
    /// slow classroom network finishes as long as it keeps moving.
    public var bodyReadTimeout: Double = 30
    /// Seconds an HTTP connection may sit idle between requests (or before its first) before it is closed.
    public var keepAliveTimeout: Double = 15
    /// Seconds a pending write may make no progress (peer not reading) before the connection is dropped.
    public var writeStallTimeout: Double = 30
    /// Seconds to keep reading (and discarding) after sending a final response, so the peer sees it before the close.
    public var lingerTimeout: Double = 1
    /// Request-line, header and body limits handed to the HTTP parser (-> 414, 431, 413).
    public var parserLimits: HTTPParserLimits = .init()
    /// Largest WebSocket message accepted (bigger -> close 1009). 16 MiB lets Autobahn's performance group run.
    public var maxWebSocketMessageBytes: Int = 16 << 20
    /// Bytes queued for one connection beyond which it is treated as a slow reader: HTTP stops reading its
    /// pipelined requests, a WebSocket stops reading frames, and a further application message drops it.
    /// One message may exceed it when the queue was below the bound, so memory stays under bound + one message.
    public var writeBufferLimit: Int = 8 << 20
    /// Seconds without traffic from a WebSocket peer before the server pings it.
    public var webSocketPingInterval: Double = 30
    /// Seconds after an unanswered ping before the WebSocket peer is declared dead and dropped.
    public var webSocketDeadPeerTimeout: Double = 20
    /// Seconds graceful shutdown waits for close handshakes and flushes before closing what is left.
    public var shutdownGracePeriod: Double = 1.5
    /// Folder served as static files (nil: no static files).
    public var publicDirectory: String? = nil
    /// `Cache-Control` sent with static files: `no-cache` means edits show at once and revalidation is a cheap 304.
    public var staticCacheControl: String = "no-cache"
    /// Static files up to this size are kept in memory with their validators.
    public var maxCachedFileBytes: Int = 1 << 20
    /// Origins allowed besides the same origin ("http://host:port", "*" for any): for the WebSocket handshake and for
    /// HTTP requests with unsafe methods (`OriginPolicy`); anything else with an `Origin` gets 403.
    public var allowedOrigins: [String] = []
    /// Host names accepted in `Host` besides the server's own (bound address, the machine's addresses and name when
    /// bound to 0.0.0.0/::, `localhost`): exact names or IP literals, ".domain" for a domain and its subdomains,
    /// "*" for any (`HostPolicy`, DNS-rebinding defence). Other hosts get 421.
    public var allowedHosts: [String] = []
    /// Reverse proxies (addresses or CIDR ranges, e.g. "127.0.0.1", "10.0.0.0/8") whose `X-Forwarded-For` names the
    /// client (`TrustedProxies`): requests from them carry that client in `HTTPRequest.peer`. Empty: none.
    public var trustedProxies: [String] = []
    /// Bound to 0.0.0.0/::, seconds between two re-reads of the machine's addresses at most: an IP-literal Host that
    /// is not one of them makes the server look again (a laptop that joined another network, a new DHCP lease)
    /// before it answers 421, so students reach the new address without a restart.
    public var hostAddressRefreshInterval: Double = 5
    /// Bytes all connections together may hold in buffers (unparsed input, messages being assembled or waiting for a
    /// handler, unsent output). Past it, new large WebSocket messages are refused (1009) and the connections holding
    /// most are closed (WebSocket 1008, HTTP 503) until the total is back under 7/8 of it.
    public var memoryBudgetBytes: Int = 256 << 20
    /// Whether WebSocket clients may negotiate permessage-deflate (RFC 7692); the server always asks for
    /// `server_no_context_takeover`, so one compressed frame can go to every subscriber.
    public var isWebSocketCompressionEnabled: Bool = true
    /// Messages shorter than this are sent uncompressed even when compression was negotiated (RSV1 is per message).
    public var webSocketCompressionThreshold: Int = 256
    /// The kernel send buffer of an upgraded WebSocket connection (SO_SNDBUF), nil for the kernel's autotuned one
    /// (which grows to megabytes). Small, so a slow viewer's frames wait in the server's newest-frame-wins slot,
    /// where a newer frame replaces them, rather than seconds of stale frames queueing in the kernel.
    public var webSocketSendBufferBytes: Int? = 32 << 10
    /// Whether `/ws/echo` (the conformance-suite echo endpoint) is registered.
    public var isEchoEnabled: Bool = true
    /// Level of the server's logger: warnings and errors show at the default `.info`; access lines need `accessLogLevel`.
    public var logLevel: Logger.Level = .info
    /// Level of the one access line per request or handshake (peer, method, path without query, status, bytes,
    /// duration). `.debug` by default, so a polling page does not flood the console; 5xx lines are `.warning`.
    public var accessLogLevel: Logger.Level = .debug

    /// The defaults above.
    public init() {}

    /// Checks every field; the error names the field and its allowed range.
    public func validate() throws(ServerConfigurationError) {
        func positive(_ value: Double, _ field: String) throws(ServerConfigurationError) {
            guard value > 0, value.isFinite else { throw .init(field: field, value: "\(value)", allowed: "> 0 seconds") }
        }
        guard (0...65535).contains(port) else { throw .init(field: "port", value: "\(port)", allowed: "0...65535") }
        guard maxConnections >= 1 else { throw .init(field: "maxConnections", value: "\(maxConnections)", allowed: ">= 1") }
        try positive(headerReadTimeout, "headerReadTimeout")
        try positive(bodyReadTimeout, "bodyReadTimeout")
        try positive(hostAddressRefreshInterval, "hostAddressRefreshInterval")
        try positive(keepAliveTimeout, "keepAliveTimeout")
        try positive(writeStallTimeout, "writeStallTimeout")
        try positive(lingerTimeout, "lingerTimeout")
        try positive(webSocketPingInterval, "webSocketPingInterval")
        try positive(webSocketDeadPeerTimeout, "webSocketDeadPeerTimeout")
        try positive(shutdownGracePeriod, "shutdownGracePeriod")
        guard maxWebSocketMessageBytes >= 125 else {
            throw .init(field: "maxWebSocketMessageBytes", value: "\(maxWebSocketMessageBytes)", allowed: ">= 125 bytes")
        }
        guard writeBufferLimit >= 1024 else { throw .init(field: "writeBufferLimit", value: "\(writeBufferLimit)", allowed: ">= 1024 bytes") }
        guard maxCachedFileBytes >= 0 else { throw .init(field: "maxCachedFileBytes", value: "\(maxCachedFileBytes)", allowed: ">= 0 bytes") }
        guard memoryBudgetBytes >= 1 << 20 else {
            throw .init(field: "memoryBudgetBytes", value: "\(memoryBudgetBytes)", allowed: ">= 1048576 bytes")
        }
        // A body the budget could never hold would be refused (503) every time: say so at start instead.
        guard parserLimits.maxBodyBytes <= memoryBudgetBytes else {
            throw .init(field: "parserLimits.maxBodyBytes", value: "\(parserLimits.maxBodyBytes)", allowed: "<= memoryBudgetBytes (\(memoryBudgetBytes) bytes)")
        }
        if let webSocketSendBufferBytes, !(4096...(64 << 20)).contains(webSocketSendBufferBytes) {
            throw .init(field: "webSocketSendBufferBytes", value: "\(webSocketSendBufferBytes)", allowed: "4096...67108864 bytes, or none")
        }
        guard webSocketCompressionThreshold >= 0 else {
            throw .init(field: "webSocketCompressionThreshold", value: "\(webSocketCompressionThreshold)", allowed: ">= 0 bytes")
        }
        do {
            _ = try SocketAddress(host: host, port: port)
        } catch {
            throw .init(field: "host", value: "'\(host)'", allowed: "an IPv4 or IPv6 address such as 127.0.0.1, 0.0.0.0, ::1, ::, or localhost")
        }
        for origin in allowedOrigins where !OriginPolicy.isValidAllowedOrigin(origin) {
            throw .init(field: "allowedOrigins", value: "'\(origin)'", allowed: "an http(s) origin such as http://lab.example:8080 (no path), or *")
        }
        for proxy in trustedProxies where !TrustedProxies.isValid(proxy) {
            throw .init(field: "trustedProxies", value: "'\(proxy)'", allowed: "an IPv4 or IPv6 address or CIDR range such as 127.0.0.1, 10.0.0.0/8 or fd00::/8")
        }
        for name in allowedHosts where !HostPolicy.isValidAllowedHost(name) {
            throw .init(field: "allowedHosts", value: "'\(name)'", allowed: "a host name, an IP address, .domain (with subdomains), or * (no port)")
        }
        if let publicDirectory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: publicDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .init(field: "publicDirectory", value: "'\(publicDirectory)'", allowed: "an existing folder")
            }
        }
    }

    /// The shortest timer, which sets how often the I/O thread sweeps its connections.
    var sweepInterval: Double {
        let shortest = [headerReadTimeout, bodyReadTimeout, keepAliveTimeout, writeStallTimeout, lingerTimeout,
                        webSocketPingInterval, webSocketDeadPeerTimeout, shutdownGracePeriod].min() ?? 1
        return min(0.25, max(0.005, shortest / 4))
    }
}

/// A configuration value outside its allowed range.
public struct ServerConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field's name in `ServerConfiguration`.
    public var field: String
    /// The refused value, as text.
    public var value: String
    /// The allowed range, as text.
    public var allowed: String
    /// Creates the error for `field` holding `value`, outside `allowed`.
    public init(field: String, value: String, allowed: String) {
        self.field = field
        self.value = value
        self.allowed = allowed
    }
    /// One line naming field, value and range.
    public var description: String { "invalid \(field) \(value): allowed \(allowed)" }
}
