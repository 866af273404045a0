import Foundation
import Testing
import GANEngine
import GANLab

/// The committed pretrained runs (Pretrained/, made by scripts/pretrain.sh): one per preset, loading at its
/// trained epoch with a generator whose JS divergence is near what a perfect one scores with the same estimator.
@Suite struct PretrainedRunsTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path + "/Pretrained"

    @Test func everyPreset_hasOne() {
        #expect(PretrainedRuns(directory: Self.directory).available == Preset.allCases)
        #expect(PretrainedRuns(directory: nil).available.isEmpty)
    }

    @Test(arguments: Preset.allCases)
    func loadsAtItsEpoch_withJSNearTheFloor(preset: Preset) throws {
        let record = try #require(try PretrainedRuns(directory: Self.directory).record(for: preset))
        #expect(record.data == .preset(preset))
        #expect(record.defaults == .lab)
        #expect(record.trainer.epoch >= 1_000)
        #expect(record.metrics.last?.epoch == record.trainer.epoch)
        let trainer = try Trainer(restoring: record.trainer, distribution: preset.makeDistribution())
        #expect(trainer.epoch == record.trainer.epoch)
        let metrics = ViewComputer(trainer: trainer).update(from: trainer).metrics
        let (js, floor) = (metrics.divergence.js, metrics.divergenceFloor.js)
        #expect(js <= PretrainedRunsTests.allowedJS(floor: floor, preset: preset), "\(preset): JS \(js) bits, floor \(floor)")
        let size = try FileManager.default.attributesOfItem(atPath: Self.directory + "/" + PretrainedRuns.fileName(preset))[.size] as! Int
        #expect(size < 64 * 1024)
    }

    /// "Near the floor": within a few times the estimator's own floor (measured figures in docs/run-format.md §5).
    static func allowedJS(floor: Double, preset: Preset) -> Double { max(4 * floor, floor + 0.03) }

    @Test func theFolder_isFoundBesidePublic() {
        let root = (Self.directory as NSString).deletingLastPathComponent
        #expect(PretrainedRuns.locate(explicit: nil, publicDirectory: root + "/Public") == Self.directory)
        #expect(PretrainedRuns.locate(explicit: "/nonexistent", publicDirectory: root + "/Public") == nil)
    }

    @Test func aDamagedFile_isReportedByName() throws {
        let dir = StorageFixtures.temporaryDirectory()
        FileManager.default.createFile(atPath: dir + "/ring.ganrun", contents: Data([1, 2, 3]))
        let error = try #require(throws: StorageError.self) { try PretrainedRuns(directory: dir).record(for: .ring) }
        #expect(error.description.contains("ring.ganrun") && error.description.contains("not a ganlab run file"))
    }
}
