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

    /// Writes as much as the socket takes, using `write` (injectable for tests).
    mutating func flush(_ write: (UnsafeRawBufferPointer) -> SocketIO.WriteResult) -> FlushResult {
        while true {
            if head == chunks.count {
                chunks.removeAll(keepingCapacity: true)
                head = 0
                guard let frame = streamSlot else { return .drained }
                streamSlot = nil
                chunks.append(frame)
                queuedBytes += frame.count
            }
            let result = chunks[head].withUnsafeBytes { all in
                write(UnsafeRawBufferPointer(rebasing: all[offset...]))
            }
            switch result {
            case .written(let count):
                offset += count
                queuedBytes -= count
                if offset == chunks[head].count {
                    chunks[head] = []
                    head += 1
                    offset = 0
                }
                if count == 0 { return .blocked }
            case .wouldBlock:
                return .blocked
            case .failed(let code):
                return .failed(code)
            }
        }
    }
}
