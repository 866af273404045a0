extension GANConfiguration {
    /// Replaces the reference settings with the lab's defaults for `preset`: networks, optimisers, loss,
    /// stabilisers and batch chosen by measurement so the preset visibly converges (docs/engine.md,
    /// "Presets that converge": the recipe, why each part is there, and the measured table per preset and
    /// seed). The seed and the view settings are kept, and the noise too except where a preset says otherwise.
    ///
    /// One recipe for all ten, with per-preset sizes (`LabRecipe.for(_:)`):
    /// - 3 hidden layers in both networks, 32 wide for the simple shapes (line, gaussians, interval) and 64
    ///   for the rest (more modes, corners and curvature to draw; 32 measured 2× worse on disjoint and grid25);
    ///   line's D is 64 wide (a thin shape needs a sharp critic: 2.4-4.4× its floor with D 32, 1.8-2.5× with 64);
    ///   D leaky ReLU; G plain ReLU for the clustered shapes (gaussians, disjoint, ring8, grid25, checkerboard),
    ///   whose flat regions leave less mass between the clusters (disjoint 6.2 → 2.9× its floor, ring8 7.8 →
    ///   4.3×), and leaky ReLU for the curves (line, ring, moons, spiral, interval), which measured better so;
    /// - Adam with β₁ = 0, β₂ = 0.99 at η = 1e-3 for both (β₁ = 0 damps the rotation of GAN dynamics that
    ///   momentum feeds; β₁ = 0.5 measured 1.6-3.5× worse), batch 512 (line and the clustered shapes disjoint,
    ///   ring8 and grid25 1,024: less jitter on a thin shape and on the clusters' fine shape);
    /// - 3 D updates per G update: D is what limits the speed here (its loss sits at
    ///   ln 4 and the G gradient it gives is small); 1 : 1 measured 1.3-1.7× worse;
    /// - R1 with γ = 1, applied lazily every 4th D update with weight 4γ (Mescheder et al. 2018; Karras et
    ///   al. 2020): γ from 0.001 to 1 measured about the same, and it keeps training from oscillating; line
    ///   takes γ = 0.1 (its sharp 64-wide critic, less smoothed: 1.38-2.13× its floor against 1.76-2.48×), and so
    ///   do the clustered shapes (`LabRecipe.clusters`);
    /// - both learning rates on a cosine decay to 5 % over the first 10,000 epochs (constant rates leave G
    ///   jittering: 2.7× worse on disjoint), and the views showing an exponential moving average of G's weights
    ///   with β = 0.99 (Yazıcı et al. 2019): β = 0.999 lags and its averaged weights draw modes too narrow;
    ///   the clustered shapes decay to 1 % and average with β = 0.998, which smooths the last steps' jitter;
    /// - the noise is the reference's per preset except two: ring draws Gaussian noise (a disc of noise wraps onto
    ///   a ring evenly; uniform measured 1.97-2.38× its floor, Gaussian 1.37-1.74×), grid25 uniform (a square of
    ///   noise cuts into a 5×5 grid with less mass between the modes).
    public mutating func applyLabDefaults(for preset: Preset) {
        let recipe = LabRecipe.for(preset)
        for network in [\GANConfiguration.generator, \GANConfiguration.discriminator] {
            self[keyPath: network].hiddenLayers = 3
            self[keyPath: network].neurons = network == \GANConfiguration.generator ? recipe.width : recipe.discriminatorWidth ?? recipe.width
            self[keyPath: network].activation = network == \GANConfiguration.generator ? recipe.generatorActivation : .leakyReLU(slope: 0.2)
            self[keyPath: network].optimizer = OptimizerConfiguration(kind: .adam, learningRate: 1e-3, beta1: 0, beta2: 0.99)
            self[keyPath: network].schedule = LearningRateSchedule(kind: .cosine, epochs: 10_000, floor: recipe.scheduleFloor)
        }
        if let noiseKind = recipe.noiseKind { self.noiseKind = noiseKind }
        loss = .nonSaturating
        discriminatorSteps = recipe.discriminatorSteps
        generatorSteps = recipe.generatorSteps
        batchSize = recipe.batchSize
        penalty = .r1
        penaltyWeight = recipe.penaltyWeight
        penaltyInterval = 4
        generatorAverage = true
        generatorAverageDecay = recipe.generatorAverageDecay
        views.showsAveragedGenerator = true
    }
}

/// What the lab defaults change per preset (the rest of the recipe is shared: `applyLabDefaults(for:)`).
struct LabRecipe {
    /// Neurons in every hidden layer of both networks (D's unless `discriminatorWidth` says otherwise).
    var width = 64
    /// Neurons in D's hidden layers, when not `width`.
    var discriminatorWidth: Int?
    /// G's hidden activation (D's is always leaky ReLU 0.2).
    var generatorActivation = Activation.leakyReLU(slope: 0.2)
    /// D updates per epoch.
    var discriminatorSteps = 3
    /// G updates per epoch.
    var generatorSteps = 1
    /// Points per batch.
    var batchSize = 512
    /// The noise kind, when not the reference's.
    var noiseKind: NoiseDistribution.Kind?
    /// R1's γ.
    var penaltyWeight: Float = 1
    /// Where both cosine schedules end, as a share of the starting rate.
    var scheduleFloor: Float = 0.05
    /// β of the generator's moving average.
    var generatorAverageDecay: Float = 0.99

    /// The clustered shapes' recipe (disjoint, ring8, grid25): G ReLU, and less jitter at the end, where the
    /// clusters' fine shape is drawn: batch 1,024, R1's γ 0.1, rates down to 1 %, and G averaged over ~500 steps
    /// (disjoint 2.9-4.8× → 1.6-2.6× its floor, ring8 3.9-4.9× → 2.8-4.0×, grid25 3.5-4.4× → 2.7-4.1×).
    static func clusters(noiseKind: NoiseDistribution.Kind? = nil) -> LabRecipe {
        LabRecipe(generatorActivation: .relu, batchSize: 1_024, noiseKind: noiseKind, penaltyWeight: 0.1,
                  scheduleFloor: 0.01, generatorAverageDecay: 0.998)
    }

    /// The recipe for `preset` (measured: docs/engine.md, "Presets that converge").
    static func `for`(_ preset: Preset) -> LabRecipe {
        switch preset {
        case .line: LabRecipe(width: 32, discriminatorWidth: 64, batchSize: 1_024, penaltyWeight: 0.1)
        case .interval: LabRecipe(width: 32)
        case .gaussians: LabRecipe(width: 32, generatorActivation: .relu)
        case .ring: LabRecipe(noiseKind: .gaussian)
        case .moons, .spiral: LabRecipe()
        case .checkerboard: LabRecipe(generatorActivation: .relu)
        case .disjoint, .ringOfGaussians: .clusters()
        case .gridOfGaussians: .clusters(noiseKind: .uniform)
        }
    }
}
