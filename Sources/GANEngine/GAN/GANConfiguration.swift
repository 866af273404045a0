/// Every setting of a GAN run, with every limit and default in one documented place.
///
/// Conventions: "hidden layers" counts real hidden layers (the reference's "N hidden layers" is
/// N + 1 of ours). All limits are in `GANConfiguration.Limits`; `validate()` checks them and
/// names the field and the allowed range. The data distribution is not part of this value
/// (a drawn point set is data, not a setting): a `Trainer` takes it alongside.
public struct GANConfiguration: Sendable, Equatable {
    /// The allowed ranges (closed unless noted), tested at their edges.
    public enum Limits {
        /// Hidden layers per network.
        public static let hiddenLayers: ClosedRange<Int> = 0...6
        /// Neurons per hidden layer.
        public static let neurons: ClosedRange<Int> = 1...256
        /// LeakyReLU negative slope.
        public static let leakySlope: ClosedRange<Float> = 0.01...0.99
        /// Learning rate of either optimiser.
        public static let learningRate: ClosedRange<Float> = 1e-6...10
        /// Momentum μ, Adam β₁ and β₂, RMSProp ρ.
        public static let decay: ClosedRange<Float> = 0...0.9999
        /// ε of Adam and RMSProp.
        public static let epsilon: ClosedRange<Float> = 1e-12...1
        /// Discriminator and generator updates per epoch.
        public static let steps: ClosedRange<Int> = 0...10
        /// Points per batch.
        public static let batchSize: ClosedRange<Int> = 1...4096
        /// Real target with one-sided label smoothing.
        public static let smoothedRealLabel: ClosedRange<Float> = 0.5...0.99
        /// WGAN weight-clipping bound c.
        public static let weightClip: ClosedRange<Float> = 1e-4...10
        /// Noise dimensions.
        public static let noiseDimension: ClosedRange<Int> = 1...8
        /// Fakes shown (fixed noise set).
        public static let fakeSampleCount: ClosedRange<Int> = 1...10_000
        /// Decision-field grid side R.
        public static let decisionResolution: ClosedRange<Int> = 2...128
        /// Coarse gradient-field grid side.
        public static let arrowGridResolution: ClosedRange<Int> = 2...64
        /// Manifold cells M per side ((M+1)² lattice points).
        public static let manifoldCells: ClosedRange<Int> = 1...64
        /// Fakes used by the divergence metrics.
        public static let metricSampleCount: ClosedRange<Int> = 100...100_000
        /// γ of the R1 / R2 penalty.
        public static let penaltyWeight: ClosedRange<Float> = 1e-4...1_000
        /// Discriminator updates between two R1/R2 penalty steps (lazy regularisation).
        public static let penaltyInterval: ClosedRange<Int> = 1...16
        /// λ of WGAN-GP's penalty.
        public static let wassersteinPenaltyWeight: ClosedRange<Float> = 1e-3...1_000
        /// Instance noise σ at the start (data units; the square is 2 wide).
        public static let instanceNoiseSigma: ClosedRange<Float> = 1e-4...0.5
        /// Epochs over which instance noise anneals to 0 (0: never).
        public static let instanceNoiseAnnealEpochs: ClosedRange<Int> = 0...10_000_000
        /// β of the generator's weight average.
        public static let averageDecay: ClosedRange<Float> = 0.5...0.99999
        /// Learning-rate schedule length T or step interval, in epochs.
        public static let scheduleEpochs: ClosedRange<Int> = 1...10_000_000
        /// Final learning rate as a fraction of the base rate.
        public static let scheduleFloor: ClosedRange<Float> = 0...1
        /// Factor per step of the step schedule.
        public static let scheduleStepFactor: ClosedRange<Float> = 0.01...0.99
    }

