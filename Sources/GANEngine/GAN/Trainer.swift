/// Trains one GAN: owns the two networks, their optimisers, the seeded random stream and every
/// work buffer, so a steady-state step allocates nothing.
///
/// One epoch is k_D discriminator updates then k_G generator updates, each on a fresh batch of
/// real points and noise (the reference's "epoch", which is one iteration). Determinism: the
/// single `RandomSource` seeded from `configuration.seed` draws the initial weights (G first,
/// then D), then every batch in order, and nothing else touches it, so the same seed,
/// configuration and build give bit-identical weights after N epochs. Stabilisers that need random
/// numbers (instance noise, WGAN-GP's interpolation) draw from the same stream only while they are on,
/// so the reference settings replay exactly what they did before the stabilisers existed.
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
    /// The moving average of G's weights while `configuration.generatorAverage` is on.
    public internal(set) var generatorAverage: GeneratorAverage?
    /// Epochs (or single steps) trained so far.
    @exclusivity(unchecked) public internal(set) var epoch = 0
    /// D loss of the last discriminator update, without the gradient penalty (NaN before the first).
    @exclusivity(unchecked) public internal(set) var lastDiscriminatorLoss = Float.nan
    /// The gradient penalty (R1, R2 or WGAN-GP's) of the last discriminator update (NaN without one).
    @exclusivity(unchecked) public internal(set) var lastDiscriminatorPenalty = Float.nan
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
    var generatorWorkspace: MLPWorkspace
    /// D buffers, 2·`batchSize` rows: real points in the first half, fakes in the second.
    var discriminatorWorkspace: MLPWorkspace
    /// Gradient-penalty buffers (allocated when a penalty is first used).
    var penaltyWorkspace: PenaltyWorkspace?
    /// Which network produced a non-finite loss since the last rebuild, if any (sticky, like NaN weights).
    @exclusivity(unchecked) var nonFiniteLoss: String?
    /// Updates of the epoch under way already taken by `stepWithinEpoch()` (slow motion); 0 between epochs.
    public internal(set) var updatesTakenInEpoch = 0
    /// The batch-in-lanes path for narrow networks, nil when the general path runs (`FusedTrainingPath`).
    private(set) var fusedPath: FusedTrainingPath?

    /// Whether narrow networks may train on the fused path (default true); tests and benchmarks set
    /// false to run or time the general path on the same configuration. A pinned `backend` (not
    /// `.automatic`) asks for the GEMM kernels, so it runs the general path too.
    public var allowsFusedPath = true { didSet { refreshFusedPath() } }
    /// True when updates currently run on the fused path (chosen automatically from the configuration).
    public var isUsingFusedPath: Bool { fusedPath != nil }

    private func refreshFusedPath() {
        fusedPath = allowsFusedPath && backend == .automatic
            ? FusedTrainingPath.make(generator: generator, discriminator: discriminator, configuration: configuration,
                                     data: distribution) : nil
    }

    /// Validates `configuration`, seeds the random stream and initialises both networks; `backend`
    /// pins the GEMM kernels (benchmarks and tests; `.automatic` is right for everything else).
    public init(configuration: GANConfiguration, distribution: any RealDistribution,
                backend: GEMMBackend = .automatic) throws(ConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.distribution = distribution
        self.backend = backend
        var random = RandomSource(seed: configuration.seed)
        let (g, d) = (Self.makeGenerator(configuration, backend: backend, random: &random),
                      Self.makeDiscriminator(configuration, backend: backend, random: &random))
        self.random = random
        generator = g
        discriminator = d
        noise = configuration.noise
        discriminatorOptimizer = Optimizer(configuration.discriminator.optimizer, parameters: d.parameters)
        generatorOptimizer = Optimizer(configuration.generator.optimizer, parameters: g.parameters)
        generatorWorkspace = MLPWorkspace(for: g, rowCapacity: configuration.batchSize)
        discriminatorWorkspace = MLPWorkspace(for: d, rowCapacity: 2 * configuration.batchSize)
        if configuration.generatorAverage { startAverage() }
        refreshFusedPath()
    }

    static func makeGenerator(_ c: GANConfiguration, backend: GEMMBackend, random: inout RandomSource) -> MLP {
        MLP(inputWidth: c.noiseDimension, hiddenWidths: c.generator.hiddenWidths, outputWidth: 2,
            activation: c.generator.activation, outputActivation: c.generatorOutput == .tanh ? .tanh : .linear,
            batchNorm: c.generator.batchNorm, initialization: c.generator.initialization, backend: backend, random: &random)
    }

    static func makeDiscriminator(_ c: GANConfiguration, backend: GEMMBackend, random: inout RandomSource) -> MLP {
        MLP(inputWidth: 2, hiddenWidths: c.discriminator.hiddenWidths, outputWidth: 1,
            activation: c.discriminator.activation, outputActivation: .linear,
            batchNorm: false, initialization: c.discriminator.initialization, backend: backend, random: &random)
    }

    /// The generator the views show: the averaged one while the average is on and
    /// `views.showsAveragedGenerator`, else the raw one.
    public var shownGenerator: MLP {
        if configuration.views.showsAveragedGenerator, let generatorAverage { return generatorAverage.network }
        return generator
    }

    /// Starts the weight average at G's current weights.
    func startAverage() {
        let c = configuration, backend = backend
        generatorAverage = GeneratorAverage(copying: generator) { Self.makeGenerator(c, backend: backend, random: &$0) }
    }

    /// Applies new settings between steps. Optimiser, learning rate and schedule, loss, smoothing,
    /// clipping, penalties, instance noise, averaging, k_D/k_G, batch size and views change live and keep
    /// the weights (a changed learning rate keeps the optimiser state too; a changed rule restarts it;
    /// turning the average on starts it at the current weights). A changed network shape, activation,
    /// initialisation, output, noise or seed rebuilds both networks from the seed and resets the epoch to 0.
    public func update(configuration new: GANConfiguration) throws(ConfigurationError) {
        try new.validate()
        let old = configuration
        configuration = new
        defer { refreshFusedPath() }
        if old.structure != new.structure {
            random = RandomSource(seed: new.seed)
            generator = Self.makeGenerator(new, backend: backend, random: &random)
            discriminator = Self.makeDiscriminator(new, backend: backend, random: &random)
            generation += 1
            nonFiniteLoss = nil
            noise = new.noise
            discriminatorOptimizer = Optimizer(new.discriminator.optimizer, parameters: discriminator.parameters)
            generatorOptimizer = Optimizer(new.generator.optimizer, parameters: generator.parameters)
            generatorWorkspace = MLPWorkspace(for: generator, rowCapacity: new.batchSize)
            discriminatorWorkspace = MLPWorkspace(for: discriminator, rowCapacity: 2 * new.batchSize)
            penaltyWorkspace = nil
            generatorAverage = nil
            if new.generatorAverage { startAverage() }
            epoch = 0
            updatesTakenInEpoch = 0
            lastDiscriminatorLoss = .nan
            lastDiscriminatorPenalty = .nan
            lastGeneratorLoss = .nan
            lastGeneratorGradientNorm = .nan
            return
        }
        // Fewer updates per epoch than already taken: the epoch under way is over.
        if updatesTakenInEpoch >= new.discriminatorSteps + new.generatorSteps { updatesTakenInEpoch = 0 }
        discriminatorOptimizer = Self.retune(discriminatorOptimizer, to: new.discriminator.optimizer)
        generatorOptimizer = Self.retune(generatorOptimizer, to: new.generator.optimizer)
        if !new.generatorAverage {
            generatorAverage = nil
        } else if generatorAverage == nil {
            startAverage()
        }
    }

    private static func retune(_ optimizer: Optimizer, to new: OptimizerConfiguration) -> Optimizer {
        if optimizer.configuration.canKeepState(switchingTo: new) {
            optimizer.configuration = new
            return optimizer
        }
        return Optimizer(new, parameters: optimizer.parameters)
    }

    /// Trains one epoch: k_D discriminator updates, then k_G generator updates (after finishing the epoch
    /// under way, if `stepWithinEpoch()` started one).
    public func trainEpoch() throws(TrainingError) {
        try finishEpoch()
        epoch += 1
        // Local copies of the stream and settings avoid a dynamic exclusivity check on every use.
        var stream = random
        let c = configuration
        // Narrow networks without stabilisers run each update on the fused path (`fusedPath`).
        for _ in 0..<c.discriminatorSteps { updateDiscriminator(&stream, c) }
        for _ in 0..<c.generatorSteps { updateGenerator(&stream, c) }
        random = stream
        try checkFinite()
    }

    /// Slow motion: the next update of an epoch, one network at a time in `trainEpoch()`'s order (k_D
    /// discriminator updates, then k_G generator updates). The first starts the epoch (`epoch` += 1) and the
    /// last ends it, so taking them all gives exactly `trainEpoch()`'s weights and stream. Returns the network
    /// it updated, nil for an empty epoch (k_D = k_G = 0).
    @discardableResult
    public func stepWithinEpoch() throws(TrainingError) -> UpdatedNetwork? {
        let c = configuration, total = c.discriminatorSteps + c.generatorSteps
        if updatesTakenInEpoch == 0 { epoch += 1 }
        guard total > 0 else { return nil }
        let network: UpdatedNetwork = updatesTakenInEpoch < c.discriminatorSteps ? .discriminator : .generator
        if network == .discriminator { updateDiscriminator(&random, c) } else { updateGenerator(&random, c) }
        updatesTakenInEpoch += 1
        if updatesTakenInEpoch >= total { updatesTakenInEpoch = 0 }
        try checkFinite()
        return network
    }

    /// Takes the remaining updates of the epoch `stepWithinEpoch()` started, if any.
    public func finishEpoch() throws(TrainingError) {
        while updatesTakenInEpoch > 0 { try stepWithinEpoch() }
    }

    /// Trains `count` epochs, stopping at the first divergence.
    public func train(epochs count: Int) throws(TrainingError) {
        for _ in 0..<count { try trainEpoch() }
    }

    /// One discriminator update only (the reference's "Discriminator" step button); counts as an epoch
    /// (after the epoch under way, if `stepWithinEpoch()` started one).
    public func stepDiscriminator() throws(TrainingError) {
        try finishEpoch()
        epoch += 1
        updateDiscriminator(&random, configuration)
        try checkFinite()
    }

    /// One generator update only (the reference's "Generator" step button); counts as an epoch
    /// (after the epoch under way, if any).
    public func stepGenerator() throws(TrainingError) {
        try finishEpoch()
        epoch += 1
        updateGenerator(&random, configuration)
        try checkFinite()
    }

    private func checkFinite() throws(TrainingError) {
        if let network = nonFiniteLoss { throw .diverged(epoch: epoch, network: network) }
        if !discriminator.isFinite { throw .diverged(epoch: epoch, network: "discriminator") }
        if !generator.isFinite { throw .diverged(epoch: epoch, network: "generator") }
    }

    /// Fills G's input with a fresh noise batch and runs G in training mode: (B, noise) -> (B, 2).
    func generateBatch(_ batch: Int, _ random: inout RandomSource) -> Matrix {
        let gw = generatorWorkspace
        gw.setRows(batch)
        noise.sample(count: batch, into: gw.input.data, using: &random)
        return generator.forward(gw, mode: .training)
    }

    /// Adds σ·N(0, 1) to each of the `rows` × 2 inputs at `points` (instance noise; σ = 0 draws nothing).
    @inline(__always)
    static func addInstanceNoise(_ points: UnsafeMutablePointer<Float>, rows: Int, sigma: Float, _ random: inout RandomSource) {
        guard sigma > 0 else { return }
        let tables = ZigguratTables.shared
        for i in 0..<2 * rows { points[i] += sigma * random.nextNormal(using: tables) }
    }
}

/// Which network one update trained.
public enum UpdatedNetwork: Sendable, Equatable {
    case discriminator, generator
}
