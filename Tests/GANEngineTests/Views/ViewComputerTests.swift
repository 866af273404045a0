import Testing
import GANEngine

@Suite struct ViewComputerTests {
    func makeTrainer(_ edit: (inout GANConfiguration) -> Void = { _ in }) throws -> Trainer {
        var c = GANConfiguration(preset: .gaussians, seed: 4)
        edit(&c)
        return try Trainer(configuration: c, distribution: Preset.gaussians.makeDistribution())
    }

    /// D's score at one point, evaluated through a fresh workspace.
    func score(_ trainer: Trainer, _ x: Float, _ y: Float) -> Float {
        let w = MLPWorkspace(for: trainer.discriminator, rowCapacity: 1)
        w.input.data[0] = x
        w.input.data[1] = y
        return trainer.discriminator.forward(w, mode: .inference).data[0]
    }

    @Test func snapshot_hasDocumentedShapes() throws {
        let trainer = try makeTrainer()
        try trainer.train(epochs: 10)
        let s = ViewComputer(trainer: trainer).update(from: trainer)
        #expect(s.epoch == 10)
        #expect(s.fakes.count == 2 * 500 && s.fakeCount == 500)
        #expect(s.fakePush.count == 1000 && s.fakeDiscriminatorGradient.count == 1000)
        #expect(s.decisionResolution == 64 && s.decisionField.count == 64 * 64)
        #expect(s.gridResolution == 16 && s.gridPush.count == 2 * 256 && s.gridDiscriminatorGradient.count == 2 * 256)
        let manifold = try #require(s.manifold)
        #expect(manifold.noiseDimension == 2 && manifold.cells == 20)
        #expect(manifold.points.count == 2 * 21 * 21 && manifold.cellDensities.count == 400)
        #expect(s.metrics.discriminatorLoss.isFinite && s.metrics.generatorLoss.isFinite)
        #expect(s.metrics.generatorGradientNorm > 0)
    }

    @Test func decisionField_isAProbabilityMatchingD() throws {
        let trainer = try makeTrainer()
        try trainer.train(epochs: 200)
        let s = ViewComputer(trainer: trainer).update(from: trainer)
        #expect(s.decisionField.allSatisfy { $0 > 0 && $0 < 1 })
        // Top-left cell centre of a 64×64 grid: (−1 + 1/64, 1 − 1/64).
        let expected = sigmoid(score(trainer, -1 + 1.0 / 64, 1 - 1.0 / 64))
        #expect(abs(s.decisionField[0] - expected) < 1e-5)
        let last = sigmoid(score(trainer, 1 - 1.0 / 64, -1 + 1.0 / 64))
        #expect(abs(s.decisionField[64 * 64 - 1] - last) < 1e-5)
    }

    @Test func pushArrows_areMinusTheGeneratorLossGradient() throws {
        let trainer = try makeTrainer()
        try trainer.train(epochs: 300)
        let s = ViewComputer(trainer: trainer).update(from: trainer)
        let centres = ViewComputer.gridCentres(side: 16)
        let h: Float = 2e-3
        var checked = 0, matching = 0
        for index in stride(from: 0, to: 256, by: 17) {
            let x = centres[2 * index], y = centres[2 * index + 1]
            // ℓ_G(x) = softplus(−s(x)) for the non-saturating loss.
            func lossAt(_ px: Float, _ py: Float) -> Double { Double(softplus(-score(trainer, px, py))) }
            let gx = (lossAt(x + h, y) - lossAt(x - h, y)) / Double(2 * h)
            let gy = (lossAt(x, y + h) - lossAt(x, y - h)) / Double(2 * h)
            let scale = max(1e-3, abs(gx) + abs(gy))
            if abs(Double(s.gridPush[2 * index]) + gx) < 0.05 * scale + 1e-4,
               abs(Double(s.gridPush[2 * index + 1]) + gy) < 0.05 * scale + 1e-4 {
                matching += 1
            }
            checked += 1
        }
        // D is piecewise linear (ReLU): a central difference that straddles a kink may disagree.
        #expect(checked == 16 && matching >= 14, "\(matching) of \(checked) match")
    }

