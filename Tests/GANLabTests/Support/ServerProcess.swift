import Foundation
import GANLab
import LabClient
#if canImport(Glibc)
import Glibc
#endif

/// `ganlab serve` as a real process on a data directory, for restart and crash tests.
final class ServerProcess {
    let process = Process()
    private(set) var port = 0
    private let output = Pipe()
    /// Everything the server wrote up to and including its listening line (standard output and error).
    private(set) var log = ""

    /// Starts the server on port 0 and waits (bounded) for its listening line.
    init(dataDirectory: String, extra: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: GANLabProcess.binary)
        process.arguments = ["serve", "--port", "0", "--data-dir", dataDirectory, "--workers", "2", "--log-level", "warning"] + extra
        process.standardOutput = output
        process.standardError = output
        // A child inherits the spawning thread's signal mask; the test runner's threads may block SIGTERM/SIGINT,
        // which would make the server deaf to the very signal under test.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        try process.run()
        let deadline = Date(timeIntervalSinceNow: 30)
        while Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty && !process.isRunning { break }
            log += String(decoding: chunk, as: UTF8.self)
            if let line = log.split(separator: "\n").first(where: { $0.hasPrefix("ganlab: listening on http://") }),
               let p = line.split(separator: ":").last.flatMap({ Int($0) }) {
                port = p
                return
            }
        }
        throw LabClientError.protocolViolation("ganlab serve did not start: \(log)")
    }

    /// Sends `signal` and waits for the exit; returns the exit status.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { stop(SIGKILL) }
    }

    /// GET a JSON object.
    func json(_ path: String) throws -> [String: Any]? {
        let response = try HTTPClient.request("GET", path, port: port)
        return response.status == 200 ? response.json : nil
    }

    /// POST a JSON body.
    func post(_ path: String, _ body: [String: Any]) throws -> HTTPClient.Response {
        try HTTPClient.request("POST", path, port: port, body: Array(try JSONSerialization.data(withJSONObject: body)))
    }

    /// Polls (bounded) until `condition` holds.
    /// The run as its export file says, once it has finished `epochs` epochs: the epoch counter rises when an
    /// epoch starts, so a step that is still finishing its last epoch shows the count early. Nil on timeout.
    func record(of code: String, afterEpochs epochs: Int) throws -> RunRecord? {
        var done: RunRecord?
        _ = try Self.poll {
            let record = try RunRecordCodec.decode(try HTTPClient.request("GET", "/api/runs/\(code)/export", port: port).body)
            done = record.trainer.epoch == epochs && record.trainer.scalars["epoch.updatesTaken"] == nil ? record : nil
            return done != nil
        }
        return done
    }

    static func poll(timeout: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(20_000)
        }
        return false
    }
}
