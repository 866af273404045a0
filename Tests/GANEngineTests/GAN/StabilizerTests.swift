import Testing
import GANEngine

@Suite struct StabilizerTests {
    func makeTrainer(_ preset: Preset = .gaussians, seed: UInt64 = 21, _ edit: (inout GANConfiguration) -> Void) throws -> Trainer {
        var c = GANConfiguration(preset: preset, seed: seed)
        edit(&c)
        let trainer = try Trainer(configuration: c, distribution: preset.makeDistribution())
        // The general path for every run here (stabilisers in the gradients need it), so plain twins draw the same streams.
        trainer.allowsFusedPath = false
        return trainer
    }

    static let everything: @Sendable (inout GANConfiguration) -> Void = {
        $0.penalty = .r1
        $0.penaltyWeight = 0.5
        $0.instanceNoise = true
        $0.instanceNoiseSigma = 0.05
        $0.instanceNoiseAnnealEpochs = 100
        $0.generatorAverage = true
        $0.generatorAverageDecay = 0.99
        $0.generator.schedule = LearningRateSchedule(kind: .cosine, epochs: 300, floor: 0.2)
        $0.discriminator.schedule = LearningRateSchedule(kind: .step, epochs: 50, floor: 0.1, stepFactor: 0.7)
        $0.generator.batchNorm = true
        $0.generator.optimizer = OptimizerConfiguration(kind: .adam, learningRate: 1e-3, beta1: 0.5)
    }

    @Test(arguments: [GradientPenalty.r1, .r2])
    func penalties_train_andChangeTheDiscriminator(_ penalty: GradientPenalty) throws {
        let plain = try makeTrainer { _ in }
        let penalised = try makeTrainer { $0.penalty = penalty; $0.penaltyWeight = 5 }
        try plain.train(epochs: 50)
        try penalised.train(epochs: 50)
        #expect(penalised.lastDiscriminatorPenalty > 0 && penalised.lastDiscriminatorPenalty.isFinite)
        #expect(plain.lastDiscriminatorPenalty.isNaN)
        #expect(plain.discriminator.flattenedParameters != penalised.discriminator.flattenedParameters)
        // The penalty draws no random numbers: both runs consumed the same stream.
        #expect(plain.random.state == penalised.random.state)
    }

    @Test func lazyPenalty_appliesEveryNthUpdate_withNTimesTheWeight() throws {
        let eager = try makeTrainer { $0.penalty = .r1; $0.penaltyWeight = 3 }
        let lazy = try makeTrainer { $0.penalty = .r1; $0.penaltyWeight = 1; $0.penaltyInterval = 3 }
        try eager.stepDiscriminator()
        try lazy.stepDiscriminator()
        #expect(eager.discriminator.flattenedParameters == lazy.discriminator.flattenedParameters, "update 0: both apply 3γ")
        let penalty = lazy.lastDiscriminatorPenalty
        try eager.stepDiscriminator()
        try lazy.stepDiscriminator()
        #expect(eager.discriminator.flattenedParameters != lazy.discriminator.flattenedParameters, "update 1: only the eager one")
        #expect(lazy.lastDiscriminatorPenalty == penalty, "a skipped update keeps the last value")
    }

    @Test func r1_shrinksTheDiscriminatorsGradientOnTheData() throws {
        // After the same training, D's input gradient at real points is smaller with a strong R1.
        func meanGradientNorm(_ trainer: Trainer) -> Float {
            var random = RandomSource(seed: 3)
            let real = Preset.gaussians.makeDistribution().samples(count: 200, using: &random)
            let w = MLPWorkspace(for: trainer.discriminator, rowCapacity: 200)
            w.input.data.update(from: real, count: 400)
            trainer.discriminator.forward(w, mode: .inference)
            w.outputGradient.fill(1)
            trainer.discriminator.backward(w, computesParameterGradients: false, computesInputGradient: true)
            let g = w.inputGradient.values
            var sum: Float = 0
            for i in 0..<200 {
                let gx = g[2 * i], gy = g[2 * i + 1]
                sum += (gx * gx + gy * gy).squareRoot()
            }
            return sum / 200
        }
        let plain = try makeTrainer { _ in }, penalised = try makeTrainer { $0.penalty = .r1; $0.penaltyWeight = 10 }
        try plain.train(epochs: 300)
        try penalised.train(epochs: 300)
        #expect(meanGradientNorm(penalised) < 0.5 * meanGradientNorm(plain), "\(meanGradientNorm(penalised)) vs \(meanGradientNorm(plain))")
    }

    @Test func wassersteinGP_trainsWithoutClipping_andPenalises() throws {
        let trainer = try makeTrainer { $0.loss = .wassersteinGP; $0.discriminatorSteps = 5
            $0.discriminator.optimizer = OptimizerConfiguration(kind: .adam, learningRate: 1e-3, beta1: 0.5, beta2: 0.9)
            $0.generator.optimizer = OptimizerConfiguration(kind: .adam, learningRate: 1e-3, beta1: 0.5, beta2: 0.9) }
        try trainer.train(epochs: 100)
        #expect(trainer.lastDiscriminatorPenalty.isFinite && trainer.lastDiscriminatorPenalty >= 0)
        #expect(trainer.discriminator.flattenedParameters.contains { abs($0) > trainer.configuration.weightClip })
    }

