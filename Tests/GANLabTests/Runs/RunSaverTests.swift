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

    @Test func failures_areLoggedWhenNewOrChanged_andRecoveriesOnce_notEveryRetry() {
        let archive = SwitchableArchive()
        let lines = CapturedLog()
        let saver = RunSaver(archive: archive, logger: Logger(label: "test") { _ in CapturedLog.Handler(log: lines) })
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

extension RunSaverTests {
    /// run-format.md §2: a failed save is one line. The data directory logs it (with the file, step and reason), so
    /// the saver does not log it a second time ("cannot save run X" beside "saving run X failed").
    @Test func aFailedSaveToTheDataDirectory_isLoggedOnce() throws {
        let log = CapturedLog()
        let fs = FaultyFileSystem()
        let archive = try FileRunArchive(directory: StorageFixtures.temporaryDirectory(), options: .init(retryInterval: 0),
                                         fileSystem: fs, logger: log.logger)
        let saver = RunSaver(archive: archive, logger: log.logger)
        fs.fail(.write, with: ENOSPC)
        #expect(!saver.saveNow(StorageFixtures.record(code: "AAAAAA")))
        #expect(!saver.saveNow(StorageFixtures.record(code: "AAAAAA")))
        #expect(log.lines(.error, containing: "AAAAAA").count == 1, "\(log.all)")
        #expect(saver.problems.isEmpty && archive.problems.count == 1, "listed once in /healthz too")
        fs.heal()
        #expect(saver.saveNow(StorageFixtures.record(code: "AAAAAA")))
        #expect(log.lines(.notice, containing: "AAAAAA").count == 1, "and the recovery once: \(log.all)")
    }
}