    /// One network's shape and training.
    public struct Network: Sendable, Equatable {
        /// Real hidden layers, 0...6 (default 2: the reference's "1 hidden layer").
        public var hiddenLayers: Int
        /// Neurons in each hidden layer, 1...256 (default 8).
        public var neurons: Int
        /// Hidden activation: ReLU (default), LeakyReLU(slope 0.01...0.99, default 0.2) or tanh.
        /// Setting `.leakyReLU(slope:)` also sets `leakySlope`; reading gives the kept slope.
        public var activation: Activation {
            get {
                if case .leakyReLU = storedActivation { return .leakyReLU(slope: leakySlope) }
                return storedActivation
            }
            set {
                storedActivation = Self.canonical(newValue)
                if case .leakyReLU(let slope) = newValue { leakySlope = slope }
            }
        }
        /// The leaky-ReLU slope, kept while another activation is chosen (its own setting in the table).
        public var leakySlope: Float = Activation.defaultLeakySlope
        /// The activation without its slope (which lives in `leakySlope` only, so equality sees one copy).
        private var storedActivation: Activation

        private static func canonical(_ activation: Activation) -> Activation {
            if case .leakyReLU = activation { return .leakyReLU(slope: Activation.defaultLeakySlope) }
            return activation
        }
        /// Batch norm after each hidden dense layer (generator only; default off).
        public var batchNorm: Bool
        /// Weight initialisation (default GAN Lab's N(0, 1/fan_in)).
        public var initialization: Initialization
        /// Update rule and learning rate.
        public var optimizer: OptimizerConfiguration
        /// How the learning rate changes over the epochs (default constant).
        public var schedule = LearningRateSchedule()

        /// A network setting; defaults as documented on each field.
        public init(hiddenLayers: Int = 2, neurons: Int = 8, activation: Activation = .relu, batchNorm: Bool = false,
                    initialization: Initialization = .ganLab, optimizer: OptimizerConfiguration = OptimizerConfiguration()) {
            self.hiddenLayers = hiddenLayers
            self.neurons = neurons
            self.storedActivation = Self.canonical(activation)
            if case .leakyReLU(let slope) = activation { leakySlope = slope }
            self.batchNorm = batchNorm
            self.initialization = initialization
            self.optimizer = optimizer
        }

        /// The widths of the hidden layers.
        public var hiddenWidths: [Int] { Array(repeating: neurons, count: hiddenLayers) }
    }

    /// The generator's last activation.
    public enum GeneratorOutput: String, Sendable, CaseIterable, Equatable {
        /// tanh: fakes always inside [-1, 1]² (default).
        case tanh
        /// Identity: fakes may leave the view; views clamp them to the border, metrics count them.
        case linear
    }

    /// What the views compute each frame.
    public struct Views: Sendable, Equatable {
        /// Fakes shown, drawn from a fixed noise set so they move smoothly (default 500).
        public var fakeSampleCount: Int = 500
        /// Decision-field grid side R (R×R cells over [-1, 1]², default 64).
        public var decisionResolution: Int = 64
        /// Coarse gradient-field grid side (default 16).
        public var arrowGridResolution: Int = 16
        /// Manifold cells M per side (default 20).
        public var manifoldCells: Int = 20
        /// Fakes binned for KL/JS each frame (default 4,000).
        public var metricSampleCount: Int = 4_000
        /// With the generator average on: show (and measure) the averaged generator instead of the raw one.
        public var showsAveragedGenerator: Bool = true
        /// The defaults.
        public init() {}
    }

