import Foundation
import Glibc
import Testing
import WebServer

/// The memory ceiling for the whole server, and large static files that are streamed, not read.
@Suite(.serialized) struct ServerMemoryTests {
    /// `clients` WebSocket clients each send `messages` binary messages of `size` bytes to the echo endpoint and
    /// never read; returns the peak of the server's buffered bytes, the connections it shed, and whether a normal
    /// client was served meanwhile.
    func flood(budget: Int, clients count: Int = 16, messages: Int = 3, size: Int = (2 << 20) - 1024) throws -> (peak: Int, shed: Int, served: Bool) {
        let t = try TestServer {
            $0.memoryBudgetBytes = budget
            $0.writeBufferLimit = 1 << 20
            $0.maxWebSocketMessageBytes = 2 << 20
            $0.writeStallTimeout = 30
        }
        let server = t.server
        let sampler = PeakSampler { server.bufferedByteCount }
        var clients: [LoopbackClient] = []
        let payload = [UInt8](repeating: 0x5A, count: size)
        for _ in 0..<count {
            let c = try LoopbackClient(port: t.port, timeout: 5, receiveBuffer: 4096)
            #expect(try c.upgrade().status == 101)
            clients.append(c)
        }
        let frame = LoopbackClient.frame(opcode: 2, payload: payload)
        let sent = DispatchGroup()
        for client in clients {   // one thread each: a send blocks once the server stops reading that client
            sent.enter()
            Thread.detachNewThread {
                for _ in 0..<messages { client.send(frame) }
                sent.leave()
            }
        }
        sent.wait()
        // Let the server settle: nothing more arrives, the handlers caught up.
        var last = -1
        _ = waitUntil(timeout: 10) {
            let now = server.bufferedByteCount
            defer { last = now }
            return now == last
        }
        // Everyone else is still served while the flood is held.
        let normal = try t.client()
        normal.send("GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let served = (try? normal.readResponse().text) == "body{}"
        let echo = try t.client()
        _ = try echo.upgrade()
        echo.sendFrame(opcode: 1, payload: Array("still here".utf8))
        let echoed = (try? echo.readFrame().text) == "still here"
        let peak = sampler.stop()
        let shed = count + 2 - server.connectionCount
        return (peak, shed, served && echoed)
    }

    @Test func nonReadingFlood_staysUnderTheBudget_whileOthersAreServed() throws {
        let rssBefore = residentBytes()
        let budget = 8 << 20
        let limited = try flood(budget: budget)
        let rssAfter = residentBytes()
        // Frames are counted whole from their admitted headers and a delivered message is counted once, so the total
        // stays near the budget; the echo's copy of one message may sit beside it for a moment (2 MiB of margin).
        #expect(limited.peak <= budget + (2 << 20), "peak \(limited.peak)")
        #expect(limited.served)
        print("memory budget 8 MiB, 16 non-reading clients x 3 x 2 MiB: peak buffered \(limited.peak >> 10) KiB, \(limited.shed) closed by the server, "
              + "RSS \(rssBefore >> 20) -> \(rssAfter >> 20) MiB")
        // The same flood without a binding budget holds far more: the budget is what bounds it.
        let unlimited = try flood(budget: 1 << 30)
        #expect(unlimited.peak > 2 * budget, "unbounded peak \(unlimited.peak)")
        #expect(unlimited.served)
        print("the same without a binding budget: peak buffered \(unlimited.peak >> 10) KiB")
    }

    @Test func applicationFlood_toANonReadingClient_isShed_andOthersAreServed() throws {
        final class Flooder: WebSocketHandler, @unchecked Sendable {
            func webSocketDidConnect(_ connection: WebSocketConnection, request: HTTPRequest) {
                for _ in 0..<12 { connection.send(binary: [UInt8](repeating: 1, count: 1 << 20)) }
            }
            func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {}
        }
        let t = try TestServer({ $0.memoryBudgetBytes = 4 << 20 }) { $0.addWebSocketRoute("/ws/flood", handler: Flooder()) }
        let server = t.server
        let sampler = PeakSampler { server.bufferedByteCount }
        let flooded = try LoopbackClient(port: t.port, timeout: 5, receiveBuffer: 4096)
        #expect(try flooded.upgrade(path: "/ws/flood").status == 101)
        // 12 MiB queued for a client that reads nothing would break the 4 MiB budget: the connection is closed.
        #expect(waitUntil { server.connectionCount == 0 })
        #expect(waitUntil { server.bufferedByteCount == 0 })
        #expect(sampler.stop() <= (4 << 20) + (1 << 20) + 4096)   // the budget plus the one message that tipped it
        #expect(flooded.waitForClose())
        let other = try t.client()
        other.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try other.readResponse().status == 200)
    }

