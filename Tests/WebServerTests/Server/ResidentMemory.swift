import Foundation

/// This process's resident set size in bytes (VmRSS in /proc/self/status), for memory-bound tests.
func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes * 1024
}

/// Polls `condition` every 10 ms until it holds or `timeout` seconds pass; true when it held.
func waitUntil(timeout: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// Samples `value` on a background thread until stopped, keeping the maximum.
final class PeakSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var peak = 0
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init(every microseconds: UInt32 = 2_000, _ value: @escaping @Sendable () -> Int) {
        Thread.detachNewThread { [self] in
            while true {
                let sample = value()
                lock.lock()
                peak = max(peak, sample)
                let keepGoing = running
                lock.unlock()
                if !keepGoing { break }
                usleep(microseconds)
            }
            done.signal()
        }
    }

    /// Stops sampling and returns the largest value seen.
    func stop() -> Int {
        lock.lock(); running = false; lock.unlock()
        done.wait()
        lock.lock(); defer { lock.unlock() }
        return peak
    }
}
