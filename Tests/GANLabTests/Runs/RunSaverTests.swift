import Foundation
import Logging
import Testing
@testable import GANLab

/// The saver's log (issue 7: a read-only disk under a class of runs must not log an error per run every few seconds).
@Suite struct RunSaverTests {
    /// An archive whose saves fail with `reason` while it is set.
    final class SwitchableArchive: RunArchive, @unchecked Sendable {
        private let lock = NSLock()
        private var reason: String?
        func fail(_ reason: String?) { lock.withLock { self.reason = reason } }
        func save(_ record: RunRecord) throws {
            if let reason = lock.withLock({ self.reason }) { throw StorageError.failed(reason) }
        }
        func load(_ code: RunCode) throws -> RunRecord? { nil }
        func remove(_ code: RunCode) throws {}
        func codes() throws -> [RunCode] { [] }
    }

    /// Captured log lines.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [(Logger.Level, String)] = []
        var all: [(Logger.Level, String)] { lock.withLock { lines } }
        func append(_ level: Logger.Level, _ text: String) { lock.withLock { lines.append((level, text)) } }

        struct Handler: LogHandler {
            let lines: Lines
            var logLevel: Logger.Level = .trace
            var metadata: Logger.Metadata = [:]
            subscript(metadataKey key: String) -> Logger.Metadata.Value? { get { metadata[key] } set { metadata[key] = newValue } }
            func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
                     function: String, line: UInt) {
                lines.append(level, message.description)
            }
        }
    }

    @Test func failures_areLoggedWhenNewOrChanged_andRecoveriesOnce_notEveryRetry() {
        let archive = SwitchableArchive()
        let lines = Lines()
        let saver = RunSaver(archive: archive, logger: Logger(label: "test") { _ in Lines.Handler(lines: lines) })
        let runs = ["AAAAAA", "BBBBBB", "CCCCCC"].map { StorageFixtures.record(code: $0) }
        archive.fail("cannot create /data/.AAAAAA.ganrun.tmp: Read-only file system")
        for _ in 0..<4 { for run in runs { #expect(!saver.saveNow(run)) } }
        #expect(lines.all.filter { $0.0 == .error }.count == 3)
        #expect(saver.problems.count == 3)
        archive.fail("cannot write /data/.AAAAAA.ganrun.tmp: No space left on device")
        for _ in 0..<2 { #expect(!saver.saveNow(runs[0])) }
        #expect(lines.all.filter { $0.0 == .error }.count == 4, "a new reason is logged once")
        archive.fail(nil)
        for _ in 0..<3 { for run in runs { #expect(saver.saveNow(run)) } }
        #expect(lines.all.filter { $0.0 == .notice }.map(\.1).sorted() == runs.map { "run \($0.code) saved again" })
        #expect(saver.problems.isEmpty)
        #expect(lines.all.count == 7)
    }
}
