import Foundation
import Testing
import GANEngine
import GANLab
#if canImport(Glibc)
import Glibc
#endif

/// The data directory over real files (docs/run-format.md §2), with faults injected through `FaultyFileSystem`.
@Suite struct FileRunArchiveTests {
    private func record(_ code: String = "K7QX3M", epoch: Int, updated: Double = 1_700_000_000) -> RunRecord {
        var r = StorageFixtures.record(code: code, epoch: epoch)
        r.updatedAt = Date(timeIntervalSince1970: updated)
        return r
    }

    private func open(_ dir: String, _ fs: any FileSystem = SystemFileSystem(),
                      options: FileRunArchive.Options = .init(retryInterval: 0)) throws -> FileRunArchive {
        try FileRunArchive(directory: dir, options: options, fileSystem: fs)
    }

    private func names(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    @Test func savedRuns_loadBack_andAreListedByAnotherArchiveLater() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let archive = try open(dir)
        try archive.save(record(epoch: 10))
        try archive.save(record("ABCDEF", epoch: 20))
        #expect(names(dir) == [".lock", "ABCDEF.ganrun", "K7QX3M.ganrun"])
        #expect(try archive.load(RunCode("K7QX3M")!) == record(epoch: 10))
        #expect(try archive.load(RunCode("ZZZZZZ")!) == nil)
        archive.close()
        let again = try open(dir)
        #expect(again.codes().map(\.text) == ["ABCDEF", "K7QX3M"])
        #expect(try again.load(RunCode("ABCDEF")!) == record("ABCDEF", epoch: 20))
        try again.remove(RunCode("ABCDEF")!)
        #expect(again.codes().map(\.text) == ["K7QX3M"])
        #expect(names(dir) == [".lock", "K7QX3M.ganrun"])
        #expect(again.problems.isEmpty)
    }

