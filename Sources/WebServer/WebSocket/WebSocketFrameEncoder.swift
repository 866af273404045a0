/// Builds frames (RFC 6455 §5.2); servers send them unmasked, tests and clients may mask.
public enum WebSocketFrameEncoder {
    /// One unmasked server frame (RFC 6455 §5.2), 7/16/64-bit lengths; `isCompressed` sets RSV1 (RFC 7692 §6).
    public static func encode(opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer, isFinal: Bool = true, isCompressed: Bool = false) -> [UInt8] {
        var frame = header(opcode: opcode, length: payload.count, isFinal: isFinal, isMasked: false)
        if isCompressed { frame[0] |= 0x40 }
        frame.append(contentsOf: payload)
        return frame
    }

    /// One unmasked server frame (RFC 6455 §5.2), 7/16/64-bit lengths; `isCompressed` sets RSV1 (RFC 7692 §6).
    public static func encode(opcode: WebSocketOpcode, payload: [UInt8], isFinal: Bool = true, isCompressed: Bool = false) -> [UInt8] {
        payload.withUnsafeBytes { encode(opcode: opcode, payload: $0, isFinal: isFinal, isCompressed: isCompressed) }
    }

    /// One whole data message as a single frame, compressed (RSV1, RFC 7692 §7.2.1) when `deflate` was negotiated,
    /// the payload has at least `threshold` bytes, and compressing makes it smaller; otherwise plain (§6: the
    /// sender chooses per message). Compression uses no context, so the bytes suit every client with these parameters.
    public static func encodeMessage(opcode: WebSocketOpcode, payload: [UInt8], deflate: WebSocketDeflateParameters?, threshold: Int) -> [UInt8] {
        if let deflate, payload.count >= threshold {
            let compressed = WebSocketDeflate.compress(payload, windowBits: deflate.serverMaxWindowBits)
            if compressed.count < payload.count { return encode(opcode: opcode, payload: compressed, isCompressed: true) }
        }
        return encode(opcode: opcode, payload: payload)
    }

    /// One masked frame, as a client sends it (RFC 6455 §5.3); `maskingKey` must be 4 bytes.
    public static func encodeMasked(opcode: WebSocketOpcode, payload: [UInt8], maskingKey: [UInt8], isFinal: Bool = true) -> [UInt8] {
        precondition(maskingKey.count == 4, "WebSocketFrameEncoder.encodeMasked: maskingKey must be 4 bytes, got \(maskingKey.count)")
        var frame = header(opcode: opcode, length: payload.count, isFinal: isFinal, isMasked: true)
        frame.append(contentsOf: maskingKey)
        frame.append(contentsOf: WebSocketMasking.apply(maskingKey, to: payload))
        return frame
    }

    /// The close frame payload: the code big-endian, then the reason as UTF-8, cut at a character
    /// boundary so the whole payload fits a control frame's 125 bytes (RFC 6455 §5.5.1).
    public static func closePayload(code: WebSocketCloseCode, reason: String) -> [UInt8] {
        var payload: [UInt8] = [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)]
        var reasonBytes = 0
        for character in reason {
            let utf8 = character.utf8
            if reasonBytes + utf8.count > 123 { break }
            payload.append(contentsOf: utf8)
            reasonBytes += utf8.count
        }
        return payload
    }

    /// The frame header: FIN/opcode byte, MASK bit and the shortest length encoding (RFC 6455 §5.2).
    static func header(opcode: WebSocketOpcode, length: Int, isFinal: Bool, isMasked: Bool) -> [UInt8] {
        var header: [UInt8] = []
        header.reserveCapacity(14)
        header.append((isFinal ? 0x80 : 0) | opcode.rawValue)
        let maskBit: UInt8 = isMasked ? 0x80 : 0
        if length <= 125 {
            header.append(maskBit | UInt8(length))
        } else if length <= 0xFFFF {
            header.append(maskBit | 126)
            header.append(UInt8(length >> 8))
            header.append(UInt8(length & 0xFF))
        } else {
            header.append(maskBit | 127)
            let value = UInt64(length)
            for shift in stride(from: 56, through: 0, by: -8) { header.append(UInt8((value >> UInt64(shift)) & 0xFF)) }
        }
        return header
    }
}
