import Testing
@testable import WebServer

/// Event orders that used to be decided in the event loop (and could only be tested with sockets): socket failures,
/// application messages against the write bound and the budget, timers and shedding in every phase, limits.
@Suite struct ConnectionMachineOrderTests {
    typealias Action = ConnectionMachine.Action
    typealias T = ConnectionMachineTests
    let t0: UInt64 = 1_000 * 1_000_000_000

    func machine(writeBufferLimit: Int = 1000) -> ConnectionMachine {
        ConnectionMachine(limits: T.limits(writeBufferLimit: writeBufferLimit), now: t0)
    }

    func upgraded(writeBufferLimit: Int = 1000) -> ConnectionMachine {
        var m = machine(writeBufferLimit: writeBufferLimit)
        _ = m.bytesRead(Array("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n".utf8), now: t0)
        _ = m.upgraded(to: WebSocketConnectionMachine(maxMessageBytes: 1 << 20), now: t0)
        return m
    }

    /// One machine in each phase the loop can see.
    func everyPhase() -> [(String, ConnectionMachine)] {
        var receiving = machine()
        _ = receiving.bytesRead(Array("GET / HT".utf8), now: t0)
        var responding = machine()
        _ = responding.bytesRead(T.get("/"), now: t0)
        var flushing = machine()
        _ = flushing.bytesRead(T.get("/", "Connection: close\r\n"), now: t0)
        _ = flushing.responseQueued(keepAlive: false, now: t0)
        _ = flushing.written(remaining: 10, progressed: true, now: t0)
        var lingering = flushing
        _ = lingering.written(remaining: 0, progressed: true, now: t0)
        return [("idle", machine()), ("receivingHead", receiving), ("responding", responding), ("webSocket", upgraded()),
                ("flushingToClose", flushing), ("lingering", lingering)]
    }

    // MARK: socket failures

    @Test func hangUpOrSocketFailure_closesInEveryPhase_andNothingFollows() {
        for (name, m) in everyPhase() {
            var hungUp = m
            #expect(hungUp.hungUp() == [.close(.reset)], "\(name)")
            #expect(hungUp.phase == .closed)
            #expect(hungUp.hungUp().isEmpty && hungUp.bytesRead(T.get("/"), now: t0).isEmpty, "\(name)")
            var failed = m
            #expect(failed.socketFailed() == [.close(.reset)], "\(name)")
            #expect(failed.socketFailed().isEmpty && failed.timerFired(now: t0 + T.seconds(100)).isEmpty, "\(name)")
        }
    }

    // MARK: application messages

    @Test func applicationMessage_isQueued_streamFramesTakeTheSlot() {
        var m = upgraded()
        #expect(m.applicationMessage([1, 2], isStream: false, budgetAvailable: 0, now: t0) == [.send([1, 2]), .flush])  // small: always
        #expect(m.applicationMessage([3], isStream: true, budgetAvailable: 0, now: t0) == [.sendStream([3]), .flush])
    }

