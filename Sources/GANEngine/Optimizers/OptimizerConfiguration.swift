/// Which update rule trains a network, with its hyperparameters.
public struct OptimizerConfiguration: Sendable, Equatable {
    /// The update rules.
    public enum Kind: String, Sendable, CaseIterable, Equatable {
        /// w ← w − η·g.
        case sgd
        /// Classical momentum (Polyak, 1964), PyTorch form: v ← μ·v + g; w ← w − η·v.
        case momentum
        /// Adam (Kingma & Ba, 2014).
        case adam
        /// RMSProp (Tieleman & Hinton, 2012): r ← ρ·r + (1−ρ)·g²; w ← w − η·g/(√r + ε).
        case rmsprop
    }

    /// The update rule.
    public var kind: Kind
    /// η, the step size.
    public var learningRate: Float
    /// μ for `.momentum`.
    public var momentum: Float
    /// β₁ for Adam (first-moment decay).
    public var beta1: Float
    /// β₂ for Adam (second-moment decay).
    public var beta2: Float
    /// ρ for RMSProp (squared-gradient decay).
    public var rmsDecay: Float
    /// ε in Adam's and RMSProp's denominators.
    public var epsilon: Float

    /// A configuration; defaults follow the papers (μ 0.9, β₁ 0.9, β₂ 0.999, ρ 0.9, ε 1e-8).
    public init(kind: Kind = .sgd, learningRate: Float = 0.1, momentum: Float = 0.9,
                beta1: Float = 0.9, beta2: Float = 0.999, rmsDecay: Float = 0.9, epsilon: Float = 1e-8) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.beta1 = beta1
        self.beta2 = beta2
        self.rmsDecay = rmsDecay
        self.epsilon = epsilon
    }

    /// True when switching from `self` to `other` can keep the accumulated state (same rule and
    /// same decay constants; only the learning rate may differ).
    public func canKeepState(switchingTo other: OptimizerConfiguration) -> Bool {
        var a = self, b = other
        a.learningRate = 0
        b.learningRate = 0
        return a == b
    }
}
