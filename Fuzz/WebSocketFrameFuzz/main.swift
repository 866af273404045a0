// libFuzzer target for the WebSocket receive path: WebSocketConnectionMachine, which covers the frame
// decoder, unmasking, UTF-8 validation and the close/fragmentation state (built by Fuzz/run.sh).
//
// Input layout: bytes 0-1 choose a split offset (and the top two bits of byte 0 the mode: no extension,
// permessage-deflate with client context takeover or without, or no extension under a memory allowance of
// 700 bytes, as the server's budget sets it), the rest is what a client sends after the handshake.
// Invariants checked (any violation traps, which libFuzzer reports as a crash):
//   - no trap anywhere;
//   - the actions are the same whether the input is fed whole, split in two at the chosen offset,
//     or (for short inputs) one byte at a time; so are the raw decoder's frames;
//   - every write is a sequence of well-formed unmasked server frames; control frames ≤ 125 bytes;
//   - closeConnection is the last action ever; nothing is delivered beyond maxMessageBytes;
//   - every delivered text message is valid UTF-8;
//   - under an allowance, the messages delivered add up to no more than it.

let maxMessageBytes = 1024

/// Feeds the chunks to a fresh machine (compressed or not) and returns all actions.
func run(_ chunks: [ArraySlice<UInt8>], deflate: WebSocketDeflateParameters?, allowance: Int) -> [WebSocketAction] {
    var machine = WebSocketConnectionMachine(maxMessageBytes: maxMessageBytes, maxFrameBytes: 512, deflate: deflate)
    machine.messageAllowance = allowance
    var actions: [WebSocketAction] = []
    for chunk in chunks {
        let wasClosed = machine.isClosed
        let produced = Array(chunk).withUnsafeBytes { machine.receive($0) }
        precondition(!wasClosed || produced.isEmpty, "actions after the connection closed")
        actions += produced
    }
    return actions
}

/// Decodes the raw frames the way a server would, collecting results until needMoreData or an error.
func decode(_ chunks: [ArraySlice<UInt8>], allowsCompressedFrames: Bool) -> [WebSocketFrameDecoder.Result] {
    var decoder = WebSocketFrameDecoder(maxFrameBytes: 512, allowsCompressedFrames: allowsCompressedFrames)
    var results: [WebSocketFrameDecoder.Result] = []
    for chunk in chunks {
        decoder.append(Array(chunk))
        while true {
            let result = decoder.next()
            if result == .needMoreData { break }
            results.append(result)
            if case .error = result { return results }
        }
    }
    return results
}

/// Checks the actions' invariants.
func check(_ actions: [WebSocketAction], allowance: Int) {
    var delivered = 0
    for (index, action) in actions.enumerated() {
        switch action {
        case .closeConnection:
            precondition(index == actions.count - 1, "closeConnection is not last")
        case .deliver(.binary(let bytes)):
            precondition(bytes.count <= maxMessageBytes)
            delivered += bytes.count
            precondition(delivered <= allowance, "delivered past the allowance")
        case .deliver(.text(let text)):
            precondition(text.utf8.count <= maxMessageBytes)
            delivered += text.utf8.count
            precondition(delivered <= allowance, "delivered past the allowance")
            var validator = UTF8Validator()
            precondition(validator.validate(Array(text.utf8)) && validator.isComplete)
        case .write(let bytes):
            var client = WebSocketFrameDecoder(maxFrameBytes: 1 << 20, expectsMaskedFrames: false)
            client.append(bytes)
            while true {
                switch client.next() {
                case .needMoreData:
                    precondition(client.bufferedByteCount == 0, "write ends with a partial frame")
                case .error(let error):
                    fatalError("server wrote an invalid frame: \(error)")
                case .frame(let frame):
                    precondition(!frame.opcode.isControl || frame.payload.count <= 125)
                    if frame.opcode == .close && frame.payload.count >= 2 {
                        let code = WebSocketCloseCode(UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]))
                        precondition(code.isValidOnWire, "server sent close code \(code)")
                    }
                    continue
                }
                break
            }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let input = FuzzInput(data, size) else { return 0 }
    let bytes = input.bytes, offset = input.splitOffset
    let modes: [WebSocketDeflateParameters?] = [nil, .init(), .init(clientNoContextTakeover: true), nil]
    let deflate = modes[Int(data[0] >> 6)]
    let allowance = data[0] >> 6 == 3 ? 700 : Int.max

    let whole = run([bytes], deflate: deflate, allowance: allowance)
    check(whole, allowance: allowance)
    let split = run([bytes[..<offset], bytes[offset...]], deflate: deflate, allowance: allowance)
    precondition(split == whole, "machine: split at \(offset - bytes.startIndex) differs")
    let compressed = deflate != nil
    precondition(decode([bytes[..<offset], bytes[offset...]], allowsCompressedFrames: compressed)
                 == decode([bytes], allowsCompressedFrames: compressed), "decoder: split differs")
    if bytes.count <= 512 {
        precondition(run(bytes.indices.map { bytes[$0...$0] }, deflate: deflate, allowance: allowance) == whole, "machine: bytewise differs")
    }
    return 0
}
