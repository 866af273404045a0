import Glibc

/// The bytes waiting to be sent on one connection: a FIFO of whole chunks (responses, frames) plus one
/// newest-frame-wins slot for streamed frames.
///
/// A chunk that has started going out is always finished before anything else, so frames never
/// interleave. A streamed frame waits in the slot until the queue is empty; a newer one replaces it
/// (the stale frame is dropped for this connection only), so a slow reader costs at most one frame.
struct WriteBuffer {
    /// What `flush` achieved.
    enum FlushResult: Equatable {
        /// Everything queued was written.
        case drained
        /// The kernel buffer is full; wait for EPOLLOUT.
        case blocked
        /// The connection failed with this errno.
        case failed(Int32)
    }

    private var chunks: [[UInt8]] = []
    private var head = 0
    private var offset = 0
    /// Bytes queued in chunks (not counting the stream slot), minus what was already sent of the first.
    private(set) var queuedBytes = 0
    /// The newest streamed frame not yet started.
    private(set) var streamSlot: [UInt8]? = nil
    /// How many streamed frames were replaced before being sent (for diagnostics and tests).
    private(set) var droppedStreamFrames = 0

    /// True when nothing waits to be sent.
    var isEmpty: Bool { head == chunks.count && streamSlot == nil }

    /// Queues a whole chunk (never dropped).
    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        chunks.append(bytes)
        queuedBytes += bytes.count
    }

    /// Puts a streamed frame in the slot, replacing (dropping) an older one that has not started.
    mutating func replaceStream(_ frame: [UInt8]) {
        if streamSlot != nil { droppedStreamFrames += 1 }
        streamSlot = frame
    }

    /// Most chunks handed to one `sendmsg` (a response head and body, or several pipelined answers).
    static let maxGather = 16

    /// Writes as much as the socket takes, gathering up to `maxGather` chunks per call; `write` is injectable for tests.
    mutating func flush(_ write: ([UnsafeRawBufferPointer]) -> SocketIO.WriteResult) -> FlushResult {
        while true {
            if head == chunks.count {
                chunks.removeAll(keepingCapacity: true)
                head = 0
                guard let frame = streamSlot else { return .drained }
                streamSlot = nil
                chunks.append(frame)
                queuedBytes += frame.count
            }
            let end = min(chunks.count, head + Self.maxGather)
            let result = gather(from: head, to: end, collected: [], write)
            switch result {
            case .written(let count):
                consume(count)
                if count == 0 { return .blocked }
            case .wouldBlock:
                return .blocked
            case .failed(let code):
                return .failed(code)
            }
        }
    }

    /// Calls `body` with pointers to chunks[index..<end] (the first one past what was already sent).
    /// Recursion keeps every pointer inside its `withUnsafeBytes` scope.
    private func gather(from index: Int, to end: Int, collected: [UnsafeRawBufferPointer],
                        _ body: ([UnsafeRawBufferPointer]) -> SocketIO.WriteResult) -> SocketIO.WriteResult {
        if index == end { return body(collected) }
        return chunks[index].withUnsafeBytes { raw in
            let part = index == head ? UnsafeRawBufferPointer(rebasing: raw[offset...]) : raw
            return gather(from: index + 1, to: end, collected: collected + [part], body)
        }
    }

    /// Drops `count` sent bytes from the front of the queue.
    private mutating func consume(_ count: Int) {
        var remaining = count
        queuedBytes -= count
        while remaining > 0 {
            let left = chunks[head].count - offset
            if remaining < left {
                offset += remaining
                return
            }
            remaining -= left
            chunks[head] = []
            head += 1
            offset = 0
        }
    }
}
