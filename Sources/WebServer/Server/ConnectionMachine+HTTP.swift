/// The HTTP/1.1 events: input, requests one at a time and in order (RFC 9112 §9.3.2), the head check before a
/// body is read, 100-continue, responses.
extension ConnectionMachine {
    /// `HTTP/1.1 100 Continue` (RFC 9110 §15.2.1), sent at most once per request.
    static let continueBytes = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// epoll reported input: read it, or (while a response is computed) pause reading until it is sent, so a
    /// client pipelining thousands of requests only fills its own kernel buffer.
    mutating func readReady() -> [Action] {
        if phase == .responding {
            isReadPaused = true
            return finish([])
        }
        return Self.readAction
    }

    /// `[.read]`, allocated once (the answer to nearly every readable event).
    static let readAction: [Action] = [.read]

    /// Bytes arrived at `now`.
    mutating func bytesRead(_ bytes: UnsafeRawBufferPointer, now: UInt64) -> [Action] {
        switch phase {
        case .closed, .flushingToClose:
            return []
        case .lingering:
            return []   // discarded: the peer may still be sending a body we refused
        case .webSocket:
            lastActivity = now
            pingSentAt = nil
            let produced = webSocket!.receive(bytes)
            return finish(webSocketActions(produced))
        case .receivingBody:
            phase = .receivingBody(lastRead: now)   // the body timer runs between reads
            fallthrough
        case .idle, .receivingHead, .responding:
            lastActivity = now
            parser.append(bytes)
            return finish(processRequests(now: now))
        }
    }

    /// Bytes arrived (tests).
    mutating func bytesRead(_ bytes: [UInt8], now: UInt64) -> [Action] {
        bytes.withUnsafeBytes { bytesRead($0, now: now) }
    }

    /// The peer shut its sending side (read returned 0).
    mutating func inputClosed(now: UInt64) -> [Action] {
        switch phase {
        case .closed: return []
        case .lingering, .webSocket: return close(.peerClosed)
        case .flushingToClose:
            isInputClosed = true
            return finish([])
        case .responding:
            isInputClosed = true   // answer the request in progress, then close
            return finish([])
        case .idle, .receivingHead, .receivingBody:
            isInputClosed = true
            return finish(processRequests(now: now))
        }
    }

    /// The answer to `checkHead`: `refusal` from the request guard (421, 403, a refused handshake), else the
    /// memory budget decides, with `budgetAvailable` bytes free: a declared body it cannot hold gets 503 now,
    /// before it is read (as a WebSocket message gets 1009 from its frame header). Accepted, the body is
    /// allocated at its declared size, `100 Continue` goes out when asked for, and the body timer starts.
    mutating func headChecked(refusal: HTTPResponse?, budgetAvailable: Int, now: UInt64) -> [Action] {
        guard isHeadCheckPending, case .receivingHead = phase else { return [] }
        isHeadCheckPending = false
        var refusal = refusal
        var actions: [Action] = []
        if refusal == nil, let length = parser.declaredBodyLength, length > budgetAvailable {
            actions.append(.warn(.requestBodyOverBudget(bytes: length)))
            refusal = .error(.serviceUnavailable, "server busy: memory budget exceeded; retry later")
        }
        if let refusal {
            // The body is never read: answer, then the lingering close discards what the client still sends.
            parser = HTTPRequestParser(limits: limits.parserLimits)
            phase = .flushingToClose
            return finish(actions + [.sendFinal(refusal), .flush])
        }
        parser.reserveDeclaredBody()
        phase = .receivingBody(lastRead: now)
        if parser.expectsContinue {
            // RFC 9110 §10.1.1: the client waits for this before sending the body.
            actions += [.send(Self.continueBytes), .flush]
        }
        return finish(actions + processRequests(now: now))
    }

    /// The answer to the request being handled was queued (the loop appended it); `keepAlive` false closes after it.
    mutating func responseQueued(keepAlive: Bool, now: UInt64) -> [Action] {
        guard phase == .responding else { return [] }
        isReadPaused = false
        handledBodyBytes = 0
        lastActivity = now
        phase = keepAlive && !isDraining ? .idle(since: now) : .flushingToClose
        return finish([.flush])   // `written` then takes the next pipelined request
    }

    /// Over `maxConnections` at accept: answer 503 and close without reading the request.
    mutating func refuseOverload() -> [Action] {
        phase = .flushingToClose
        return finish([.sendFinal(.error(.serviceUnavailable, "too many connections")), .flush])
    }

    /// Takes the next complete request while none is being answered and the output is under its bound.
    mutating func processRequests(now: UInt64) -> [Action] {
        var actions: [Action] = []
        while true {
            switch phase {
            case .idle, .receivingHead, .receivingBody: break
            default: return actions
            }
            // A head under check: nothing proceeds until `headChecked`.
            if isHeadCheckPending { return actions }
            // A reader that does not drain its responses gets no more until it does.
            if pendingOutput > limits.writeBufferLimit { return actions }
            switch parser.next() {
            case .needMoreData:
                if isInputClosed {
                    // The peer finished sending: answer what we have (nothing more will come), then close.
                    phase = .flushingToClose
                    if pendingOutput == 0 && !actions.contains(.flush) { return actions + close(.finished) }
                    return actions
                }
                if !parser.isMidRequest {
                    if case .receivingHead = phase { phase = .idle(since: now) }   // only empty lines so far
                    return actions
                }
                if case .idle = phase { phase = .receivingHead(since: now) }
                if case .receivingHead = phase, let head = parser.headOfBodyInProgress {
                    // The head is complete and a body follows: check it before anything of the body is accepted.
                    isHeadCheckPending = true
                    actions.append(.checkHead(head))
                }
                return actions
            case .request(let request):
                phase = .responding
                handledBodyBytes = request.body.capacity
                actions.append(.handle(request, keepAlive: request.isKeepAlive && !isDraining))
                return actions
            case .error(let error):
                // RFC 9112 §9.6: after a framing error the connection cannot be trusted; answer and close.
                phase = .flushingToClose
                actions += [.sendFinal(error.response), .flush]
                return actions
            }
        }
    }

    /// epoll reported a hang-up or an error on the socket (reset, or both directions shut): nothing more can be
    /// sent or received, and level-triggered epoll would report it on every wait, so the connection ends.
    mutating func hungUp() -> [Action] {
        phase == .closed ? [] : close(.reset)
    }

    /// A read or write failed (`errno` other than EAGAIN/EINTR, e.g. ECONNRESET or EPIPE): the connection ends.
    mutating func socketFailed() -> [Action] {
        phase == .closed ? [] : close(.reset)
    }
}
