import Foundation
import Testing
import GANLab
#if canImport(Glibc)
import Glibc
#endif

/// The data directory's `.lock` when it could not be taken at start (run-format.md §2: a second server refuses),
/// over real files and real flock(2) locks.
@Suite struct FileRunArchiveLockingTests {
    private func record(_ code: String, epoch: Int = 1) -> RunRecord { StorageFixtures.record(code: code, epoch: epoch) }

    private func open(_ dir: String, _ fs: any FileSystem = SystemFileSystem(), log: CapturedLog = CapturedLog()) throws -> FileRunArchive {
        try FileRunArchive(directory: dir, options: .init(retryInterval: 0), fileSystem: fs, logger: log.logger)
    }

    private func names(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    /// The audit: read-only at start ("cannot be locked; reading it anyway"), writable later, and a second
    /// `ganlab serve` then started on it normally. Now the first takes the lock at its next retry.
    @Test func aDirectoryReadOnlyAtStart_isLockedOnceItTakesWrites_soASecondServerIsRefused() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let fs = FaultyFileSystem()
        fs.fail(.lock, with: EROFS)
        let first = try open(dir, fs)
        fs.fail(.create, with: EROFS)
        #expect(throws: StorageError.self) { try first.save(record("AAAAAA")) }
        fs.heal()
        first.retryFailedSaves()
        #expect(first.problems.isEmpty)
        #expect(names(dir).contains("AAAAAA.ganrun"))
        let error = try #require(throws: StorageError.self) { try open(dir) }
        #expect(error == .directoryInUse(dir))
        first.close()
        _ = try open(dir)
    }

    /// Locked the moment a save works, not only at a retry.
    @Test func aDirectoryReadOnlyAtStart_isLockedByTheFirstSaveThatWorks() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let fs = FaultyFileSystem()
        fs.fail(.lock, with: EACCES)
        let first = try open(dir, fs)
        fs.heal()
        try first.save(record("AAAAAA"))
        #expect(throws: StorageError.self) { try open(dir) }
    }

    /// If another server locked it first, this one says so loudly (once) and writes nothing until the other lets go.
    @Test func anotherServerThatLockedItFirst_stopsThisOneWriting_loudly() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let fs = FaultyFileSystem()
        fs.fail(.lock, with: EROFS)
        let log = CapturedLog()
        let first = try open(dir, fs, log: log)
        fs.heal()
        let second = try open(dir)
        try second.save(record("BBBBBB"))

        #expect(throws: StorageError.self) { try first.save(record("AAAAAA")) }
        #expect(throws: StorageError.self) { try first.save(record("AAAAAA", epoch: 2)) }
        #expect(throws: StorageError.self) { try first.remove(RunCode("BBBBBB")!) }
        first.retryFailedSaves()
        #expect(names(dir) == [".lock", "BBBBBB.ganrun"], "nothing written or removed")
        #expect(first.problems.first?.contains("in use by another ganlab") == true, "\(first.problems)")
        #expect(try first.load(RunCode("AAAAAA")!)?.trainer.epoch == 2, "kept in memory")
        #expect(log.lines(.error, containing: "in use by another ganlab").count == 1, "\(log.all)")
        #expect(log.lines(.error, containing: "saving run AAAAAA").isEmpty, "one line for the directory, not one per run")

        second.close()
        first.retryFailedSaves()
        #expect(first.problems.isEmpty)
        #expect(names(dir) == [".lock", "AAAAAA.ganrun", "BBBBBB.ganrun"])
        #expect(throws: StorageError.self) { try open(dir) }
    }

    /// Without the lock (it could not be taken at start), unreadable files and interrupted saves are reported but
    /// left where they are: another server may own them. Once this server holds the lock, they are dealt with.
    @Test func withoutTheLock_unreadableFilesAndInterruptedSaves_areLeftInPlace() throws {
        let dir = StorageFixtures.temporaryDirectory()
        try Data("not a run".utf8).write(to: URL(fileURLWithPath: dir + "/notes.txt"))
        try Data([0x47, 0x41, 0x4E]).write(to: URL(fileURLWithPath: dir + "/CCCCCC.ganrun"))
        try Data(RunRecordCodec.encode(record("DDDDDD"))).write(to: URL(fileURLWithPath: dir + "/.DDDDDD.ganrun.tmp"))
        let before = names(dir)
        let fs = FaultyFileSystem()
        fs.fail(.lock, with: EACCES)
        let log = CapturedLog()
        let first = try open(dir, fs, log: log)
        #expect(names(dir) == before, "nothing moved, finished or deleted")
        #expect(Set(first.quarantined.map(\.name)) == ["notes.txt", "CCCCCC.ganrun"])
        #expect(first.quarantined.allSatisfy { $0.movedTo == nil })
        #expect(log.lines(.error, containing: "left in place").count == 2, "\(log.all)")
        #expect(log.lines(.warning, containing: "1 interrupted saves left").count == 1, "\(log.all)")
        first.close()
        // A server that holds the lock moves the unreadable files aside and finishes the interrupted save.
        let second = try open(dir)
        #expect(names(dir) == [".lock", "DDDDDD.ganrun", "corrupt"])
        #expect(second.quarantined.allSatisfy { $0.movedTo != nil })
    }
}
