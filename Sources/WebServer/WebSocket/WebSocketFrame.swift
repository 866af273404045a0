/// One decoded frame (RFC 6455 §5.2), payload already unmasked.
///
/// Wire layout (§5.2):
/// ```
/// byte 0: FIN(1) RSV1(1) RSV2(1) RSV3(1) opcode(4)
/// byte 1: MASK(1) length(7)   length 126 -> 16-bit length follows, 127 -> 64-bit length follows (MSB 0)
/// then:   extended length (0, 2 or 8 bytes, big-endian), masking key (4 bytes if MASK), payload
/// ```
public struct WebSocketFrame: Sendable, Equatable {
    /// FIN: this is the last frame of its message.
    public var isFinal: Bool
    /// What the frame carries.
    public var opcode: WebSocketOpcode
    /// Whether the frame arrived masked (client-to-server frames must be, §5.3).
    public var isMasked: Bool
    /// The unmasked payload.
    public var payload: [UInt8]
    /// RSV1, which permessage-deflate calls "Per-Message Compressed" (RFC 7692 §6): set on the first frame of a
    /// compressed message. Only accepted when the decoder was told compression was negotiated.
    public var isCompressed: Bool

    /// Creates a frame.
    public init(isFinal: Bool = true, opcode: WebSocketOpcode, isMasked: Bool = false, payload: [UInt8], isCompressed: Bool = false) {
        self.isFinal = isFinal
        self.opcode = opcode
        self.isMasked = isMasked
        self.payload = payload
        self.isCompressed = isCompressed
    }
}
