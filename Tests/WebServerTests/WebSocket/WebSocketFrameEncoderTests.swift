import Testing
import WebServer

@Suite struct WebSocketFrameEncoderTests {
    @Test func rfcExamples_encodeByteForByte() {
        let hello = Array("Hello".utf8)
        #expect(WebSocketFrameEncoder.encode(opcode: .text, payload: hello) == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        #expect(WebSocketFrameEncoder.encode(opcode: .text, payload: Array("Hel".utf8), isFinal: false) == [0x01, 0x03, 0x48, 0x65, 0x6C])
        #expect(WebSocketFrameEncoder.encode(opcode: .continuation, payload: Array("lo".utf8)) == [0x80, 0x02, 0x6C, 0x6F])
        #expect(WebSocketFrameEncoder.encode(opcode: .ping, payload: hello) == [0x89, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        #expect(WebSocketFrameEncoder.encodeMasked(opcode: .pong, payload: hello, maskingKey: rfcMaskingKey)
                == [0x8A, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
    }

    @Test func lengthEncodings_useTheShortestForm() {
        let cases: [(Int, [UInt8])] = [
            (0, [0x82, 0x00]), (125, [0x82, 0x7D]), (126, [0x82, 0x7E, 0x00, 0x7E]), (256, [0x82, 0x7E, 0x01, 0x00]),
            (65535, [0x82, 0x7E, 0xFF, 0xFF]), (65536, [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0]),
        ]
        for (length, header) in cases {
            let frame = WebSocketFrameEncoder.encode(opcode: .binary, payload: [UInt8](repeating: 0xAB, count: length))
            #expect(Array(frame.prefix(header.count)) == header, "length \(length)")
            #expect(frame.count == header.count + length)
        }
    }

    @Test func closePayload_isBigEndianCodeThenReasonWithin125Bytes() {
        #expect(WebSocketFrameEncoder.closePayload(code: .goingAway, reason: "bye") == [0x03, 0xE9, 0x62, 0x79, 0x65])
        let long = WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: String(repeating: "é", count: 100))
        #expect(long.count == 124)  // 61 two-byte characters, never half of one
        var validator = UTF8Validator()
        let accepted = validator.validate(Array(long[2...]))
        #expect(accepted && validator.isComplete)
    }

    @Test func messageFraming_matchesTheEncoder() {
        #expect(WebSocketConnectionMachine.frame(.text("hi")) == [0x81, 0x02, 0x68, 0x69])
        #expect(WebSocketConnectionMachine.frame(.binary([1, 2])) == [0x82, 0x02, 1, 2])
    }
}
