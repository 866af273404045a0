import Testing
@testable import GANEngine

/// The fused path against the general one: with `drawsInLanes` off both draw the same batches from the
/// same seed, so one update must give the same gradients, losses and weights up to float rounding; and
/// it is chosen automatically exactly where it applies. Finite differences check its losses' gradients.
@Suite struct FusedTrainingPathTests {
    /// Configurations the fused path takes: the default, odd batches, every activation, 0–3 hidden
    /// layers, other noise, a linear output, label smoothing, Adam.
    static let variants: [(String, (inout GANConfiguration) -> Void)] = [
        ("default", { _ in }),
        ("batch 1", { $0.batchSize = 1 }),
        ("batch 7", { $0.batchSize = 7 }),
        ("batch 9, k_D 1", { $0.batchSize = 9; $0.discriminatorSteps = 1 }),
        ("leaky, 3×5", { $0.generator.activation = .leakyReLU(slope: 0.3); $0.discriminator.hiddenLayers = 3; $0.discriminator.neurons = 5 }),
        ("tanh, 0 hidden in G", { $0.discriminator.activation = .tanh; $0.generator.hiddenLayers = 0 }),
        ("3-D Gaussian noise, linear output", { $0.noiseKind = .gaussian; $0.noiseDimension = 3; $0.generatorOutput = .linear }),
        ("label smoothing, widest", { $0.labelSmoothing = true; $0.generator.neurons = 32; $0.discriminator.neurons = 32 }),
        ("adam", { $0.generator.optimizer = OptimizerConfiguration(kind: .adam, learningRate: 1e-3) }),
    ]

    func pair(_ loss: GANLoss, _ edit: (inout GANConfiguration) -> Void) throws -> (fused: Trainer, general: Trainer) {
        var c = GANConfiguration(preset: .gaussians, seed: 9)
        c.loss = loss
        edit(&c)
        let fused = try Trainer(configuration: c, distribution: Preset.gaussians.makeDistribution())
        let general = try Trainer(configuration: c, distribution: Preset.gaussians.makeDistribution())
        general.allowsFusedPath = false
        fused.fusedPath?.drawsInLanes = false  // the general path's exact batches
        return (fused, general)
    }

    /// Largest |a − b| / max(1, |b|) over the two networks' values (or gradients).
    func difference(_ a: MLP, _ b: MLP, gradients: Bool = false) -> Float {
        var worst: Float = 0
        for (p, q) in zip(a.parameters, b.parameters) {
            let x = gradients ? p.gradient : p.value, y = gradients ? q.gradient : q.value
            for i in 0..<x.count { worst = max(worst, abs(x.data[i] - y.data[i]) / max(1, abs(y.data[i]))) }
        }
        return worst
    }

    /// Every loss the fused path runs (WGAN-GP is a stabiliser in the gradients: always the general path).
    static let fusedLosses = GANLoss.allCases.filter { $0 != .wassersteinGP }

    @Test func stabilisersInTheGradients_runTheGeneralPath() throws {
        let edits: [(String, (inout GANConfiguration) -> Void)] = [
            ("wasserstein-gp", { $0.loss = .wassersteinGP }), ("r1", { $0.penalty = .r1 }), ("r2", { $0.penalty = .r2 }),
            ("instance noise", { $0.instanceNoise = true }),
        ]
        for (name, edit) in edits {
            var c = GANConfiguration(preset: .gaussians, seed: 9)
            let trainer = try Trainer(configuration: c, distribution: Preset.gaussians.makeDistribution())
            #expect(trainer.isUsingFusedPath, "plain, before \(name)")
            edit(&c)
            try trainer.update(configuration: c)
            #expect(!trainer.isUsingFusedPath, "\(name)")
        }
    }

    /// Schedules and the average act after the gradients (the optimiser step, the average's update), which both
    /// paths share: they keep the fused path.
    @Test func schedulesAndTheAverage_keepTheFusedPath() throws {
        var c = GANConfiguration(preset: .gaussians, seed: 9)
        c.generator.schedule = LearningRateSchedule(kind: .cosine, epochs: 100, floor: 0.1)
        c.discriminator.schedule = LearningRateSchedule(kind: .step, epochs: 10, floor: 0.1)
        c.generatorAverage = true
        let trainer = try Trainer(configuration: c, distribution: Preset.gaussians.makeDistribution())
        #expect(!c.stabilizersAreOff && c.gradientsAreUnregularised)
        #expect(trainer.isUsingFusedPath)
    }

