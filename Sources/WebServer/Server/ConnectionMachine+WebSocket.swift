/// The WebSocket half: after `101`, bytes go to a `WebSocketConnectionMachine` whose actions become the loop's.
extension ConnectionMachine {
    /// The `101` was queued for the request being handled: from now on the connection speaks WebSocket with
    /// `machine`. Bytes the parser had already buffered behind the upgrade request are fed to it at once.
    mutating func upgraded(to machine: WebSocketConnectionMachine, now: UInt64) -> [Action] {
        guard phase == .responding else { return [] }
        let leftover = parser.takeBufferedBytes()
        parser = HTTPRequestParser(limits: limits.parserLimits)
        webSocket = machine
        phase = .webSocket
        isReadPaused = false
        lastActivity = now
        guard !leftover.isEmpty else { return finish([.flush]) }
        let produced = leftover.withUnsafeBytes { webSocket!.receive($0) }
        return finish([.flush] + webSocketActions(produced))
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
            }
        }
        if wrote { result.append(.flush) }
        return result
    }
}
