import ArgumentParser
import GANEngine
import GANLab
#if canImport(Glibc)
import Glibc
#endif

/// `ganlab train`: trains one GAN from the command line and reports how close it got.
///
/// Settings are layered: the preset's hyperparameters, then the `--config` file, then flags.
/// Every value is range-checked (exit code 2 naming the field); a diverging run stops with
/// exit code 3 and the epoch.
struct TrainCommand: ParsableCommand {
    /// Name, abstract and exit codes for `--help`.
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a GAN on a preset and report divergence metrics.",
        discussion: "Exit codes: 0 done; 2 bad flag, value or configuration file; 3 training diverged (NaN)."
    )

    @Option(help: "Data preset: \(Preset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: String?
    @Option(help: "Epochs to train (0...100000000).")
    var epochs: Int = 5_000
    @Option(help: "Seed of the run's random stream (0...\(GANConfiguration.maximumSeed)).")
    var seed: UInt64?
    @Option(help: "Loss: \(GANLoss.allCases.map(\.rawValue).joined(separator: ", ")).")
    var loss: String?
    @Option(help: "JSON run configuration file (keys as GANConfiguration; unknown keys are errors).")
    var config: String?
    @Option(help: "Write metrics every --every epochs to this CSV file.")
    var csv: String?
    @Option(help: "Epochs between CSV rows (1...1000000).")
    var every: Int = 100
    @Flag(help: "Print one final JSON object instead of text.")
    var json = false
    @Flag(name: .customLong("dump-config"), help: "Print the effective configuration as a --config file and exit.")
    var dumpConfig = false

    @Option(name: .customLong("batch-size"), help: "Points per batch (1...4096).") var batchSize: Int?
    @Option(name: .customLong("d-steps"), help: "Discriminator updates per epoch (0...10).") var discriminatorSteps: Int?
    @Option(name: .customLong("g-steps"), help: "Generator updates per epoch (0...10).") var generatorSteps: Int?
    @Option(name: .customLong("d-lr"), help: "Discriminator learning rate (1e-6...10).") var discriminatorRate: Float?
    @Option(name: .customLong("g-lr"), help: "Generator learning rate (1e-6...10).") var generatorRate: Float?
    @Option(name: .customLong("d-optimizer"), help: "sgd, momentum, adam or rmsprop.") var discriminatorOptimizer: String?
    @Option(name: .customLong("g-optimizer"), help: "sgd, momentum, adam or rmsprop.") var generatorOptimizer: String?
    @Option(name: .customLong("d-layers"), help: "Discriminator hidden layers (0...6).") var discriminatorLayers: Int?
    @Option(name: .customLong("g-layers"), help: "Generator hidden layers (0...6).") var generatorLayers: Int?
    @Option(name: .customLong("d-neurons"), help: "Discriminator neurons per layer (1...256).") var discriminatorNeurons: Int?
    @Option(name: .customLong("g-neurons"), help: "Generator neurons per layer (1...256).") var generatorNeurons: Int?
    @Option(help: "Hidden activation of both networks: relu, leaky-relu, tanh.") var activation: String?
    @Option(name: .customLong("noise"), help: "Noise kind: uniform or gaussian.") var noiseKind: String?
    @Option(name: .customLong("noise-dim"), help: "Noise dimensions (1...8).") var noiseDimension: Int?
    @Flag(name: .customLong("label-smoothing"), help: "One-sided label smoothing of the real target (0.9).") var labelSmoothing = false
    @Flag(name: .customLong("batch-norm"), help: "Batch norm in the generator's hidden layers.") var batchNorm = false

    /// Flag names for configuration fields, so a range error names what the person typed.
    static let flagNames: [String: String] = [
        "batchSize": "--batch-size", "discriminatorSteps": "--d-steps", "generatorSteps": "--g-steps",
        "discriminator.learningRate": "--d-lr", "generator.learningRate": "--g-lr",
        "discriminator.hiddenLayers": "--d-layers", "generator.hiddenLayers": "--g-layers",
        "discriminator.neurons": "--d-neurons", "generator.neurons": "--g-neurons", "noise.dimension": "--noise-dim",
    ]

    /// Range checks of the flags that are not configuration fields.
    func validate() throws {
        guard (0...100_000_000).contains(epochs) else { throw ValidationError("--epochs = \(epochs) is out of range; allowed: 0...100000000") }
        guard (1...1_000_000).contains(every) else { throw ValidationError("--every = \(every) is out of range; allowed: 1...1000000") }
    }

    /// The preset, file and flags combined and validated.
    func makeConfiguration() throws -> (GANConfiguration, Preset) {
        var file: RunConfigurationFile?
        if let config {
            do { file = try RunConfigurationFile(contentsOf: config) } catch { throw ValidationError("--config \(config): \(error)") }
        }
        let chosen: Preset
        if let preset {
            guard let p = Preset(rawValue: preset) else {
                throw ValidationError("--preset = \(preset) is not a preset; allowed: \(Preset.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            chosen = p
        } else {
            chosen = file?.preset ?? .gaussians
        }
        var c = GANConfiguration(preset: chosen)
        if let file {
            do { try file.apply(to: &c) } catch { throw ValidationError("--config \(config!): \(error)") }
        }
        if let seed { c.seed = seed }
        if let loss { c.loss = try Self.choice(GANLoss.self, loss, flag: "--loss") }
        if let batchSize { c.batchSize = batchSize }
        if let discriminatorSteps { c.discriminatorSteps = discriminatorSteps }
        if let generatorSteps { c.generatorSteps = generatorSteps }
        if let discriminatorRate { c.discriminator.optimizer.learningRate = discriminatorRate }
        if let generatorRate { c.generator.optimizer.learningRate = generatorRate }
        if let discriminatorOptimizer { c.discriminator.optimizer.kind = try Self.choice(OptimizerConfiguration.Kind.self, discriminatorOptimizer, flag: "--d-optimizer") }
        if let generatorOptimizer { c.generator.optimizer.kind = try Self.choice(OptimizerConfiguration.Kind.self, generatorOptimizer, flag: "--g-optimizer") }
        if let discriminatorLayers { c.discriminator.hiddenLayers = discriminatorLayers }
        if let generatorLayers { c.generator.hiddenLayers = generatorLayers }
        if let discriminatorNeurons { c.discriminator.neurons = discriminatorNeurons }
        if let generatorNeurons { c.generator.neurons = generatorNeurons }
        if let activation {
            let a: Activation
            switch activation {
            case "relu": a = .relu
            case "leaky-relu": a = .leakyReLU(slope: Activation.defaultLeakySlope)
            case "tanh": a = .tanh
            default: throw ValidationError("--activation = \(activation) is not allowed; allowed: relu, leaky-relu, tanh")
            }
            c.generator.activation = a
            c.discriminator.activation = a
        }
        if let noiseKind { c.noiseKind = try Self.choice(NoiseDistribution.Kind.self, noiseKind, flag: "--noise") }
        if let noiseDimension { c.noiseDimension = noiseDimension }
        if labelSmoothing { c.labelSmoothing = true }
        if batchNorm { c.generator.batchNorm = true }
        do {
            try c.validate()
        } catch {
            let flag = Self.flagNames[error.field].map { "\(error.field) (\($0))" } ?? error.field
            throw ValidationError("\(flag) = \(error.value) is out of range; allowed: \(error.allowed)")
        }
        return (c, chosen)
    }

    /// The case of `T` named `value`, or a validation error listing the names.
    static func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ value: String, flag: String) throws -> T where T.RawValue == String {
        guard let result = T(rawValue: value) else {
            throw ValidationError("\(flag) = \(value) is not allowed; allowed: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return result
    }

    /// Builds the configuration, trains, and prints the result.
    func run() throws {
        setenv("OPENBLAS_NUM_THREADS", "1", 1)
        let (configuration, chosen) = try makeConfiguration()
        if dumpConfig {
            print(RunConfigurationFile.text(for: configuration, preset: chosen))
            return
        }
        var csvFile: UnsafeMutablePointer<FILE>?
        if let csv {
            guard let f = fopen(csv, "w") else { throw ValidationError("--csv \(csv): cannot open for writing (\(String(cString: strerror(errno))))") }
            csvFile = f
            fputs("epoch,d_loss,g_loss,kl_real_fake,kl_fake_real,js,js_floor,g_grad_norm,fraction_outside\n", f)
        }
        defer { if let csvFile { fclose(csvFile) } }

        let trainer = try Trainer(configuration: configuration, distribution: chosen.makeDistribution())
        let views = ViewComputer(trainer: trainer)
        let showsProgress = !json && isatty(STDOUT_FILENO) != 0
        let start = Benchmark.now()
        var trainingSeconds = 0.0
        if let error = trainLoop(trainer, views: views, csvFile: csvFile, showsProgress: showsProgress, trainingSeconds: &trainingSeconds) {
            if showsProgress { print("") }
            var standardError = StandardError()
            print("error: \(error)", to: &standardError)
            throw ExitCode(3)
        }
        if showsProgress { print("") }
        let m = views.update(from: trainer).metrics
        let seconds = Benchmark.now() - start
        let rate = trainingSeconds > 0 ? Double(epochs) / trainingSeconds : 0
        if json {
            print("{\"epochs\":\(trainer.epoch),\"js\":\(Self.number(m.divergence.js)),\"kl\":\(Self.number(m.divergence.klRealFake)),"
                  + "\"d_loss\":\(Self.number(Double(m.discriminatorLoss))),\"g_loss\":\(Self.number(Double(m.generatorLoss))),"
                  + "\"seconds\":\(Self.number(seconds)),\"epochs_per_s\":\(Self.number(rate))}")
        } else {
            print("preset \(chosen.rawValue), \(trainer.epoch) epochs in \(String(format3: seconds)) s (\(Int(rate)) epochs/s)")
            print("JS \(String(format3: m.divergence.js)) bits (floor \(String(format3: m.divergenceFloor.js))), "
                  + "KL(real‖fake) \(String(format3: m.divergence.klRealFake)), KL(fake‖real) \(String(format3: m.divergence.klFakeReal))")
            print("D loss \(String(format3: Double(m.discriminatorLoss))), G loss \(String(format3: Double(m.generatorLoss)))")
            if let coverage = m.modeCoverage {
                print("modes missed \(coverage.missedModes) of \(coverage.fractions.count), off-mode fraction \(String(format3: coverage.fractionOffModes))")
            }
        }
    }

    /// Trains `epochs` epochs, writing CSV rows and the progress bar; returns the divergence, if any.
    private func trainLoop(_ trainer: Trainer, views: ViewComputer, csvFile: UnsafeMutablePointer<FILE>?,
                           showsProgress: Bool, trainingSeconds: inout Double) -> TrainingError? {
        var done = 0
        var lastDraw = 0.0
        if let csvFile { writeRow(views.update(from: trainer).metrics, epoch: 0, to: csvFile) }
        while done < epochs {
            let chunk = min(csvFile == nil ? 1_000 : every - done % every, epochs - done)
            let t0 = Benchmark.now()
            do {
                try trainer.train(epochs: chunk)
            } catch {
                return error
            }
            trainingSeconds += Benchmark.now() - t0
            done += chunk
            if let csvFile, done % every == 0 || done == epochs {
                writeRow(views.update(from: trainer).metrics, epoch: done, to: csvFile)
            }
            if showsProgress, Benchmark.now() - lastDraw > 0.1 || done == epochs {
                lastDraw = Benchmark.now()
                Self.drawProgress(done: done, total: epochs)
            }
        }
        return nil
    }

    /// One CSV row of metrics.
    private func writeRow(_ m: ViewMetrics, epoch: Int, to file: UnsafeMutablePointer<FILE>) {
        fputs("\(epoch),\(m.discriminatorLoss),\(m.generatorLoss),\(m.divergence.klRealFake),\(m.divergence.klFakeReal),"
              + "\(m.divergence.js),\(m.divergenceFloor.js),\(m.generatorGradientNorm),\(m.fractionOutside)\n", file)
    }

    /// A JSON number (non-finite values become null, which JSON can carry).
    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
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

extension String {
    /// `value` with three decimals.
    init(format3 value: Double) {
        guard value.isFinite else { self = "\(value)"; return }
        let scaled = (value * 1000).rounded() / 1000
        self = "\(scaled)"
    }
}
