import ArgumentParser
import GANEngine
import GANLab
#if canImport(Glibc)
import Glibc
#endif

/// `ganlab train`: trains one GAN from the command line and reports how close it got.
///
/// Settings are layered: the preset's defaults (lab or reference), then the `--config` file, then flags.
/// Every setting comes from the settings table (`TrainSettingFlags`). Exit codes: 0 done; 1 an output
/// could not be written; 2 a bad flag, value or file (the message names it and the allowed range);
/// 3 training diverged (the JSON result still prints, with `error` and `epoch`).
struct TrainCommand: ParsableCommand {
    /// Allowed `--epochs`.
    static let epochRange = 0...100_000_000
    /// Allowed `--every`.
    static let everyRange = 1...1_000_000

    /// Name, abstract, exit codes and the settings list for `--help`.
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a GAN on a preset and report divergence metrics.",
        discussion: "Exit codes: 0 done; 1 an output file could not be written; 2 bad flag, value or configuration file; "
            + "3 training diverged (NaN).\n\n" + TrainSettingFlags.settingsHelp
    )

    @Option(help: "Data preset: \(Preset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: String?
    @Option(help: "Per-preset settings to start from: lab (measured, converging; the default) or reference (GAN Lab's exact settings).")
    var defaults: String?
    @Option(parsing: .unconditional, help: "Epochs to train (\(epochRange.lowerBound)...\(epochRange.upperBound)).")
    var epochs: Int = 5_000
    @Option(help: "JSON run configuration file (the settings' keys as nested objects; unknown or repeated keys are errors).")
    var config: String?
    @Option(help: "Write metrics every --every epochs to this CSV file.")
    var csv: String?
    @Option(parsing: .unconditional, help: "Epochs between CSV rows (\(everyRange.lowerBound)...\(everyRange.upperBound)).")
    var every: Int = 100
    @Flag(help: "Print one final JSON object instead of text.")
    var json = false
    @Flag(name: .customLong("dump-config"), help: "Print the effective configuration as a --config file and exit.")
    var dumpConfig = false
    @Option(help: "Save the whole run (docs/run-format.md) to this .ganrun file at the end: the lab imports it.")
    var save: String?
    @Option(help: "Continue the run saved in this .ganrun file (from --save or the lab's export) for --epochs more.")
    var resume: String?
    @Option(name: .customLong("set"), help: ArgumentHelp("Any setting as KEY=VALUE (repeatable); the keys are listed below.", valueName: "key=value"))
    var settings: [String] = []

    @Option(name: .customLong("seed"), parsing: .unconditional, help: TrainSettingFlags.help("--seed")) var seed: String?
    @Option(name: .customLong("loss"), parsing: .unconditional, help: TrainSettingFlags.help("--loss")) var loss: String?
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: TrainSettingFlags.help("--batch-size")) var batchSize: String?
    @Option(name: .customLong("d-steps"), parsing: .unconditional, help: TrainSettingFlags.help("--d-steps")) var discriminatorSteps: String?
    @Option(name: .customLong("g-steps"), parsing: .unconditional, help: TrainSettingFlags.help("--g-steps")) var generatorSteps: String?
    @Option(name: .customLong("d-lr"), parsing: .unconditional, help: TrainSettingFlags.help("--d-lr")) var discriminatorRate: String?
    @Option(name: .customLong("g-lr"), parsing: .unconditional, help: TrainSettingFlags.help("--g-lr")) var generatorRate: String?
    @Option(name: .customLong("d-optimizer"), parsing: .unconditional, help: TrainSettingFlags.help("--d-optimizer")) var discriminatorOptimizer: String?
    @Option(name: .customLong("g-optimizer"), parsing: .unconditional, help: TrainSettingFlags.help("--g-optimizer")) var generatorOptimizer: String?
    @Option(name: .customLong("d-layers"), parsing: .unconditional, help: TrainSettingFlags.help("--d-layers")) var discriminatorLayers: String?
    @Option(name: .customLong("g-layers"), parsing: .unconditional, help: TrainSettingFlags.help("--g-layers")) var generatorLayers: String?
    @Option(name: .customLong("d-neurons"), parsing: .unconditional, help: TrainSettingFlags.help("--d-neurons")) var discriminatorNeurons: String?
    @Option(name: .customLong("g-neurons"), parsing: .unconditional, help: TrainSettingFlags.help("--g-neurons")) var generatorNeurons: String?
    @Option(name: .customLong("activation"), parsing: .unconditional, help: TrainSettingFlags.help("--activation")) var activation: String?
    @Option(name: .customLong("noise"), parsing: .unconditional, help: TrainSettingFlags.help("--noise")) var noiseKind: String?
    @Option(name: .customLong("noise-dim"), parsing: .unconditional, help: TrainSettingFlags.help("--noise-dim")) var noiseDimension: String?
    @Flag(name: .customLong("label-smoothing"), help: TrainSettingFlags.help("--label-smoothing")) var labelSmoothing = false
    @Flag(name: .customLong("batch-norm"), help: TrainSettingFlags.help("--batch-norm")) var batchNorm = false

    /// Range checks of the flags that are not settings.
    func validate() throws {
        guard Self.epochRange.contains(epochs) else {
            throw ValidationError("--epochs \(epochs) is out of range: allowed \(Self.epochRange.lowerBound)...\(Self.epochRange.upperBound)")
        }
        guard Self.everyRange.contains(every) else {
            throw ValidationError("--every \(every) is out of range: allowed \(Self.everyRange.lowerBound)...\(Self.everyRange.upperBound)")
        }
    }

    /// The short setting flags given, as (flag, text).
    private var namedSettings: [(flag: String, text: String)] {
        let given: [(String, String?)] = [
            ("--seed", seed), ("--loss", loss), ("--batch-size", batchSize), ("--d-steps", discriminatorSteps),
            ("--g-steps", generatorSteps), ("--d-lr", discriminatorRate), ("--g-lr", generatorRate),
            ("--d-optimizer", discriminatorOptimizer), ("--g-optimizer", generatorOptimizer),
            ("--d-layers", discriminatorLayers), ("--g-layers", generatorLayers), ("--d-neurons", discriminatorNeurons),
            ("--g-neurons", generatorNeurons), ("--activation", activation), ("--noise", noiseKind), ("--noise-dim", noiseDimension),
            ("--label-smoothing", labelSmoothing ? "true" : nil), ("--batch-norm", batchNorm ? "true" : nil),
        ]
        return given.compactMap { flag, text in text.map { (flag, $0) } }
    }

    /// The preset, profile, file and flags combined and validated.
    func makeConfiguration() throws -> (GANConfiguration, Preset, SettingsProfile) {
        var file: RunConfigurationFile?
        if let config {
            do { file = try RunConfigurationFile(contentsOf: config) } catch { throw ValidationError("--config: \(error)") }
        }
        let chosen: Preset
        if let preset {
            guard let p = Preset(rawValue: preset) else {
                throw ValidationError("--preset \"\(preset)\" is not a preset: allowed \(Preset.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            chosen = p
        } else {
            chosen = file?.preset ?? .gaussians
        }
        let profile: SettingsProfile
        if let defaults {
            guard let p = SettingsProfile(rawValue: defaults) else {
                throw ValidationError("--defaults \"\(defaults)\" is not allowed: allowed \(SettingsProfile.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            profile = p
        } else {
            profile = file?.profile ?? .lab
        }
        var c = GANConfiguration(preset: chosen, profile: profile)
        if let file {
            do { try file.apply(to: &c) } catch { throw ValidationError("--config: \(error)") }
        }
        let changes = try TrainSettingFlags.changes(named: namedSettings, pairs: settings)
        do {
            try c.apply(changes.mapValues(\.value))
        } catch {
            throw ValidationError(TrainSettingFlags.message(error, flag: changes[error.key]?.flag ?? "flags"))
        }
        return (c, chosen, profile)
    }

    /// Builds the configuration, trains, and prints the result.
    func run() throws {
        let resumed = try resumedRun()
        let (configuration, chosen, profile) = try runConfiguration(resumed: resumed)
        if dumpConfig {
            print(RunConfigurationFile.text(for: configuration, preset: chosen ?? .gaussians, profile: profile))
            try Self.flushStandardOutput()
            return
        }
        var csvFile: OutputFile?
        if let csv {
            do {
                csvFile = try OutputFile(path: csv)
                try csvFile?.write(TrainReport.csvHeader)
            } catch {
                throw ValidationError("--csv: \(error)")
            }
        }
        let trainer = try resumed?.trainer ?? Trainer(configuration: configuration, distribution: (chosen ?? .gaussians).makeDistribution())
        var history = resumed?.record.metrics ?? []
        let views = ViewComputer(trainer: trainer)
        let showsProgress = !json && isatty(STDOUT_FILENO) != 0
        let start = Benchmark.now()
        var trainingSeconds = 0.0
        let failure: TrainingError?
        do {
            failure = try trainLoop(trainer, views: views, csvFile: csvFile, history: &history, showsProgress: showsProgress,
                                    trainingSeconds: &trainingSeconds)
            try csvFile?.close()
        } catch let error as OutputFileError {
            Self.fail("error: --csv: \(error)", code: 1)
        }
        if showsProgress { print("") }
        let report = TrainReport(preset: chosen, profile: profile, seed: configuration.seed, epochs: trainer.epoch,
                                 metrics: views.update(from: trainer).metrics, seconds: Benchmark.now() - start,
                                 epochsPerSecond: trainingSeconds > 0 ? Double(trainer.epoch) / trainingSeconds : 0, error: failure)
        if let save { try saveRun(trainer, failure: failure, resumed: resumed, preset: chosen, profile: profile, history: history, to: save) }
        print(json ? report.json : report.text)
        try Self.flushStandardOutput()
        if let failure { Self.fail("error: \(failure)", code: 3) }
    }

    /// Trains `epochs` epochs, writing CSV rows and the progress bar; returns the divergence, if any.
    private func trainLoop(_ trainer: Trainer, views: ViewComputer, csvFile: OutputFile?, history: inout [MetricsRow],
                           showsProgress: Bool, trainingSeconds: inout Double) throws -> TrainingError? {
        var done = 0
        var lastDraw = 0.0
        let recordsRows = csvFile != nil || save != nil
        func row() throws {
            let metrics = views.update(from: trainer).metrics
            try csvFile?.write(TrainReport.csvRow(metrics, epoch: trainer.epoch))
            if save != nil { history.append(Self.historyRow(metrics, epoch: trainer.epoch)) }
        }
        if resume == nil { try row() }
        while done < epochs {
            let chunk = min(!recordsRows ? 1_000 : every - done % every, epochs - done)
            let t0 = Benchmark.now()
            do {
                try trainer.train(epochs: chunk)
            } catch {
                trainingSeconds += Benchmark.now() - t0
                try row()
                return error
            }
            trainingSeconds += Benchmark.now() - t0
            done += chunk
            if recordsRows, done % every == 0 || done == epochs { try row() }
            if showsProgress, Benchmark.now() - lastDraw > 0.1 || done == epochs {
                lastDraw = Benchmark.now()
                Self.drawProgress(done: done, total: epochs)
            }
        }
        return nil
    }

    /// Standard output must reach its file too (`--json > /dev/full` fails the command).
    static func flushStandardOutput() throws {
        if fflush(stdout) != 0 || ferror(stdout) != 0 {
            fail("error: cannot write standard output: \(String(cString: strerror(errno)))", code: 1)
        }
    }

    /// Prints `message` to standard error and exits with `code`.
    static func fail(_ message: String, code: Int32) -> Never {
        var standardError = StandardError()
        print(message, to: &standardError)
        Glibc.exit(code)
    }

    /// Redraws the one-line progress bar.
    static func drawProgress(done: Int, total: Int) {
        let width = 40
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let percent = total > 0 ? 100 * done / total : 100
        print("\r[\(bar)] \(percent)% epoch \(done)/\(total)", terminator: "")
        fflush(stdout)
    }
}