    @Test func uploads_theBudgetCannotHold_get503AtTheirHead_andTheRestAreCountedWhileHeld() throws {
        let budget = 8 << 20, length = 2 << 20
        let t = try TestServer {
            $0.memoryBudgetBytes = budget
            $0.parserLimits.maxBodyBytes = length
        }
        let server = t.server
        let sampler = PeakSampler { server.bufferedByteCount }
        var admitted: [LoopbackClient] = []
        var refused = 0
        for _ in 0..<6 {   // one after the other: each head is answered (100 or 503) before the next is sent
            let c = try LoopbackClient(port: t.port, timeout: 5)
            c.send("POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(length)\r\nExpect: 100-continue\r\n\r\n")
            let first = try c.readResponse()
            if first.status == 100 { admitted.append(c) } else { #expect(first.status == 503); refused += 1 }
        }
        // Each admitted upload holds its whole declared body in the budget from its head on, before any byte of it.
        #expect(admitted.count >= 1 && refused >= 1)
        #expect(admitted.count * length <= budget)
        #expect(server.bufferedByteCount >= admitted.count * length)
        let body = [UInt8](repeating: 0x42, count: length)
        for c in admitted {
            c.send(body)
            #expect(try c.readResponse().status == 405)   // POST /healthz: the body was read, then answered
        }
        #expect(waitUntil { server.bufferedByteCount == 0 })
        #expect(sampler.stop() <= budget)
        let normal = try t.client()
        normal.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try normal.readResponse().status == 200)
    }

    @Test func requestBody_staysCounted_whileItsHandlerRuns() throws {
        let release = DispatchSemaphore(value: 0)
        let t = try TestServer { $0.router.post("/api/slow") { _, _ in release.wait(); return .json(.ok, "{}") } }
        let c = try t.client(timeout: 10)
        let length = 1 << 20
        c.send("POST /api/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(length)\r\n\r\n")
        c.send([UInt8](repeating: 1, count: length))
        // The whole body arrived and went to the handler, which holds it: still memory, still counted.
        #expect(waitUntil { t.server.bufferedByteCount >= length })
        release.signal()
        #expect(try c.readResponse().status == 200)
        #expect(waitUntil { t.server.bufferedByteCount < length })
    }

    @Test func aWebSocketMessageTheBudgetCannotHold_gets1009WithItsOwnReason() throws {
        let t = try TestServer {
            $0.memoryBudgetBytes = 8 << 20
            $0.maxWebSocketMessageBytes = 6 << 20
        }
        let holder = try LoopbackClient(port: t.port, timeout: 5)
        #expect(try holder.upgrade().status == 101)
        let partial = LoopbackClient.frame(opcode: 2, payload: [UInt8](repeating: 7, count: 4 << 20))
        holder.send(Array(partial.prefix(3 << 20)))   // 3 of 4 MiB: the server holds it (and its buffer's capacity)
        #expect(waitUntil { t.server.bufferedByteCount >= 3 << 20 })
        let late = try LoopbackClient(port: t.port, timeout: 5)
        #expect(try late.upgrade().status == 101)
        late.send(Array(LoopbackClient.frame(opcode: 2, payload: [UInt8](repeating: 1, count: 5 << 20)).prefix(14)))   // header only
        let close = try late.readFrame()
        #expect(close.opcode == 8 && close.closeCode == 1009)
        #expect(String(decoding: close.payload.dropFirst(2), as: UTF8.self).contains("memory budget"))   // not the route's limit
    }