    /// Both paths on identical batches for 30 epochs, with `edit` on and off: the fused run stays as close to the
    /// general one as without it (`twentyEpochs_stayCloseToTheGeneralPath`), and far from the fused run without it.
    func fusedAndGeneral(_ edit: @escaping (inout GANConfiguration) -> Void, compare: (Trainer) -> MLP) throws
        -> (paths: Float, effect: Float) {
        let (a, b) = try pair(.nonSaturating, edit)
        let (plain, _) = try pair(.nonSaturating) { _ in }
        #expect(a.isUsingFusedPath && !b.isUsingFusedPath && plain.isUsingFusedPath)
        for trainer in [a, b, plain] { try trainer.train(epochs: 30) }
        return (difference(compare(a), compare(b)), difference(compare(a), compare(plain)))
    }

    @Test func aSchedule_onTheFusedPath_matchesTheGeneralPath() throws {
        // Both rates fall to a tenth within the 30 epochs: a visible effect on the weights.
        let (paths, effect) = try fusedAndGeneral({
            $0.generator.schedule = LearningRateSchedule(kind: .cosine, epochs: 10, floor: 0.1)
            $0.discriminator.schedule = LearningRateSchedule(kind: .linear, epochs: 10, floor: 0.1)
        }, compare: \.generator)
        #expect(paths < 1e-3, "fused vs general: \(paths)")
        #expect(effect > 1e-2, "schedule vs none: \(effect)")
    }

    @Test func theAverage_onTheFusedPath_matchesTheGeneralPath() throws {
        let (paths, effect) = try fusedAndGeneral({
            $0.generatorAverage = true
            $0.generatorAverageDecay = 0.9
        }, compare: { $0.generatorAverage?.network ?? $0.generator })
        #expect(paths < 1e-3, "fused vs general: \(paths)")
        #expect(effect > 1e-2, "average vs raw generator: \(effect)")
    }

