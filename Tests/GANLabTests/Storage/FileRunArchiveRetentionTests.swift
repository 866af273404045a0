import Foundation
import Testing
import GANLab

/// `--max-saved-runs` / `--max-saved-bytes` (run-format.md §2, "Retention") over real files.
@Suite struct FileRunArchiveRetentionTests {
    private static let codes = ["AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD", "EEEEEE", "FFFFFF", "GGGGGG", "HHHHHH", "JJJJJJ", "KKKKKK"]

    private func record(_ code: String, updated: Double) -> RunRecord {
        var r = StorageFixtures.record(code: code, epoch: 1)
        r.updatedAt = Date(timeIntervalSince1970: updated)
        return r
    }

    /// The audit: 18 lines in 11 s with 6 runs, ~256 lines every 5 s on a full server, all saying the same.
    @Test func overTheLimit_withEveryRunInMemory_keepsThemAll_andWarnsOnce_notAtEverySave() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let log = CapturedLog()
        let archive = try FileRunArchive(directory: dir, options: .init(maxSavedRuns: 3, retryInterval: 0), logger: log.logger)
        archive.isInUse = { _ in true }
        for round in 0..<3 {
            for (i, code) in Self.codes.enumerated() { try archive.save(record(code, updated: 1_700_000_000 + Double(10 * round + i))) }
            archive.enforceLimits()
        }
        #expect(archive.codes().count == 10, "runs in memory are never deleted")
        let warnings = log.lines(.warning)
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.contains("allowed 3 runs") == true && warnings.first?.contains("every saved run is in memory") == true)
    }

    /// A run that leaves memory is removed by the periodic check (the retry thread's), not only when another run saves.
    @Test func aRunThatLeftMemory_isRemovedByThePeriodicCheck() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let archive = try FileRunArchive(directory: dir, options: .init(maxSavedRuns: 2, retryInterval: 0))
        let live = LiveSet(["AAAAAA", "BBBBBB", "CCCCCC"])
        archive.isInUse = { live.contains($0.text) }
        for (i, code) in ["AAAAAA", "BBBBBB", "CCCCCC"].enumerated() { try archive.save(record(code, updated: 1_700_000_000 + Double(i))) }
        #expect(archive.codes().count == 3)
        live.remove("AAAAAA")  // evicted after its idle lifetime (saved first)
        archive.enforceLimits()
        #expect(archive.codes().map(\.text) == ["BBBBBB", "CCCCCC"])
    }
}

/// Codes in memory, changed by the test while the archive reads them.
final class LiveSet: @unchecked Sendable {
    private let lock = NSLock()
    private var codes: Set<String>
    init(_ codes: Set<String>) { self.codes = codes }
    func contains(_ code: String) -> Bool { lock.withLock { codes.contains(code) } }
    func remove(_ code: String) { _ = lock.withLock { codes.remove(code) } }
}
