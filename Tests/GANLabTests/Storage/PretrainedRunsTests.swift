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
    func loadsAtItsEpoch(preset: Preset) throws {
        let record = try #require(try PretrainedRuns(directory: Self.directory).record(for: preset))
        #expect(record.data == .preset(preset))
        #expect(record.defaults == .lab)
        #expect(record.trainer.epoch >= 1_000)
        #expect(record.metrics.last?.epoch == record.trainer.epoch)
        let trainer = try Trainer(restoring: record.trainer, distribution: preset.makeDistribution())
        #expect(trainer.epoch == record.trainer.epoch)
        let size = try FileManager.default.attributesOfItem(atPath: Self.directory + "/" + PretrainedRuns.fileName(preset))[.size] as! Int
        #expect(size < 256 * 1024)
    }

    /// Waits for issue 9's converging lab defaults: with today's defaults no preset gets within 2-3x its floor
    /// (issue 9 measures 6-34x at 20k epochs). Enable it when `scripts/pretrain.sh` is rerun on them.
    @Test(.disabled("needs issue 9's converging lab defaults; then rerun scripts/pretrain.sh"), arguments: Preset.allCases)
    func loadsWithJSNearTheFloor(preset: Preset) throws {
        let record = try #require(try PretrainedRuns(directory: Self.directory).record(for: preset))
        let trainer = try Trainer(restoring: record.trainer, distribution: preset.makeDistribution())
        let metrics = ViewComputer(trainer: trainer).update(from: trainer).metrics
        let (js, floor) = (metrics.divergence.js, metrics.divergenceFloor.js)
        #expect(js <= Self.allowedJS(floor: floor, preset: preset), "\(preset): JS \(js) bits, floor \(floor)")
    }

    /// "Near the floor": issue 9's goal, 2x the floor for the reference's four presets and 3x for the others.
    static func allowedJS(floor: Double, preset: Preset) -> Double { (preset.isFromReference ? 2 : 3) * floor }

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
