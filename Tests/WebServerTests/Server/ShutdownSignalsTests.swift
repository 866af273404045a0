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
}
