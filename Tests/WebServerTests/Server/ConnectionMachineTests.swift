import Testing
@testable import WebServer

/// The connection lifecycle without sockets: every event is fed by hand with explicit times (seconds, as ns).
@Suite struct ConnectionMachineTests {
    typealias Action = ConnectionMachine.Action

    static func seconds(_ value: Double) -> UInt64 { UInt64(value * 1e9) }
    let t0: UInt64 = 1_000 * 1_000_000_000

    static func limits(writeBufferLimit: Int = 1000, maxBodyBytes: Int = 1 << 20, maxHeaderBytes: Int = 16384) -> ConnectionMachine.Limits {
        var c = ServerConfiguration()
        c.headerReadTimeout = 1
        c.keepAliveTimeout = 2
        c.writeStallTimeout = 3
        c.lingerTimeout = 0.5
        c.webSocketPingInterval = 4
        c.webSocketDeadPeerTimeout = 1
        c.writeBufferLimit = writeBufferLimit
        c.parserLimits = HTTPParserLimits(maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes)
        return ConnectionMachine.Limits(c)
    }

    func machine(writeBufferLimit: Int = 1000, maxBodyBytes: Int = 1 << 20) -> ConnectionMachine {
        ConnectionMachine(limits: Self.limits(writeBufferLimit: writeBufferLimit, maxBodyBytes: maxBodyBytes), now: t0)
    }

    static func get(_ path: String, _ extra: String = "") -> [UInt8] { Array("GET \(path) HTTP/1.1\r\nHost: h\r\n\(extra)\r\n".utf8) }

    /// The paths of the requests handed over, in order.
    static func handled(_ actions: [Action]) -> [String] {
        actions.compactMap { if case .handle(let request, _) = $0 { return request.path } else { return nil } }
    }

    static func finalStatus(_ actions: [Action]) -> Int? {
        for case .sendFinal(let response) in actions { return response.status.code }
        return nil
    }

    static func closeReason(_ actions: [Action]) -> ConnectionMachine.CloseReason? {
        for case .close(let reason) in actions { return reason }
        return nil
    }

    static func interest(_ actions: [Action]) -> Epoll.Events? {
        actions.reduce(nil) { last, action in if case .setInterest(let events) = action { return events } else { return last } }
    }

    /// The head handed over for checking, if any.
    static func checkedHead(_ actions: [Action]) -> HTTPRequest? {
        for case .checkHead(let head) in actions { return head }
        return nil
    }

    /// `actions` plus, when they ask for a head check, what accepting it (the guard and all of the budget agree) returns.
    static func accepting(_ m: inout ConnectionMachine, _ actions: [Action], now: UInt64) -> [Action] {
        guard checkedHead(actions) != nil else { return actions }
        return actions + m.headChecked(refusal: nil, budgetAvailable: .max, now: now)
    }

    // MARK: keep-alive and pipelining

    @Test func keepAlive_handsRequestsOneAtATime_andIdlesBetweenThem() {
        var m = machine()
        let first = m.bytesRead(Self.get("/a"), now: t0)
        #expect(Self.handled(first) == ["/a"])
        #expect(first.contains(.startTimer(nil)))   // no timeout while a handler works
        #expect(m.phase == .responding)
        #expect(m.responseQueued(keepAlive: true, now: t0 + 10) == [.flush, .startTimer(t0 + 10 + Self.seconds(2))])
        #expect(m.written(remaining: 0, progressed: true, now: t0 + 20) == [.startTimer(t0 + 20 + Self.seconds(2))])
        #expect(m.phase == .idle(since: t0 + 20))
        #expect(Self.handled(m.bytesRead(Self.get("/b"), now: t0 + 30)) == ["/b"])
    }

