/// Trains one GAN: owns the two networks, their optimisers, the seeded random stream and every
/// work buffer, so a steady-state step allocates nothing.
///
/// One epoch is k_D discriminator updates then k_G generator updates, each on a fresh batch of
/// real points and noise (the reference's "epoch", which is one iteration). Determinism: the
/// single `RandomSource` seeded from `configuration.seed` draws the initial weights (G first,
/// then D), then every batch in order, and nothing else touches it, so the same seed,
/// configuration and build give bit-identical weights after N epochs.
///
/// Not thread-safe: one thread at a time (per-step properties skip dynamic exclusivity checks).
/// Different trainers share no mutable state, so several can train at once on several threads
/// (tested: concurrent and sequential training give bit-identical weights).
public final class Trainer {
    /// The current settings.
    public private(set) var configuration: GANConfiguration
    /// The real data.
    public let distribution: any RealDistribution
    /// The generator: noise (dimension) → point (2).
    public private(set) var generator: MLP
    /// The discriminator: point (2) → score (1).
    public private(set) var discriminator: MLP
    /// Updates D.
    public private(set) var discriminatorOptimizer: Optimizer
    /// Updates G.
    public private(set) var generatorOptimizer: Optimizer
    /// Epochs (or single steps) trained so far.
    @exclusivity(unchecked) public internal(set) var epoch = 0
    /// D loss of the last discriminator update (NaN before the first).
    @exclusivity(unchecked) public internal(set) var lastDiscriminatorLoss = Float.nan
    /// G loss of the last generator update (NaN before the first).
    @exclusivity(unchecked) public internal(set) var lastGeneratorLoss = Float.nan
    /// L2 norm of G's parameter gradient in the last generator update (small when the loss saturates).
    @exclusivity(unchecked) public internal(set) var lastGeneratorGradientNorm = Float.nan
    /// The run's random stream (data, noise, initialisation, batches).
    public internal(set) var random: RandomSource
    /// Which GEMM kernels the networks use (fixed for the trainer's life; `.automatic` picks by size).
    public let backend: GEMMBackend
    /// Counts this trainer's network rebuilds (0 after `init`): views compare it to notice new networks.
    public private(set) var generation = 0

    var noise: NoiseDistribution
    /// G buffers, `batchSize` rows.
    private var generatorWorkspace: MLPWorkspace
    /// D buffers, 2·`batchSize` rows: real points in the first half, fakes in the second.
    private var discriminatorWorkspace: MLPWorkspace

    /// Validates `configuration`, seeds the random stream and initialises both networks; `backend`
    /// pins the GEMM kernels (benchmarks and tests; `.automatic` is right for everything else).
    public init(configuration: GANConfiguration, distribution: any RealDistribution,
                backend: GEMMBackend = .automatic) throws(ConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.distribution = distribution
        self.backend = backend
        var random = RandomSource(seed: configuration.seed)
        let (g, d) = Self.makeNetworks(configuration, backend: backend, random: &random)
        self.random = random
        generator = g
        discriminator = d
        noise = configuration.noise
        discriminatorOptimizer = Optimizer(configuration.discriminator.optimizer, parameters: d.parameters)
        generatorOptimizer = Optimizer(configuration.generator.optimizer, parameters: g.parameters)
        generatorWorkspace = MLPWorkspace(for: g, rowCapacity: configuration.batchSize)
        discriminatorWorkspace = MLPWorkspace(for: d, rowCapacity: 2 * configuration.batchSize)
    }

    private static func makeNetworks(_ c: GANConfiguration, backend: GEMMBackend, random: inout RandomSource) -> (MLP, MLP) {
        let g = MLP(inputWidth: c.noiseDimension, hiddenWidths: c.generator.hiddenWidths, outputWidth: 2,
                    activation: c.generator.activation,
                    outputActivation: c.generatorOutput == .tanh ? .tanh : .linear,
                    batchNorm: c.generator.batchNorm, initialization: c.generator.initialization,
                    backend: backend, random: &random)
        let d = MLP(inputWidth: 2, hiddenWidths: c.discriminator.hiddenWidths, outputWidth: 1,
                    activation: c.discriminator.activation, outputActivation: .linear,
                    batchNorm: false, initialization: c.discriminator.initialization,
                    backend: backend, random: &random)
        return (g, d)
    }

    /// Applies new settings between steps. Optimiser, learning rate, loss, smoothing, clipping,
    /// k_D/k_G, batch size and views change live and keep the weights (a changed learning rate
    /// keeps the optimiser state too; a changed rule restarts it). A changed network shape,
    /// activation, initialisation, output, noise or seed rebuilds both networks from the
    /// seed and resets the epoch to 0.
    public func update(configuration new: GANConfiguration) throws(ConfigurationError) {
        try new.validate()
        let old = configuration
        configuration = new
        if old.structure != new.structure {
            random = RandomSource(seed: new.seed)
            (generator, discriminator) = Self.makeNetworks(new, backend: backend, random: &random)
            generation += 1
            nonFiniteLoss = nil
            noise = new.noise
            discriminatorOptimizer = Optimizer(new.discriminator.optimizer, parameters: discriminator.parameters)
            generatorOptimizer = Optimizer(new.generator.optimizer, parameters: generator.parameters)
            generatorWorkspace = MLPWorkspace(for: generator, rowCapacity: new.batchSize)
            discriminatorWorkspace = MLPWorkspace(for: discriminator, rowCapacity: 2 * new.batchSize)
            epoch = 0
            lastDiscriminatorLoss = .nan
            lastGeneratorLoss = .nan
            lastGeneratorGradientNorm = .nan
            return
        }
        discriminatorOptimizer = Self.retune(discriminatorOptimizer, to: new.discriminator.optimizer)
        generatorOptimizer = Self.retune(generatorOptimizer, to: new.generator.optimizer)
    }

