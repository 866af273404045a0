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

    /// A restored pretrained run scores what it scored when it was saved (its last history row), and that is near
    /// the floor: within the goal (2× for the reference's four presets, 3× for the others) where the lab defaults
    /// reach it, else within the worst of seeds 1-5 measured at 10,000 epochs (docs/engine.md, "Presets that
    /// converge"), with every mode covered (grid25: all but one).
    @Test(arguments: Preset.allCases)
    func loadsWithJSNearTheFloor(preset: Preset) throws {
        let record = try #require(try PretrainedRuns(directory: Self.directory).record(for: preset))
        let trainer = try Trainer(restoring: record.trainer, distribution: preset.makeDistribution())
        let metrics = ViewComputer(trainer: trainer).update(from: trainer).metrics
        let (js, floor) = (metrics.divergence.js, metrics.divergenceFloor.js)
        let saved = try #require(record.metrics.last)
        #expect(abs(js - Double(saved.js)) <= 0.05 * Double(saved.js), "\(preset): JS \(js) now, \(saved.js) when saved")
        #expect(js <= Self.allowedJS(floor: floor, preset: preset), "\(preset): JS \(js) bits, floor \(floor)")
        if let coverage = metrics.modeCoverage {
            #expect(coverage.missedModes <= (preset == .gridOfGaussians ? 1 : 0), "\(preset): \(coverage.missedModes) modes missed")
        }
    }

    /// "Near the floor": issue 9's goal (2× the floor for the reference's four presets, 3× for the others), or
    /// where the lab defaults do not reach it, the worst JS ÷ floor of seeds 1-5 at 10,000 epochs.
    static func allowedJS(floor: Double, preset: Preset) -> Double {
        let goal: Double = preset.isFromReference ? 2 : 3
        let worstMeasured: [Preset: Double] = [.disjoint: 4.84, .ringOfGaussians: 4.91, .gridOfGaussians: 4.41]
        return max(goal, worstMeasured[preset] ?? 0) * floor
    }

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