    @Test func aSecondServer_onTheSameDirectory_isRefused() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let first = try open(dir)
        let error = try #require(throws: StorageError.self) { try open(dir) }
        #expect(error == .directoryInUse(dir))
        #expect(error.description.contains("--data-dir"))
        first.close()
        _ = try open(dir)
    }

    @Test(arguments: AtomicFileWriter.Step.allCases)
    func aFailedSave_atAnyStep_leavesALoadableFile_keepsTheRecord_andRecovers(step: AtomicFileWriter.Step) throws {
        let dir = StorageFixtures.temporaryDirectory()
        let fs = FaultyFileSystem()
        let archive = try open(dir, fs)
        let v1 = record(epoch: 100), v2 = record(epoch: 200, updated: 1_700_000_050)
        try archive.save(v1)
        fs.fail(FaultyFileSystem.Operation(rawValue: step.rawValue)!, with: EIO)
        let error = try #require(throws: StorageError.self) { try archive.save(v2) }
        #expect(error.description.contains("was not saved"))
        // On disk: the previous run, or for the very last step the new one; never a mixture, no temporary left.
        let onDisk = try RunRecordCodec.decode(SystemFileSystem().readFile(dir + "/K7QX3M.ganrun"))
        #expect(onDisk == (step == .syncDirectory ? v2 : v1))
        #expect(!names(dir).contains(".K7QX3M.ganrun.tmp"))
        // In memory: the newest, reported in healthz.
        #expect(try archive.load(v1.code) == v2)
        #expect(archive.problems.count == 1)
        #expect(archive.problems[0].contains("run K7QX3M not saved") && archive.problems[0].contains("Input/output error"))
        // The fault goes away: the retry saves it and the problem clears.
        fs.heal()
        archive.retryFailedSaves()
        #expect(archive.problems.isEmpty)
        #expect(try RunRecordCodec.decode(SystemFileSystem().readFile(dir + "/K7QX3M.ganrun")) == v2)
    }

    @Test(arguments: AtomicFileWriter.Step.allCases)
    func aCrash_atAnyStep_leavesThePreviousOrTheNewRun_afterRestart(step: AtomicFileWriter.Step) throws {
        let dir = StorageFixtures.temporaryDirectory()
        let fs = FaultyFileSystem()
        let v1 = record(epoch: 100), v2 = record(epoch: 200, updated: 1_700_000_050)
        do {
            let archive = try open(dir, fs)
            try archive.save(v1)
            fs.crash(at: FaultyFileSystem.Operation(rawValue: step.rawValue)!)
            #expect(throws: StorageError.self) { try archive.save(v2) }
            archive.close()
        }
        let restarted = try open(dir)
        let loaded = try #require(try restarted.load(v1.code))
        // Before the temporary file was complete: the previous run. From a complete temporary file on: the new one.
        let expected = [.create, .write].contains(step) ? v1 : v2
        #expect(loaded == expected)
        #expect(restarted.quarantined.isEmpty)
        #expect(names(dir) == [".lock", "K7QX3M.ganrun"])
    }

    @Test func fullDisk_keepsRunsInMemory_reportsIt_andSavesThemWhenSpaceReturns() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let fs = FaultyFileSystem()
        let archive = try open(dir, fs)
        fs.fail(.write, with: ENOSPC)
        for code in ["AAAAAA", "BBBBBB"] {
            #expect(throws: StorageError.self) { try archive.save(record(code, epoch: 5)) }
        }
        #expect(archive.codes().map(\.text) == ["AAAAAA", "BBBBBB"])
        #expect(try archive.load(RunCode("AAAAAA")!)?.trainer.epoch == 5)
        #expect(archive.problems.count == 2)
        #expect(archive.problems.allSatisfy { $0.contains("No space left on device") })
        #expect(names(dir) == [".lock"])
        fs.heal()
        archive.retryFailedSaves()
        #expect(archive.problems.isEmpty)
        #expect(names(dir) == [".lock", "AAAAAA.ganrun", "BBBBBB.ganrun"])
    }

    @Test func readOnlyDirectory_startsReadsAndRetries() throws {
        let dir = StorageFixtures.temporaryDirectory()
        try open(dir).save(record(epoch: 7))   // closed at deinit
        let fs = FaultyFileSystem()
        fs.fail(.lock, with: EROFS)
        let archive = try open(dir, fs)
        fs.fail(.create, with: EROFS)
        #expect(try archive.load(RunCode("K7QX3M")!)?.trainer.epoch == 7)
        #expect(throws: StorageError.self) { try archive.save(record(epoch: 8)) }
        #expect(archive.problems.first?.contains("Read-only file system") == true)
        fs.heal()
        archive.retryFailedSaves()
        #expect(archive.problems.isEmpty)
    }

    @Test func anUncreatableDirectory_isAProblem_notACrash() throws {
        let dir = StorageFixtures.temporaryDirectory() + "/sub"
        let fs = FaultyFileSystem()
        fs.fail(.createDirectory, with: EACCES)
        let archive = try open(dir, fs)
        #expect(archive.problems.first?.contains("Permission denied") == true)
        #expect(throws: StorageError.self) { try archive.save(record(epoch: 1)) }
        #expect(archive.codes().count == 1)
        fs.heal()
        archive.retryFailedSaves()
        #expect(archive.problems.isEmpty)
        #expect(names(dir).contains("K7QX3M.ganrun"))
    }

    @Test func corruptTruncatedAndForeignFiles_areMovedAside_withTheirReasons() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let good = RunRecordCodec.encode(record(epoch: 3))
        var flipped = RunRecordCodec.encode(record("BBBBBB", epoch: 3))
        flipped[200] ^= 0xFF
        let files: [String: [UInt8]] = [
            "K7QX3M.ganrun": good,
            "AAAAAA.ganrun": Array(RunRecordCodec.encode(record("AAAAAA", epoch: 3)).prefix(300)),
            "BBBBBB.ganrun": flipped,
            "CCCCCC.ganrun": [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3],
            "DDDDDD.ganrun": good,
            "notes.txt": Array("hello".utf8),
        ]
        for (name, bytes) in files { _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(bytes)) }
        try FileManager.default.createDirectory(atPath: dir + "/lost+found", withIntermediateDirectories: false)

        let archive = try open(dir)
        #expect(archive.codes().map(\.text) == ["K7QX3M"])
        let reasons = Dictionary(uniqueKeysWithValues: archive.quarantined.map { ($0.name, $0.reason) })
        #expect(reasons["AAAAAA.ganrun"]?.hasPrefix("truncated: 300 of") == true)
        #expect(reasons["BBBBBB.ganrun"] == "checksum mismatch: the file is damaged or was altered")
        #expect(reasons["CCCCCC.ganrun"] == "not a ganlab run file")
        #expect(reasons["DDDDDD.ganrun"] == "it holds run K7QX3M, not DDDDDD")
        #expect(reasons["notes.txt"]?.contains("not a saved run's name") == true)
        #expect(names(dir) == [".lock", "K7QX3M.ganrun", "corrupt", "lost+found"])
        #expect(names(dir + "/corrupt").count == 10)
        let why = try String(contentsOfFile: dir + "/corrupt/BBBBBB.ganrun.why.txt", encoding: .utf8)
        #expect(why.contains("checksum mismatch"))
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: dir + "/corrupt/CCCCCC.ganrun"))) == files["CCCCCC.ganrun"]!)
        #expect(archive.problems.contains { $0.contains("AAAAAA.ganrun") && $0.contains("moved to corrupt/AAAAAA.ganrun") })
    }

    @Test func aFileDamagedAfterStart_isReportedAndMovedAside_onLoad() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let archive = try open(dir)
        try archive.save(record(epoch: 3))
        _ = FileManager.default.createFile(atPath: dir + "/K7QX3M.ganrun", contents: Data([1, 2, 3]))
        let error = try #require(throws: StorageError.self) { try archive.load(RunCode("K7QX3M")!) }
        #expect(error == .unreadable(code: RunCode("K7QX3M")!, reason: "not a ganlab run file"))
        #expect(names(dir + "/corrupt") == ["K7QX3M.ganrun", "K7QX3M.ganrun.why.txt"])
        #expect(archive.codes().isEmpty)
        // A second damaged copy does not overwrite the first one in corrupt/.
        try archive.save(record(epoch: 4))
        _ = FileManager.default.createFile(atPath: dir + "/K7QX3M.ganrun", contents: Data([4]))
        #expect(throws: StorageError.self) { try archive.load(RunCode("K7QX3M")!) }
        #expect(names(dir + "/corrupt").contains("K7QX3M.ganrun.1"))
    }

    /// A file can pass its checksum and the tables and still not be a run the lab can continue: moved aside with the
    /// tensor or scalar named, at start and at a later load, instead of a code answering "try again later" forever.
    @Test func aFileWhoseTrainerCannotBeRebuilt_isMovedAside_atStartAndAtLoad() throws {
        let dir = StorageFixtures.temporaryDirectory()
        var missingTensor = record("AAAAAA", epoch: 3)
        let dropped = missingTensor.trainer.tensors.removeLast().name
        var wrongShape = record("BBBBBB", epoch: 3)
        wrongShape.trainer.tensors[0] = TrainerState.Tensor(name: wrongShape.trainer.tensors[0].name, rows: 1, columns: 1, values: [0])
        var missingScalar = record("CCCCCC", epoch: 3)
        missingScalar.trainer.scalars["lastGeneratorLoss"] = nil
        for r in [record(epoch: 3), missingTensor, wrongShape, missingScalar] {
            _ = FileManager.default.createFile(atPath: dir + "/\(r.code).ganrun", contents: Data(RunRecordCodec.encode(r)))
        }
        let archive = try open(dir)
        #expect(archive.codes().map(\.text) == ["K7QX3M"])
        let reasons = Dictionary(uniqueKeysWithValues: archive.quarantined.map { ($0.name, $0.reason) })
        #expect(reasons["AAAAAA.ganrun"] == "saved trainer: tensor \"\(dropped)\" is missing")
        #expect(reasons["BBBBBB.ganrun"]?.contains("has shape 1×1 with 1 values") == true)
        #expect(reasons["CCCCCC.ganrun"] == "saved trainer: scalar \"lastGeneratorLoss\" is missing")
        #expect(archive.problems.count == 3)
        #expect(names(dir + "/corrupt").count == 6)

        // After start: replaced by a file that reads but does not restore, it is moved aside when loaded.
        missingTensor.code = RunCode("K7QX3M")!
        _ = FileManager.default.createFile(atPath: dir + "/K7QX3M.ganrun", contents: Data(RunRecordCodec.encode(missingTensor)))
        let error = try #require(throws: StorageError.self) { try archive.load(RunCode("K7QX3M")!) }
        #expect(error == .unreadable(code: RunCode("K7QX3M")!, reason: "saved trainer: tensor \"\(dropped)\" is missing"))
        #expect(archive.codes().isEmpty)
        #expect(names(dir + "/corrupt").contains("K7QX3M.ganrun"))
    }

    /// A complete leftover save whose trainer does not restore is not renamed over the good file.
    @Test func aLeftoverSaveThatCannotBeRestored_doesNotReplaceTheSavedRun() throws {
        let dir = StorageFixtures.temporaryDirectory()
        try open(dir).save(record(epoch: 1))
        var broken = record(epoch: 2, updated: 1_700_000_009)
        broken.trainer.tensors.removeLast()
        _ = FileManager.default.createFile(atPath: dir + "/.K7QX3M.ganrun.tmp", contents: Data(RunRecordCodec.encode(broken)))
        #expect(try open(dir).load(RunCode("K7QX3M")!)?.trainer.epoch == 1)
        #expect(names(dir) == [".lock", "K7QX3M.ganrun"])
    }

    /// A directory that takes no writes is a problem from the start (a probe file), not only after the first save.
    @Test(arguments: [(FaultyFileSystem.Operation.create, EROFS, "Read-only file system"), (.sync, ENOSPC, "No space left on device")])
    func aDirectoryThatTakesNoWrites_isReportedAtStart_andClearsWhenFixed(fault: FaultyFileSystem.Operation, code: Int32, text: String) throws {
        let dir = StorageFixtures.temporaryDirectory()
        try open(dir).save(record(epoch: 7))
        let fs = FaultyFileSystem()
        fs.fail(fault, with: code)
        let archive = try open(dir, fs)
        #expect(archive.problems.count == 1)
        #expect(archive.problems.first?.contains("does not take writes") == true && archive.problems.first?.contains(text) == true,
                "\(archive.problems)")
        #expect(try archive.load(RunCode("K7QX3M")!)?.trainer.epoch == 7, "its runs are still read")
        archive.retryFailedSaves()
        #expect(archive.problems.count == 1, "still not writable")
        fs.heal()
        archive.retryFailedSaves()
        #expect(archive.problems.isEmpty)
        #expect(names(dir) == [".lock", "K7QX3M.ganrun"], "no probe file left")
    }

    @Test func byDefault_nothingIsDeleted_withLimits_theOldestIdleRunsGoFirst() throws {
        let unlimited = try open(StorageFixtures.temporaryDirectory())
        for (i, code) in ["AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD"].enumerated() {
            try unlimited.save(record(code, epoch: 1, updated: 1_700_000_000 + Double(i)))
        }
        #expect(unlimited.codes().count == 4)

        let dir = StorageFixtures.temporaryDirectory()
        let limited = try open(dir, options: .init(maxSavedRuns: 2, retryInterval: 0))
        limited.isInUse = { $0.text == "AAAAAA" }
        for (i, code) in ["AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD"].enumerated() {
            try limited.save(record(code, epoch: 1, updated: 1_700_000_000 + Double(i)))
        }
        // AAAAAA is the oldest but in use; BBBBBB and CCCCCC went, oldest first.
        #expect(limited.codes().map(\.text) == ["AAAAAA", "DDDDDD"])
        #expect(names(dir) == [".lock", "AAAAAA.ganrun", "DDDDDD.ganrun"])

        let size = RunRecordCodec.encode(record(epoch: 1)).count
        let byBytes = try open(StorageFixtures.temporaryDirectory(), options: .init(maxSavedBytes: 2 * size + 10, retryInterval: 0))
        for (i, code) in ["AAAAAA", "BBBBBB", "CCCCCC"].enumerated() {
            try byBytes.save(record(code, epoch: 1, updated: 1_700_000_000 + Double(i)))
        }
        #expect(byBytes.codes().map(\.text) == ["BBBBBB", "CCCCCC"])
        #expect(byBytes.savedBytes <= 2 * size + 10)
    }

    @Test func anIncompleteLeftoverSave_isDeleted_aCompleteNewerOneIsFinished() throws {
        let dir = StorageFixtures.temporaryDirectory()
        try open(dir).save(record(epoch: 1))
        _ = FileManager.default.createFile(atPath: dir + "/.K7QX3M.ganrun.tmp", contents: Data(RunRecordCodec.encode(record(epoch: 2)).prefix(50)))
        #expect(try open(dir).load(RunCode("K7QX3M")!)?.trainer.epoch == 1)
        #expect(!names(dir).contains(".K7QX3M.ganrun.tmp"))
        _ = FileManager.default.createFile(atPath: dir + "/.K7QX3M.ganrun.tmp",
                                       contents: Data(RunRecordCodec.encode(record(epoch: 3, updated: 1_700_000_009))))
        _ = FileManager.default.createFile(atPath: dir + "/.ABCDEF.ganrun.tmp", contents: Data(RunRecordCodec.encode(record("ABCDEF", epoch: 4))))
        let archive = try open(dir)
        #expect(try archive.load(RunCode("K7QX3M")!)?.trainer.epoch == 3)
        #expect(try archive.load(RunCode("ABCDEF")!)?.trainer.epoch == 4)
        #expect(names(dir) == [".lock", "ABCDEF.ganrun", "K7QX3M.ganrun"])
    }

    /// The audit: a complete leftover that was not newer was logged as "deleted an incomplete save". The log says
    /// what each leftover was.
    @Test func leftoverSaves_areLoggedAsWhatTheyWere() throws {
        let dir = StorageFixtures.temporaryDirectory()
        try open(dir).save(record(epoch: 5, updated: 1_700_000_005))
        try open(dir).save(record("ABCDEF", epoch: 5))
        _ = FileManager.default.createFile(atPath: dir + "/.K7QX3M.ganrun.tmp", contents: Data(RunRecordCodec.encode(record(epoch: 4))))
        _ = FileManager.default.createFile(atPath: dir + "/.ABCDEF.ganrun.tmp",
                                           contents: Data(RunRecordCodec.encode(record("ABCDEF", epoch: 6, updated: 1_700_000_009)).prefix(60)))
        let log = CapturedLog()
        let archive = try FileRunArchive(directory: dir, options: .init(retryInterval: 0), logger: log.logger)
        let older = log.lines(.notice, containing: "K7QX3M")
        #expect(older.count == 1 && older[0].contains("a complete save that is not newer than K7QX3M.ganrun"), "\(older)")
        #expect(!older[0].contains("incomplete"))
        let cut = log.lines(.notice, containing: "ABCDEF")
        #expect(cut.count == 1 && cut[0].contains("an incomplete save (truncated: 60 of"), "\(cut)")
        #expect(try archive.load(RunCode("K7QX3M")!)?.trainer.epoch == 5)
        #expect(names(dir) == [".lock", "ABCDEF.ganrun", "K7QX3M.ganrun"])
    }

    @Test func theRetryThread_savesWithoutBeingAsked() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let fs = FaultyFileSystem()
        let archive = try open(dir, fs, options: .init(retryInterval: 0.05))
        fs.fail(.rename, with: EIO)
        #expect(throws: StorageError.self) { try archive.save(record(epoch: 1)) }
        fs.heal()
        let deadline = Date(timeIntervalSinceNow: 10)
        while !archive.problems.isEmpty && Date() < deadline { usleep(10_000) }
        #expect(archive.problems.isEmpty)
        #expect(names(dir).contains("K7QX3M.ganrun"))
        archive.close()
    }

    @Test func defaultDirectory_worksWithoutRoot() {
        #expect(DataDirectory.defaultPath(environment: ["XDG_DATA_HOME": "/x/data", "HOME": "/home/t"]) == "/x/data/ganlab")
        #expect(DataDirectory.defaultPath(environment: ["HOME": "/home/t"]) == "/home/t/.local/share/ganlab")
        #expect(DataDirectory.defaultPath(environment: [:]) == "ganlab-data")
    }
}
