import Testing
import WebServer

@Suite struct WebSocketFrameDecoderTests {
    let hello = Array("Hello".utf8)

    @Test func rfcExample_singleUnmaskedText() {
        let bytes: [UInt8] = [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]
        #expect(decodeAll([bytes], masked: false) == [.frame(WebSocketFrame(opcode: .text, payload: hello))])
    }

    @Test func rfcExample_singleMaskedText() {
        let bytes: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        #expect(decodeAll([bytes]) == [.frame(WebSocketFrame(opcode: .text, isMasked: true, payload: hello))])
        #expect(clientText("Hello") == bytes)
    }

    @Test func rfcExample_fragmentedUnmaskedText() {
        let bytes: [UInt8] = [0x01, 0x03, 0x48, 0x65, 0x6C, 0x80, 0x02, 0x6C, 0x6F]
        #expect(decodeAll([bytes], masked: false) == [
            .frame(WebSocketFrame(isFinal: false, opcode: .text, payload: Array("Hel".utf8))),
            .frame(WebSocketFrame(opcode: .continuation, payload: Array("lo".utf8))),
        ])
    }

    @Test func rfcExample_pingAndMaskedPong() {
        let ping: [UInt8] = [0x89, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]
        let pong: [UInt8] = [0x8A, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        #expect(decodeAll([ping], masked: false) == [.frame(WebSocketFrame(opcode: .ping, payload: hello))])
        #expect(decodeAll([pong]) == [.frame(WebSocketFrame(opcode: .pong, isMasked: true, payload: hello))])
    }

    @Test func rfcExample_256And64KiBBinaryLengths() {
        let small = (0..<256).map { UInt8($0 & 0xFF) }
        let smallFrame: [UInt8] = [0x82, 0x7E, 0x01, 0x00] + small
        #expect(decodeAll([smallFrame], masked: false) == [.frame(WebSocketFrame(opcode: .binary, payload: small))])
        let large = (0..<65536).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let largeFrame: [UInt8] = [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0] + large
        #expect(decodeAll([largeFrame], masked: false) == [.frame(WebSocketFrame(opcode: .binary, payload: large))])
    }

    @Test func maskedFrames_decodeIdenticallyAtEverySplit() {
        let lengths = [0, 1, 7, 8, 9, 125, 126, 127, 300, 65535, 65536, 70000]
        for length in lengths {
            let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
            let frame = clientFrame(.binary, payload)
            let expected: [WebSocketFrameDecoder.Result] = [.frame(WebSocketFrame(opcode: .binary, isMasked: true, payload: payload))]
            #expect(decodeAll([frame]) == expected, "length \(length)")
            // Every split in the header and payload start; a stride through big payloads keeps the suite fast.
            let offsets = length > 300 ? Array(0...20) + Array(stride(from: 21, through: frame.count, by: 997)) : Array(0...frame.count)
            for offset in offsets {
                let split = decodeAll([Array(frame[..<offset]), Array(frame[offset...])])
                #expect(split == expected, "length \(length), split at \(offset)")
                if split != expected { break }
            }
        }
    }

    @Test func framesFedBytewise_decodeInOrder() {
        let frames = [clientText("Hel", isFinal: false), clientFrame(.ping, hello), clientFrame(.continuation, Array("lo".utf8)),
                      clientFrame(.binary, [UInt8](repeating: 9, count: 200))]
        let results = decodeAll(frames.flatMap { $0 }.map { [$0] })
        #expect(results.count == 4)
        #expect(results.last == .frame(WebSocketFrame(opcode: .binary, isMasked: true, payload: [UInt8](repeating: 9, count: 200))))
    }

    @Test func unmaskedClientFrame_isRefused() {
        #expect(decodeAll([[0x81, 0x05] + hello]) == [.error(.wrongMasking)])
        #expect(WebSocketProtocolError.wrongMasking.closeCode == .protocolError)
    }

    @Test func maskedServerFrame_isRefusedByAClient() {
        #expect(decodeAll([clientText("Hello")], masked: false) == [.error(.wrongMasking)])
    }

    @Test func reservedBitsAndOpcodes_areRefused() {
        for rsv: UInt8 in [0x40, 0x20, 0x10, 0x70] {
            #expect(decodeAll([[0x81 | rsv, 0x80, 1, 2, 3, 4]]) == [.error(.reservedBitsSet)])
        }
        for opcode: UInt8 in [3, 4, 5, 6, 7, 11, 12, 13, 14, 15] {
            #expect(decodeAll([[0x80 | opcode, 0x80, 1, 2, 3, 4]]) == [.error(.unknownOpcode(opcode))])
        }
    }

    @Test func badControlFrames_areRefusedFromTheirHeader() {
        #expect(decodeAll([[0x09, 0x80]]) == [.error(.fragmentedControlFrame)])
        #expect(decodeAll([[0x89, 0xFE]]) == [.error(.controlFrameTooLong)])
        #expect(decodeAll([[0x88, 0xFE, 0x00, 0x7E]]) == [.error(.controlFrameTooLong)])
    }

    @Test func hostileLengths_areRefusedBeforeAllocating() {
        // 64-bit length with the MSB set.
        #expect(decodeAll([[0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0]]) == [.error(.invalidLength)])
        // 2^63 - 1 and 2^32: valid encodings, far over the limit.
        #expect(decodeAll([[0x82, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]]) == [.error(.frameTooBig)])
        #expect(decodeAll([[0x82, 0xFF, 0, 0, 0, 1, 0, 0, 0, 0]]) == [.error(.frameTooBig)])
        // 16-bit length just over a small limit.
        #expect(decodeAll([[0x82, 0xFE, 0x01, 0x00]], maxFrameBytes: 255) == [.error(.frameTooBig)])
        #expect(decodeAll([clientFrame(.binary, [UInt8](repeating: 1, count: 255))], maxFrameBytes: 255).count == 1)
    }

    @Test func partialFrame_exposesHeaderAndUnmaskedBytesSoFar() {
        let payload = (0..<40).map { UInt8($0 + 100) }
        let frame = clientFrame(.text, payload)
        var decoder = WebSocketFrameDecoder(maxFrameBytes: 1000)
        decoder.append(Array(frame[..<4]))
        #expect(decoder.next() == .needMoreData)
        #expect(decoder.partialFrame == nil)  // the masking key is not complete yet
        decoder.append(Array(frame[4..<23]))
        #expect(decoder.next() == .needMoreData)
        let partial = decoder.partialFrame
        #expect(partial?.isFinal == true && partial?.opcode == .text)
        #expect(partial?.declaredLength == 40 && partial?.receivedLength == 17)
        #expect(decoder.partialPayload(from: 0) == Array(payload[..<17]))
        #expect(decoder.partialPayload(from: 5) == Array(payload[5..<17]))
        #expect(decoder.partialPayload(from: 17) == [])
        decoder.append(Array(frame[23...]))
        #expect(decoder.next() == .frame(WebSocketFrame(opcode: .text, isMasked: true, payload: payload)))
        #expect(decoder.partialFrame == nil)
    }

    @Test func deadDecoder_staysDead() {
        var decoder = WebSocketFrameDecoder(maxFrameBytes: 1000)
        decoder.append([0xF1, 0x80])
        #expect(decoder.next() == .error(.reservedBitsSet))
        decoder.append(clientText("ok"))
        #expect(decoder.next() == .error(.reservedBitsSet))
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func reservedFrame_isHeldInOneAllocation_andGivenBackOnceConsumed() {
        let payload = [UInt8](repeating: 7, count: 1 << 20)
        let frame = clientFrame(.binary, payload)
        let next = clientText("next")
        var decoder = WebSocketFrameDecoder(maxFrameBytes: 2 << 20)
        decoder.append(Array(frame[..<1000]))
        #expect(decoder.next() == .needMoreData)
        #expect(decoder.allocatedByteCount < 100_000)   // nothing is allocated for a declared length by itself
        decoder.reservePendingFrame()
        let reserved = decoder.allocatedByteCount
        #expect(reserved >= frame.count && reserved < frame.count + 2 * WebSocketFrameDecoder.readSlack)
        for start in stride(from: 1000, to: frame.count, by: 65_536) {
            decoder.append(Array(frame[start..<min(start + 65_536, frame.count)]))
            if start + 65_536 < frame.count { #expect(decoder.next() == .needMoreData) }
        }
        #expect(decoder.allocatedByteCount == reserved)   // the arriving bytes did not make the buffer grow
        decoder.append(Array(next[..<3]))   // the read that completes a frame may start the next
        #expect(decoder.next() == .frame(WebSocketFrame(opcode: .binary, isMasked: true, payload: payload)))
        #expect(decoder.allocatedByteCount < 100_000)   // given back at once, the start of the next frame kept
        decoder.append(Array(next[3...]))
        #expect(decoder.next() == .frame(WebSocketFrame(opcode: .text, isMasked: true, payload: Array("next".utf8))))
    }

    @Test func smallFrames_reserveNothing() {
        let frame = clientText(String(repeating: "a", count: 1000))
        var decoder = WebSocketFrameDecoder(maxFrameBytes: 1 << 20)
        decoder.append(Array(frame[..<100]))
        #expect(decoder.next() == .needMoreData)
        let before = decoder.allocatedByteCount
        decoder.reservePendingFrame()
        #expect(decoder.allocatedByteCount == before)
    }
}
