/// Why a WebSocket peer is disconnected; `closeCode` is the one mapping from these errors to the wire.
public enum WebSocketProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// RSV1–3 set without a negotiated extension (RFC 6455 §5.2).
    case reservedBitsSet
    /// RSV1 ("per-message compressed") on a control frame or a continuation frame (RFC 7692 §6.1), or on any frame
    /// when permessage-deflate was not negotiated.
    case misplacedCompressionBit
    /// A compressed message whose DEFLATE data is invalid (RFC 7692 §7.2.2); closed with 1007.
    case invalidCompressedData
    /// Opcode 3–7 or 11–15 (RFC 6455 §5.2).
    case unknownOpcode(UInt8)
    /// A client frame without MASK, or a server frame with it (RFC 6455 §5.1).
    case wrongMasking
    /// A control frame with more than 125 payload bytes (RFC 6455 §5.5).
    case controlFrameTooLong
    /// A control frame without FIN (RFC 6455 §5.5).
    case fragmentedControlFrame
    /// A 64-bit length with its most significant bit set (RFC 6455 §5.2).
    case invalidLength
    /// A frame over the frame size limit, refused before its payload is buffered.
    case frameTooBig
    /// A message (all fragments together) over the message size limit.
    case messageTooBig
    /// A message within the route's limit that the server's memory budget cannot hold now (`messageAllowance`).
    case overMemoryBudget
    /// A continuation frame with no message in progress (RFC 6455 §5.4).
    case unexpectedContinuation
    /// A new text or binary frame while a fragmented message is still open (RFC 6455 §5.4).
    case expectedContinuation
    /// Text payload or close reason that is not UTF-8 (RFC 6455 §8.1).
    case invalidUTF8
    /// A close frame with a 1-byte payload (RFC 6455 §5.5.1).
    case invalidClosePayload
    /// A close code peers may not send (RFC 6455 §7.4).
    case invalidCloseCode(UInt16)

    /// The close code sent before disconnecting.
    public var closeCode: WebSocketCloseCode {
        switch self {
        case .invalidUTF8, .invalidCompressedData: return .invalidPayload
        case .frameTooBig, .messageTooBig, .overMemoryBudget: return .messageTooBig
        default: return .protocolError
        }
    }

    /// A short reason, sent in the close frame.
    public var description: String {
        switch self {
        case .reservedBitsSet: return "reserved bits set"
        case .misplacedCompressionBit: return "RSV1 set on a control or continuation frame"
        case .invalidCompressedData: return "invalid DEFLATE data"
        case .unknownOpcode(let opcode): return "unknown opcode \(opcode)"
        case .wrongMasking: return "client frames must be masked"
        case .controlFrameTooLong: return "control frame over 125 bytes"
        case .fragmentedControlFrame: return "fragmented control frame"
        case .invalidLength: return "64-bit length with MSB set"
        case .frameTooBig: return "frame too big"
        case .messageTooBig: return "message too big"
        case .overMemoryBudget: return "message too big for the server's memory budget now; retry later"
        case .unexpectedContinuation: return "continuation without a message"
        case .expectedContinuation: return "new message inside a fragmented one"
        case .invalidUTF8: return "invalid UTF-8"
        case .invalidClosePayload: return "close payload of 1 byte"
        case .invalidCloseCode(let code): return "invalid close code \(code)"
        }
    }
}