    /// The seed of the one `RandomSource` that drives data, noise, initialisation and batches, 0...2⁵³ − 1
    /// (`maximumSeed`: seeds travel as JSON numbers; `validate()` refuses larger values). Default 1.
    public var seed: UInt64 = 1
    /// The generator (default: 2 ReLU layers of 8, SGD η = 0.03).
    public var generator = Network(optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.03))
    /// The discriminator (default: 2 ReLU layers of 8, SGD η = 0.1); never uses batch norm.
    public var discriminator = Network(optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.1))
    /// The generator's output activation (default tanh).
    public var generatorOutput: GeneratorOutput = .tanh
    /// Noise distribution kind (default Gaussian, as the reference's page load).
    public var noiseKind: NoiseDistribution.Kind = .gaussian
    /// Noise dimensions, 1...8 (default 2; the manifold view needs 1 or 2).
    public var noiseDimension: Int = 2
    /// Adversarial loss (default non-saturating).
    public var loss: GANLoss = .nonSaturating
    /// One-sided label smoothing of the real target (Salimans et al., 2016); off by default.
    public var labelSmoothing: Bool = false
    /// The smoothed real target when `labelSmoothing` is on, 0.5...0.99 (default 0.9).
    public var smoothedRealLabel: Float = 0.9
    /// WGAN clipping bound c, 1e-4...10 (default 0.01, Arjovsky et al., 2017); used only by `.wasserstein`.
    public var weightClip: Float = 0.01
    /// Discriminator updates per epoch k_D, 0...10 (default 2).
    public var discriminatorSteps: Int = 2
    /// Generator updates per epoch k_G, 0...10 (default 1).
    public var generatorSteps: Int = 1
    /// Points per batch, 1...4096 (default 150).
    public var batchSize: Int = 150
    /// Zero-centred gradient penalty on D (Mescheder et al., 2018): none (default), R1 on real or R2 on fake samples.
    public var penalty: GradientPenalty = .none
    /// γ of the R1/R2 penalty γ/2 · E‖∇ₓD(x)‖² (default 1).
    public var penaltyWeight: Float = 1
    /// Apply R1/R2 every this many D updates, with weight γ · interval (lazy regularisation, Karras et al.,
    /// 2020, StyleGAN2 §3.1: the same penalty on average at a fraction of the cost; default 1: every update).
    public var penaltyInterval: Int = 1
    /// λ of WGAN-GP's penalty λ · E(‖∇ₓD(x̂)‖ − 1)² (Gulrajani et al., 2017; default 10); used only by `.wassersteinGP`.
    public var wassersteinPenaltyWeight: Float = 10
    /// Instance noise (Sønderby et al., 2016; Arjovsky & Bottou, 2017): Gaussian noise on every input of D; off by default.
    public var instanceNoise: Bool = false
    /// Instance noise σ at epoch 0 (default 0.1).
    public var instanceNoiseSigma: Float = 0.1
    /// Epochs over which σ falls linearly to 0 (default 5,000; 0 keeps it constant).
    public var instanceNoiseAnnealEpochs: Int = 5_000
    /// An exponential moving average of G's weights (Yazıcı et al., 2019); off by default.
    public var generatorAverage: Bool = false
    /// β of the average (default 0.999).
    public var generatorAverageDecay: Float = 0.999
    /// View settings.
    public var views = Views()

    /// The defaults (the reference's page-load settings on our conventions).
    public init() {}

    /// The noise distribution (valid once `validate()` passed).
    public var noise: NoiseDistribution { NoiseDistribution(kind: noiseKind, dimension: noiseDimension) }

    /// The real-sample target the discriminator loss uses.
    public var realTarget: Float { labelSmoothing && loss.supportsLabelSmoothing ? smoothedRealLabel : 1 }

    /// True when every stabiliser is off and both learning rates are constant: the reference's training.
    public var stabilizersAreOff: Bool {
        gradientsAreUnregularised && !generatorAverage
            && generator.schedule.kind == .constant && discriminator.schedule.kind == .constant
    }

    /// True when the updates' gradients are the loss's alone: no R1/R2 penalty, no WGAN-GP and no instance noise
    /// (schedules and the generator average may be on: they act after the gradients). The fused fast path
    /// (`FusedTrainingPath`) may then take the general one's place.
    public var gradientsAreUnregularised: Bool {
        penalty == .none && loss != .wassersteinGP && !instanceNoise
    }

    /// Instance noise σ for the epoch after `completed` ones: σ₀ · max(0, 1 − completed / anneal epochs), 0 when off.
    public func instanceNoiseSigma(afterEpochs completed: Int) -> Float {
        guard instanceNoise else { return 0 }
        guard instanceNoiseAnnealEpochs > 0 else { return instanceNoiseSigma }
        return instanceNoiseSigma * Float(max(0, 1 - Double(completed) / Double(instanceNoiseAnnealEpochs)))
    }
}
