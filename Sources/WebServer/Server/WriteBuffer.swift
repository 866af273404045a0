import Glibc

/// The bytes waiting to be sent on one connection: a FIFO of whole chunks (responses, frames, open files) plus
/// one newest-frame-wins slot for streamed frames.
///
/// A chunk that has started going out is always finished before anything else, so frames never interleave. A
/// streamed frame waits in the slot until the queue is empty; a newer one replaces it (the stale frame is dropped
/// for this connection only), so a slow reader costs at most one frame. A file chunk is sent with `sendfile(2)`
/// straight from the page cache: a 100 MB download costs no memory. The memory chunks are counted in the loop's
/// `OutputStorageLedger`, once per storage however many connections queue the same bytes.
struct WriteBuffer {
    /// What `flush` achieved.
    enum FlushResult: Equatable {
        /// Everything queued was written.
        case drained
        /// The kernel buffer is full; wait for EPOLLOUT.
        case blocked
        /// The connection failed with this errno (EIO also when a file shrank while being sent).
        case failed(Int32)
    }

    /// One queued piece of output.
    enum Chunk {
        /// Bytes in memory (a response head or body, a frame).
        case bytes([UInt8])
        /// Part of an open file, sent with sendfile.
        case file(FileRegion)
    }

    private var chunks: [Chunk] = []
    private var head = 0
    /// Bytes of the first memory chunk already sent.
    private var offset = 0
    /// Bytes queued in memory chunks, minus what was already sent of the first (not counting the stream slot).
    private(set) var queuedMemoryBytes = 0
    /// File bytes queued and not yet sent.
    private(set) var queuedFileBytes = 0
    /// The newest streamed frame not yet started.
    private(set) var streamSlot: [UInt8]? = nil
    /// How many streamed frames were replaced before being sent (for diagnostics and tests).
    private(set) var droppedStreamFrames = 0
    /// Where the memory chunks and the stream slot are counted.
    let ledger: OutputStorageLedger

    /// An empty buffer counting its memory in `ledger` (the loop's; a lone buffer in tests gets its own).
    init(ledger: OutputStorageLedger = OutputStorageLedger(budget: nil)) { self.ledger = ledger }

    /// True when nothing waits to be sent.
    var isEmpty: Bool { head == chunks.count && streamSlot == nil }

    /// Bytes still to send for flow control: memory and file chunks (the stream slot is bounded to one frame).
    var queuedBytes: Int { queuedMemoryBytes + queuedFileBytes }

    /// Memory this buffer answers for: the allocated size of its memory chunks and of the stream slot, each
    /// divided among the buffers queuing the same storage (files cost none). Capacity, not length: a response
    /// built in a grown array holds all of it; a partly sent chunk is held whole until finished.
    var memoryBytes: Int {
        var total = streamSlot.map { ledger.share(of: $0) } ?? 0
        for case .bytes(let bytes) in chunks[head...] where !bytes.isEmpty { total += ledger.share(of: bytes) }
        return total
    }

    /// True when the first chunk has started going out (it must be finished before anything else can be sent).
    var hasStartedChunk: Bool {
        guard head < chunks.count else { return false }
        if case .file(let region) = chunks[head] { return region.offset > 0 }
        return offset > 0
    }

