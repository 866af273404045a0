/// The lifecycle of one server-side WebSocket connection as a value-type state machine returning actions.
///
/// It owns no socket and no clock: the I/O code feeds it received bytes and performs the
/// returned actions in order. States (RFC 6455 §7): `open` → `closing` (we sent a close and
/// wait for the peer's) → `closed`; a close received while open is echoed and goes straight
/// to `closed`. Every protocol violation sends a close frame with the code from
/// `WebSocketProtocolError.closeCode`, then asks for the connection to be closed.
public struct WebSocketConnectionMachine: Sendable {
    /// Where the connection is in its lifecycle.
    enum State: Sendable, Equatable {
        /// Messages flow both ways.
        case open
        /// We sent a close frame; data frames are ignored until the peer's close arrives.
        case closing
        /// Both sides are done; nothing more is read or written.
        case closed
    }

    /// The largest message (all fragments together, inflated) accepted; larger ones are answered with 1009.
    public let maxMessageBytes: Int
    /// An extra, changing bound on new messages (the server's memory budget): a message or frame larger than this
    /// is refused with 1009 like one over `maxMessageBytes`. `Int.max` (the default) means no extra bound. The
    /// receiver sets it before each read; each message delivered during that read takes its size off it.
    public var messageAllowance: Int = .max
    /// The permessage-deflate parameters agreed in the handshake, nil when the connection is uncompressed.
    public let deflate: WebSocketDeflateParameters?
    /// The connection's inflate stream (context carried from message to message unless `client_no_context_takeover`).
    private let inflater: WebSocketInflater?
    /// The message in progress arrived with RSV1 set: its payload is DEFLATE data.
    private var isMessageCompressed = false
    /// The lifecycle state.
    private(set) var state: State = .open
    private var decoder: WebSocketFrameDecoder
    /// Text or binary while a fragmented message is open, nil between messages.
    private var messageOpcode: WebSocketOpcode?
    private var messageBytes: [UInt8] = []
    private var validator = UTF8Validator()
    /// How much of the pending (incomplete) frame's payload was already checked, and the validator state after it.
    private var partialChecked = 0
    private var partialValidator = UTF8Validator()

    /// Creates a machine; `maxFrameBytes` defaults to `maxMessageBytes`; `deflate` when permessage-deflate was negotiated.
    public init(maxMessageBytes: Int, maxFrameBytes: Int? = nil, deflate: WebSocketDeflateParameters? = nil) {
        precondition(maxMessageBytes > 0, "WebSocketConnectionMachine: maxMessageBytes must be positive, got \(maxMessageBytes)")
        self.maxMessageBytes = maxMessageBytes
        self.deflate = deflate
        self.inflater = deflate.map { WebSocketInflater(resetsAfterEachMessage: $0.clientNoContextTakeover) }
        self.decoder = WebSocketFrameDecoder(maxFrameBytes: max(125, maxFrameBytes ?? maxMessageBytes), allowsCompressedFrames: deflate != nil)
    }

    /// Bytes this machine holds: received but undecoded input plus the message being assembled (for the memory budget).
    public var bufferedByteCount: Int { decoder.bufferedByteCount + messageBytes.count }

    /// Bytes this machine has allocated (the decoder's buffer and the message's capacity): what the server's
    /// memory budget counts. A large data frame's buffer is reserved whole once its header is admitted, so this
    /// counts it from then on, before its bytes arrive (like a request body's declared length).
    public var allocatedByteCount: Int { decoder.allocatedByteCount + messageBytes.capacity }

    /// Why the connection failed, once it did (nil while healthy or after a clean close).
    public private(set) var failure: WebSocketProtocolError?

    /// The bound on a message now: the smaller of the route's limit and the memory allowance.
    private var messageLimit: Int { min(maxMessageBytes, messageAllowance) }

    /// The 1009 error for `size` bytes more than a message (with `held` bytes so far) may take: the route's
    /// limit when that refuses it, else the memory budget (a distinct reason, and the server logs it).
    private func oversize(_ size: Int, held: Int = 0) -> WebSocketProtocolError {
        size > maxMessageBytes - held ? .messageTooBig : .overMemoryBudget
    }

    /// True once a close frame was sent or received (no more application messages may be sent).
    public var isClosing: Bool { state != .open }

    /// True once the closing handshake is over (or the connection failed); `receive` then does nothing.
    public var isClosed: Bool { state == .closed }

