import Foundation
import Glibc
import Testing
@testable import WebServer

/// A sink that accepts at most `capacity` bytes per call (0: would block) and records what it got.
final class RecordingSink: WriteSink {
    var capacity: Int
    var received: [UInt8] = []
    var calls: [Int] = []   // buffers per write call (gather width); -1 for sendfile
    var failure: Int32?
    init(capacity: Int) { self.capacity = capacity }

    func write(_ buffers: [UnsafeRawBufferPointer]) -> SocketIO.WriteResult {
        if let failure { return .failed(failure) }
        calls.append(buffers.count)
        guard capacity > 0 else { return .wouldBlock }
        var taken = 0
        for buffer in buffers where taken < capacity {
            let n = min(buffer.count, capacity - taken)
            received += buffer.prefix(n)
            taken += n
        }
        return .written(taken)
    }

    func sendFile(_ fd: Int32, offset: Int, count: Int) -> SocketIO.WriteResult {
        calls.append(-1)
        guard capacity > 0 else { return .wouldBlock }
        var chunk = [UInt8](repeating: 0, count: min(count, capacity))
        let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
        guard n >= 0 else { return .failed(errno) }
        received += chunk.prefix(n)
        return .written(n)
    }
}

@Suite struct WriteBufferTests {
    @Test func chunks_goOutInOrder_gatheredUpToSixteenPerCall() {
        var buffer = WriteBuffer()
        for index in 0..<20 { buffer.append([UInt8(index), UInt8(index)]) }
        #expect(buffer.queuedBytes == 40 && buffer.memoryBytes >= 40)   // memory: the chunks' capacity
        let sink = RecordingSink(capacity: 1 << 20)
        #expect(buffer.flush(sink) == .drained)
        #expect(sink.received == (0..<20).flatMap { [UInt8($0), UInt8($0)] })
        #expect(sink.calls == [16, 4])
        #expect(buffer.isEmpty && buffer.queuedBytes == 0 && buffer.memoryBytes == 0)
    }

    @Test func sharedStorage_isCountedOnceInTheLedger_andEachBufferAnswersForItsShare() {
        let ledger = OutputStorageLedger(budget: nil)
        var first = WriteBuffer(ledger: ledger), second = WriteBuffer(ledger: ledger)
        let body = [UInt8](repeating: 7, count: 10_000)
        first.append(body)
        second.append(body)
        second.replaceStream(body)
        #expect(ledger.totalBytes == body.capacity && ledger.storageCount == 1)
        #expect(first.memoryBytes == body.capacity / 3 && second.memoryBytes == 2 * (body.capacity / 3))
        let own = [UInt8](repeating: 1, count: 100)
        first.append(own)
        #expect(ledger.totalBytes == body.capacity + own.capacity && ledger.storageCount == 2)
        #expect(first.flush(RecordingSink(capacity: 1 << 20)) == .drained)
        #expect(ledger.totalBytes == body.capacity && second.memoryBytes == body.capacity)
        let sink = RecordingSink(capacity: 10)
        _ = second.flush(OneCallSink(inner: sink))   // started: discardUnstarted keeps it, discardAll does not
        second.discardUnstarted()
        #expect(ledger.totalBytes == body.capacity)
        second.discardAll()
        #expect(ledger.totalBytes == 0 && ledger.storageCount == 0 && second.isEmpty)
        first.discardAll()   // nothing left to release: no release without its retain
        #expect(ledger.unmatchedReleases == 0)
    }

    @Test func memoryBytes_countCapacity_untilAChunkIsWhollySent() {
        var buffer = WriteBuffer()
        var grown: [UInt8] = []
        grown.reserveCapacity(10_000)
        grown.append(contentsOf: [1, 2, 3, 4])   // 4 bytes in a 10,000-byte allocation
        buffer.append(grown)
        #expect(buffer.queuedBytes == 4 && buffer.memoryBytes >= 10_000)
        let sink = RecordingSink(capacity: 2)
        _ = buffer.flush(OneCallSink(inner: sink))
        #expect(buffer.queuedBytes == 2 && buffer.memoryBytes >= 10_000)   // half sent: still all held
        sink.capacity = 100
        _ = buffer.flush(sink)
        #expect(buffer.memoryBytes == 0)
        var slot = [UInt8](); slot.reserveCapacity(5000); slot.append(1)
        buffer.replaceStream(slot)
        #expect(buffer.memoryBytes >= 5000)
        #expect(buffer.discardUnstarted() >= 5000 && buffer.memoryBytes == 0)
    }

    @Test func partialWrites_resumeMidChunk() {
        var buffer = WriteBuffer()
        buffer.append(Array(0..<10))
        buffer.append(Array(10..<20))
        let sink = RecordingSink(capacity: 3)
        sink.capacity = 0
        #expect(buffer.flush(sink) == .blocked)
        sink.capacity = 3
        var rounds = 0
        while buffer.flush(sink) == .blocked, rounds < 100 { rounds += 1 }
        #expect(sink.received == Array(0..<20))
    }