    @Test func pipelinedRequests_fedAtEverySplit_areHandedInOrderAfterEachAnswer() {
        let bytes = Self.get("/1") + Self.get("/2", "Content-Length: 3\r\n") + Array("xyz".utf8) + Self.get("/3")
        func run(_ chunks: [[UInt8]]) -> [String] {
            var m = machine()
            var paths: [String] = []
            var now = t0
            for chunk in chunks {
                now += 1
                paths += Self.handled(Self.accepting(&m, m.bytesRead(chunk, now: now), now: now))
            }
            while m.phase == .responding {
                now += 1
                paths += Self.handled(m.responseQueued(keepAlive: true, now: now))
                paths += Self.handled(m.written(remaining: 0, progressed: true, now: now))
            }
            return paths
        }
        #expect(run([bytes]) == ["/1", "/2", "/3"])
        for split in 1..<bytes.count {
            #expect(run([Array(bytes[..<split]), Array(bytes[split...])]) == ["/1", "/2", "/3"], "split \(split)")
        }
    }

    @Test func readsWhileResponding_pauseInputLazily_untilTheAnswerIsQueued() {
        var m = machine()
        _ = m.bytesRead(Self.get("/a"), now: t0)
        #expect(m.readReady() == [.setInterest([])])                      // more input waits in the kernel
        #expect(Self.interest(m.responseQueued(keepAlive: true, now: t0)) == .readable)
        #expect(m.readReady() == [.read])
    }

    @Test func aNonReadingClient_getsNoFurtherAnswers_untilItsOutputDrains() {
        var m = machine(writeBufferLimit: 1000)
        _ = m.bytesRead(Self.get("/1") + Self.get("/2"), now: t0)
        _ = m.responseQueued(keepAlive: true, now: t0)
        let blocked = m.written(remaining: 5000, progressed: true, now: t0)
        #expect(Self.handled(blocked).isEmpty)
        #expect(Self.interest(blocked) == .writable)                         // not read, only written
        #expect(Self.handled(m.written(remaining: 1001, progressed: true, now: t0 + 1)).isEmpty)
        let drained = m.written(remaining: 1000, progressed: true, now: t0 + 2)
        #expect(Self.handled(drained) == ["/2"])
    }

    // MARK: 100-continue

    @Test func expectContinue_isSentOnce_whenTheHeadIsComplete_andAccepted() {
        let head = Array("POST /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n".utf8)
        for split in 1..<head.count {
            var m = machine()
            var actions = m.bytesRead(Array(head[..<split]), now: t0)
            actions += m.bytesRead(Array(head[split...]), now: t0 + 1)
            #expect(Self.checkedHead(actions)?.path == "/u", "split \(split)")
            #expect(!actions.contains(.send(ConnectionMachine.continueBytes)))   // not before the head is accepted
            actions = m.headChecked(refusal: nil, budgetAvailable: .max, now: t0 + 1)
            #expect(actions.filter { $0 == .send(ConnectionMachine.continueBytes) }.count == 1, "split \(split)")
            actions = m.bytesRead(Array("da".utf8), now: t0 + 2) + m.bytesRead(Array("ta".utf8), now: t0 + 3)
            #expect(!actions.contains(.send(ConnectionMachine.continueBytes)))
            #expect(Self.handled(actions) == ["/u"])
        }
        var old = machine()
        let oldHead = old.bytesRead(Array("POST /u HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n".utf8), now: t0)
        #expect(!Self.accepting(&old, oldHead, now: t0).contains(.send(ConnectionMachine.continueBytes)))
    }

    // MARK: timeouts

    @Test func slowloris_gets408_thenLingers_thenCloses() {
        var m = machine()
        let partial = m.bytesRead(Array("GET / HTTP/1.1\r\nHost: h\r\nX-Slow: ".utf8), now: t0)
        #expect(partial.contains(.startTimer(t0 + Self.seconds(1))))
        _ = m.bytesRead(Array("aaa".utf8), now: t0 + Self.seconds(0.9))  // trickling bytes do not extend it
        #expect(Self.finalStatus(m.timerFired(now: t0 + Self.seconds(0.99))) == nil)
        let timedOut = m.timerFired(now: t0 + Self.seconds(1))
        #expect(Self.finalStatus(timedOut) == 408)
        #expect(timedOut.contains(.flush))
        let drained = m.written(remaining: 0, progressed: true, now: t0 + Self.seconds(1.1))
        #expect(drained.contains(.shutdownWrite))
        #expect(m.bytesRead(Array("more".utf8), now: t0 + Self.seconds(1.2)).isEmpty)   // discarded while lingering
        #expect(Self.closeReason(m.timerFired(now: t0 + Self.seconds(1.6))) == .finished)
    }

