import Testing
import GANEngine

@Suite struct TrainerTests {
    func makeTrainer(seed: UInt64 = 1, preset: Preset = .gaussians, _ edit: (inout GANConfiguration) -> Void = { _ in }) throws -> Trainer {
        var configuration = GANConfiguration(preset: preset, seed: seed)
        edit(&configuration)
        return try Trainer(configuration: configuration, distribution: preset.makeDistribution())
    }

    @Test func sameSeed_givesBitIdenticalWeights() throws {
        let a = try makeTrainer(seed: 7), b = try makeTrainer(seed: 7)
        try a.train(epochs: 300)
        try b.train(epochs: 300)
        #expect(a.generator.flattenedParameters == b.generator.flattenedParameters)
        #expect(a.discriminator.flattenedParameters == b.discriminator.flattenedParameters)
        #expect(a.epoch == 300)
    }

    @Test func sameSeed_withBatchNormAndAdam_isBitIdentical() throws {
        func make() throws -> Trainer {
            try makeTrainer(seed: 3) {
                $0.generator.batchNorm = true
                $0.generator.optimizer = OptimizerConfiguration(kind: .adam, learningRate: 1e-3)
                $0.discriminator.optimizer = OptimizerConfiguration(kind: .rmsprop, learningRate: 1e-3)
            }
        }
        let a = try make(), b = try make()
        try a.train(epochs: 100)
        try b.train(epochs: 100)
        #expect(a.generator.flattenedParameters == b.generator.flattenedParameters)
        #expect(a.discriminator.flattenedParameters == b.discriminator.flattenedParameters)
    }

    @Test func differentSeeds_giveDifferentWeights() throws {
        let a = try makeTrainer(seed: 1), b = try makeTrainer(seed: 2)
        try a.train(epochs: 10)
        try b.train(epochs: 10)
        #expect(a.generator.flattenedParameters != b.generator.flattenedParameters)
    }

    @Test func singleSteps_updateOnlyTheirNetwork() throws {
        let trainer = try makeTrainer()
        let g0 = trainer.generator.flattenedParameters, d0 = trainer.discriminator.flattenedParameters
        try trainer.stepDiscriminator()
        #expect(trainer.generator.flattenedParameters == g0)
        #expect(trainer.discriminator.flattenedParameters != d0)
        let d1 = trainer.discriminator.flattenedParameters
        try trainer.stepGenerator()
        #expect(trainer.generator.flattenedParameters != g0)
        #expect(trainer.discriminator.flattenedParameters == d1)
        #expect(trainer.epoch == 2)
        #expect(trainer.lastDiscriminatorLoss.isFinite && trainer.lastGeneratorLoss.isFinite)
    }

    @Test func nonFiniteWeight_isReportedWithItsEpoch() throws {
        let trainer = try makeTrainer()
        try trainer.train(epochs: 5)
        trainer.discriminator.parameters[0].value.data[0] = .nan
        #expect(throws: TrainingError.diverged(epoch: 6, network: "discriminator")) { try trainer.trainEpoch() }
    }

    @Test func hugeLearningRate_divergesWithAnEpoch() throws {
        let trainer = try makeTrainer {
            $0.loss = .leastSquares
            $0.discriminator.optimizer.learningRate = 10
            $0.generator.optimizer.learningRate = 10
        }
        var stopped: TrainingError?
        do { try trainer.train(epochs: 2_000) } catch { stopped = error }
        guard case .diverged(let epoch, _) = stopped else { Issue.record("did not diverge"); return }
        #expect(epoch >= 1 && epoch <= 2_000 && epoch == trainer.epoch)
    }

    @Test func changingLearningRateOrOptimiser_keepsWeights() throws {
        let trainer = try makeTrainer()
        try trainer.train(epochs: 20)
        let g = trainer.generator.flattenedParameters
        var c = trainer.configuration
        c.generator.optimizer = OptimizerConfiguration(kind: .adam, learningRate: 0.001)
        c.discriminator.optimizer.learningRate = 0.05
        c.loss = .hinge
        try trainer.update(configuration: c)
        #expect(trainer.generator.flattenedParameters == g)
        #expect(trainer.epoch == 20)
        #expect(trainer.generatorOptimizer.configuration.kind == .adam)
        try trainer.train(epochs: 5)
        #expect(trainer.generator.flattenedParameters != g)
    }

    @Test func changingShape_rebuildsNetworks() throws {
        let trainer = try makeTrainer()
        try trainer.train(epochs: 3)
        var c = trainer.configuration
        c.generator.neurons = 16
        try trainer.update(configuration: c)
        #expect(trainer.epoch == 0)
        #expect(trainer.generator.denseLayers[0].outputWidth == 16)
        try trainer.train(epochs: 3)
    }

    @Test func batchSizeChange_appliesLive() throws {
        let trainer = try makeTrainer()
        var c = trainer.configuration
        c.batchSize = 4_096
        try trainer.update(configuration: c)
        try trainer.train(epochs: 2)
        c.batchSize = 1
        try trainer.update(configuration: c)
        try trainer.train(epochs: 2)
        #expect(trainer.epoch == 4)
    }

    @Test(arguments: GANLoss.allCases)
    func everyLoss_trainsWithoutDiverging(_ loss: GANLoss) throws {
        let trainer = try makeTrainer {
            $0.loss = loss
            $0.labelSmoothing = true
            if loss == .wassersteinGP {
                // The critic's penalty (λ = 10) needs Adam's step sizes; plain SGD at 0.1 diverges in a few epochs.
                $0.discriminator.optimizer = OptimizerConfiguration(kind: .adam, learningRate: 1e-3, beta1: 0, beta2: 0.9)
                $0.generator.optimizer = OptimizerConfiguration(kind: .adam, learningRate: 1e-3, beta1: 0, beta2: 0.9)
            }
        }
        try trainer.train(epochs: 200)
        if loss == .wasserstein {
            let limit = trainer.configuration.weightClip
            #expect(trainer.discriminator.flattenedParameters.allSatisfy { abs($0) <= limit })
        }
    }

    @Test func invalidConfiguration_isRejectedAtInit() {
        var c = GANConfiguration()
        c.batchSize = 0
        #expect(throws: ConfigurationError(field: "batchSize", value: "0", allowed: "1...4096")) {
            _ = try Trainer(configuration: c, distribution: Preset.ring.makeDistribution())
        }
    }
}