    @Test(arguments: fusedLosses)
    func oneUpdate_matchesTheGeneralPath(_ loss: GANLoss) throws {
        for (name, edit) in Self.variants {
            let (a, b) = try pair(loss, edit)
            #expect(a.isUsingFusedPath && !b.isUsingFusedPath, "\(name)")
            try a.stepDiscriminator()
            try b.stepDiscriminator()
            #expect(difference(a.discriminator, b.discriminator, gradients: true) < 1e-5, "D gradients, \(loss), \(name)")
            #expect(difference(a.discriminator, b.discriminator) < 1e-6, "D weights, \(loss), \(name)")
            #expect(abs(a.lastDiscriminatorLoss - b.lastDiscriminatorLoss) < 1e-5, "D loss, \(loss), \(name)")
            try a.stepGenerator()
            try b.stepGenerator()
            #expect(difference(a.generator, b.generator, gradients: true) < 1e-4, "G gradients, \(loss), \(name)")
            #expect(difference(a.generator, b.generator) < 1e-5, "G weights, \(loss), \(name)")
            #expect(abs(a.lastGeneratorLoss - b.lastGeneratorLoss) < 1e-5, "G loss, \(loss), \(name)")
            #expect(abs(a.lastGeneratorGradientNorm - b.lastGeneratorGradientNorm) < 1e-4 * max(1, b.lastGeneratorGradientNorm),
                    "G gradient norm, \(loss), \(name)")
        }
    }

    @Test func twentyEpochs_stayCloseToTheGeneralPath() throws {
        // Rounding differences grow as training goes on (GAN dynamics amplify them), but slowly.
        let (a, b) = try pair(.nonSaturating) { _ in }
        try a.train(epochs: 20)
        try b.train(epochs: 20)
        #expect(difference(a.generator, b.generator) < 1e-3)
        #expect(difference(a.discriminator, b.discriminator) < 1e-3)
        #expect(a.epoch == 20 && b.epoch == 20)
    }

    @Test func sameSeed_replaysTheFusedRunExactly() throws {
        // As it runs by default: batches drawn in lanes.
        let (a, _) = try pair(.nonSaturating) { _ in }
        let (b, _) = try pair(.nonSaturating) { _ in }
        a.fusedPath?.drawsInLanes = true
        b.fusedPath?.drawsInLanes = true
        try a.train(epochs: 200)
        try b.train(epochs: 200)
        #expect(a.generator.flattenedParameters == b.generator.flattenedParameters)
        #expect(a.discriminator.flattenedParameters == b.discriminator.flattenedParameters)
    }

    @Test func theChoice_followsTheConfiguration() throws {
        let (trainer, _) = try pair(.nonSaturating) { _ in }
        #expect(trainer.isUsingFusedPath)
        var c = trainer.configuration
        c.generator.batchNorm = true
        try trainer.update(configuration: c)
        #expect(!trainer.isUsingFusedPath)
        c.generator.batchNorm = false
        c.discriminator.neurons = FusedTrainingPath.widestLayer + 1
        try trainer.update(configuration: c)
        #expect(!trainer.isUsingFusedPath)
        c.discriminator.neurons = 8
        try trainer.update(configuration: c)
        #expect(trainer.isUsingFusedPath)
        trainer.allowsFusedPath = false
        #expect(!trainer.isUsingFusedPath)
        trainer.allowsFusedPath = true
        c.batchSize = 333  // a live change: the fused path grows its buffers
        try trainer.update(configuration: c)
        try trainer.train(epochs: 2)
        #expect(trainer.isUsingFusedPath && trainer.lastDiscriminatorLoss.isFinite)
        #expect(trainer.fusedPath?.drawsInLanes == true)
    }

    @Test(arguments: [Preset.gaussians, .line])
    func drawingInLanes_trainsLikeTheGeneralPath(_ preset: Preset) throws {
        // Other batches from the same distributions: after 1,500 epochs the fakes fit the data about as
        // well as the general path's (JS within 0.1 of it, both well below the untrained ≈ 0.9).
        func js(_ fused: Bool) throws -> Double {
            let trainer = try Trainer(configuration: GANConfiguration(preset: preset, seed: 2), distribution: preset.makeDistribution())
            trainer.allowsFusedPath = fused
            let views = ViewComputer(trainer: trainer)
            var best = 1.0
            for _ in 0..<6 {
                try trainer.train(epochs: 250)
                best = min(best, views.update(from: trainer).metrics.divergence.js)
            }
            return best
        }
        let (fused, general) = (try js(true), try js(false))
        #expect(fused < 0.5 && abs(fused - general) < 0.1, "\(preset): fused \(fused), general \(general)")
    }

    @Test(arguments: [GANLoss.saturating, .nonSaturating, .leastSquares])
    func lossGradients_matchFiniteDifferences(_ loss: GANLoss) throws {
        // Smooth networks (tanh) and smooth losses, so central differences are accurate.
        var c = GANConfiguration(preset: .gaussians, seed: 4)
        c.loss = loss
        c.generator.activation = .tanh
        c.discriminator.activation = .tanh
        c.batchSize = 21
        let trainer = try Trainer(configuration: c, distribution: Preset.gaussians.makeDistribution())
        let path = try #require(FusedTrainingPath.make(generator: trainer.generator, discriminator: trainer.discriminator,
                                                       configuration: c, data: trainer.distribution))
        var random = RandomSource(seed: 8)
        let noise = (0..<(21 * 2)).map { _ in random.nextUniform(in: -1, 1) }
        let real = Preset.gaussians.makeDistribution().samples(count: 21, using: &random)
        func dLoss() -> Double { Double(path.discriminatorGradients(noise: noise, real: real, batch: 21, loss: loss, realTarget: 0.9)) }
        func gLoss() -> Double { Double(path.generatorGradients(noise: noise, batch: 21, loss: loss)) }
        for (network, value) in [(trainer.discriminator, dLoss), (trainer.generator, gLoss)] {
            _ = value()
            let analytic = network.parameters.map { $0.gradient.values }
            let h: Float = 1e-2
            var worst = 0.0
            for (index, parameter) in network.parameters.enumerated() {
                for i in 0..<parameter.value.count {
                    let saved = parameter.value.data[i]
                    parameter.value.data[i] = saved + h
                    let plus = value()
                    parameter.value.data[i] = saved - h
                    let minus = value()
                    parameter.value.data[i] = saved
                    let numeric = (plus - minus) / Double(2 * h)
                    worst = max(worst, abs(numeric - Double(analytic[index][i])) / max(1, abs(numeric)))
                }
            }
            #expect(worst < 2e-3, "\(loss), \(network === trainer.generator ? "G" : "D"): \(worst)")
        }
    }
}
