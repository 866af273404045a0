import Foundation
import Glibc

/// The server under load: either one this command starts (`ganlab serve --port 0 --in-memory`, so its CPU and
/// memory can be read from /proc), or one already running at a given port.
final class LoadTestServer {
    /// Where it listens.
    let port: Int
    /// Its process id when this command started it.
    let pid: Int32?
    private let process: Process?

    /// Starts `executable serve --port 0 --in-memory` with `arguments` and waits for its listening line.
    init(executable: String, arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--port", "0", "--in-memory", "--log-level", "warning", "--no-echo"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        self.process = process
        pid = process.processIdentifier
        var line = Data()
        let handle = output.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            guard !chunk.isEmpty else { throw LoadTestError("the server exited before listening") }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let portText = text.split(separator: ":").last?.prefix(while: \.isNumber), let port = Int(portText) else {
            throw LoadTestError("unexpected first line from the server: \(text)")
        }
        self.port = port
    }

    /// A server someone else runs.
    init(port: Int) {
        self.port = port
        pid = nil
        process = nil
    }

    /// CPU seconds (user + system) the server used so far, when known.
    var cpuSeconds: Double? {
        guard let pid, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resident memory in bytes, when known.
    var residentBytes: Double? {
        guard let pid, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kilobytes * 1024
    }

    /// Stops the server this command started (SIGTERM to its own child) and waits for it.
    func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }
}

/// A load test that could not run, with why.
struct LoadTestError: Error, CustomStringConvertible {
    /// Why.
    let description: String
    /// An error saying why.
    init(_ description: String) { self.description = description }
}
