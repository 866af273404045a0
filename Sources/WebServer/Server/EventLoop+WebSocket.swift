import Foundation

/// The WebSocket side: messages to handlers (bounded backlog), application sends and streams (newest-frame-wins),
/// closes and broadcasts, all arriving here through the mailbox.
extension EventLoop {
    /// Hands a message to the handler's serial queue; over the backlog bound, reading pauses until it catches up.
    func deliver(_ message: WebSocketMessage, on connection: Connection) -> [ConnectionMachine.Action] {
        guard let session = connection.session else { return [] }
        let handle = session.handle, handler = session.handler, backlog = session.backlog
        let size: Int
        switch message {
        case .text(let text): size = text.utf8.count
        case .binary(let bytes): size = bytes.count
        }
        // The machine let go of the message: recount it first, so the message is never counted twice (in the
        // machine and the backlog) while the total is read by others.
        account(connection)
        backlog.add(size)
        let id = connection.id
        handle.callbackQueue.async { [weak self] in
            handler.webSocket(handle, didReceive: message)
            if backlog.remove(size) {
                self?.execute { loop in
                    guard let connection = loop.connections[id] else { return }
                    loop.drive(connection, connection.machine.handlerBacklogChanged(isOverLimit: false))
                }
            }
        }
        return backlog.isOverLimit && !connection.machine.isHandlerBacklogged
            ? connection.machine.handlerBacklogChanged(isOverLimit: true) : []
    }

    /// Queues an application frame; the machine decides (`applicationMessage`): a stream frame replaces the unsent
    /// one, a message to a reader already over the write bound drops that reader, a large message the memory
    /// budget cannot hold closes that connection (1008).
    func sendWebSocketFrame(_ frame: [UInt8], to id: UInt64, isStream: Bool) {
        guard let connection = connections[id] else { return }
        drive(connection, connection.machine.applicationMessage(frame, isStream: isStream, budgetAvailable: budget.available,
                                                                now: SocketIO.monotonicNanoseconds()))
    }

    /// Application-initiated close handshake.
    func closeWebSocket(_ id: UInt64, code: WebSocketCloseCode, reason: String) {
        guard let connection = connections[id] else { return }
        drive(connection, connection.machine.closeWebSocket(code: code, reason: reason))
    }

    /// Hands pre-encoded frames to each listed WebSocket's stream slot: `compressed` (by window bits) to
    /// connections that agreed to that window, `plain` to the others; every connection shares the same storage.
    func broadcast(plain: [UInt8], compressed: [Int: [UInt8]], to ids: [ConnectionID]) {
        for id in ids {
            let bits = compressed.isEmpty ? nil : connections[id.rawValue]?.session?.handle.compression?.serverMaxWindowBits
            sendWebSocketFrame(bits.flatMap { compressed[$0] } ?? plain, to: id.rawValue, isStream: true)
        }
    }
}

/// Which open WebSockets agreed to permessage-deflate and with what window: written by the I/O thread at upgrade
/// and close, read by broadcasters so they compress a frame once, and only when some target will use it.
final class WebSocketCompressionRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var parameters: [UInt64: WebSocketDeflateParameters] = [:]

    /// Records a connection's agreed parameters.
    func set(_ deflate: WebSocketDeflateParameters, for id: UInt64) { lock.lock(); parameters[id] = deflate; lock.unlock() }

    /// Forgets a closed connection.
    func remove(_ id: UInt64) { lock.lock(); parameters[id] = nil; lock.unlock() }

    /// The distinct window sizes the listed connections compress with (empty: none agreed to compression).
    func windowBits(of ids: [ConnectionID]) -> Set<Int> {
        lock.lock()
        defer { lock.unlock() }
        guard !parameters.isEmpty else { return [] }
        var bits: Set<Int> = []
        for id in ids { if let p = parameters[id.rawValue] { bits.insert(p.serverMaxWindowBits) } }
        return bits
    }
}