    @Test(arguments: [GANLoss.nonSaturating, .saturating, .leastSquares, .hinge, .wasserstein])
    func pushArrows_pointTowardsHigherD(_ loss: GANLoss) throws {
        let trainer = try makeTrainer { $0.loss = loss }
        try trainer.train(epochs: 300)
        let s = ViewComputer(trainer: trainer).update(from: trainer)
        var uphill = 0, moving = 0
        for i in 0..<s.fakeCount {
            let px = s.fakePush[2 * i], py = s.fakePush[2 * i + 1]
            let length = (px * px + py * py).squareRoot()
            guard length > 1e-6 else { continue }
            moving += 1
            // Same direction as ∇D (both are positive multiples of ∇s).
            #expect(px * s.fakeDiscriminatorGradient[2 * i] + py * s.fakeDiscriminatorGradient[2 * i + 1] >= 0)
            let x = s.fakes[2 * i], y = s.fakes[2 * i + 1], step: Float = 1e-3 / length
            if score(trainer, x + step * px, y + step * py) > score(trainer, x, y) { uphill += 1 }
        }
        #expect(moving > 0)
        #expect(Double(uphill) >= 0.95 * Double(moving), "\(uphill) of \(moving) uphill")
    }

    @Test func fakes_areFixedNoiseThroughG() throws {
        let trainer = try makeTrainer()
        let views = ViewComputer(trainer: trainer)
        let a = views.update(from: trainer).fakes
        let b = views.update(from: trainer).fakes
        #expect(a == b)
        try trainer.train(epochs: 5)
        let c = views.update(from: trainer).fakes
        #expect(c != a)
        // Small moves between nearby frames: fakes keep their identity.
        var largest: Float = 0
        for i in 0..<a.count { largest = max(largest, abs(a[i] - c[i])) }
        #expect(largest < 0.5)
    }

    @Test func computingViews_doesNotChangeTraining() throws {
        let a = try makeTrainer(), b = try makeTrainer()
        let views = ViewComputer(trainer: a)
        for _ in 0..<20 {
            try a.train(epochs: 5)
            views.update(from: a)
            try b.train(epochs: 5)
        }
        #expect(a.generator.flattenedParameters == b.generator.flattenedParameters)
        #expect(a.discriminator.flattenedParameters == b.discriminator.flattenedParameters)
    }

    @Test func manifold_followsNoiseDimension() throws {
        let one = try makeTrainer { $0.noiseDimension = 1 }
        let curve = try #require(ViewComputer(trainer: one).update(from: one).manifold)
        #expect(curve.noiseDimension == 1 && curve.points.count == 2 * 21 && curve.cellDensities.count == 20)
        let three = try makeTrainer { $0.noiseDimension = 3 }
        #expect(ViewComputer(trainer: three).update(from: three).manifold == nil)
    }

    @Test func metrics_reportDivergenceAboveItsFloor() throws {
        let trainer = try makeTrainer()
        let s = ViewComputer(trainer: trainer).update(from: trainer)
        #expect(s.metrics.divergence.js >= 0 && s.metrics.divergence.js <= 1)
        #expect(s.metrics.divergenceFloor.js < s.metrics.divergence.js)
        #expect(s.metrics.fractionOutside == 0)  // tanh output stays inside
    }

    @Test func modeCoverage_isReportedForPresetsWithModes() throws {
        let trainer = try Trainer(configuration: GANConfiguration(preset: .ringOfGaussians), distribution: Preset.ringOfGaussians.makeDistribution())
        let coverage = try #require(ViewComputer(trainer: trainer).update(from: trainer).metrics.modeCoverage)
        #expect(coverage.fractions.count == 8)
        let line = try Trainer(configuration: GANConfiguration(preset: .line), distribution: Preset.line.makeDistribution())
        #expect(ViewComputer(trainer: line).update(from: line).metrics.modeCoverage == nil)
    }

    @Test func anotherTrainer_getsItsOwnRealHistogram() throws {
        let ring = try Trainer(configuration: GANConfiguration(preset: .ring, seed: 4), distribution: Preset.ring.makeDistribution())
        let line = try Trainer(configuration: GANConfiguration(preset: .ring, seed: 4), distribution: Preset.line.makeDistribution())
        let views = ViewComputer(trainer: ring)
        let onRing = views.update(from: ring).metrics.divergence.js
        let onLine = views.update(from: line).metrics.divergence.js
        let fresh = ViewComputer(trainer: line).update(from: line).metrics.divergence.js
        #expect(onLine == fresh)
        #expect(onRing != onLine)
    }

