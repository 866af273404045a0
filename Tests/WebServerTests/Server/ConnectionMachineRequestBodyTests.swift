import Testing
@testable import WebServer

/// A request with a body: its head is checked before `100 Continue` or the body (Host, Origin, the memory budget),
/// the body has its own between-reads timer, and it stays counted until its answer is queued. No sockets.
@Suite struct ConnectionMachineRequestBodyTests {
    typealias Action = ConnectionMachine.Action
    typealias T = ConnectionMachineTests
    let t0: UInt64 = 1_000 * 1_000_000_000

    /// headerReadTimeout 1 s, bodyReadTimeout 2 s, lingerTimeout 0.5 s.
    func machine() -> ConnectionMachine {
        var limits = ConnectionMachineTests.limits()
        limits.bodyReadTimeout = T.seconds(2)
        return ConnectionMachine(limits: limits, now: t0)
    }

    static func post(_ length: Int, _ extra: String = "") -> [UInt8] {
        Array("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: \(length)\r\n\(extra)\r\n".utf8)
    }

    @Test func headOfARequestWithABody_isCheckedFirst_andNothingProceedsUntilTheAnswer() {
        var m = machine()
        let actions = m.bytesRead(Self.post(10, "Expect: 100-continue\r\n") + Array("abc".utf8), now: t0)
        let head = T.checkedHead(actions)
        #expect(head?.method == .POST && head?.path == "/upload" && head?.headers["Host"] == "h" && head?.body == [])
        #expect(!actions.contains(.send(ConnectionMachine.continueBytes)))
        #expect(T.handled(m.bytesRead(Array("defghij".utf8), now: t0 + 1)).isEmpty)   // the whole body, still no handler
        let accepted = m.headChecked(refusal: nil, budgetAvailable: .max, now: t0 + 2)
        #expect(accepted.contains(.send(ConnectionMachine.continueBytes)))
        #expect(T.handled(accepted) == ["/upload"])
        for case .handle(let request, _) in accepted { #expect(request.body == Array("abcdefghij".utf8)) }
    }

    @Test func aBodilessRequest_orOneThatArrivedWhole_goesStraightToItsHandler() {
        var m = machine()
        let whole = m.bytesRead(Self.post(3) + Array("xyz".utf8), now: t0)
        #expect(T.checkedHead(whole) == nil)
        #expect(T.handled(whole) == ["/upload"])   // the handler's guard checks it (nothing left to protect)
    }

    @Test func refusedHead_getsItsStatus_neverContinue_andTheBodyIsDiscardedWhileLingering() {
        var m = machine()
        _ = m.bytesRead(Self.post(1 << 20, "Expect: 100-continue\r\n"), now: t0)
        let refused = m.headChecked(refusal: .error(.misdirectedRequest, "no"), budgetAvailable: .max, now: t0)
        #expect(T.finalStatus(refused) == 421)
        #expect(!refused.contains(.send(ConnectionMachine.continueBytes)))
        #expect(m.phase == .flushingToClose)
        #expect(m.bufferedInputBytes == 0)
        #expect(m.bytesRead([UInt8](repeating: 7, count: 4096), now: t0 + 1).isEmpty)
        #expect(m.written(remaining: 0, progressed: true, now: t0 + 2).first == .shutdownWrite)
        #expect(m.bytesRead([UInt8](repeating: 7, count: 4096), now: t0 + 3).isEmpty)   // lingering: read and dropped
        #expect(m.headChecked(refusal: nil, budgetAvailable: .max, now: t0 + 4).isEmpty)   // a late answer changes nothing
    }

    @Test func declaredBodyTheBudgetCannotHold_gets503AtTheHead_withAWarning() {
        var refused = machine()
        _ = refused.bytesRead(Self.post(5000), now: t0)
        let actions = refused.headChecked(refusal: nil, budgetAvailable: 4999, now: t0)
        #expect(T.finalStatus(actions) == 503)
        #expect(actions.contains(.warn(.requestBodyOverBudget(bytes: 5000))))
        var accepted = machine()
        _ = accepted.bytesRead(Self.post(5000) + Array("ab".utf8), now: t0)
        #expect(T.finalStatus(accepted.headChecked(refusal: nil, budgetAvailable: 5000, now: t0)) == nil)
        #expect(accepted.phase == .receivingBody(lastRead: t0))
        #expect(accepted.bufferedInputBytes >= 5000)   // the whole body is allocated (and counted) at once
    }

    @Test func chunkedBody_hasNoDeclaredLength_soTheRunningCountGuardsIt() {
        var m = machine()
        let head = m.bytesRead(Array("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab".utf8), now: t0)
        #expect(T.checkedHead(head) != nil)
        #expect(T.finalStatus(m.headChecked(refusal: nil, budgetAvailable: 0, now: t0)) == nil)
        #expect(T.handled(m.bytesRead(Array("c\r\n0\r\n\r\n".utf8), now: t0 + 1)) == ["/c"])
    }

    @Test func bodyTimer_runsBetweenReads_soASlowSteadyUploadFinishes() {
        var m = machine()
        _ = m.bytesRead(Self.post(20), now: t0)
        #expect(m.headChecked(refusal: nil, budgetAvailable: .max, now: t0).contains(.startTimer(t0 + T.seconds(2))))
        // Two bytes every 1.5 s: 13.5 s in all, far past the 1 s head timeout, never 2 s without a byte.
        var now = t0
        var handled: [String] = []
        for _ in 0..<10 {
            now += T.seconds(1.5)
            #expect(T.finalStatus(m.timerFired(now: now)) == nil)
            let actions = m.bytesRead(Array("xx".utf8), now: now)
            handled += T.handled(actions)
            if handled.isEmpty { #expect(actions.contains(.startTimer(now + T.seconds(2)))) }
        }
        #expect(handled == ["/upload"])
    }

    @Test func stalledBody_gets408_thenLingers() {
        var m = machine()
        _ = m.bytesRead(Self.post(20), now: t0)
        _ = m.headChecked(refusal: nil, budgetAvailable: .max, now: t0)
        _ = m.bytesRead(Array("some".utf8), now: t0 + T.seconds(1.9))
        #expect(T.finalStatus(m.timerFired(now: t0 + T.seconds(3.8))) == nil)
        let timedOut = m.timerFired(now: t0 + T.seconds(3.9))
        #expect(T.finalStatus(timedOut) == 408)
        for case .sendFinal(let response) in timedOut { #expect(String(decoding: response.body, as: UTF8.self).contains("body")) }
        #expect(m.bufferedInputBytes == 0)
        #expect(m.written(remaining: 0, progressed: true, now: t0 + T.seconds(4)).first == .shutdownWrite)
    }

    @Test func headTimer_stillEndsAtTheHead_notBeforeTheCheck() {
        var m = machine()
        _ = m.bytesRead(Array("POST /upload HTTP/1.1\r\nHost: h\r\n".utf8), now: t0)
        let partialHead = m.bytesRead(Array("Content-Length: 5\r\n\r\n".utf8), now: t0 + T.seconds(0.9))
        #expect(T.checkedHead(partialHead) != nil)
        #expect(m.timer == t0 + T.seconds(1))   // still the head's timer until the check answers
        #expect(m.headChecked(refusal: nil, budgetAvailable: .max, now: t0 + T.seconds(0.9)).contains(.startTimer(t0 + T.seconds(2.9))))
    }

    @Test func handledBody_staysCounted_untilItsAnswerIsQueued() {
        var m = machine()
        _ = m.bytesRead(Self.post(100_000), now: t0)
        _ = m.headChecked(refusal: nil, budgetAvailable: .max, now: t0)
        #expect(T.handled(m.bytesRead([UInt8](repeating: 1, count: 100_000), now: t0 + 1)) == ["/upload"])
        #expect(m.parser.allocatedByteCount < 100_000)   // the body left the parser with the request ...
        #expect(m.bufferedInputBytes >= 100_000)         // ... and is still counted while a handler has it
        _ = m.responseQueued(keepAlive: true, now: t0 + 2)
        #expect(m.bufferedInputBytes < 100_000)
    }

    @Test func pipelinedRequestBehindAQueuedAnswer_isCheckedWhenItsTurnComes() {
        var m = machine()
        let both = ConnectionMachineTests.get("/first") + Self.post(4) + Array("ab".utf8)
        #expect(T.handled(m.bytesRead(both, now: t0)) == ["/first"])
        _ = m.responseQueued(keepAlive: true, now: t0 + 1)
        let next = m.written(remaining: 0, progressed: true, now: t0 + 1)
        #expect(T.checkedHead(next)?.path == "/upload")
        #expect(T.handled(T.accepting(&m, next, now: t0 + 1) + m.bytesRead(Array("cd".utf8), now: t0 + 2)) == ["/upload"])
    }

    @Test func shutdownWhileABodyArrives_letsItFinish_thenCloses() {
        var m = machine()
        _ = m.bytesRead(Self.post(4), now: t0)
        _ = m.headChecked(refusal: nil, budgetAvailable: .max, now: t0)
        #expect(T.closeReason(m.shutdown(now: t0 + 1)) == nil)
        let done = m.bytesRead(Array("abcd".utf8), now: t0 + 2)
        for case .handle(_, let keepAlive) in done { #expect(!keepAlive) }
        #expect(T.handled(done) == ["/upload"])
    }

    @Test func shedWhileABodyArrives_answers503_andFreesIt() {
        var m = machine()
        _ = m.bytesRead(Self.post(50_000), now: t0)
        _ = m.headChecked(refusal: nil, budgetAvailable: .max, now: t0)
        _ = m.bytesRead([UInt8](repeating: 1, count: 10_000), now: t0 + 1)
        let shed = m.shed(now: t0 + 2)
        #expect(T.finalStatus(shed) == 503)
        #expect(m.bufferedInputBytes == 0)
    }
}