    @Test func idleConnection_closesAfterKeepAliveTimeout_butNotWhileOutputIsPending() {
        var m = machine()
        #expect(m.timer == t0 + Self.seconds(2))
        #expect(Self.closeReason(m.timerFired(now: t0 + Self.seconds(1.9))) == nil)
        #expect(Self.closeReason(m.timerFired(now: t0 + Self.seconds(2))) == .idle)
        var busy = machine()
        _ = busy.bytesRead(Self.get("/"), now: t0)
        _ = busy.responseQueued(keepAlive: true, now: t0)
        _ = busy.written(remaining: 10, progressed: true, now: t0)
        #expect(Self.closeReason(busy.timerFired(now: t0 + Self.seconds(2.5))) == nil)   // the stall timer applies instead
        #expect(Self.closeReason(busy.timerFired(now: t0 + Self.seconds(3))) == .stalled)
    }

    @Test func keepAliveTimer_countsFromTheEndOfTheLastAnswer() {
        var m = machine()
        _ = m.bytesRead(Self.get("/big"), now: t0)
        _ = m.responseQueued(keepAlive: true, now: t0)
        _ = m.written(remaining: 500, progressed: true, now: t0 + Self.seconds(1))
        _ = m.written(remaining: 0, progressed: true, now: t0 + Self.seconds(2.5))   // a long download ends
        #expect(Self.closeReason(m.timerFired(now: t0 + Self.seconds(3))) == nil)
        #expect(Self.closeReason(m.timerFired(now: t0 + Self.seconds(4.5))) == .idle)
    }

    @Test func writeStall_closes_whileProgressKeepsItOpen() {
        var m = machine()
        _ = m.bytesRead(Self.get("/"), now: t0)
        _ = m.responseQueued(keepAlive: true, now: t0)
        _ = m.written(remaining: 900, progressed: true, now: t0)
        _ = m.written(remaining: 800, progressed: true, now: t0 + Self.seconds(2.9))
        #expect(Self.closeReason(m.timerFired(now: t0 + Self.seconds(3.5))) == nil)
        _ = m.written(remaining: 800, progressed: false, now: t0 + Self.seconds(4))
        #expect(Self.closeReason(m.timerFired(now: t0 + Self.seconds(5.9))) == .stalled)
    }

    // MARK: closing

    @Test func connectionClose_flushesThenLingers_andEndsAtEOForTimeout() {
        for endsByEOF in [true, false] {
            var m = machine()
            _ = m.bytesRead(Self.get("/", "Connection: close\r\n"), now: t0)
            #expect(m.responseQueued(keepAlive: false, now: t0).contains(.flush))
            #expect(m.phase == .flushingToClose)
            #expect(m.readReady() == [.read] || m.desiredInterest == [])
            let drained = m.written(remaining: 0, progressed: true, now: t0 + 5)
            #expect(drained.first == .shutdownWrite)
            #expect(Self.interest(drained) == .readable)   // read and discard until the peer closes
            if endsByEOF {
                #expect(Self.closeReason(m.inputClosed(now: t0 + 6)) == .peerClosed)
            } else {
                #expect(drained.contains(.startTimer(t0 + 5 + Self.seconds(0.5))))
                #expect(Self.closeReason(m.timerFired(now: t0 + 5 + Self.seconds(0.5))) == .finished)
            }
        }
    }

    @Test func halfClosedClient_getsEveryPipelinedAnswer_thenCloseWithoutLinger() {
        var m = machine()
        _ = m.bytesRead(Self.get("/1") + Self.get("/2"), now: t0)
        #expect(Self.interest(m.inputClosed(now: t0 + 1)) == [])   // EOF: never read again
        var paths: [String] = []
        paths += Self.handled(m.responseQueued(keepAlive: true, now: t0 + 2))
        paths += Self.handled(m.written(remaining: 0, progressed: true, now: t0 + 2))
        #expect(paths == ["/2"])
        _ = m.responseQueued(keepAlive: true, now: t0 + 3)
        #expect(Self.closeReason(m.written(remaining: 0, progressed: true, now: t0 + 3)) == .finished)
    }

