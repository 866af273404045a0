import Testing
import GANEngine

/// With fixed seeds and each preset's reference settings, JS (bits, 4,000 fakes, 32×32 grid) falls well below its
/// start; with the lab defaults every preset heads for its floor (bounds measured, below). Reference settings,
/// measured (release, seed 1, every 250 epochs; docs/engine.md, "Learning"): line 1.00 → 0.034 by 1,250;
/// gaussians 0.85 → 0.13 by 1,500; ring 0.92 → 0.10 by 1,000. Thresholds leave wide margins; the best
/// checkpoint counts because GAN training oscillates.
@Suite struct LearningTests {
    func bestJS(_ preset: Preset, seed: UInt64, epochs: Int) throws -> (start: Double, best: Double) {
        let trainer = try Trainer(configuration: GANConfiguration(preset: preset, seed: seed), distribution: preset.makeDistribution())
        let views = ViewComputer(trainer: trainer)
        let start = views.update(from: trainer).metrics.divergence.js
        var best = start
        for _ in 0..<(epochs / 250) {
            try trainer.train(epochs: 250)
            best = min(best, views.update(from: trainer).metrics.divergence.js)
        }
        return (start, best)
    }

    @Test func line_jsFallsWithin1500Epochs() throws {
        let (start, best) = try bestJS(.line, seed: 1, epochs: 1_500)
        #expect(start > 0.8)
        #expect(best < 0.4)
    }

    @Test func gaussians_jsFallsWithin1500Epochs() throws {
        let (start, best) = try bestJS(.gaussians, seed: 1, epochs: 1_500)
        #expect(start > 0.7)
        #expect(best < 0.35)
    }

    @Test func ring_jsFallsWithin1000Epochs() throws {
        let (start, best) = try bestJS(.ring, seed: 1, epochs: 1_000)
        #expect(start > 0.8)
        #expect(best < 0.35)
    }

    /// The lab defaults at a test-sized `labEpochs`, seed 1, for every preset: JS ÷ floor below `labBound`, and
    /// no more modes missed than it allows.
    ///
    /// The bounds come from measurement, not from the goal: the release build here (seeds 1-5, docs/engine.md,
    /// "Presets that converge") reached the worst ratio in `labWorstOfFiveSeeds` at 1,500 epochs; a bound is
    /// that times 1.5. The margin is there because another CPU's BLAS kernels (OpenBLAS picks them at load)
    /// differ in the last bits, and GAN training amplifies that into another run of the same seed; the spread
    /// between seeds is the measured size of that effect. Every preset starts 60-800× above its floor (seed 1).
    @Test(arguments: Preset.allCases)
    func labDefaults_learnEveryPreset(_ preset: Preset) throws {
        let trainer = try Trainer(configuration: GANConfiguration(preset: preset, profile: .lab, seed: 1),
                                  distribution: preset.makeDistribution())
        let views = ViewComputer(trainer: trainer)
        let start = views.update(from: trainer).metrics
        try trainer.train(epochs: Self.labEpochs)
        let metrics = views.update(from: trainer).metrics
        let ratio = metrics.divergence.js / metrics.divergenceFloor.js
        let worst = try #require(Self.labWorstOfFiveSeeds[preset])
        #expect(start.divergence.js / start.divergenceFloor.js > 30, "\(preset): the untrained G starts far from the data")
        #expect(ratio < 1.5 * worst, "\(preset): JS ÷ floor \(ratio) after \(Self.labEpochs) epochs; seeds 1-5 measured at most \(worst)")
        if let coverage = metrics.modeCoverage {
            // The goal at 10,000 epochs, already met at 1,500 by all five seeds measured.
            #expect(coverage.missedModes <= (preset == .gridOfGaussians ? 1 : 0), "\(preset): \(coverage.missedModes) modes missed")
        }
    }

    /// Epochs the lab-default learning test trains each preset (about 5 s each, release).
    static let labEpochs = 1_500
    /// The worst JS ÷ floor of seeds 1-5 after 1,500 epochs (release, `scripts/tune-presets.py --all --seeds 1-5
    /// --keep-csv DIR`, the CSV row at epoch 1,500; Intel Xeon with AVX-512, OpenBLAS SkylakeX kernels).
    static let labWorstOfFiveSeeds: [Preset: Double] = [
        .line: 6.32, .gaussians: 2.47, .ring: 5.16, .disjoint: 23.88, .ringOfGaussians: 20.58,
        .gridOfGaussians: 25.44, .moons: 12.15, .spiral: 29.65, .checkerboard: 8.78, .interval: 8.05,
    ]

    @Test func strongDiscriminator_saturatingGradientVanishesNonSaturatingDoesNot() throws {
        // Train only D (k_G = 0) until it confidently rejects the untrained generator's fakes.
        func strong(_ loss: GANLoss) throws -> Trainer {
            var c = GANConfiguration(preset: .gaussians, seed: 5)
            c.discriminatorSteps = 1
            c.generatorSteps = 0
            c.discriminator.neurons = 32
            c.discriminator.optimizer = OptimizerConfiguration(kind: .adam, learningRate: 0.01)
            let trainer = try Trainer(configuration: c, distribution: Preset.gaussians.makeDistribution())
            // The general path, whose D this threshold was measured on (the fused path draws other batches
            // and ends with a less saturated D: ratio 0.13 instead of 0.05; FusedTrainingPathTests checks its losses).
            trainer.allowsFusedPath = false
            try trainer.train(epochs: 2_000)
            c.loss = loss
            try trainer.update(configuration: c)
            try trainer.stepGenerator()
            print("\(loss): G loss \(trainer.lastGeneratorLoss), gradient norm \(trainer.lastGeneratorGradientNorm)")
            return trainer
        }
        let saturating = try strong(.saturating), nonSaturating = try strong(.nonSaturating)
        // The same D in both (the D loss does not depend on the G loss choice).
        #expect(saturating.discriminator.flattenedParameters == nonSaturating.discriminator.flattenedParameters)
        #expect(nonSaturating.lastGeneratorLoss > 4)  // −log D(G(z)) large: D is strong
        #expect(saturating.lastGeneratorGradientNorm < 0.1 * nonSaturating.lastGeneratorGradientNorm,
                "saturating \(saturating.lastGeneratorGradientNorm) vs non-saturating \(nonSaturating.lastGeneratorGradientNorm)")
    }
}
