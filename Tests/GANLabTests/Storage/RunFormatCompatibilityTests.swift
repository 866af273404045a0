import Foundation
import Testing
import GANEngine
import GANLab

/// Files of every earlier version of the format keep loading (docs/run-format.md §1.6): real files in Tests/Fixtures,
/// never regenerated, restored and trained on; and what a later addition may leave out, left out.
@Suite struct RunFormatCompatibilityTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/Fixtures"

    private func fixture(_ name: String) throws -> [UInt8] {
        try SystemFileSystem().readFile(Self.fixtures + "/" + name)
    }

    /// Each fixture: its header's version, what it holds, a trainer that restores and trains on, and an import.
    @Test(arguments: [("run-format-1.0.ganrun", UInt16(0), Preset.gaussians, SettingsProfile.lab, 5_000),
                      ("run-format-1.1.ganrun", UInt16(1), Preset.ring, SettingsProfile.reference, 200),
                      ("run-format-1.2.ganrun", UInt16(2), Preset.ring, SettingsProfile.reference, 200)])
    func aFixture_loadsRestoresAndTrainsOn(name: String, minor: UInt16, preset: Preset, defaults: SettingsProfile, epoch: Int) throws {
        let bytes = try fixture(name)
        #expect(Array(bytes[8..<12]) == [1, 0, UInt8(minor), 0], "major 1, minor \(minor)")
        let record = try RunRecordCodec.decode(bytes)
        #expect(record.data == .preset(preset))
        #expect(record.defaults == defaults)
        #expect(record.trainer.epoch == epoch)
        try record.checkRestorable()
        let trainer = try Trainer(restoring: record.trainer, distribution: preset.makeDistribution())
        try trainer.train(epochs: 20)
        #expect(trainer.epoch == epoch + 20)
        #expect(try RunFileResponses.importedRecord(from: bytes) == record)
        // Written again today it reads back the same (the current minor, with today's scalars).
        let again = try RunRecordCodec.decode(RunRecordCodec.encode(record))
        #expect(again == record)
    }

    /// 1.1 history rows hold 8 values: the KL floors read as NaN ("not measured"); 1.2 rows carry them.
    @Test func historyRowsBefore1_2_readWithoutKLFloors_and1_2RowsHaveThem() throws {
        let older = try RunRecordCodec.decode(try fixture("run-format-1.1.ganrun"))
        let newer = try RunRecordCodec.decode(try fixture("run-format-1.2.ganrun"))
        #expect(!older.metrics.isEmpty && !newer.metrics.isEmpty)
        #expect(older.metrics.allSatisfy { $0.klRealFakeFloor.isNaN && $0.klFakeRealFloor.isNaN && $0.jsFloor.isFinite })
        #expect(newer.metrics.allSatisfy { $0.klRealFakeFloor.isFinite && $0.klFakeRealFloor.isFinite })
    }

    /// 1.0 files have no `lastDiscriminatorPenalty`: it restores as "not measured yet" and training is unaffected.
    @Test func aStateWithoutTheScalarsAddedLater_restoresWithTheirDefaults_andContinuesTheSame() throws {
        let record = try RunRecordCodec.decode(try fixture("run-format-1.1.ganrun"))
        #expect(record.trainer.scalars["lastDiscriminatorPenalty"] != nil)
        var older = record.trainer
        older.scalars["lastDiscriminatorPenalty"] = nil
        let distribution = Preset.ring.makeDistribution()
        let withScalar = try Trainer(restoring: record.trainer, distribution: distribution)
        let without = try Trainer(restoring: older, distribution: distribution)
        #expect(without.lastDiscriminatorPenalty.isNaN)
        try withScalar.train(epochs: 15)
        try without.train(epochs: 15)
        #expect(without.capturedState() == withScalar.capturedState())

        // A scalar every version has written is not optional: its absence is damage.
        var damaged = record.trainer
        damaged.scalars["lastDiscriminatorLoss"] = nil
        #expect(throws: TrainerStateError.missingScalar("lastDiscriminatorLoss")) { try Trainer(restoring: damaged, distribution: distribution) }
    }
}