    /// Queues a whole chunk of bytes (never dropped).
    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        chunks.append(.bytes(bytes))
        queuedMemoryBytes += bytes.count
        ledger.retain(bytes)
    }

    /// Queues the rest of an open file.
    mutating func append(_ region: FileRegion) {
        guard region.remaining > 0 else { return }
        chunks.append(.file(region))
        queuedFileBytes += region.remaining
    }

    /// Puts a streamed frame in the slot, replacing (dropping) an older one that has not started.
    mutating func replaceStream(_ frame: [UInt8]) {
        guard !frame.isEmpty else { return }
        if let old = streamSlot { droppedStreamFrames += 1; ledger.release(old) }
        ledger.retain(frame)
        streamSlot = frame
    }

    /// Drops everything not yet started (the stream slot too), keeping a chunk that is partly sent so the byte
    /// stream stays well-formed; returns how many bytes of memory this buffer stopped answering for.
    @discardableResult
    mutating func discardUnstarted() -> Int {
        let before = memoryBytes
        let keepsFirst = hasStartedChunk
        release(from: keepsFirst ? head + 1 : head)
        let keep = keepsFirst ? [chunks[head]] : []
        chunks = keep
        head = 0
        if !keepsFirst { offset = 0 }
        queuedMemoryBytes = 0
        queuedFileBytes = 0
        if let first = keep.first {
            switch first {
            case .bytes(let bytes): queuedMemoryBytes = bytes.count - offset
            case .file(let region): queuedFileBytes = region.remaining
            }
        }
        return before - memoryBytes
    }

    /// Drops everything, a partly sent chunk too (the connection is closing): releases all it held.
    mutating func discardAll() {
        release(from: head)
        chunks = []
        head = 0
        offset = 0
        queuedMemoryBytes = 0
        queuedFileBytes = 0
    }

    /// Releases the memory chunks from `index` on and the stream slot (the caller then forgets them).
    private mutating func release(from index: Int) {
        for case .bytes(let bytes) in chunks[min(index, chunks.count)...] where !bytes.isEmpty { ledger.release(bytes) }
        if let frame = streamSlot { ledger.release(frame) }
        streamSlot = nil
    }

    /// Most chunks handed to one `sendmsg` (a response head and body, or several pipelined answers).
    static let maxGather = 16

    /// Writes as much as the socket takes: memory chunks gathered up to `maxGather` per call, files with sendfile.
    mutating func flush<Sink: WriteSink>(_ sink: Sink) -> FlushResult {
        while true {
            if head == chunks.count {
                chunks.removeAll(keepingCapacity: true)
                head = 0
                guard let frame = streamSlot else { return .drained }
                streamSlot = nil
                chunks.append(.bytes(frame))   // still retained: it moves from the slot to the queue
                queuedMemoryBytes += frame.count
            }
            if case .file(let region) = chunks[head] {
                switch sink.sendFile(region.fd, offset: region.offset, count: region.remaining) {
                case .written(let count):
                    // sendfile returns 0 only at end of file: the file shrank, the promised length cannot be sent.
                    if count == 0 { return .failed(EIO) }
                    region.offset += count
                    queuedFileBytes -= count
                    if region.remaining == 0 { chunks[head] = .bytes([]); head += 1 }
                case .wouldBlock: return .blocked
                case .failed(let code): return .failed(code)
                }
                continue
            }
            var end = head
            while end < chunks.count, end - head < Self.maxGather, case .bytes = chunks[end] { end += 1 }
            switch gather(from: head, to: end, collected: [], { sink.write($0) }) {
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

    /// Calls `body` with pointers to the memory chunks[index..<end] (the first one past what was already sent).
    /// Recursion keeps every pointer inside its `withUnsafeBytes` scope.
    private func gather(from index: Int, to end: Int, collected: [UnsafeRawBufferPointer],
                        _ body: ([UnsafeRawBufferPointer]) -> SocketIO.WriteResult) -> SocketIO.WriteResult {
        if index == end { return body(collected) }
        guard case .bytes(let bytes) = chunks[index] else { return body(collected) }
        return bytes.withUnsafeBytes { raw in
            let part = index == head ? UnsafeRawBufferPointer(rebasing: raw[offset...]) : raw
            return gather(from: index + 1, to: end, collected: collected + [part], body)
        }
    }

    /// Drops `count` sent bytes from the front of the memory chunks.
    private mutating func consume(_ count: Int) {
        var remaining = count
        queuedMemoryBytes -= count
        while remaining > 0 {
            guard case .bytes(let bytes) = chunks[head] else { return }
            let left = bytes.count - offset
            if remaining < left {
                offset += remaining
                return
            }
            remaining -= left
            ledger.release(bytes)
            chunks[head] = .bytes([])
            head += 1
            offset = 0
        }
    }
}

/// Where a `WriteBuffer` flushes to: the socket in the server, a recorder in tests.
protocol WriteSink {
    /// Writes the buffers in order with one call (gather I/O).
    func write(_ buffers: [UnsafeRawBufferPointer]) -> SocketIO.WriteResult
    /// Sends up to `count` bytes of the open file `fd` from `offset`.
    func sendFile(_ fd: Int32, offset: Int, count: Int) -> SocketIO.WriteResult
}

/// A connected socket: `sendmsg(2)` and `sendfile(2)`.
struct SocketSink: WriteSink {
    /// The socket.
    let fd: Int32
    /// Gathered `sendmsg`.
    func write(_ buffers: [UnsafeRawBufferPointer]) -> SocketIO.WriteResult { SocketIO.write(fd, buffers) }
    /// `sendfile` from the page cache.
    func sendFile(_ source: Int32, offset: Int, count: Int) -> SocketIO.WriteResult {
        SocketIO.sendFile(to: fd, from: source, offset: offset, count: count)
    }
}
