/// The WebSocket half: after `101`, bytes go to a `WebSocketConnectionMachine` whose actions become the loop's.
extension ConnectionMachine {
    /// The `101` was queued for the request being handled: from now on the connection speaks WebSocket with
    /// `machine`. Bytes the parser had already buffered behind the upgrade request are fed to it at once.
    /// During a graceful shutdown the new WebSocket is closed at once with `1001`, like every other one.
    mutating func upgraded(to machine: WebSocketConnectionMachine, now: UInt64) -> [Action] {
        guard phase == .responding else { return [] }
        let leftover = parser.takeBufferedBytes()
        parser = HTTPRequestParser(limits: limits.parserLimits)
        webSocket = machine
        phase = .webSocket
        isReadPaused = false
        handledBodyBytes = 0
        lastActivity = now
        var actions: [Action] = [.flush]
        if !leftover.isEmpty {
            actions += webSocketActions(leftover.withUnsafeBytes { webSocket!.receive($0) })
        }
        if isDraining && phase == .webSocket {
            actions += webSocketActions(webSocket!.close(code: .goingAway, reason: "server shutting down"))
        }
        return finish(actions)
    }

    /// The application queues `frame` (`isStream`: newest-frame-wins) while `budgetAvailable` bytes of the memory
    /// budget are free. A stream frame takes the slot; a message to a peer whose unsent output is already over
    /// `writeBufferLimit` drops that peer (it is not reading); a large message the budget cannot hold closes the
    /// connection like shedding does (1008); anything else is queued.
    mutating func applicationMessage(_ frame: [UInt8], isStream: Bool, budgetAvailable: Int, now: UInt64) -> [Action] {
        guard acceptsWebSocketMessages else { return [] }
        if isStream { return finish([.sendStream(frame), .flush]) }
        if pendingOutput > limits.writeBufferLimit {
            return [.warn(.slowReaderDropped(queuedBytes: pendingOutput))] + close(.slowReader)
        }
        if frame.count >= Self.largeMessageBytes && frame.count > budgetAvailable {
            return [.warn(.outgoingMessageOverBudget(bytes: frame.count))] + shed(now: now)
        }
        return finish([.send(frame), .flush])
    }

    /// The handler's backlog went over (true) or back under (false) its bound: pause or resume reading.
    mutating func handlerBacklogChanged(isOverLimit: Bool) -> [Action] {
        isHandlerBacklogged = isOverLimit
        return finish([])
    }

    /// The application closes the WebSocket (RFC 6455 §7.1.2): a close frame now, the peer's reply ends it.
    mutating func closeWebSocket(code: WebSocketCloseCode, reason: String) -> [Action] {
        guard phase == .webSocket else { return [] }
        return finish(webSocketActions(webSocket!.close(code: code, reason: reason)))
    }

    /// Translates the WebSocket machine's actions; `closeConnection` means flush, then the lingering close.
    mutating func webSocketActions(_ actions: [WebSocketAction]) -> [Action] {
        var result: [Action] = []
        var wrote = false
        for action in actions {
            switch action {
            case .write(let bytes):
                result.append(.send(bytes))
                wrote = true
            case .deliver(let message):
                result.append(.deliver(message))
            case .closeConnection:
                phase = .flushingToClose
                wrote = true
                if webSocket?.failure == .overMemoryBudget { result.append(.warn(.incomingMessageOverBudget)) }
            }
        }
        if wrote { result.append(.flush) }
        return result
    }
}
