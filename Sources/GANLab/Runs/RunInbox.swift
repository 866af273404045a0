/// What reaches a run from outside its worker: connections arriving and leaving, commands, requests for a
/// record, and the end. The run handles them in order between training steps.
enum RunMessage: Sendable {
    /// A connection joined (the run sends hello, state, data, history, or refuses when full).
    case join(RunPeer)
    /// A connection left.
    case leave(RunPeer)
    /// A command from a connection whose role allows it.
    case command(RunPeer, CommandDecoder.Decoded)
    /// A connection proved it holds the token.
    case authenticated(RunPeer, id: JSON?)
    /// Someone needs a consistent record (export, fork elsewhere, shutdown).
    case record(@Sendable (RunRecord) -> Void)
    /// A save failed: try again at the next autosave.
    case saveFailed
    /// The run is deleted: close its connections with 4000.
    case delete
    /// The server is full: save and leave memory if nobody watches (answers whether the run left).
    case evict(@Sendable (Bool) -> Void)
}

/// A run's inbox: a locked FIFO that refuses new messages once closed (then the sender looks the run up again).
final class RunInbox: @unchecked Sendable {
    private let lock = NSLockBox()
    private var messages: [RunMessage] = []
    private var closed = false
    private let capacity: Int

    /// An inbox that refuses commands beyond `capacity` waiting messages (joins, leaves and the rest always fit).
    init(capacity: Int) { self.capacity = capacity }

    /// Why a message was not taken.
    enum Refusal: Error {
        /// The run is gone (deleted or evicted): look it up again.
        case closed
        /// Too many commands are waiting.
        case full
    }

    /// Queues a message.
    func post(_ message: RunMessage) throws(Refusal) {
        let result: Refusal? = lock.withLock {
            if closed { return .closed }
            if case .command = message, messages.count >= capacity { return .full }
            messages.append(message)
            return nil
        }
        if let result { throw result }
    }

    /// Takes every waiting message.
    func drain() -> [RunMessage] {
        lock.withLock {
            let taken = messages
            messages.removeAll(keepingCapacity: true)
            return taken
        }
    }

    /// Whether messages wait.
    var isEmpty: Bool { lock.withLock { messages.isEmpty } }

    /// Refuses further messages; true when nothing was waiting (then closing is safe).
    func closeIfEmpty() -> Bool {
        lock.withLock {
            guard messages.isEmpty else { return false }
            closed = true
            return true
        }
    }

    /// Refuses further messages and returns what was waiting.
    func close() -> [RunMessage] {
        lock.withLock {
            closed = true
            let taken = messages
            messages.removeAll()
            return taken
        }
    }

    /// Whether the inbox refuses messages.
    var isClosed: Bool { lock.withLock { closed } }
}
