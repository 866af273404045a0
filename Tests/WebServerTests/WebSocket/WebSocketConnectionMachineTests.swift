import Testing
import WebServer

@Suite struct WebSocketConnectionMachineTests {
    private func machine(max: Int = 1 << 20) -> WebSocketConnectionMachine {
        WebSocketConnectionMachine(maxMessageBytes: max)
    }

    @Test func textAndBinaryMessages_areDelivered() {
        var machine = machine()
        #expect(machine.receive(clientText("Hello")) == [.deliver(.text("Hello"))])
        #expect(machine.receive(clientFrame(.binary, [0, 1, 255])) == [.deliver(.binary([0, 1, 255]))])
        #expect(machine.receive(clientText("")) == [.deliver(.text(""))])
        #expect(!machine.isClosing)
    }

    @Test func ping_isAnsweredWithPongCarryingItsPayload() {
        var machine = machine()
        #expect(machine.receive(clientFrame(.ping, Array("Hello".utf8))) == [.write([0x8A, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])])
        #expect(machine.receive(clientFrame(.pong, [1])) == [])
    }

    @Test func fragmentedMessageWithInterleavedPings_isReassembled() {
        var machine = machine()
        let bytes = clientText("Hel", isFinal: false) + clientFrame(.ping, [1]) + clientFrame(.continuation, Array("l".utf8), isFinal: false)
            + clientFrame(.ping, [2]) + clientFrame(.continuation, Array("o".utf8))
        #expect(machine.receive(bytes) == [
            .write(WebSocketFrameEncoder.encode(opcode: .pong, payload: [1])),
            .write(WebSocketFrameEncoder.encode(opcode: .pong, payload: [2])),
            .deliver(.text("Hello")),
        ])
    }

    @Test func messagesFedAtEverySplit_giveTheSameActions() {
        let bytes = clientText("Hé", isFinal: false) + clientFrame(.ping, [7]) + clientFrame(.continuation, Array("llo wörld".utf8))
            + clientFrame(.binary, [UInt8](repeating: 3, count: 300)) + clientClose(1000, "done")
        var whole = machine()
        let expected = whole.receive(bytes)
        #expect(expected.count == 5)
        #expect(expected.last == .closeConnection)
        for offset in 0...bytes.count {
            var split = machine()
            let actions = split.receive(Array(bytes[..<offset])) + split.receive(Array(bytes[offset...]))
            #expect(actions == expected, "split at \(offset)")
            if actions != expected { break }
        }
    }

    @Test func peerClose_isEchoedWithItsCodeThenClosed() {
        for code: UInt16 in [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999] {
            var machine = machine()
            #expect(machine.receive(clientClose(code, "reason")) == [.write(serverClose(code)), .closeConnection], "\(code)")
            #expect(machine.isClosing && machine.isClosed)
            #expect(machine.receive(clientText("late")) == [])
        }
    }

    @Test func emptyClose_isAnsweredWithAnEmptyClose() {
        var machine = machine()
        #expect(machine.receive(clientFrame(.close, [])) == [.write([0x88, 0x00]), .closeConnection])
    }

    @Test func invalidCloseCodes_failWith1002() {
        for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] {
            var machine = machine()
            let actions = machine.receive(clientClose(code))
            #expect(sentCloseCode(actions) == 1002, "\(code)")
            #expect(actions.last == .closeConnection)
        }
    }

    @Test func badClosePayloads_fail() {
        var oneByte = machine()
        #expect(sentCloseCode(oneByte.receive(clientFrame(.close, [0x03]))) == 1002)
        var badReason = machine()
        #expect(sentCloseCode(badReason.receive(clientFrame(.close, [0x03, 0xE8, 0xCE, 0xBA, 0xED, 0xA0, 0x80]))) == 1007)
    }

    @Test func invalidUTF8AcrossFragments_failsWith1007AtTheFirstBadFragment() {
        var machine = machine()
        #expect(machine.receive(clientFrame(.text, [0xCE, 0xBA, 0xE1], isFinal: false)) == [])
        let actions = machine.receive(clientFrame(.continuation, [0xBD, 0xB9, 0xED, 0xA0], isFinal: false))
        #expect(sentCloseCode(actions) == 1007)
        #expect(actions.last == .closeConnection)
    }

    @Test func invalidUTF8InsideAFrameStillArriving_failsBeforeTheFrameCompletes() {
        // Autobahn 6.4.3/6.4.4: one text frame sent in chops; the invalid byte must fail the connection at once.
        let payload: [UInt8] = Array("κόσμε".utf8) + [0xED, 0xA0, 0x80] + Array("edited".utf8)
        let frame = clientFrame(.text, payload)
        var machine = machine()
        #expect(machine.receive(Array(frame[..<12])) == [])
        let actions = machine.receive(Array(frame[12..<20]))
        #expect(sentCloseCode(actions) == 1007)
        #expect(actions.last == .closeConnection)
    }

    @Test func invalidUTF8InAnArrivingContinuation_failsEarlyToo() {
        var machine = machine()
        #expect(machine.receive(clientFrame(.text, [0xCE, 0xBA, 0xE1], isFinal: false)) == [])
        let continuation = clientFrame(.continuation, [0xBD, 0xB9, 0xED, 0xA0, 0x80, 0x61, 0x62, 0x63])
        #expect(machine.receive(Array(continuation[..<8])) == [])
        #expect(sentCloseCode(machine.receive(Array(continuation[8..<10]))) == 1007)
    }

    @Test func declaredOversizedFrame_failsWith1009AtItsHeader() {
        var machine = machine(max: 1000)
        let header: [UInt8] = [0x82, 0xFE, 0x04, 0x00] + rfcMaskingKey  // 1024 bytes declared, none sent
        #expect(sentCloseCode(machine.receive(header)) == 1009)
    }

    @Test func validTextArrivingInChops_isDeliveredOnce() {
        let text = "κόσμε 🎉 " + String(repeating: "ascii ", count: 40)
        let frame = clientText(text)
        var machine = machine()
        var actions: [WebSocketAction] = []
        for start in stride(from: 0, to: frame.count, by: 3) { actions += machine.receive(Array(frame[start..<min(start + 3, frame.count)])) }
        #expect(actions == [.deliver(.text(text))])
    }

    @Test func truncatedUTF8AtMessageEnd_failsWith1007() {
        var machine = machine()
        #expect(sentCloseCode(machine.receive(clientFrame(.text, [0x61, 0xE2, 0x82]))) == 1007)
    }

    @Test func messageOverTheLimit_failsWith1009() {
        var single = machine(max: 1000)
        #expect(sentCloseCode(single.receive(clientFrame(.binary, [UInt8](repeating: 0, count: 1001)))) == 1009)
        var fragmented = machine(max: 1000)
        #expect(fragmented.receive(clientFrame(.binary, [UInt8](repeating: 0, count: 600), isFinal: false)) == [])
        #expect(sentCloseCode(fragmented.receive(clientFrame(.continuation, [UInt8](repeating: 0, count: 401)))) == 1009)
        var atLimit = machine(max: 1000)
        #expect(atLimit.receive(clientFrame(.binary, [UInt8](repeating: 0, count: 1000))) == [.deliver(.binary([UInt8](repeating: 0, count: 1000)))])
    }

    @Test func protocolViolations_failWith1002() {
        let violations: [(String, [UInt8])] = [
            ("unmasked frame", WebSocketFrameEncoder.encode(opcode: .text, payload: Array("hi".utf8))),
            ("reserved bit", [0xC1, 0x80, 1, 2, 3, 4]),
            ("reserved opcode", [0x83, 0x80, 1, 2, 3, 4]),
            ("reserved control opcode", [0x8B, 0x80, 1, 2, 3, 4]),
            ("fragmented ping", clientFrame(.ping, [1], isFinal: false)),
            ("long ping", clientFrame(.ping, [UInt8](repeating: 1, count: 126))),
            ("continuation first", clientFrame(.continuation, [1])),
            ("new message inside fragmented", clientText("a", isFinal: false) + clientText("b")),
            ("64-bit length MSB", [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0]),
        ]
        for (name, bytes) in violations {
            var machine = machine()
            let actions = machine.receive(bytes)
            #expect(sentCloseCode(actions) == 1002, "\(name)")
            #expect(actions.last == .closeConnection, "\(name)")
            #expect(machine.isClosed)
        }
    }

    @Test func serverClose_waitsForThePeersClose() {
        var machine = machine()
        let closing = machine.close(code: .goingAway, reason: "shutdown")
        #expect(closing == [.write(WebSocketFrameEncoder.encode(opcode: .close, payload: [0x03, 0xE9] + Array("shutdown".utf8)))])
        #expect(machine.isClosing && !machine.isClosed)
        #expect(machine.close(code: .normalClosure, reason: "") == [])
        #expect(machine.ping(payload: [1]) == [])
        // Data and pings after our close are ignored; the peer's close ends it without a second close frame.
        #expect(machine.receive(clientText("ignored") + clientFrame(.ping, [1])) == [])
        #expect(machine.receive(clientClose(1001)) == [.closeConnection])
        #expect(machine.isClosed)
    }

    @Test func violationWhileClosing_closesWithoutASecondCloseFrame() {
        var machine = machine()
        _ = machine.close(code: .normalClosure, reason: "")
        #expect(machine.receive([0xC1, 0x80, 1, 2, 3, 4]) == [.closeConnection])
    }

    @Test func frameLimitBelowMessageLimit_allowsManySmallFragments() {
        var machine = WebSocketConnectionMachine(maxMessageBytes: 1000, maxFrameBytes: 200)
        var bytes = clientFrame(.binary, [UInt8](repeating: 1, count: 200), isFinal: false)
        for _ in 0..<3 { bytes += clientFrame(.continuation, [UInt8](repeating: 1, count: 200), isFinal: false) }
        bytes += clientFrame(.continuation, [UInt8](repeating: 1, count: 200))
        #expect(machine.receive(bytes) == [.deliver(.binary([UInt8](repeating: 1, count: 1000)))])
        var tooBigFrame = WebSocketConnectionMachine(maxMessageBytes: 1000, maxFrameBytes: 200)
        #expect(sentCloseCode(tooBigFrame.receive(clientFrame(.binary, [UInt8](repeating: 1, count: 201)))) == 1009)
    }

    @Test func declaredContinuationOverTheMessageLimit_failsWith1009AtItsHeader() {
        var machine = machine(max: 1000)
        #expect(machine.receive(clientFrame(.text, Array(repeating: 0x61, count: 900), isFinal: false)) == [])
        #expect(sentCloseCode(machine.receive([0x80, 0xFE, 0x00, 0xC8] + rfcMaskingKey)) == 1009)  // 200 more declared
    }

    @Test func afterClosing_nothingMoreIsSent() {
        var machine = machine()
        _ = machine.receive(clientClose(1000))
        #expect(machine.close(code: .goingAway, reason: "late") == [])
        #expect(machine.ping(payload: []) == [])
        #expect(machine.receive(clientFrame(.ping, [1])) == [])
    }

    @Test func closeReason_isCutToFitAControlFrame() {
        var machine = machine()
        guard case .write(let bytes)? = machine.close(code: .goingAway, reason: String(repeating: "x", count: 300)).first else {
            Issue.record("no close frame"); return
        }
        let frames = serverFrames(bytes)
        #expect(frames.count == 1)
        #expect(frames.first?.payload.count == 125)
    }

    @Test func ping_isFramedAndCutTo125Bytes() {
        var machine = machine()
        guard case .write(let bytes)? = machine.ping(payload: [UInt8](repeating: 1, count: 200)).first else { Issue.record("no ping"); return }
        #expect(serverFrames(bytes) == [WebSocketFrame(opcode: .ping, payload: [UInt8](repeating: 1, count: 125))])
    }

    @Test func anAdmittedLargeFrame_isCountedWholeFromItsHeader() {
        var machine = machine(max: 4 << 20)
        let frame = clientFrame(.binary, [UInt8](repeating: 1, count: 2 << 20))
        #expect(machine.receive(Array(frame[..<4096])) == [])
        #expect(machine.allocatedByteCount >= 2 << 20)   // the memory budget sees it before its bytes arrive
        #expect(machine.receive(Array(frame[4096...])).count == 1)
        #expect(machine.allocatedByteCount < 100_000)
    }

    @Test func aMessageDeliveredInARead_takesItsSizeOffTheAllowance_forTheNextFrame() {
        let size = 300_000
        let first = clientFrame(.binary, [UInt8](repeating: 1, count: size))
        let second = clientFrame(.binary, [UInt8](repeating: 2, count: size))
        // Room for one message but not two: the first is delivered, the second refused at its header (1009).
        var tight = machine(max: 1 << 20)
        tight.messageAllowance = size + size / 2
        let actions = tight.receive(first + Array(second[..<1000]))
        #expect(actions.first == .deliver(.binary([UInt8](repeating: 1, count: size))))
        #expect(sentCloseCode(actions) == 1009)
        #expect(tight.failure == .overMemoryBudget)
        // With room for both, both arrive.
        var roomy = machine(max: 1 << 20)
        roomy.messageAllowance = 2 * size + 1000
        #expect(roomy.receive(first + second).count == 2)
    }
}
