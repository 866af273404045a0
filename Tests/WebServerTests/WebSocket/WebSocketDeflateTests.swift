import Testing
import WebServer

/// A masked client frame with RSV1 (RFC 7692 §6: "Per-Message Compressed") set when `compressed`.
func compressedClientFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8], isFinal: Bool = true, compressed: Bool = true) -> [UInt8] {
    var frame = clientFrame(opcode, payload, isFinal: isFinal)
    if compressed { frame[0] |= 0x40 }
    return frame
}

@Suite struct WebSocketDeflateTests {
    /// RFC 7692 §7.2.3.1: "Hello" compressed with no context.
    static let helloCompressed: [UInt8] = [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]

    private func machine(max: Int = 1 << 20, noContextTakeover: Bool = false) -> WebSocketConnectionMachine {
        WebSocketConnectionMachine(maxMessageBytes: max, deflate: WebSocketDeflateParameters(clientNoContextTakeover: noContextTakeover))
    }

    @Test func hello_compressesToTheRFCBytes_andFramesWithRSV1() {
        #expect(WebSocketDeflate.compress(Array("Hello".utf8)) == Self.helloCompressed)
        #expect(WebSocketDeflate.compressedSize(of: Array("Hello".utf8)) == 7)
        let frame = WebSocketFrameEncoder.encode(opcode: .text, payload: Self.helloCompressed, isCompressed: true)
        #expect(frame == [0xC1, 0x07] + Self.helloCompressed)   // §7.2.3.1 "0xc1 0x07 0xf2 0x48 0xcd 0xc9 0xc9 0x07 0x00"
        let hellos = Array(String(repeating: "Hello", count: 20).utf8)
        #expect(WebSocketFrameEncoder.encodeMessage(opcode: .text, payload: hellos, deflate: .init(), threshold: 0)
                == WebSocketFrameEncoder.encode(opcode: .text, payload: WebSocketDeflate.compress(hellos), isCompressed: true))
    }

    @Test func smallOrIncompressibleMessages_goUncompressed() {
        let hello = Array("Hello".utf8)
        #expect(WebSocketFrameEncoder.encodeMessage(opcode: .text, payload: hello, deflate: .init(), threshold: 256)
                == WebSocketFrameEncoder.encode(opcode: .text, payload: hello))
        #expect(WebSocketFrameEncoder.encodeMessage(opcode: .binary, payload: [1, 2, 3], deflate: .init(), threshold: 0)
                == WebSocketFrameEncoder.encode(opcode: .binary, payload: [1, 2, 3]))   // would grow: sent plain
        #expect(WebSocketFrameEncoder.encodeMessage(opcode: .text, payload: hello, deflate: nil, threshold: 0)
                == WebSocketFrameEncoder.encode(opcode: .text, payload: hello))
    }

    @Test func emptyMessage_isTheSingleOctet00_andInflatesToNothing() {
        #expect(WebSocketDeflate.compress([]) == [0x00])   // §7.2.3.6
        var m = machine()
        #expect(m.receive(compressedClientFrame(.text, [0x00])) == [.deliver(.text(""))])
    }

    @Test func rfcExamples_inflate() {
        // §7.2.3.1 unfragmented, and the same message in two fragments (RSV1 only on the first).
        var m = machine()
        #expect(m.receive(compressedClientFrame(.text, Self.helloCompressed)) == [.deliver(.text("Hello"))])
        #expect(m.receive(compressedClientFrame(.text, [0xF2, 0x48, 0xCD], isFinal: false)
                          + compressedClientFrame(.continuation, [0xC9, 0xC9, 0x07, 0x00], compressed: false)) == [.deliver(.text("Hello"))])
        // §7.2.3.2 context takeover: the second "Hello" refers back into the first one's window.
        var takeover = machine()
        #expect(takeover.receive(compressedClientFrame(.text, Self.helloCompressed)) == [.deliver(.text("Hello"))])
        #expect(takeover.receive(compressedClientFrame(.text, [0xF2, 0x00, 0x11, 0x00, 0x00])) == [.deliver(.text("Hello"))])
        // §7.2.3.3 a stored (uncompressed) DEFLATE block, §7.2.3.4 BFINAL set, §7.2.3.5 two blocks.
        for payload: [UInt8] in [[0x00, 0x05, 0x00, 0xFA, 0xFF, 0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x00],
                                 [0xF3, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x00],
                                 [0xF2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xCA, 0xC9, 0xC9, 0x07, 0x00]] {
            var fresh = machine()
            #expect(fresh.receive(compressedClientFrame(.text, payload)) == [.deliver(.text("Hello"))], "\(payload)")
            #expect(fresh.receive(compressedClientFrame(.text, Self.helloCompressed)) == [.deliver(.text("Hello"))])
        }
    }

    @Test func roundTrip_atEveryWindowSize_withAndWithoutContextTakeover() {
        var generator = SystemRandomNumberGenerator()
        let text = Array(String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 400).utf8)
        let random = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for noTakeover in [false, true] {
            var m = machine(noContextTakeover: noTakeover)
            for bits in 9...15 {
                for payload in [text, random, Array(text.prefix(300))] {
                    let compressed = WebSocketDeflate.compress(payload, windowBits: bits)
                    #expect(m.receive(compressedClientFrame(.binary, compressed)) == [.deliver(.binary(payload))], "bits \(bits)")
                }
            }
        }
        #expect(WebSocketDeflate.compressedSize(of: text) < text.count / 10)
    }

    @Test func compressedFragments_fedAtEverySplit_giveTheSameActions() {
        let payload = Array(String(repeating: "grüße, ", count: 200).utf8)
        let compressed = WebSocketDeflate.compress(payload)
        let half = compressed.count / 2
        let bytes = compressedClientFrame(.text, Array(compressed[..<half]), isFinal: false) + clientFrame(.ping, [1])
            + compressedClientFrame(.continuation, Array(compressed[half...]), compressed: false) + clientClose(1000)
        var whole = machine()
        let expected = whole.receive(bytes)
        #expect(expected.contains(.deliver(.text(String(decoding: payload, as: UTF8.self)))))
        for split in stride(from: 1, to: bytes.count, by: 7) {
            var m = machine()
            #expect(m.receive(Array(bytes[..<split])) + m.receive(Array(bytes[split...])) == expected, "split \(split)")
        }
    }

    @Test func deflateBomb_closesWith1009_withoutInflatingPastTheLimit() {
        let bomb = WebSocketDeflate.compress([UInt8](repeating: 0, count: 8 << 20))   // 8 MiB of zeros, ~8 KiB compressed
        #expect(bomb.count < 16 << 10)
        var m = machine(max: 1 << 20)
        let actions = m.receive(compressedClientFrame(.binary, bomb))
        #expect(sentCloseCode(actions) == 1009)
        #expect(actions.last == .closeConnection)
        #expect(m.bufferedByteCount == 0)
        var exact = machine(max: 4096)
        #expect(exact.receive(compressedClientFrame(.binary, WebSocketDeflate.compress([UInt8](repeating: 7, count: 4096))))
                == [.deliver(.binary([UInt8](repeating: 7, count: 4096)))])
        #expect(sentCloseCode(exact.receive(compressedClientFrame(.binary, WebSocketDeflate.compress([UInt8](repeating: 7, count: 4097))))) == 1009)
    }

    @Test func rsv1Misuse_closesWith1002_andCorruptDataWith1007() {
        var onPing = machine()
        #expect(sentCloseCode(onPing.receive(compressedClientFrame(.ping, []))) == 1002)
        var onContinuation = machine()
        #expect(sentCloseCode(onContinuation.receive(compressedClientFrame(.text, [0xF2, 0x48], isFinal: false)
                                                     + compressedClientFrame(.continuation, [0xCD, 0xC9, 0xC9, 0x07, 0x00]))) == 1002)
        var notNegotiated = WebSocketConnectionMachine(maxMessageBytes: 1 << 20)
        #expect(sentCloseCode(notNegotiated.receive(compressedClientFrame(.text, Self.helloCompressed))) == 1002)
        var rsv2 = machine()
        var frame = clientText("x")
        frame[0] |= 0x20
        #expect(sentCloseCode(rsv2.receive(frame)) == 1002)
        var corrupt = machine()
        #expect(sentCloseCode(corrupt.receive(compressedClientFrame(.binary, [0xFF, 0xFF, 0xFF, 0xFF]))) == 1007)
        var badText = machine()
        #expect(sentCloseCode(badText.receive(compressedClientFrame(.text, WebSocketDeflate.compress([0xC3, 0x28])))) == 1007)
    }

    @Test func uncompressedMessages_stillWork_onACompressedConnection() {
        var m = machine()
        #expect(m.receive(clientText("plain")) == [.deliver(.text("plain"))])
        #expect(m.receive(compressedClientFrame(.text, Self.helloCompressed)) == [.deliver(.text("Hello"))])
    }
}

