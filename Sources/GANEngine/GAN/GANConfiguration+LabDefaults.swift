extension GANConfiguration {
    /// Replaces the reference settings with the lab's defaults for `preset`: networks, optimisers, loss,
    /// stabilisers and batch chosen by measurement so the preset visibly converges (docs/engine.md,
    /// "Presets that converge": the recipe, why each part is there, and the measured table per preset and
    /// seed). The seed, the noise and the view settings are kept.
    ///
    /// One recipe for all ten, scaled by the shape's difficulty:
    /// - 3 hidden leaky-ReLU layers in both networks, 32 wide for the simple shapes (line, gaussians,
    ///   interval) and 64 for the rest (more modes, corners and curvature to draw);
    /// - Adam with β₁ = 0, β₂ = 0.99 at η = 1e-3 for both (β₁ = 0 damps the rotation of GAN dynamics that
    ///   momentum feeds), one D update per G update, batch 512;
    /// - R1 with γ = 1, applied lazily every 4th D update with weight 4γ (Mescheder et al. 2018; Karras et
    ///   al. 2020);
    /// - both learning rates on a cosine decay to 5 % over the first 10,000 epochs, and the views showing
    ///   an exponential moving average of G's weights with β = 0.999 (Yazıcı et al. 2019).
    public mutating func applyLabDefaults(for preset: Preset) {
        let width: Int
        switch preset {
        case .line, .gaussians, .interval: width = 32
        case .ring, .disjoint, .ringOfGaussians, .gridOfGaussians, .moons, .spiral, .checkerboard: width = 64
        }
        for network in [\GANConfiguration.generator, \GANConfiguration.discriminator] {
            self[keyPath: network].hiddenLayers = 3
            self[keyPath: network].neurons = width
            self[keyPath: network].activation = .leakyReLU(slope: 0.2)
            self[keyPath: network].optimizer = OptimizerConfiguration(kind: .adam, learningRate: 1e-3, beta1: 0, beta2: 0.99)
            self[keyPath: network].schedule = LearningRateSchedule(kind: .cosine, epochs: 10_000, floor: 0.05)
        }
        loss = .nonSaturating
        discriminatorSteps = 1
        generatorSteps = 1
        batchSize = 512
        penalty = .r1
        penaltyWeight = 1
        penaltyInterval = 4
        generatorAverage = true
        generatorAverageDecay = 0.999
        views.showsAveragedGenerator = true
    }
}