    @Test func hundredMegabyteFile_toFourClients_growsResidentMemoryByLessThan32MB() throws {
        let t = try TestServer()
        let path = t.folder.root + "/big.bin"
        let size = 100_000_000
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        #expect(ftruncate(fd, off_t(size)) == 0)   // sparse: no 100 MB buffer in this process either
        close(fd)
        // Warm up (threads, caches) so the baseline is fair, then measure the peak during four downloads.
        let warm = try t.client()
        warm.send("GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        _ = try warm.readResponse()
        let baseline = residentBytes()
        let sampler = PeakSampler { residentBytes() }
        let received = LockedArray()
        let done = DispatchGroup()
        for _ in 0..<4 {   // four threads, so the downloads really overlap (concurrentPerform uses one per core)
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                guard let c = try? LoopbackClient(port: t.port, timeout: 30, receiveBuffer: 256 << 10) else { return }
                c.send("GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                guard let head = try? c.readResponse(bodyless: true), head.status == 200,
                      head.header("Content-Length") == String(size) else { return }
                received.append(c.discard(count: size))
            }
        }
        done.wait()
        let peak = sampler.stop()
        #expect(received.values == [size, size, size, size])
        #expect(peak - baseline < 32_000_000, "RSS grew by \(peak - baseline) bytes")
        print("4 x 100 MB static file: RSS \(baseline >> 20) MiB, peak \(peak >> 20) MiB")
    }

    @Test func aCachedFileQueuedOnManyConnections_isCountedOnce_andNobodyIsShed() throws {
        // 20 clients × 8 pipelined GETs of one cached 900 kB file, unread: 144 MB if each copy were counted,
        // one 900 kB storage in fact (the audit's finding: healthy clients shed at 31 MiB resident).
        let t = try TestServer { $0.memoryBudgetBytes = 8 << 20; $0.maxCachedFileBytes = 1 << 20 }
        let size = 900_000
        try String(repeating: "x", count: size).write(toFile: t.folder.root + "/shared.txt", atomically: true, encoding: .utf8)
        let request = String(repeating: "GET /shared.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", count: 8)
        var clients: [LoopbackClient] = []
        for _ in 0..<20 {
            let c = try LoopbackClient(port: t.port, timeout: 10, receiveBuffer: 4096)
            c.send(request)
            clients.append(c)
        }
        var last = -1
        #expect(waitUntil(timeout: 10) {   // every answer queued: the count settles
            let now = t.server.bufferedByteCount
            defer { last = now }
            return now == last && now >= size && t.server.connectionCount == 20   // every client accepted, none shed
        })
        #expect(t.server.bufferedByteCount < 4 << 20, "counted \(t.server.bufferedByteCount) bytes")
        #expect(t.server.connectionCount == 20)
        for c in clients {
            for _ in 0..<8 {
                let head = try c.readResponse(bodyless: true)
                #expect(head.status == 200)
                #expect(c.discard(count: size) == size)
            }
        }
        clients.removeAll()
        #expect(waitUntil { t.server.bufferedByteCount == 0 && t.server.connectionCount == 0 })   // every release balanced
    }

    @Test func bigFileHEAD_and304_andCachedSmallFiles_stillWork() throws {
        let t = try TestServer { $0.maxCachedFileBytes = 1000 }
        let content = String(repeating: "0123456789", count: 500)
        try content.write(toFile: t.folder.root + "/five-k.txt", atomically: true, encoding: .utf8)
        let c = try t.client()
        c.send("HEAD /five-k.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /five-k.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let head = try c.readResponse(bodyless: true)
        #expect(head.status == 200 && head.header("Content-Length") == "5000")
        let get = try c.readResponse()
        #expect(get.text == content)
        #expect(get.header("Content-Type") == "text/plain; charset=utf-8")
        let tag = try #require(get.header("ETag"))
        c.send("GET /five-k.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: \(tag)\r\n\r\n")
        #expect(try c.readResponse().status == 304)
        c.send("GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")   // a small one comes from the cache
        #expect(try c.readResponse().text == "body{}")
    }
}

/// A thread-safe list of Ints for concurrent test clients.
final class LockedArray: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Int] = []
    func append(_ value: Int) { lock.lock(); items.append(value); lock.unlock() }
    var values: [Int] { lock.lock(); defer { lock.unlock() }; return items }
}
