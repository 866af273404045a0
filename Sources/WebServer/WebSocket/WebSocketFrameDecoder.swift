/// An incremental frame decoder (RFC 6455 §5.2): bytes in, frames out, never a socket.
///
/// The header is checked as soon as its bytes arrive (reserved bits, opcode, masking, control
/// frame rules, length), so a hostile length is refused before anything is allocated for it.
/// A frame is returned once its whole payload is buffered; each `next()` call is O(1) until
/// then, so byte-at-a-time input stays linear. Payloads are unmasked eight bytes at a time.
public struct WebSocketFrameDecoder: Sendable {
    /// What `next()` found.
    public enum Result: Sendable, Equatable {
        /// The next frame is not complete yet.
        case needMoreData
        /// A complete frame.
        case frame(WebSocketFrame)
        /// The peer broke the protocol; the decoder is dead.
        case error(WebSocketProtocolError)
    }

    /// The largest payload accepted in one frame; larger ones are refused with `.frameTooBig` (1009).
    public let maxFrameBytes: Int
    /// True for a server (client frames must be masked, §5.1); false for a client (server frames must not be).
    public let expectsMaskedFrames: Bool
    /// True once permessage-deflate was negotiated: RSV1 may then mark the first frame of a data message (RFC 7692 §6).
    public let allowsCompressedFrames: Bool
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var failure: WebSocketProtocolError?
    private var pending: PendingFrame?

    /// A frame whose header is complete but whose payload is still arriving.
    private struct PendingFrame: Sendable {
        var isFinal: Bool
        var opcode: WebSocketOpcode
        var isCompressed: Bool
        /// Offset of the payload from `readIndex`.
        var payloadOffset: Int
        var length: Int
        var maskingKey: UInt32?
    }

    /// The frame being received: its header is complete, its payload is not (yet) all here.
    public struct PartialFrame: Sendable, Equatable {
        /// FIN of the pending frame.
        public var isFinal: Bool
        /// The pending frame's opcode.
        public var opcode: WebSocketOpcode
        /// RSV1 of the pending frame (a compressed message starts here).
        public var isCompressed: Bool
        /// The payload length its header declares.
        public var declaredLength: Int
        /// How many payload bytes have arrived.
        public var receivedLength: Int
    }

    /// Creates a decoder.
    public init(maxFrameBytes: Int, expectsMaskedFrames: Bool = true, allowsCompressedFrames: Bool = false) {
        precondition(maxFrameBytes >= 125, "WebSocketFrameDecoder: maxFrameBytes must be at least 125 (control frames), got \(maxFrameBytes)")
        self.maxFrameBytes = maxFrameBytes
        self.expectsMaskedFrames = expectsMaskedFrames
        self.allowsCompressedFrames = allowsCompressedFrames
    }

    /// Bytes buffered but not yet returned as frames.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Bytes the decoder has allocated (its buffer's capacity), for memory accounting.
    public var allocatedByteCount: Int { buffer.capacity }

    /// Bytes one read may bring past a reserved frame (the server's read size), so the read that completes a
    /// frame and starts the next still fits without the buffer doubling.
    public static let readSlack = 64 << 10

    /// Buffers larger than this are given back as soon as the frames in them are consumed.
    static let keptCapacity = 1 << 16

    /// Makes room for the whole pending frame at once, after its receiver admitted it (declared length against the
    /// message and memory limits): the buffer then holds the frame in one allocation of known size, which the
    /// memory budget counts from the header on, instead of doubling as bytes arrive (up to twice the frame).
    /// Frames that fit in the kept buffer just grow with it.
    public mutating func reservePendingFrame() {
        guard let pending, pending.length > Self.keptCapacity else { return }
        let needed = pending.payloadOffset + pending.length + Self.readSlack
        guard buffer.capacity - readIndex < needed else { return }
        if readIndex > 0 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.reserveCapacity(needed)
    }

