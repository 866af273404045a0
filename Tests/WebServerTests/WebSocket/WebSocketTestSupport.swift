import WebServer

/// A fixed masking key for client frames in tests (the one in RFC 6455 §5.7).
let rfcMaskingKey: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]

/// A masked client frame.
func clientFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8], isFinal: Bool = true) -> [UInt8] {
    WebSocketFrameEncoder.encodeMasked(opcode: opcode, payload: payload, maskingKey: rfcMaskingKey, isFinal: isFinal)
}

/// A masked client text frame.
func clientText(_ text: String, isFinal: Bool = true) -> [UInt8] {
    clientFrame(.text, Array(text.utf8), isFinal: isFinal)
}

/// A masked client close frame with a code and reason.
func clientClose(_ code: UInt16, _ reason: String = "") -> [UInt8] {
    clientFrame(.close, [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8))
}

/// The server's close frame for a code, as the machine writes it when echoing (no reason).
func serverClose(_ code: UInt16) -> [UInt8] {
    WebSocketFrameEncoder.encode(opcode: .close, payload: [UInt8(code >> 8), UInt8(code & 0xFF)])
}

/// Decodes every frame in bytes that a server sent (unmasked).
func serverFrames(_ bytes: [UInt8]) -> [WebSocketFrame] {
    var decoder = WebSocketFrameDecoder(maxFrameBytes: 1 << 24, expectsMaskedFrames: false)
    decoder.append(bytes)
    var frames: [WebSocketFrame] = []
    while case .frame(let frame) = decoder.next() { frames.append(frame) }
    return frames
}

/// The close code in the first close frame among the writes, or nil.
func sentCloseCode(_ actions: [WebSocketAction]) -> UInt16? {
    for case .write(let bytes) in actions {
        for frame in serverFrames(bytes) where frame.opcode == .close {
            return frame.payload.count >= 2 ? UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]) : 0
        }
    }
    return nil
}

/// Feeds bytes to a fresh decoder and collects results until needMoreData or an error.
func decodeAll(_ chunks: [[UInt8]], maxFrameBytes: Int = 1 << 20, masked: Bool = true) -> [WebSocketFrameDecoder.Result] {
    var decoder = WebSocketFrameDecoder(maxFrameBytes: maxFrameBytes, expectsMaskedFrames: masked)
    var results: [WebSocketFrameDecoder.Result] = []
    for chunk in chunks {
        decoder.append(chunk)
        while true {
            let result = decoder.next()
            if result == .needMoreData { break }
            results.append(result)
            if case .error = result { return results }
        }
    }
    return results
}
