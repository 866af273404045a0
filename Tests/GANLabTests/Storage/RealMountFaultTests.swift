import Foundation
import Testing
import GANLab
#if canImport(Glibc)
import Glibc
#endif

/// The faults of `FileRunArchiveTests`, raised by the kernel instead of `FaultyFileSystem`: a data directory on a
/// small tmpfs that fills up, and one that is remounted read-only. Needs root (mount(8)); where mounting is not
/// permitted the suite is skipped and says so.
@Suite(.serialized, .enabled(if: ScratchMount.isPermitted, "mounting a tmpfs needs root (mount(8)); skipped"))
struct RealMountFaultTests {
    private func record(_ code: String, epoch: Int = 1) -> RunRecord { StorageFixtures.record(code: code, epoch: epoch) }

    private func open(_ dir: String) throws -> FileRunArchive {
        try FileRunArchive(directory: dir, options: .init(retryInterval: 0))
    }

    private func savedEpoch(_ file: String) throws -> Int {
        try RunRecordCodec.decode(Array(Data(contentsOf: URL(fileURLWithPath: file)))).trainer.epoch
    }

    @Test func aFullDisk_keepsThePreviousFile_saysSo_andSavesOnceThereIsRoom() throws {
        let mount = try ScratchMount(sizeKiB: 256)
        defer { mount.remove() }
        let archive = try open(mount.path)
        try archive.save(record("AAAAAA", epoch: 1))
        // Fill what is left, then save a newer state: the kernel says ENOSPC somewhere in the atomic write.
        let filler = mount.path + "/filler"
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        let chunk = Data(count: 4096)
        while (try? handle.write(contentsOf: chunk)) != nil {}
        try? handle.close()
        let error = try #require(throws: StorageError.self) { try archive.save(record("AAAAAA", epoch: 2)) }
        #expect("\(error)".contains("No space left on device"), "\(error)")
        #expect(try savedEpoch(mount.path + "/AAAAAA.ganrun") == 1, "the previous file is intact")
        #expect(archive.problems.contains { $0.contains("AAAAAA") && $0.contains("No space left") }, "\(archive.problems)")
        #expect(try archive.load(RunCode("AAAAAA")!)?.trainer.epoch == 2, "the newer state is kept in memory")
        #expect(!FileManager.default.fileExists(atPath: mount.path + "/.AAAAAA.ganrun.tmp"), "no partial file left")
        try FileManager.default.removeItem(atPath: filler)
        archive.retryFailedSaves()
        #expect(archive.problems.isEmpty, "\(archive.problems)")
        #expect(try savedEpoch(mount.path + "/AAAAAA.ganrun") == 2)
    }

    @Test func aReadOnlyMount_isReadAtStart_reported_andSavedToOnceWritable() throws {
        let mount = try ScratchMount(sizeKiB: 1024)
        defer { mount.remove() }
        let first = try open(mount.path)
        try first.save(record("AAAAAA", epoch: 5))
        first.close()
        try mount.remount(readOnly: true)
        let archive = try open(mount.path)
        #expect(archive.codes() == [RunCode("AAAAAA")!], "saved runs are read from a read-only directory")
        #expect(try archive.load(RunCode("AAAAAA")!)?.trainer.epoch == 5)
        #expect(archive.problems.contains { $0.contains("does not take writes") && $0.contains("Read-only file system") },
                "\(archive.problems)")
        #expect(throws: StorageError.self) { try archive.save(record("BBBBBB", epoch: 7)) }
        #expect(try archive.load(RunCode("BBBBBB")!)?.trainer.epoch == 7, "kept in memory")
        try mount.remount(readOnly: false)
        archive.retryFailedSaves()
        #expect(archive.problems.isEmpty, "\(archive.problems)")
        #expect(try savedEpoch(mount.path + "/BBBBBB.ganrun") == 7)
        #expect(throws: StorageError.self) { try open(mount.path) }   // it holds the lock now
    }
}

/// A small tmpfs on a fresh temporary folder, unmounted and removed by `remove()`.
struct ScratchMount {
    let path: String

    /// True when this process may mount (root, with the capability): probed once with a tiny mount.
    static let isPermitted: Bool = {
        guard geteuid() == 0, let probe = try? ScratchMount(sizeKiB: 64) else { return false }
        probe.remove()
        return true
    }()

    init(sizeKiB: Int) throws {
        path = StorageFixtures.temporaryDirectory()
        try Self.mount(["-t", "tmpfs", "-o", "size=\(sizeKiB)k,mode=0755", "tmpfs", path])
    }

    func remount(readOnly: Bool) throws {
        try Self.mount(["-o", "remount,\(readOnly ? "ro" : "rw")", path])
    }

    func remove() {
        try? Self.run("/bin/umount", [path])
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func mount(_ arguments: [String]) throws { try run("/bin/mount", arguments) }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(tool) \(arguments) failed"])
        }
    }
}