    private static func retune(_ optimizer: Optimizer, to new: OptimizerConfiguration) -> Optimizer {
        if optimizer.configuration.canKeepState(switchingTo: new) {
            optimizer.configuration = new
            return optimizer
        }
        return Optimizer(new, parameters: optimizer.parameters)
    }

    /// Trains one epoch: k_D discriminator updates, then k_G generator updates.
    public func trainEpoch() throws(TrainingError) {
        epoch += 1
        // Local copies of the stream and settings avoid a dynamic exclusivity check on every use.
        var stream = random
        let c = configuration
        for _ in 0..<c.discriminatorSteps { updateDiscriminator(&stream, c) }
        for _ in 0..<c.generatorSteps { updateGenerator(&stream, c) }
        random = stream
        try checkFinite()
    }

    /// Trains `count` epochs, stopping at the first divergence.
    public func train(epochs count: Int) throws(TrainingError) {
        for _ in 0..<count { try trainEpoch() }
    }

    /// One discriminator update only (the reference's "Discriminator" step button); counts as an epoch.
    public func stepDiscriminator() throws(TrainingError) {
        epoch += 1
        updateDiscriminator(&random, configuration)
        try checkFinite()
    }

    /// One generator update only (the reference's "Generator" step button); counts as an epoch.
    public func stepGenerator() throws(TrainingError) {
        epoch += 1
        updateGenerator(&random, configuration)
        try checkFinite()
    }

    /// Which network produced a non-finite loss since the last rebuild, if any (sticky, like NaN weights).
    @exclusivity(unchecked) var nonFiniteLoss: String?

    private func checkFinite() throws(TrainingError) {
        if let network = nonFiniteLoss { throw .diverged(epoch: epoch, network: network) }
        if !discriminator.isFinite { throw .diverged(epoch: epoch, network: "discriminator") }
        if !generator.isFinite { throw .diverged(epoch: epoch, network: "generator") }
    }

    /// Fills G's input with a fresh noise batch and runs G in training mode: (B, noise) -> (B, 2).
    private func generateBatch(_ batch: Int, _ random: inout RandomSource) -> Matrix {
        let gw = generatorWorkspace
        gw.setRows(batch)
        noise.sample(count: batch, into: gw.input.data, using: &random)
        return generator.forward(gw, mode: .training)
    }

    /// One discriminator update on B real points and B fakes, as one (2B, 2) batch through D.
    private func updateDiscriminator(_ random: inout RandomSource, _ configuration: GANConfiguration) {
        let batch = configuration.batchSize
        let fakes = generateBatch(batch, &random)
        let dw = discriminatorWorkspace
        dw.setRows(2 * batch)
        distribution.sample(count: batch, into: dw.input.data, using: &random)
        (dw.input.data + 2 * batch).update(from: fakes.data, count: 2 * batch)
        let scores = discriminator.forward(dw, mode: .training)  // (2B, 1)
        let gradient = dw.outputGradient.data
        lastDiscriminatorLoss = configuration.loss.discriminatorLoss(
            real: scores.data, realCount: batch, fake: scores.data + batch, fakeCount: batch,
            realTarget: configuration.realTarget, realGradient: gradient, fakeGradient: gradient + batch)
        if !lastDiscriminatorLoss.isFinite && nonFiniteLoss == nil { nonFiniteLoss = "discriminator" }
        discriminator.backward(dw, computesParameterGradients: true, computesInputGradient: false)
        discriminatorOptimizer.step()
        if configuration.loss == .wasserstein { discriminator.clipParameters(to: configuration.weightClip) }
    }

    /// One generator update: dL_G/dx from D's input gradient, backpropagated through G.
    private func updateGenerator(_ random: inout RandomSource, _ configuration: GANConfiguration) {
        let batch = configuration.batchSize
        let fakes = generateBatch(batch, &random)
        let dw = discriminatorWorkspace, gw = generatorWorkspace
        dw.setRows(batch)
        dw.input.data.update(from: fakes.data, count: 2 * batch)
        let scores = discriminator.forward(dw, mode: .training)  // (B, 1)
        lastGeneratorLoss = configuration.loss.generatorLoss(fake: scores.data, count: batch, gradient: dw.outputGradient.data)
        if !lastGeneratorLoss.isFinite && nonFiniteLoss == nil { nonFiniteLoss = "generator" }
        discriminator.backward(dw, computesParameterGradients: false, computesInputGradient: true)
        gw.outputGradient.data.update(from: dw.inputGradient.data, count: 2 * batch)  // (B, 2)
        generator.backward(gw, computesParameterGradients: true, computesInputGradient: false)
        lastGeneratorGradientNorm = Float(generator.gradientNormSquared.squareRoot())
        generatorOptimizer.step()
    }
}
