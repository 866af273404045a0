import ArgumentParser
import Foundation
import GANEngine
import GANLab

/// `train --save FILE` and `train --resume FILE`: the same `.ganrun` format as the lab's export and import
/// (docs/run-format.md), so a run trained headless opens in the lab and a lab run continues here, bit for bit.
extension TrainCommand {
    /// A run read by `--resume`.
    struct ResumedRun {
        /// The file's record.
        var record: RunRecord
        /// Its trainer, restored exactly.
        var trainer: Trainer
        /// Its preset (nil for a drawing).
        var preset: Preset? {
            if case .preset(let p) = record.data { return p }
            return nil
        }
    }

    /// The run in `--resume`, nil without it; refuses setting flags (the file's settings continue unchanged).
    func resumedRun() throws -> ResumedRun? {
        guard let resume else { return nil }
        let conflicting = (preset != nil ? ["--preset"] : []) + (defaults != nil ? ["--defaults"] : []) + (config != nil ? ["--config"] : [])
            + (settings.isEmpty ? [] : ["--set"]) + (hasNamedSettings ? ["setting flags"] : [])
        guard conflicting.isEmpty else {
            throw ValidationError("--resume continues the saved run with its own settings; drop \(conflicting.joined(separator: ", "))")
        }
        let record: RunRecord
        do {
            record = try RunRecordCodec.decode(try SystemFileSystem().readFile(resume))
        } catch {
            throw ValidationError("--resume \(resume): \(error)")
        }
        do {
            let trainer = try Trainer(restoring: record.trainer, distribution: record.data.makeDistribution())
            return ResumedRun(record: record, trainer: trainer)
        } catch {
            throw ValidationError("--resume \(resume): \(error)")
        }
    }

    /// The settings: the resumed file's, else the preset, file and flags combined.
    func runConfiguration(resumed: ResumedRun?) throws -> (GANConfiguration, Preset?, SettingsProfile) {
        if let resumed { return (resumed.record.trainer.configuration, resumed.preset, resumed.record.defaults) }
        let (configuration, preset, profile) = try makeConfiguration()
        return (configuration, preset, profile)
    }

    /// True when a short setting flag (`--seed`, `--d-lr`, ...) was given.
    private var hasNamedSettings: Bool {
        [seed, loss, batchSize, discriminatorSteps, generatorSteps, discriminatorRate, generatorRate, discriminatorOptimizer,
         generatorOptimizer, discriminatorLayers, generatorLayers, discriminatorNeurons, generatorNeurons, activation,
         noiseKind, noiseDimension].contains { $0 != nil } || labelSmoothing || batchNorm
    }

    /// Writes the trained run to `path` atomically (exit code 1 when it cannot be written).
    func saveRun(_ trainer: Trainer, failure: TrainingError?, resumed: ResumedRun?, preset: Preset?, profile: SettingsProfile,
                 history: [MetricsRow], to path: String) throws {
        let state = trainer.capturedState()
        let record: RunRecord
        if var previous = resumed?.record {
            previous.trainer = state
            previous.metrics = history
            previous.updatedAt = Self.now()
            previous.playState = failure == nil ? .paused : .failed
            previous.error = failure.map { "\($0)" }
            record = previous
        } else {
            // No token: importing gives a new code and token. The code is derived from the content, and the time is
            // SOURCE_DATE_EPOCH when set, so `scripts/pretrain.sh` writes the same bytes on every machine.
            let date = Self.now()
            record = RunRecord(code: Self.derivedCode(state), tokenHash: [UInt8](repeating: 0, count: 32),
                               data: .preset(preset ?? .gaussians), defaults: profile, trainer: state,
                               playState: failure == nil ? .paused : .failed, error: failure.map { "\($0)" }, epochsPerSecond: 100,
                               isSlowMotion: false, generation: 0, metrics: history, createdAt: date, updatedAt: date, forkedFrom: nil,
                               edits: RunEditLog(base: state.configuration))
        }
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        do {
            try AtomicFileWriter(fileSystem: SystemFileSystem()).write(
                RunRecordCodec.encode(record), to: path, temporaryPath: (directory.isEmpty ? "." : directory) + "/." + name + ".tmp",
                directory: directory.isEmpty ? "." : directory)
        } catch {
            Self.fail("error: --save: \(error)", code: 1)
        }
    }

    /// One history row from the view metrics (docs/protocol.md §2.2 columns).
    static func historyRow(_ m: ViewMetrics, epoch: Int) -> MetricsRow {
        MetricsRow(epoch: epoch, discriminatorLoss: m.discriminatorLoss, generatorLoss: m.generatorLoss,
                   generatorGradientNorm: m.generatorGradientNorm, klRealFake: Float(m.divergence.klRealFake),
                   klFakeReal: Float(m.divergence.klFakeReal), js: Float(m.divergence.js), jsFloor: Float(m.divergenceFloor.js),
                   modesMissed: m.modeCoverage.map { Float($0.missedModes) } ?? .nan,
                   klRealFakeFloor: Float(m.divergenceFloor.klRealFake), klFakeRealFloor: Float(m.divergenceFloor.klFakeReal))
    }

    /// A code from the trained state's bytes (stable for the same run), in the code alphabet.
    static func derivedCode(_ state: TrainerState) -> RunCode {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a over the weights' bits
        for tensor in state.tensors {
            for value in tensor.values { hash = (hash ^ UInt64(value.bitPattern)) &* 0x100_0000_01B3 }
        }
        let alphabet = RunCode.alphabet
        let text = String((0..<RunCode.length).map { i in alphabet[Int((hash >> (UInt64(i) * 8)) % UInt64(alphabet.count))] })
        return RunCode(text)!
    }

    /// Now, or SOURCE_DATE_EPOCH (reproducible outputs, https://reproducible-builds.org/specs/source-date-epoch/).
    static func now() -> Date {
        if let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Double(text) {
            return Date(timeIntervalSince1970: seconds)
        }
        return Date()
    }
}