    @Test func applicationMessage_toAReaderOverTheWriteBound_dropsIt() {
        var m = upgraded(writeBufferLimit: 1000)
        _ = m.written(remaining: 1000, progressed: true, now: t0)
        #expect(m.applicationMessage([1], isStream: false, budgetAvailable: .max, now: t0) == [.send([1]), .flush])   // at the bound: fine
        _ = m.written(remaining: 1001, progressed: false, now: t0)
        #expect(m.applicationMessage([1], isStream: false, budgetAvailable: .max, now: t0)
            == [.warn(.slowReaderDropped(queuedBytes: 1001)), .close(.slowReader)])
        #expect(m.applicationMessage([1], isStream: false, budgetAvailable: .max, now: t0).isEmpty)
    }

    @Test func largeApplicationMessage_theBudgetCannotHold_closesWith1008() {
        var m = upgraded()
        let big = [UInt8](repeating: 0, count: ConnectionMachine.largeMessageBytes)
        let actions = m.applicationMessage(big, isStream: false, budgetAvailable: big.count - 1, now: t0)
        #expect(actions.first == .warn(.outgoingMessageOverBudget(bytes: big.count)))
        #expect(actions.contains(.send(serverClose(1008, "server memory budget exceeded"))))
        #expect(T.closeReason(actions) == .overBudget)
        var fits = upgraded()
        #expect(fits.applicationMessage(big, isStream: false, budgetAvailable: big.count, now: t0) == [.send(big), .flush])
    }

    @Test func applicationMessage_afterTheCloseHandshakeBegan_isDropped() {
        var m = upgraded()
        _ = m.closeWebSocket(code: .normalClosure, reason: "")
        #expect(m.applicationMessage([1], isStream: false, budgetAvailable: .max, now: t0).isEmpty)
        #expect(m.applicationMessage([1], isStream: true, budgetAvailable: .max, now: t0).isEmpty)
    }

    // MARK: timers

    @Test func headerTimeout_whileEarlierPipelinedOutputIsQueued_sends408AfterIt_thenLingers() {
        var m = machine()
        #expect(T.handled(m.bytesRead(T.get("/1"), now: t0)) == ["/1"])
        _ = m.responseQueued(keepAlive: true, now: t0)
        _ = m.written(remaining: 600, progressed: true, now: t0)               // the client reads slowly
        _ = m.bytesRead(Array("GET /2 HTTP/1.1\r\nHost".utf8), now: t0 + 1)    // and starts the next request
        #expect(m.phase == .receivingHead(since: t0 + 1))
        #expect(m.timer == t0 + 1 + T.seconds(1))                              // the head timer, before the 3 s stall timer
        let timedOut = m.timerFired(now: t0 + 1 + T.seconds(1))
        #expect(T.finalStatus(timedOut) == 408)                                // queued behind the 600 bytes (FIFO)
        #expect(T.closeReason(timedOut) == nil)
        let partly = m.written(remaining: 300, progressed: true, now: t0 + T.seconds(1.5))
        #expect(T.closeReason(partly) == nil && !partly.contains(.shutdownWrite))
        #expect(m.written(remaining: 0, progressed: true, now: t0 + T.seconds(2)).first == .shutdownWrite)
    }

    @Test func timerFiring_whileAHandlerWorks_changesNothing() {
        var m = machine()
        _ = m.bytesRead(T.get("/slow"), now: t0)
        #expect(m.timer == nil)
        for late in [1.0, 10, 1000] {   // a sweep may fire an old deadline at any time
            #expect(m.timerFired(now: t0 + T.seconds(late)).isEmpty)
            #expect(m.phase == .responding)
        }
        #expect(T.handled(m.responseQueued(keepAlive: true, now: t0 + T.seconds(1000))).isEmpty)
        #expect(m.phase == .idle(since: t0 + T.seconds(1000)))
    }

    // MARK: shedding

    @Test func shedding_whileFlushingOrLingering_closesAtOnce() {
        for (name, m) in everyPhase() where name == "flushingToClose" || name == "lingering" {
            var shed = m
            #expect(shed.shed(now: t0) == [.discardOutput, .close(.overBudget)], "\(name)")
        }
    }

    @Test func shedding_halfwayThroughAResponse_closesWithout503() {
        var m = machine()
        _ = m.bytesRead(T.get("/big"), now: t0)
        _ = m.responseQueued(keepAlive: true, now: t0)
        _ = m.written(remaining: 900, progressed: true, now: t0)
        #expect(m.shed(now: t0, isMidChunk: true) == [.discardOutput, .close(.overBudget)])
    }

    // MARK: shutdown

    @Test func upgradeDuringShutdown_closesTheNewWebSocketWith1001() {
        var m = machine()
        _ = m.bytesRead(Array("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n".utf8), now: t0)
        _ = m.shutdown(now: t0)
        let actions = m.upgraded(to: WebSocketConnectionMachine(maxMessageBytes: 1000), now: t0)
        #expect(actions.contains(.send(serverClose(1001, "server shutting down"))))
        #expect(!m.acceptsWebSocketMessages)
        _ = m.bytesRead(clientClose(1001), now: t0 + 1)   // the peer's answer ends it
        #expect(m.phase == .flushingToClose)
    }

    // MARK: limits

    @Test func longTarget_gets414_andTooManyHeaderFields_get431() {
        var c = ServerConfiguration()
        c.parserLimits = HTTPParserLimits(maxRequestLineBytes: 100, maxHeaderCount: 3)
        let limits = ConnectionMachine.Limits(c)
        var long = ConnectionMachine(limits: limits, now: t0)
        let target = "/" + String(repeating: "a", count: 200)
        #expect(T.finalStatus(long.bytesRead(Array("GET \(target) HTTP/1.1\r\n".utf8), now: t0)) == 414)
        #expect(long.phase == .flushingToClose)
        var many = ConnectionMachine(limits: limits, now: t0)
        let fields = (0..<4).map { "X-\($0): v\r\n" }.joined()
        #expect(T.finalStatus(many.bytesRead(T.get("/", fields), now: t0)) == 431)
        var enough = ConnectionMachine(limits: limits, now: t0)
        #expect(T.handled(enough.bytesRead(T.get("/", "X-1: v\r\nX-2: v\r\n"), now: t0)) == ["/"])   // Host + 2 = 3 fields
    }
}
