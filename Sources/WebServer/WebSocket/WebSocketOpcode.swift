/// The frame opcodes defined by RFC 6455 §5.2; any other value is a protocol error (1002).
public enum WebSocketOpcode: UInt8, Sendable {
    /// A later fragment of a text or binary message (§5.4).
    case continuation = 0
    /// The first (or only) frame of a UTF-8 text message.
    case text = 1
    /// The first (or only) frame of a binary message.
    case binary = 2
    /// Starts or answers the closing handshake (§5.5.1).
    case close = 8
    /// A keep-alive probe; answered with a pong carrying the same payload (§5.5.2).
    case ping = 9
    /// The answer to a ping, or an unsolicited heartbeat (§5.5.3).
    case pong = 10

    /// Control frames (opcode ≥ 8) must have FIN set and at most 125 payload bytes (RFC 6455 §5.5).
    public var isControl: Bool { rawValue & 0x08 != 0 }
}