    @Test func eofBeforeAnyRequest_closesAtOnce_andEOFMidRequest_too() {
        var idle = machine()
        #expect(Self.closeReason(idle.inputClosed(now: t0)) == .finished)
        var partial = machine()
        _ = partial.bytesRead(Array("GET / HT".utf8), now: t0)
        #expect(Self.closeReason(partial.inputClosed(now: t0 + 1)) == .finished)
    }

    @Test func parseError_sendsItsStatus_andStopsParsing() {
        var m = machine(maxBodyBytes: 10)
        let refused = m.bytesRead(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 50\r\n\r\n".utf8) + Self.get("/after"), now: t0)
        #expect(Self.finalStatus(refused) == 413)
        #expect(Self.handled(refused).isEmpty)
        #expect(m.bytesRead(Self.get("/later"), now: t0 + 1).isEmpty)
        #expect(Self.handled(m.written(remaining: 0, progressed: true, now: t0 + 2)).isEmpty)
        var big = ConnectionMachine(limits: Self.limits(maxHeaderBytes: 100), now: t0)
        #expect(Self.finalStatus(big.bytesRead(Self.get("/", "X: \(String(repeating: "y", count: 200))\r\n"), now: t0)) == 431)
    }

    @Test func lateAnswer_afterTheConnectionMovedOn_isIgnored() {
        var m = machine()
        #expect(m.responseQueued(keepAlive: true, now: t0).isEmpty)   // nothing was asked
        _ = m.bytesRead(Self.get("/"), now: t0)
        _ = m.shed(now: t0)
        #expect(!m.isAwaitingResponse)
        #expect(m.responseQueued(keepAlive: true, now: t0).isEmpty)
    }

    // MARK: shutdown, overload, budget

    @Test func shutdown_closesIdle_finishesInFlight_andClosesWebSocketsWith1001() {
        var idle = machine()
        #expect(Self.closeReason(idle.shutdown(now: t0)) == .shutdown)
        var busy = machine()
        _ = busy.bytesRead(Self.get("/"), now: t0)
        #expect(Self.closeReason(busy.shutdown(now: t0)) == nil)
        _ = busy.responseQueued(keepAlive: true, now: t0)
        #expect(busy.phase == .flushingToClose)   // the answer goes out with the connection's end
        var socket = upgraded()
        let actions = socket.shutdown(now: t0)
        #expect(actions.contains(.send(serverClose(1001, "server shutting down"))))
    }

    @Test func requestsParsedDuringShutdown_areNotKeptAlive() {
        var m = machine()
        _ = m.bytesRead(Self.get("/1"), now: t0)
        _ = m.shutdown(now: t0)
        _ = m.responseQueued(keepAlive: true, now: t0)
        #expect(m.phase == .flushingToClose)
    }

    @Test func overload_answers503() {
        var m = machine()
        let actions = m.refuseOverload()
        #expect(Self.finalStatus(actions) == 503)
        #expect(m.phase == .flushingToClose)
    }

    @Test func shedding_answersHTTPWith503_andClosesAWebSocketWith1008AtOnce() {
        var http = machine()
        _ = http.bytesRead(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n".utf8) + [UInt8](repeating: 1, count: 5000), now: t0)
        #expect(http.bufferedInputBytes >= 5000)
        let shed = http.shed(now: t0)
        #expect(shed.first == .discardOutput)
        #expect(Self.finalStatus(shed) == 503)
        #expect(http.bufferedInputBytes == 0)
        var socket = upgraded()
        #expect(socket.shed(now: t0) == [.discardOutput, .send(serverClose(1008, "server memory budget exceeded")), .flush, .close(.overBudget)])
    }

    // MARK: WebSocket

    func upgraded(trailing: [UInt8] = []) -> ConnectionMachine {
        var m = machine()
        let request = Array("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n".utf8)
        _ = m.bytesRead(request + trailing, now: t0)
        _ = m.upgraded(to: WebSocketConnectionMachine(maxMessageBytes: 1000), now: t0)
        return m
    }

    @Test func upgrade_feedsBytesThatCameBehindTheRequest_toTheWebSocket() {
        var m = machine()
        let request = Array("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n".utf8)
        #expect(Self.handled(m.bytesRead(request + clientText("early"), now: t0)) == ["/ws"])
        let actions = m.upgraded(to: WebSocketConnectionMachine(maxMessageBytes: 1000), now: t0)
        #expect(actions.first == .flush)
        #expect(actions.contains(.deliver(.text("early"))))
        #expect(m.phase == .webSocket && m.acceptsWebSocketMessages)
        #expect(m.parser.bufferedByteCount == 0)
    }

    @Test func webSocketClose_echoes_flushes_andLingers() {
        var m = upgraded()
        let actions = m.bytesRead(clientClose(1000), now: t0 + 1)
        #expect(actions.prefix(2) == [.send(serverClose(1000)), .flush])
        #expect(!m.acceptsWebSocketMessages)
        #expect(m.written(remaining: 0, progressed: true, now: t0 + 2).first == .shutdownWrite)
    }

    @Test func silentWebSocketPeer_isPinged_thenDropped_unlessItAnswers() {
        var m = upgraded()
        #expect(m.timer == t0 + Self.seconds(4))
        let ping = m.timerFired(now: t0 + Self.seconds(4))
        #expect(ping.first == .send(WebSocketFrameEncoder.encode(opcode: .ping, payload: Array("ganlab".utf8))))
        #expect(ping.contains(.startTimer(t0 + Self.seconds(5))))
        var answering = m
        _ = answering.bytesRead(clientFrame(.pong, Array("ganlab".utf8)), now: t0 + Self.seconds(4.5))
        #expect(Self.closeReason(answering.timerFired(now: t0 + Self.seconds(5))) == nil)
        #expect(Self.closeReason(m.timerFired(now: t0 + Self.seconds(5))) == .deadPeer)
    }

    @Test func backloggedHandler_pausesReading_andResumes() {
        var m = upgraded()
        #expect(Self.interest(m.handlerBacklogChanged(isOverLimit: true)) == [])
        #expect(Self.interest(m.handlerBacklogChanged(isOverLimit: false)) == .readable)
    }

    @Test func webSocketPeerEOF_closes() {
        var m = upgraded()
        #expect(Self.closeReason(m.inputClosed(now: t0)) == .peerClosed)
    }

    @Test func applicationClose_sendsItsCode_andTheMachineStopsAcceptingMessages() {
        var m = upgraded()
        #expect(m.closeWebSocket(code: .policyViolation, reason: "done").first == .send(serverClose(1008, "done")))
        #expect(!m.acceptsWebSocketMessages)
    }

    @Test func memoryAllowance_refusesANewLargeMessageWith1009_withItsOwnReason_andAWarning() {
        var m = upgraded()
        m.webSocketMessageAllowance = 100
        let actions = m.bytesRead(clientFrame(.binary, [UInt8](repeating: 1, count: 200)), now: t0)
        #expect(actions.contains(.send(serverClose(1009, "message too big for the server's memory budget now; retry later"))))
        #expect(actions.contains(.warn(.incomingMessageOverBudget)))
        // Over the route's own limit (1000 bytes) it is the plain 1009, and nothing to warn about.
        var route = upgraded()
        let refused = route.bytesRead(clientFrame(.binary, [UInt8](repeating: 1, count: 2000)), now: t0)
        #expect(refused.contains(.send(serverClose(1009, "frame too big"))))
        #expect(!refused.contains(.warn(.incomingMessageOverBudget)))
    }
}

/// A server close frame with a code and reason, as the machines write it.
func serverClose(_ code: UInt16, _ reason: String) -> [UInt8] {
    WebSocketFrameEncoder.encode(opcode: .close, payload: WebSocketFrameEncoder.closePayload(code: WebSocketCloseCode(code), reason: reason))
}
