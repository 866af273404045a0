/// Output progress, timers, lingering close, graceful shutdown and shedding for the memory budget.
extension ConnectionMachine {
    /// A flush happened at `now`: `remaining` bytes are still queued, `progressed` when some were written.
    mutating func written(remaining: Int, progressed: Bool, now: UInt64) -> [Action] {
        if phase == .closed { return [] }
        if progressed || pendingOutput == 0 { lastWriteProgress = now }   // progress, or the buffer just became non-empty
        pendingOutput = remaining
        if remaining == 0 {
            switch phase {
            case .flushingToClose: return finish(beginLingeringClose(now: now))
            case .idle: phase = .idle(since: now)   // keep-alive counts from the end of the last answer
            default: break
            }
        }
        return finish(processRequests(now: now))   // draining may have brought the queue under its bound
    }

    /// Shuts our sending side and discards input until the peer closes or the linger timeout, so a client still
    /// sending (e.g. a body we refused) reads our final response instead of a reset (RFC 9112 §9.6).
    private mutating func beginLingeringClose(now: UInt64) -> [Action] {
        if isInputClosed { return close(.finished) }
        phase = .lingering(until: now &+ limits.lingerTimeout)
        return [.shutdownWrite]
    }

    /// The timer asked for with `startTimer` (or a later one) fired: apply every timeout that has passed.
    mutating func timerFired(now: UInt64) -> [Action] {
        func passed(_ start: UInt64, _ timeout: UInt64) -> Bool { now >= start && now - start >= timeout }
        switch phase {
        case .closed:
            return []
        case .lingering(let until):
            return now >= until ? close(.finished) : finish([])
        default:
            break
        }
        if pendingOutput > 0 && passed(lastWriteProgress, limits.writeStallTimeout) { return close(.stalled) }
        switch phase {
        case .webSocket:
            if let sent = pingSentAt {
                if passed(sent, limits.deadPeerTimeout) { return close(.deadPeer) }
            } else if passed(lastActivity, limits.pingInterval) {
                pingSentAt = now
                return finish(webSocketActions(webSocket!.ping(payload: Array("ganlab".utf8))))
            }
        case .receivingHead(let since):
            if passed(since, limits.headerReadTimeout) {
                // Slowloris guard: the request's head did not arrive in time.
                return finish(timeOut("request not received in time"))
            }
        case .receivingBody(let lastRead):
            if passed(lastRead, limits.bodyReadTimeout) {
                // The body stopped arriving (nginx's client_body_timeout): a slow upload is fine, a stalled one is not.
                return finish(timeOut("request body not received in time"))
            }
        case .idle(let since):
            if pendingOutput == 0 && passed(since, limits.keepAliveTimeout) { return close(.idle) }
        default:
            break
        }
        return finish([])
    }

    /// 408 with `Connection: close`: the request (or its body) did not arrive in time.
    private mutating func timeOut(_ message: String) -> [Action] {
        parser = HTTPRequestParser(limits: limits.parserLimits)   // what arrived of it is of no use now
        phase = .flushingToClose
        return [.sendFinal(.error(.requestTimeout, message)), .flush]
    }

    /// Graceful shutdown: WebSockets get `1001 going away`; a request being answered (or whose body is arriving)
    /// finishes with `Connection: close`; queued output is flushed first; an idle connection closes now.
    mutating func shutdown(now: UInt64) -> [Action] {
        isDraining = true
        switch phase {
        case .closed, .lingering, .flushingToClose, .responding, .receivingBody:
            return finish([])
        case .webSocket:
            return finish(webSocketActions(webSocket!.close(code: .goingAway, reason: "server shutting down")))
        case .idle, .receivingHead:
            if pendingOutput > 0 {
                phase = .flushingToClose
                return finish([])
            }
            return close(.shutdown)
        }
    }

    /// The server is over its memory budget and this connection holds much of it: drop what it buffers and end it.
    /// A WebSocket gets `1008` (best effort: its peer is usually not reading) and is closed at once; an HTTP
    /// connection gets `503` with `Connection: close` and the usual lingering close, unless `isMidChunk` (part of
    /// a response already went out: a 503 after it would corrupt the stream), when it is closed at once.
    mutating func shed(now: UInt64, isMidChunk: Bool = false) -> [Action] {
        parser = HTTPRequestParser(limits: limits.parserLimits)   // frees buffered input and body
        isHeadCheckPending = false
        switch phase {
        case .closed:
            return []
        case .webSocket:
            var actions: [Action] = [.discardOutput]
            if webSocket?.isClosing == false {
                actions += webSocketActions(webSocket!.close(code: .policyViolation, reason: "server memory budget exceeded"))
            }
            webSocket = nil
            phase = .closed
            return actions.filter { $0 != .flush } + [.flush, .close(.overBudget)]
        case .lingering, .flushingToClose:
            return [.discardOutput] + close(.overBudget)
        case .idle, .receivingHead, .receivingBody, .responding:
            if isMidChunk { return [.discardOutput] + close(.overBudget) }
            handledBodyBytes = 0   // the handler's answer is no longer awaited
            phase = .flushingToClose
            return finish([.discardOutput, .sendFinal(.error(.serviceUnavailable, "server busy: memory budget exceeded")), .flush])
        }
    }
}