    @Test func blockedSink_keepsEverything_andAFailureIsReported() {
        var buffer = WriteBuffer()
        buffer.append([1, 2, 3])
        let blocked = RecordingSink(capacity: 0)
        #expect(buffer.flush(blocked) == .blocked)
        #expect(buffer.queuedBytes == 3)
        let broken = RecordingSink(capacity: 10)
        broken.failure = EPIPE
        #expect(buffer.flush(broken) == .failed(EPIPE))
    }

    @Test func streamSlot_keepsOnlyTheNewestFrame_andWaitsForTheQueue() {
        var buffer = WriteBuffer()
        buffer.append([0xAA])
        buffer.replaceStream([1])
        buffer.replaceStream([2])
        buffer.replaceStream([3])
        #expect(buffer.droppedStreamFrames == 2)
        #expect(buffer.memoryBytes >= 2 && buffer.memoryBytes < 100)
        let sink = RecordingSink(capacity: 100)
        #expect(buffer.flush(sink) == .drained)
        #expect(sink.received == [0xAA, 3])
    }

    @Test func startedChunk_isFinishedBeforeAStreamFrame() {
        var buffer = WriteBuffer()
        buffer.append([1, 2, 3, 4])
        let sink = RecordingSink(capacity: 2)
        _ = buffer.flush(OneCallSink(inner: sink))   // [1, 2] out, [3, 4] left
        buffer.replaceStream([9])
        sink.capacity = 100
        #expect(buffer.flush(sink) == .drained)
        #expect(sink.received == [1, 2, 3, 4, 9])
    }

    @Test func discardUnstarted_keepsAPartlySentChunk_andDropsTheRest() {
        var buffer = WriteBuffer()
        buffer.append([1, 2, 3, 4])
        buffer.append([5, 6])
        buffer.replaceStream([7])
        let sink = RecordingSink(capacity: 2)
        _ = buffer.flush(OneCallSink(inner: sink))
        #expect(buffer.hasStartedChunk)
        #expect(buffer.discardUnstarted() >= 3)   // [5, 6] and the stream frame (their capacity)
        #expect(buffer.queuedBytes == 2)
        sink.capacity = 100
        #expect(buffer.flush(sink) == .drained)
        #expect(sink.received == [1, 2, 3, 4])
        var fresh = WriteBuffer()
        fresh.append([1])
        #expect(!fresh.hasStartedChunk)
        #expect(fresh.discardUnstarted() >= 1 && fresh.isEmpty && fresh.memoryBytes == 0)
    }

    @Test func fileRegion_isSentWithSendfile_betweenMemoryChunks_andCostsNoMemory() throws {
        let path = NSTemporaryDirectory() + "wb-\(UInt32.random(in: 0...UInt32.max)).bin"
        let content = (0..<100_000).map { UInt8($0 % 251) }
        try Data(content).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let fd = open(path, O_RDONLY)
        #expect(fd >= 0)
        var buffer = WriteBuffer()
        buffer.append(Array("head".utf8))
        buffer.append(FileRegion(fd: fd, end: content.count))
        buffer.append(Array("tail".utf8))
        #expect(buffer.memoryBytes >= 8 && buffer.memoryBytes < 100)
        #expect(buffer.queuedBytes == 100_008)
        let sink = RecordingSink(capacity: 30_000)
        var rounds = 0
        while buffer.flush(sink) != .drained, rounds < 100 { rounds += 1 }
        #expect(sink.received == Array("head".utf8) + content + Array("tail".utf8))
        #expect(sink.calls.contains(-1))
        #expect(fcntl(fd, F_GETFD) == -1)   // the region closed its descriptor once sent
    }

    @Test func fileThatShrank_failsTheFlush() throws {
        let path = NSTemporaryDirectory() + "wb-short-\(UInt32.random(in: 0...UInt32.max)).bin"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        var buffer = WriteBuffer()
        buffer.append(FileRegion(fd: open(path, O_RDONLY), end: 10))
        #expect(buffer.flush(RecordingSink(capacity: 100)) == .failed(EIO))
    }
}

/// Takes exactly one write call, then blocks (to leave a chunk half sent).
struct OneCallSink: WriteSink {
    let inner: RecordingSink
    final class Count { var calls = 0 }
    let count = Count()
    func write(_ buffers: [UnsafeRawBufferPointer]) -> SocketIO.WriteResult {
        count.calls += 1
        return count.calls == 1 ? inner.write(buffers) : .wouldBlock
    }
    func sendFile(_ fd: Int32, offset: Int, count: Int) -> SocketIO.WriteResult { .wouldBlock }
}
