/// The two updates an epoch is made of, with every stabiliser: forward and backward through both
/// networks, the loss, the gradient penalties, instance noise, the learning-rate schedule and the average.
extension Trainer {
    /// One discriminator update on B real points and B fakes, as one (2B, 2) batch through D.
    ///
    /// With instance noise both halves get σ(t)·N(0, 1) added; R1 (R2) penalises the real (fake) half as
    /// D saw it; WGAN-GP penalises B interpolates. Penalty gradients are added to the loss gradients before
    /// the optimiser step.
    func updateDiscriminator(_ random: inout RandomSource, _ configuration: GANConfiguration) {
        let batch = configuration.batchSize
        let completed = epoch - 1
        if let fusedPath {  // narrow networks, no stabiliser (`FusedTrainingPath.applies`)
            lastDiscriminatorLoss = fusedPath.discriminatorGradients(
                batch: batch, noise: noise, random: &random, loss: configuration.loss, realTarget: configuration.realTarget)
            if !lastDiscriminatorLoss.isFinite && nonFiniteLoss == nil { nonFiniteLoss = "discriminator" }
        } else {
            let fakes = generateBatch(batch, &random)
            let dw = discriminatorWorkspace
            dw.setRows(2 * batch)
            distribution.sample(count: batch, into: dw.input.data, using: &random)
            (dw.input.data + 2 * batch).update(from: fakes.data, count: 2 * batch)
            Self.addInstanceNoise(dw.input.data, rows: 2 * batch, sigma: configuration.instanceNoiseSigma(afterEpochs: completed), &random)
            let scores = discriminator.forward(dw, mode: .training)  // (2B, 1)
            let gradient = dw.outputGradient.data
            lastDiscriminatorLoss = configuration.loss.discriminatorLoss(
                real: scores.data, realCount: batch, fake: scores.data + batch, fakeCount: batch,
                realTarget: configuration.realTarget, realGradient: gradient, fakeGradient: gradient + batch)
            if !lastDiscriminatorLoss.isFinite && nonFiniteLoss == nil { nonFiniteLoss = "discriminator" }
            discriminator.backward(dw, computesParameterGradients: true, computesInputGradient: false)
            addPenalties(batch: batch, configuration, &random)
        }
        let d = configuration.discriminator
        discriminatorOptimizer.step(learningRate: d.schedule.learningRate(d.optimizer.learningRate, afterEpochs: completed))
        if configuration.loss == .wasserstein { discriminator.clipParameters(to: configuration.weightClip) }
    }

    /// R1 / R2 and WGAN-GP: each adds its ∂P/∂θ_D to D's gradients (which hold the loss's already).
    private func addPenalties(batch: Int, _ configuration: GANConfiguration, _ random: inout RandomSource) {
        let usesWassersteinPenalty = configuration.loss == .wassersteinGP
        guard configuration.penalty != .none || usesWassersteinPenalty else {
            lastDiscriminatorPenalty = .nan
            return
        }
        if penaltyWorkspace == nil || penaltyWorkspace!.input.rowCapacity < batch {
            penaltyWorkspace = PenaltyWorkspace(for: discriminator, rowCapacity: batch)
        }
        let pw = penaltyWorkspace!, input = discriminatorWorkspace.input.data
        var total: Float = 0, computed = false
        // Lazy regularisation: every `penaltyInterval`-th D update (counted by D's optimiser) with weight γ·interval.
        let interval = configuration.penaltyInterval
        if configuration.penalty != .none && discriminatorOptimizer.stepCount % interval == 0 {
            // The real half (R1) or the fake half (R2) of D's input, noise included.
            let start = configuration.penalty == .r1 ? input : input + 2 * batch
            pw.input.setRows(batch)
            pw.input.data.update(from: start, count: 2 * batch)
            total += discriminator.addInputGradientPenalty(
                pw, rows: batch, penalty: .zeroCentred(weight: configuration.penaltyWeight * Float(interval)))
            computed = true
        }
        if usesWassersteinPenalty {
            // x̂ = ε·x_real + (1 − ε)·x_fake, one ε ~ U[0, 1) per pair (Gulrajani et al., 2017, Algorithm 1).
            pw.input.setRows(batch)
            let x = pw.input.data
            for i in 0..<batch {
                let e = random.nextUniform()
                x[2 * i] = e * input[2 * i] + (1 - e) * input[2 * (batch + i)]
                x[2 * i + 1] = e * input[2 * i + 1] + (1 - e) * input[2 * (batch + i) + 1]
            }
            total += discriminator.addInputGradientPenalty(pw, rows: batch, penalty: .oneCentred(weight: configuration.wassersteinPenaltyWeight))
            computed = true
        }
        guard computed else { return }  // a lazily skipped step keeps the last value
        lastDiscriminatorPenalty = total
        if !total.isFinite && nonFiniteLoss == nil { nonFiniteLoss = "discriminator" }
    }

    /// One generator update: dL_G/dx from D's input gradient, backpropagated through G; then the average.
    func updateGenerator(_ random: inout RandomSource, _ configuration: GANConfiguration) {
        let batch = configuration.batchSize
        let completed = epoch - 1
        if let fusedPath {
            lastGeneratorLoss = fusedPath.generatorGradients(batch: batch, noise: noise, random: &random, loss: configuration.loss)
        } else {
            let fakes = generateBatch(batch, &random)
            let dw = discriminatorWorkspace, gw = generatorWorkspace
            dw.setRows(batch)
            dw.input.data.update(from: fakes.data, count: 2 * batch)
            // D sees noisy fakes here too; ∂(x + n)/∂x = 1, so G's gradient is D's input gradient at x + n.
            Self.addInstanceNoise(dw.input.data, rows: batch, sigma: configuration.instanceNoiseSigma(afterEpochs: completed), &random)
            let scores = discriminator.forward(dw, mode: .training)  // (B, 1)
            lastGeneratorLoss = configuration.loss.generatorLoss(fake: scores.data, count: batch, gradient: dw.outputGradient.data)
            discriminator.backward(dw, computesParameterGradients: false, computesInputGradient: true)
            gw.outputGradient.data.update(from: dw.inputGradient.data, count: 2 * batch)  // (B, 2)
            generator.backward(gw, computesParameterGradients: true, computesInputGradient: false)
        }
        if !lastGeneratorLoss.isFinite && nonFiniteLoss == nil { nonFiniteLoss = "generator" }
        lastGeneratorGradientNorm = Float(generator.gradientNormSquared.squareRoot())
        let g = configuration.generator
        generatorOptimizer.step(learningRate: g.schedule.learningRate(g.optimizer.learningRate, afterEpochs: completed))
        generatorAverage?.update(from: generator, beta: configuration.generatorAverageDecay)
    }
}
