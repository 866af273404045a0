#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// How a network's learning rate changes over the epochs: constant (the reference), step, cosine or
/// linear decay towards a floor. Two networks with two schedules and two rates give TTUR (Heusel et al.,
/// 2017) and its decaying variants.
///
/// A schedule is a pure function of the epoch, so it needs no state of its own: a restored or forked
/// trainer continues it exactly from its epoch.
public struct LearningRateSchedule: Sendable, Equatable {
    /// The shape of the decay.
    public enum Kind: String, Sendable, CaseIterable, Equatable {
        /// η(t) = η: no decay (the default and the reference's only option).
        case constant
        /// η(t) = η · max(floor, factor^⌊t / epochs⌋): multiplied by `stepFactor` every `epochs` epochs.
        case step
        /// η(t) = η · (floor + (1 − floor) · ½(1 + cos(π · min(t, T) / T))) (Loshchilov & Hutter, 2017, one cycle).
        case cosine
        /// η(t) = η · (floor + (1 − floor) · max(0, 1 − t / T)).
        case linear
    }

    /// The shape.
    public var kind: Kind = .constant
    /// T: the decay length (cosine, linear) or the interval between steps (step), in epochs.
    public var epochs: Int = 10_000
    /// The final rate as a fraction of η (0…1).
    public var floor: Float = 0.1
    /// The factor applied at each step of the step schedule (0.01…0.99).
    public var stepFactor: Float = 0.5

    /// The constant schedule.
    public init(kind: Kind = .constant, epochs: Int = 10_000, floor: Float = 0.1, stepFactor: Float = 0.5) {
        self.kind = kind
        self.epochs = epochs
        self.floor = floor
        self.stepFactor = stepFactor
    }

    /// η(t)/η after `completed` epochs (1 at the start; exactly 1 for `.constant`).
    public func factor(afterEpochs completed: Int) -> Double {
        let t = Double(max(completed, 0)), period = Double(max(epochs, 1)), f = Double(floor)
        switch kind {
        case .constant:
            return 1
        case .step:
            return max(f, pow(Double(stepFactor), (t / period).rounded(.down)))
        case .cosine:
            return f + (1 - f) * 0.5 * (1 + cos(Double.pi * min(t, period) / period))
        case .linear:
            return f + (1 - f) * max(0, 1 - t / period)
        }
    }

    /// The learning rate to use in the epoch after `completed` ones, for base rate `rate`.
    @inline(__always)
    public func learningRate(_ rate: Float, afterEpochs completed: Int) -> Float {
        kind == .constant ? rate : Float(Double(rate) * factor(afterEpochs: completed))
    }
}