    /// Buffers bytes from the peer.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= Self.keptCapacity)
            readIndex = 0
        } else if readIndex >= 4096 && readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Buffers bytes from the peer.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next complete frame, if buffered.
    public mutating func next() -> Result {
        pending = nil
        if let failure { return .error(failure) }
        let available = buffer.count - readIndex
        guard available >= 2 else { return .needMoreData }
        let first = buffer[readIndex]
        let second = buffer[readIndex + 1]

        // §5.2: "RSV1, RSV2, RSV3: MUST be 0 unless an extension is negotiated"; only permessage-deflate (RSV1) can be.
        if first & 0x30 != 0 || (first & 0x40 != 0 && !allowsCompressedFrames) { return fail(.reservedBitsSet) }
        // §5.2: "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket Connection_."
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else { return fail(.unknownOpcode(first & 0x0F)) }
        let isCompressed = first & 0x40 != 0
        // RFC 7692 §6.1: RSV1 only on the first frame of a data message, never on control or continuation frames.
        if isCompressed && (opcode.isControl || opcode == .continuation) { return fail(.misplacedCompressionBit) }
        let isFinal = first & 0x80 != 0
        let isMasked = second & 0x80 != 0
        // §5.1: a server MUST close on an unmasked client frame; a client MUST close on a masked server frame.
        if isMasked != expectsMaskedFrames { return fail(.wrongMasking) }
        let shortLength = Int(second & 0x7F)
        if opcode.isControl {
            // §5.5: "All control frames MUST have a payload length of 125 bytes or less and MUST NOT be fragmented."
            if !isFinal { return fail(.fragmentedControlFrame) }
            if shortLength > 125 { return fail(.controlFrameTooLong) }
        }

        var headerLength = 2
        var length = shortLength
        if shortLength == 126 {
            guard available >= 4 else { return .needMoreData }
            length = Int(buffer[readIndex + 2]) << 8 | Int(buffer[readIndex + 3])
            headerLength = 4
        } else if shortLength == 127 {
            guard available >= 10 else { return .needMoreData }
            var value: UInt64 = 0
            for offset in 2..<10 { value = value << 8 | UInt64(buffer[readIndex + offset]) }
            // §5.2: "the most significant bit MUST be 0".
            if value >> 63 != 0 { return fail(.invalidLength) }
            if value > UInt64(maxFrameBytes) { return fail(.frameTooBig) }
            length = Int(value)
            headerLength = 10
        }
        if length > maxFrameBytes { return fail(.frameTooBig) }
        let keyOffset = headerLength
        if isMasked { headerLength += 4 }
        // No capacity is reserved here for a declared length: the receiver reserves it (`reservePendingFrame`) only
        // once it has admitted that length.
        guard available >= headerLength else { return .needMoreData }  // the masking key is still arriving
        guard available >= headerLength + length else {
            let key = isMasked ? buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: readIndex + keyOffset, as: UInt32.self) } : nil
            pending = PendingFrame(isFinal: isFinal, opcode: opcode, isCompressed: isCompressed, payloadOffset: headerLength,
                                   length: length, maskingKey: key)
            return .needMoreData
        }

        let payloadStart = readIndex + headerLength
        let payload: [UInt8] = buffer.withUnsafeBytes { raw in
            let source = UnsafeRawBufferPointer(rebasing: raw[payloadStart..<(payloadStart + length)])
            guard isMasked else { return Array(source) }
            // §5.3: "octet i of the transformed data is the XOR of octet i of the original data with octet i MOD 4 of the masking key".
            let key = raw.loadUnaligned(fromByteOffset: readIndex + keyOffset, as: UInt32.self)
            return WebSocketMasking.apply(key, to: source, keyOffset: 0)
        }
        readIndex = payloadStart + length
        releaseConsumedLargeBuffer()
        return .frame(WebSocketFrame(isFinal: isFinal, opcode: opcode, isMasked: isMasked, payload: payload, isCompressed: isCompressed))
    }

    /// Gives back a large buffer once its frames are consumed, keeping what follows them (at most one read), so a
    /// large message is not held twice (the buffer and the delivered payload) until the peer's next bytes.
    private mutating func releaseConsumedLargeBuffer() {
        let rest = buffer.count - readIndex
        guard buffer.capacity > Self.keptCapacity, rest <= Self.readSlack else { return }
        buffer = rest == 0 ? [] : Array(buffer[readIndex...])
        readIndex = 0
    }

    /// After `next()` said `.needMoreData`: the pending frame's header and how much payload arrived, so a
    /// receiver can judge a frame before it completes (Autobahn 6.4.3/6.4.4 fail fast). Nil when no header is complete.
    public var partialFrame: PartialFrame? {
        guard let pending else { return nil }
        let received = min(buffer.count - readIndex - pending.payloadOffset, pending.length)
        return PartialFrame(isFinal: pending.isFinal, opcode: pending.opcode, isCompressed: pending.isCompressed,
                            declaredLength: pending.length, receivedLength: received)
    }

    /// The pending frame's unmasked payload bytes from `offset` up to what has arrived ([] when none is pending).
    public func partialPayload(from offset: Int) -> [UInt8] {
        guard let pending else { return [] }
        let start = readIndex + pending.payloadOffset
        let received = min(buffer.count - start, pending.length)
        guard offset >= 0, offset < received else { return [] }
        return buffer.withUnsafeBytes { raw in
            let source = UnsafeRawBufferPointer(rebasing: raw[(start + offset)..<(start + received)])
            guard let key = pending.maskingKey else { return Array(source) }
            return WebSocketMasking.apply(key, to: source, keyOffset: offset)
        }
    }

    private mutating func fail(_ error: WebSocketProtocolError) -> Result {
        failure = error
        buffer = []
        readIndex = 0
        return .error(error)
    }
}