@Suite struct WebSocketDeflateNegotiationTests {
    func negotiate(_ values: String...) -> WebSocketDeflateParameters? { WebSocketDeflateParameters.negotiate(values) }

    @Test func plainOffer_isAcceptedWithServerNoContextTakeover() throws {
        let p = try #require(negotiate("permessage-deflate"))
        #expect(p == WebSocketDeflateParameters(serverMaxWindowBits: 15, clientNoContextTakeover: false))
        #expect(p.responseHeaderValue == "permessage-deflate; server_no_context_takeover")
        // What Chrome and Firefox send:
        #expect(negotiate("permessage-deflate; client_max_window_bits")?.responseHeaderValue == "permessage-deflate; server_no_context_takeover")
        #expect(negotiate("Permessage-Deflate ;  Server_No_Context_Takeover") != nil)
    }

    @Test func parameters_areHonoured() {
        #expect(negotiate("permessage-deflate; client_no_context_takeover")?.responseHeaderValue
                == "permessage-deflate; server_no_context_takeover; client_no_context_takeover")
        #expect(negotiate("permessage-deflate; server_max_window_bits=10") == .init(serverMaxWindowBits: 10))
        #expect(negotiate("permessage-deflate; server_max_window_bits=10")?.responseHeaderValue
                == "permessage-deflate; server_no_context_takeover; server_max_window_bits=10")
        #expect(negotiate("permessage-deflate; server_max_window_bits=\"9\"") == .init(serverMaxWindowBits: 9))
        #expect(negotiate("permessage-deflate; client_max_window_bits=9") == .init())
        // Autobahn 13.5/13.7's offer:
        #expect(negotiate("permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9")
                == .init(serverMaxWindowBits: 9, clientNoContextTakeover: true))
    }

    @Test func offersWeCannotHonour_areDeclined_andTheNextOneTried() {
        for bad in ["permessage-deflate; server_max_window_bits=8", "permessage-deflate; server_max_window_bits=16",
                    "permessage-deflate; server_max_window_bits=09", "permessage-deflate; server_max_window_bits",
                    "permessage-deflate; server_max_window_bits=abc", "permessage-deflate; client_max_window_bits=7",
                    "permessage-deflate; client_no_context_takeover=1", "permessage-deflate; unknown_parameter",
                    "permessage-deflate; client_no_context_takeover; client_no_context_takeover", "x-webkit-deflate-frame"] {
            #expect(negotiate(bad) == nil, "\(bad)")
        }
        #expect(negotiate("permessage-deflate; server_max_window_bits=8, permessage-deflate; client_no_context_takeover")
                == .init(clientNoContextTakeover: true))
        #expect(negotiate("foo, permessage-deflate") == .init())
        #expect(negotiate("foo; bar=1", "permessage-deflate; server_max_window_bits=12") == .init(serverMaxWindowBits: 12))
    }

    @Test func malformedHeaders_disableCompression_withoutFailing() {
        for bad in ["permessage-deflate;", "permessage-deflate; =1", "permessage-deflate; a=\"open", "permessage-deflate x", ";", "a b"] {
            #expect(negotiate(bad) == nil, "\(bad)")
        }
        #expect(negotiate() == nil)
    }

    @Test func extensionHeader_parsesTokensAndQuotedStrings() {
        #expect(WebSocketExtensionOffer.parse(["a; b=1; c=\"x\\\"y\", , d"]) == [
            .init(name: "a", parameters: [.init(name: "b", value: "1"), .init(name: "c", value: "x\"y")]),
            .init(name: "d"),
        ])
    }

    @Test func handshake_answersTheAgreedExtension_onlyWhenAllowed() throws {
        let request = HTTPRequest(method: .GET, target: "/ws/echo", headers: HTTPHeaders([
            ("Host", "127.0.0.1"), ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"),
        ]))
        let accepted = try WebSocketHandshake.accept(request, originPolicy: .sameOrigin, allowsCompression: true).get()
        #expect(accepted.deflate == .init())
        #expect(accepted.response.headers["Sec-WebSocket-Extensions"] == "permessage-deflate; server_no_context_takeover")
        let plain = try WebSocketHandshake.accept(request, originPolicy: .sameOrigin, allowsCompression: false).get()
        #expect(plain.deflate == nil && !plain.response.headers.contains("Sec-WebSocket-Extensions"))
        #expect(try WebSocketHandshake.respond(to: request, originPolicy: .sameOrigin).get() == plain.response)
    }
}