    /// Feed bytes from the socket; returns what to do, in order. Enforces: client frames masked (else 1002), RSV bits 0 (1002),
    /// known opcodes (1002), control frames ≤125 bytes and not fragmented (1002), continuation rules (1002), UTF-8 valid text
    /// incl. across fragments (1007, fail fast on the first invalid fragment), message size (1009), close payload validity
    /// (code ranges per §7.4, UTF-8 reason), ping → pong, close handshake echo (reply with the peer's code, then closeConnection).
    public mutating func receive(_ bytes: UnsafeRawBufferPointer) -> [WebSocketAction] {
        guard state != .closed else { return [] }
        decoder.append(bytes)
        var actions: [WebSocketAction] = []
        while state != .closed {
            switch decoder.next() {
            case .needMoreData:
                if let error = checkPartialFrame() { fail(error, into: &actions) }
                return actions
            case .error(let error):
                fail(error, into: &actions)
            case .frame(let frame):
                partialChecked = 0
                if let error = handle(frame, into: &actions) { fail(error, into: &actions) }
            }
        }
        return actions
    }

    /// Feed bytes from the socket (convenience for tests).
    public mutating func receive(_ bytes: [UInt8]) -> [WebSocketAction] {
        bytes.withUnsafeBytes { receive($0) }
    }

    /// Server-initiated close (e.g. 1001 on shutdown); later `receive` waits for the peer's close, then closeConnection.
    public mutating func close(code: WebSocketCloseCode, reason: String) -> [WebSocketAction] {
        guard state == .open else { return [] }
        state = .closing
        return [.write(WebSocketFrameEncoder.encode(opcode: .close, payload: WebSocketFrameEncoder.closePayload(code: code, reason: reason)))]
    }

    /// A ping to probe an idle peer (returns [] once closing); the payload is cut to 125 bytes (§5.5).
    public mutating func ping(payload: [UInt8]) -> [WebSocketAction] {
        guard state == .open else { return [] }
        return [.write(WebSocketFrameEncoder.encode(opcode: .ping, payload: Array(payload.prefix(125))))]
    }

    /// Frames an outgoing application message (for broadcast, encode once with WebSocketFrameEncoder and share the bytes).
    public static func frame(_ message: WebSocketMessage) -> [UInt8] {
        switch message {
        case .text(let text): return WebSocketFrameEncoder.encode(opcode: .text, payload: Array(text.utf8))
        case .binary(let bytes): return WebSocketFrameEncoder.encode(opcode: .binary, payload: bytes)
        }
    }

    // MARK: - Frames

    /// Checks a data frame that is still arriving: its declared size against the message limit (1009), and its
    /// text so far as UTF-8 (1007), so a hostile or broken frame fails before it is complete. The verdicts are
    /// the ones the complete frame would get, so the outcome does not depend on how the bytes were split.
    private mutating func checkPartialFrame() -> WebSocketProtocolError? {
        guard state == .open, let partial = decoder.partialFrame else { return nil }
        let isText: Bool
        switch partial.opcode {
        case .text, .binary:
            guard messageOpcode == nil else { return nil }  // a protocol error once complete; not ours to judge early
            // A compressed frame's length says nothing about the inflated size, except against the memory allowance.
            if partial.isCompressed ? partial.declaredLength > messageAllowance : partial.declaredLength > messageLimit {
                return partial.isCompressed ? .overMemoryBudget : oversize(partial.declaredLength)
            }
            isText = partial.opcode == .text && !partial.isCompressed
            if partialChecked == 0 { partialValidator = UTF8Validator() }
        case .continuation:
            guard let opcode = messageOpcode else { return nil }
            if isMessageCompressed {
                if partial.declaredLength > messageAllowance { return .overMemoryBudget }
            } else if partial.declaredLength > messageLimit - messageBytes.count {
                return oversize(partial.declaredLength, held: messageBytes.count)
            }
            isText = opcode == .text && !isMessageCompressed
            if partialChecked == 0 { partialValidator = validator }
        default:
            return nil
        }
        decoder.reservePendingFrame()   // admitted: hold it in one allocation, counted from here on
        guard isText, partial.receivedLength > partialChecked else { return nil }
        let bytes = decoder.partialPayload(from: partialChecked)  // only the new bytes are unmasked and checked
        if !partialValidator.validate(bytes) { return .invalidUTF8 }
        partialChecked += bytes.count
        return nil
    }

    /// Applies one frame; returns the protocol error it reveals, if any.
    private mutating func handle(_ frame: WebSocketFrame, into actions: inout [WebSocketAction]) -> WebSocketProtocolError? {
        switch frame.opcode {
        case .ping:
            // §5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response" (unless closing).
            if state == .open { actions.append(.write(WebSocketFrameEncoder.encode(opcode: .pong, payload: frame.payload))) }
            return nil
        case .pong:
            return nil  // §5.5.3: unsolicited pongs need no answer
        case .close:
            return handleClose(frame.payload, into: &actions)
        case .text, .binary:
            // §5.4: a new message may not start while a fragmented one is open.
            if messageOpcode != nil { return .expectedContinuation }
            if state == .closing { return nil }  // §7.1.4: after sending close, data is ignored
            messageOpcode = frame.opcode
            messageBytes = []
            isMessageCompressed = frame.isCompressed
            validator.reset()
            return appendFragment(frame, into: &actions)
        case .continuation:
            // §5.4: a continuation needs an open fragmented message.
            guard messageOpcode != nil else { return state == .closing ? nil : .unexpectedContinuation }
            return appendFragment(frame, into: &actions)
        }
    }