    @Test func instanceNoise_annealsLinearlyToZero() {
        var c = GANConfiguration()
        #expect(c.instanceNoiseSigma(afterEpochs: 0) == 0, "off")
        c.instanceNoise = true
        c.instanceNoiseSigma = 0.2
        c.instanceNoiseAnnealEpochs = 100
        #expect(c.instanceNoiseSigma(afterEpochs: 0) == 0.2)
        #expect(abs(c.instanceNoiseSigma(afterEpochs: 25) - 0.15) < 1e-7)
        #expect(c.instanceNoiseSigma(afterEpochs: 100) == 0 && c.instanceNoiseSigma(afterEpochs: 1_000) == 0)
        c.instanceNoiseAnnealEpochs = 0
        #expect(c.instanceNoiseSigma(afterEpochs: 1_000) == 0.2)
    }

    @Test func instanceNoise_drawsFromTheRunsStream_onlyWhileOn() throws {
        let noisy = try makeTrainer { $0.instanceNoise = true; $0.instanceNoiseAnnealEpochs = 10 }
        let plain = try makeTrainer { _ in }
        try noisy.train(epochs: 5)
        try plain.train(epochs: 5)
        #expect(noisy.random.state != plain.random.state)
        // Annealed to 0 after 10 epochs: the stream then advances exactly as without noise.
        try noisy.train(epochs: 10)
        let before = noisy.random.state
        let twin = try Trainer(restoring: noisy.capturedState(), distribution: Preset.gaussians.makeDistribution())
        twin.allowsFusedPath = false  // as `noisy`, which keeps the general path once σ is 0
        var c = twin.configuration
        c.instanceNoise = false
        try twin.update(configuration: c)
        try noisy.train(epochs: 3)
        try twin.train(epochs: 3)
        #expect(noisy.capturedState().tensors == twin.capturedState().tensors, "σ = 0 is the same as off")
        #expect(before != noisy.random.state)
    }

    @Test func generatorAverage_followsTheFormula_andTheViewsCanShowEither() throws {
        let trainer = try makeTrainer { $0.generatorAverage = true; $0.generatorAverageDecay = 0.9 }
        let start = trainer.generator.flattenedParameters
        #expect(trainer.generatorAverage!.network.flattenedParameters == start)
        try trainer.stepGenerator()
        // β_0 = min(0.9, 1/10) = 0.1: θ̄ = 0.1·θ₀ + 0.9·θ₁.
        let expected = zip(start, trainer.generator.flattenedParameters).map { Float(0.1) * $0 + Float(0.9) * $1 }
        #expect(zip(expected, trainer.generatorAverage!.network.flattenedParameters).allSatisfy { abs($0 - $1) < 1e-6 })
        try trainer.train(epochs: 100)
        #expect(trainer.generatorAverage!.network.flattenedParameters != trainer.generator.flattenedParameters)
        let views = ViewComputer(trainer: trainer)
        let averaged = views.update(from: trainer).fakes
        var c = trainer.configuration
        c.views.showsAveragedGenerator = false
        try trainer.update(configuration: c)
        let raw = views.update(from: trainer).fakes
        #expect(averaged != raw)
        #expect(trainer.shownGenerator === trainer.generator)
    }

    @Test func generatorAverage_togglesLive_startingAtTheCurrentWeights() throws {
        let trainer = try makeTrainer { _ in }
        try trainer.train(epochs: 20)
        var c = trainer.configuration
        c.generatorAverage = true
        try trainer.update(configuration: c)
        #expect(trainer.epoch == 20)
        #expect(trainer.generatorAverage?.network.flattenedParameters == trainer.generator.flattenedParameters)
        c.generatorAverage = false
        try trainer.update(configuration: c)
        #expect(trainer.generatorAverage == nil)
    }

    @Test func schedules_scaleTheStep() throws {
        // SGD with a linear schedule to 0 over 1 epoch: the second epoch's updates are exactly zero.
        let trainer = try makeTrainer { $0.generator.schedule = LearningRateSchedule(kind: .linear, epochs: 1, floor: 0)
            $0.discriminator.schedule = LearningRateSchedule(kind: .linear, epochs: 1, floor: 0) }
        try trainer.trainEpoch()
        let g = trainer.generator.flattenedParameters, d = trainer.discriminator.flattenedParameters
        try trainer.trainEpoch()
        #expect(trainer.generator.flattenedParameters == g && trainer.discriminator.flattenedParameters == d)
    }

    @Test func everyStabiliser_capturesAndRestoresBitForBit() throws {
        let straight = try makeTrainer(.gaussians, seed: 21, Self.everything)
        try straight.train(epochs: 120)
        let first = try makeTrainer(.gaussians, seed: 21, Self.everything)
        try first.train(epochs: 70)
        let state = first.capturedState()
        #expect(state.tensors.contains { $0.name == "generator.average.dense0.weight" })
        #expect(state.tensors.contains { $0.name == "generator.average.batchnorm0.runningMean" })
        #expect(state.scalars["generator.average.updates"] == 70)
        let resumed = try Trainer(restoring: state, distribution: Preset.gaussians.makeDistribution())
        try resumed.train(epochs: 50)
        #expect(resumed.capturedState() == straight.capturedState())
    }

    @Test func everyStabiliser_isDeterministic_andTrainsWithoutDiverging() throws {
        for preset in [Preset.ring, .ringOfGaussians] {
            let a = try makeTrainer(preset, seed: 21, Self.everything), b = try makeTrainer(preset, seed: 21, Self.everything)
            try a.train(epochs: 60)
            try b.train(epochs: 60)
            #expect(a.capturedState() == b.capturedState())
        }
    }

    @Test func stabilisersOff_isTheReferencePath() {
        #expect(GANConfiguration().stabilizersAreOff)
        for preset in Preset.allCases { #expect(GANConfiguration(preset: preset, profile: .reference).stabilizersAreOff) }
        var c = GANConfiguration()
        c.penalty = .r1
        #expect(!c.stabilizersAreOff)
    }
}