    @Test func changedViewSettings_areApplied() throws {
        let trainer = try makeTrainer()
        let views = ViewComputer(trainer: trainer)
        views.update(from: trainer)
        var c = trainer.configuration
        c.views.decisionResolution = 128
        c.views.fakeSampleCount = 7
        try trainer.update(configuration: c)
        let s = views.update(from: trainer)
        #expect(s.decisionField.count == 128 * 128 && s.fakeCount == 7)
    }
}

@Suite struct ViewPredictionTests {
    func makeTrainer() throws -> Trainer {
        let trainer = try Trainer(configuration: GANConfiguration(preset: .gaussians, seed: 4), distribution: Preset.gaussians.makeDistribution())
        try trainer.train(epochs: 100)
        return trainer
    }

    func probability(_ trainer: Trainer, _ x: Float, _ y: Float) -> Float {
        let w = MLPWorkspace(for: trainer.discriminator, rowCapacity: 1)
        w.input.data[0] = x
        w.input.data[1] = y
        return sigmoid(trainer.discriminator.forward(w, mode: .inference).data[0])
    }

    @Test func predictions_areDsProbabilityAtFakesAndRealPoints() throws {
        let trainer = try makeTrainer()
        let views = ViewComputer(trainer: trainer)
        var random = RandomSource(seed: 99)
        let real = Preset.gaussians.makeDistribution().samples(count: 500, using: &random)
        views.realPoints = real
        let s = views.update(from: trainer)
        #expect(s.fakePredictions.count == s.fakeCount && s.realPredictions.count == 500)
        for i in stride(from: 0, to: s.fakeCount, by: 37) {
            #expect(abs(s.fakePredictions[i] - probability(trainer, s.fakes[2 * i], s.fakes[2 * i + 1])) < 1e-5)
        }
        for i in stride(from: 0, to: 500, by: 41) {
            #expect(abs(s.realPredictions[i] - probability(trainer, real[2 * i], real[2 * i + 1])) < 1e-5)
        }
        #expect(s.realPredictions.allSatisfy { $0 > 0 && $0 < 1 })
    }

    @Test func shownNoise_isTheNoiseBehindEachShownFake() throws {
        let trainer = try makeTrainer()
        try trainer.train(epochs: 20)
        let s = ViewComputer(trainer: trainer).update(from: trainer)
        let noise = ViewComputer.shownNoise(for: trainer.configuration)
        #expect(trainer.configuration.noiseDimension == 2 && noise.count == 2 * s.fakeCount)
        let w = MLPWorkspace(for: trainer.generator, rowCapacity: s.fakeCount)
        w.input.data.update(from: noise, count: noise.count)
        let mapped = trainer.generator.forward(w, mode: .inference)
        for i in 0..<(2 * s.fakeCount) { #expect(abs(mapped.data[i] - s.fakes[i]) < 1e-5) }
        var other = trainer.configuration
        other.seed += 1
        #expect(ViewComputer.shownNoise(for: other) != noise)
    }

    @Test func realPredictions_areEmptyUntilPointsAreSet() throws {
        let trainer = try makeTrainer()
        let views = ViewComputer(trainer: trainer)
        #expect(views.update(from: trainer).realPredictions.isEmpty)
        views.realPoints = [0, 0, 0.5, -0.5]
        #expect(views.update(from: trainer).realPredictions.count == 2)
    }

    @Test func rebuiltNetworks_areFollowed_throughTheGenerationCounter() throws {
        let trainer = try makeTrainer()
        let views = ViewComputer(trainer: trainer)
        views.update(from: trainer)
        #expect(trainer.generation == 0)
        var c = trainer.configuration
        c.discriminator.neurons = 12
        c.generator.neurons = 5
        try trainer.update(configuration: c)
        #expect(trainer.generation == 1)
        let s = views.update(from: trainer)
        #expect(abs(s.decisionField[0] - probability(trainer, -1 + 1.0 / 64, 1 - 1.0 / 64)) < 1e-5)
        #expect(s.epoch == 0)
    }
}