    /// Adds a data frame's payload to the message in progress; delivers it on FIN.
    private mutating func appendFragment(_ frame: WebSocketFrame, into actions: inout [WebSocketAction]) -> WebSocketProtocolError? {
        if isMessageCompressed, let inflater {
            if let error = inflate(frame, with: inflater) { return error }
        } else {
            if frame.payload.count > messageLimit - messageBytes.count { return oversize(frame.payload.count, held: messageBytes.count) }
            // §8.1: text must be UTF-8; checked per fragment so an invalid prefix fails at once.
            if messageOpcode == .text && !validator.validate(frame.payload) { return .invalidUTF8 }
            if messageBytes.isEmpty { messageBytes = frame.payload } else { messageBytes.append(contentsOf: frame.payload) }
        }
        guard frame.isFinal else { return nil }
        let opcode = messageOpcode
        let bytes = messageBytes
        messageOpcode = nil
        messageBytes = []
        if state == .closing { return nil }
        // The message leaves this machine but stays in memory until it is handled: what later frames of the same
        // read may still take shrinks by its size (else a read that delivers one message and starts the next
        // could admit the next against room the first still fills).
        if messageAllowance != .max { messageAllowance = max(0, messageAllowance - bytes.count) }
        if opcode == .text {
            guard validator.isComplete else { return .invalidUTF8 }
            actions.append(.deliver(.text(String(decoding: bytes, as: UTF8.self))))
        } else {
            actions.append(.deliver(.binary(bytes)))
        }
        return nil
    }

    /// RFC 7692 §7.2.2: inflates a compressed fragment into the message (the tail 00 00 FF FF after the last one),
    /// bounded by the message limit as it is produced (a deflate bomb stops at the limit: 1009), UTF-8-checking text.
    private mutating func inflate(_ frame: WebSocketFrame, with inflater: WebSocketInflater) -> WebSocketProtocolError? {
        let start = messageBytes.count
        let limit = messageLimit
        var result = frame.payload.withUnsafeBytes { inflater.inflate($0, into: &messageBytes, limit: limit) }
        if result == .ok && frame.isFinal { result = inflater.finishMessage(into: &messageBytes, limit: limit) }
        switch result {
        case .ok: break
        case .tooBig: return limit < maxMessageBytes ? .overMemoryBudget : .messageTooBig
        case .corrupt: return .invalidCompressedData
        }
        if messageOpcode == .text && start < messageBytes.count {
            let valid = messageBytes.withUnsafeBytes { validator.validate(UnsafeRawBufferPointer(rebasing: $0[start...])) }
            if !valid { return .invalidUTF8 }
        }
        return nil
    }

    /// §5.5.1/§7.4: validates the peer's close, echoes it when we had not closed yet, and ends the connection.
    private mutating func handleClose(_ payload: [UInt8], into actions: inout [WebSocketAction]) -> WebSocketProtocolError? {
        var echo: [UInt8] = []
        if payload.count == 1 { return .invalidClosePayload }
        if payload.count >= 2 {
            let code = WebSocketCloseCode(UInt16(payload[0]) << 8 | UInt16(payload[1]))
            guard code.isValidOnWire else { return .invalidCloseCode(code.rawValue) }
            var reasonValidator = UTF8Validator()
            guard reasonValidator.validate(Array(payload[2...])), reasonValidator.isComplete else { return .invalidUTF8 }
            echo = WebSocketFrameEncoder.closePayload(code: code, reason: "")
        }
        // §5.5.1: "If an endpoint receives a Close frame and did not previously send a Close frame, the endpoint
        // MUST send a Close frame in response" (echoing the status code, §5.5.1); then the server closes TCP (§7.1.1).
        if state == .open { actions.append(.write(WebSocketFrameEncoder.encode(opcode: .close, payload: echo))) }
        state = .closed
        actions.append(.closeConnection)
        return nil
    }

    /// §7.1.7 _Fail the WebSocket Connection_: send a close with the error's code (if we have not yet), then close.
    private mutating func fail(_ error: WebSocketProtocolError, into actions: inout [WebSocketAction]) {
        failure = error
        if state == .open {
            let payload = WebSocketFrameEncoder.closePayload(code: error.closeCode, reason: error.description)
            actions.append(.write(WebSocketFrameEncoder.encode(opcode: .close, payload: payload)))
        }
        state = .closed
        messageBytes = []
        actions.append(.closeConnection)
    }
}
