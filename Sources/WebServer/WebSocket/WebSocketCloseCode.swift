/// A close status code (RFC 6455 §7.4), carried in the first two bytes of a close frame.
public struct WebSocketCloseCode: RawRepresentable, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The 16-bit code.
    public var rawValue: UInt16

    /// Wraps any code; use `isValidOnWire` before trusting one received from a peer.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// Wraps any code.
    public init(_ rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// 1000: the purpose of the connection was fulfilled.
    public static let normalClosure = WebSocketCloseCode(1000)
    /// 1001: the server is shutting down or the page is navigating away.
    public static let goingAway = WebSocketCloseCode(1001)
    /// 1002: the peer broke the framing rules.
    public static let protocolError = WebSocketCloseCode(1002)
    /// 1003: a data type the endpoint cannot accept (e.g. binary where only text is understood).
    public static let unsupportedData = WebSocketCloseCode(1003)
    /// 1007: text that is not UTF-8, or a close reason that is not (§8.1).
    public static let invalidPayload = WebSocketCloseCode(1007)
    /// 1008: a message that violates the endpoint's policy.
    public static let policyViolation = WebSocketCloseCode(1008)
    /// 1009: a frame or message over the size limit.
    public static let messageTooBig = WebSocketCloseCode(1009)
    /// 1011: an unexpected condition inside the server.
    public static let internalError = WebSocketCloseCode(1011)

    /// True when a peer may send this code in a close frame.
    ///
    /// RFC 6455 §7.4.1/§7.4.2: 1000–1003 and 1007–1011 are defined; 1004 is reserved, 1005, 1006 and 1015
    /// must never be sent; other codes below 3000 are reserved for the protocol. 1012–1014 (service
    /// restart, try again later, bad gateway) were registered with IANA later and are accepted (Autobahn's
    /// 7.7/7.9 cases test neither way). 3000–3999 are registered by libraries, 4000–4999 private use.
    public var isValidOnWire: Bool {
        switch rawValue {
        case 1000...1003, 1007...1014, 3000...4999: return true
        default: return false
        }
    }

    /// The number, e.g. "1000".
    public var description: String { String(rawValue) }
}
