extension GANConfiguration {
    /// The hyperparameters that go with a preset (the reference's per-preset settings, §1.7 of
    /// the reference notes, mapped to our layer count: its "N × n" is N + 1 hidden layers of n).
    ///
    /// | preset | noise | G | D | lr D / G | k_D |
    /// |---|---|---|---|---|---|
    /// | line | 2-D uniform | 2×5 | 2×6 | 0.03 / 0.01 | 2 |
    /// | gaussians | 2-D Gaussian | 2×8 | 2×8 | 0.1 / 0.03 | 2 |
    /// | ring | 2-D uniform | 2×10 | 3×9 | 0.1 / 0.03 | 3 |
    /// | disjoint | 2-D Gaussian | 3×10 | 3×11 | 0.1 / 0.03 | 1 |
    /// | ring8, grid25 | 2-D Gaussian | 3×64 | 3×64 | Adam(β₁ 0.5) 1e-3 / 1e-3 | 1 |
    /// | moons, spiral, checkerboard | 2-D uniform | 3×32 | 3×32 | Adam(β₁ 0.5) 2e-3 / 1e-3 | 1 |
    /// | interval | 1-D uniform | 2×8 | 2×8 | 0.1 / 0.03 | 2 |
    /// All use SGD unless noted, ReLU, the non-saturating loss, k_G = 1 and batch 150.
    ///
    /// `profile` `.reference` (the default) gives exactly these settings with every stabiliser off;
    /// `.lab` gives the lab's measured per-preset defaults (`applyLabDefaults(for:)`, docs/engine.md).
    public init(preset: Preset, profile: SettingsProfile = .reference, seed: UInt64 = 1) {
        self.init()
        self.seed = seed
        defer { if profile == .lab { applyLabDefaults(for: preset) } }
        func sgd(_ rate: Float) -> OptimizerConfiguration { OptimizerConfiguration(kind: .sgd, learningRate: rate) }
        func adam(_ rate: Float) -> OptimizerConfiguration { OptimizerConfiguration(kind: .adam, learningRate: rate, beta1: 0.5, beta2: 0.999) }
        func set(_ noise: NoiseDistribution.Kind, _ noiseDimension: Int, g: (Int, Int), d: (Int, Int),
                 _ dOptimizer: OptimizerConfiguration, _ gOptimizer: OptimizerConfiguration, kD: Int) {
            noiseKind = noise
            self.noiseDimension = noiseDimension
            generator.hiddenLayers = g.0; generator.neurons = g.1; generator.optimizer = gOptimizer
            discriminator.hiddenLayers = d.0; discriminator.neurons = d.1; discriminator.optimizer = dOptimizer
            discriminatorSteps = kD
        }
        switch preset {
        case .line: set(.uniform, 2, g: (2, 5), d: (2, 6), sgd(0.03), sgd(0.01), kD: 2)
        case .gaussians: set(.gaussian, 2, g: (2, 8), d: (2, 8), sgd(0.1), sgd(0.03), kD: 2)
        case .ring: set(.uniform, 2, g: (2, 10), d: (3, 9), sgd(0.1), sgd(0.03), kD: 3)
        case .disjoint: set(.gaussian, 2, g: (3, 10), d: (3, 11), sgd(0.1), sgd(0.03), kD: 1)
        case .ringOfGaussians, .gridOfGaussians: set(.gaussian, 2, g: (3, 64), d: (3, 64), adam(1e-3), adam(1e-3), kD: 1)
        case .moons, .spiral, .checkerboard: set(.uniform, 2, g: (3, 32), d: (3, 32), adam(2e-3), adam(1e-3), kD: 1)
        case .interval: set(.uniform, 1, g: (2, 8), d: (2, 8), sgd(0.1), sgd(0.03), kD: 2)
        }
    }
}
