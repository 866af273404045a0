/// The ten sub-steps of one epoch in slow motion (docs/protocol.md §3.4, after GAN Lab's two phases);
/// weights change only at `.discriminatorUpdate` and `.generatorUpdate`.
public enum SlowMotionStep: Int, Sendable, CaseIterable {
    case discriminatorGenerate = 1, discriminatorClassify, discriminatorLoss, discriminatorGradients, discriminatorUpdate
    case generatorGenerate, generatorClassify, generatorLoss, generatorGradients, generatorUpdate

    /// The wire name (`hello.slowmoSteps`).
    public var name: String {
        switch self {
        case .discriminatorGenerate: return "d-generate"
        case .discriminatorClassify: return "d-classify"
        case .discriminatorLoss: return "d-loss"
        case .discriminatorGradients: return "d-gradients"
        case .discriminatorUpdate: return "d-update"
        case .generatorGenerate: return "g-generate"
        case .generatorClassify: return "g-classify"
        case .generatorLoss: return "g-loss"
        case .generatorGradients: return "g-gradients"
        case .generatorUpdate: return "g-update"
        }
    }

    /// Whether this sub-step belongs to the discriminator's phase (1–5).
    public var isDiscriminatorPhase: Bool { rawValue <= 5 }
}

/// Where a slow-motion epoch stands: the next sub-step, and which of the k_D (or k_G) updates it belongs to.
public struct SlowMotionPosition: Sendable, Equatable {
    /// The sub-step to show next.
    public var next: SlowMotionStep
    /// 0-based index of the D (or G) update within the epoch.
    public var update: Int

    /// The start of an epoch: the D phase, or the G phase when k_D is 0.
    public static func start(discriminatorSteps: Int) -> SlowMotionPosition {
        SlowMotionPosition(next: discriminatorSteps > 0 ? .discriminatorGenerate : .generatorGenerate, update: 0)
    }

    /// The position after showing `next`; `epochEnded` when that finished the epoch.
    public func advanced(discriminatorSteps kD: Int, generatorSteps kG: Int) -> (position: SlowMotionPosition, epochEnded: Bool) {
        switch next {
        case .discriminatorUpdate:
            if update + 1 < kD { return (SlowMotionPosition(next: .discriminatorGenerate, update: update + 1), false) }
            if kG > 0 { return (SlowMotionPosition(next: .generatorGenerate, update: 0), false) }
            return (.start(discriminatorSteps: kD), true)
        case .generatorUpdate:
            if update + 1 < kG { return (SlowMotionPosition(next: .generatorGenerate, update: update + 1), false) }
            return (.start(discriminatorSteps: kD), true)
        default:
            return (SlowMotionPosition(next: SlowMotionStep(rawValue: next.rawValue + 1)!, update: update), false)
        }
    }
}
