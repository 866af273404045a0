import Foundation
import Logging

/// Log lines captured in memory, for tests of what a component logs (and how often).
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(Logger.Level, String)] = []
    /// Every line so far, with its level.
    var all: [(Logger.Level, String)] { lock.withLock { lines } }
    /// Lines at `level` that contain `text`.
    func lines(_ level: Logger.Level, containing text: String = "") -> [String] {
        all.filter { $0.0 == level && (text.isEmpty || $0.1.contains(text)) }.map(\.1)
    }
    func append(_ level: Logger.Level, _ text: String) { lock.withLock { lines.append((level, text)) } }

    /// A logger that writes here.
    var logger: Logger { Logger(label: "test") { _ in Handler(log: self) } }

    struct Handler: LogHandler {
        let log: CapturedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? { get { metadata[key] } set { metadata[key] = newValue } }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
                 function: String, line: UInt) {
            log.append(level, message.description)
        }
    }
}
