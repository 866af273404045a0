import Foundation
import Glibc
import Testing
import WebServer

@Suite struct ShutdownSignalsTests {
    @Test func signal_runsTheHandlerOnItsThread_andServerStops() throws {
        let t = try TestServer()
        let got = NSCondition()
        nonisolated(unsafe) var received: Int32 = 0
        let signals = try ShutdownSignals(signals: [SIGUSR2]) { number in
            got.lock(); received = number; got.broadcast(); got.unlock()
            t.server.shutdown()
        }
        defer { signals.cancel() }
        kill(getpid(), SIGUSR2)   // process-directed: Dispatch worker threads block signals, so raise() would not do
        got.lock()
        let deadline = Date().addingTimeInterval(3)
        while received == 0 && got.wait(until: deadline) {}
        got.unlock()
        try #require(received == SIGUSR2)
        t.server.waitUntilStopped()
        #expect((try? t.client()) == nil)
    }

    @Test func init_unblocksItsSignals_whenTheLauncherBlockedThem() throws {
        // A launcher (Foundation's Process) may start us with SIGTERM blocked; the mask is inherited by threads.
        let done = NSCondition()
        nonisolated(unsafe) var blockedBefore: Int32 = -1, blockedAfter: Int32 = -1, finished = false
        nonisolated(unsafe) var failure: Error?
        let thread = Thread {
            var set = sigset_t(), current = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGUSR1)
            pthread_sigmask(SIG_BLOCK, &set, nil)
            pthread_sigmask(SIG_BLOCK, nil, &current)
            blockedBefore = sigismember(&current, SIGUSR1)
            do {
                let signals = try ShutdownSignals(signals: [SIGUSR1]) { _ in }
                pthread_sigmask(SIG_BLOCK, nil, &current)
                blockedAfter = sigismember(&current, SIGUSR1)
                signals.cancel()
            } catch { failure = error }
            done.lock(); finished = true; done.broadcast(); done.unlock()
        }
        thread.start()
        done.lock()
        let deadline = Date().addingTimeInterval(5)
        while !finished && done.wait(until: deadline) {}
        done.unlock()
        #expect(failure == nil)
        #expect(blockedBefore == 1)
        #expect(blockedAfter == 0)
    }
}
