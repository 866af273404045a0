import Foundation
import GANEngine

/// Everything that makes up a run, as one value: what is saved to the data directory, exported,
/// imported, forked and restored (docs/run-format.md encodes exactly this). The live `Run` builds one
/// with `record()` and is rebuilt from one with `Run(restoring:)`.
public struct RunRecord: Sendable, Equatable {
    /// Whether the run plays, is paused, or stopped on a divergence.
    public enum PlayState: String, Sendable, Equatable {
        case paused, playing, failed
    }

    /// The run's public code.
    public var code: RunCode
    /// SHA-256 of the control token (the token itself is never stored).
    public var tokenHash: [UInt8]
    /// The real data.
    public var data: RunData
    /// Which per-preset settings the run started from.
    public var defaults: SettingsProfile
    /// The trainer, exactly (configuration, epoch, random stream, weights, optimiser state, ...).
    public var trainer: TrainerState
    /// Paused, playing or failed.
    public var playState: PlayState
    /// The divergence message when failed.
    public var error: String?
    /// Epochs per second while playing; nil means "as fast as the scheduler allows".
    public var epochsPerSecond: Double?
    /// Slow motion on.
    public var isSlowMotion: Bool
    /// Seconds between slow-motion sub-steps.
    public var secondsPerStep: Double
    /// Increases whenever networks or data are replaced (docs/protocol.md, "Words").
    public var generation: Int
    /// The metrics history, oldest first.
    public var metrics: [MetricsRow]
    /// When the run was created and last changed.
    public var createdAt: Date, updatedAt: Date
    /// The run this one was forked from, if any.
    public var forkedFrom: RunCode?
    /// What was changed since the networks were last built, so the run can be shared from its start.
    public var edits: RunEditLog

    /// A record from its parts.
    public init(code: RunCode, tokenHash: [UInt8], data: RunData, defaults: SettingsProfile, trainer: TrainerState,
                playState: PlayState, error: String?, epochsPerSecond: Double?, isSlowMotion: Bool, generation: Int,
                metrics: [MetricsRow], createdAt: Date, updatedAt: Date, forkedFrom: RunCode?, secondsPerStep: Double = 1.5,
                edits: RunEditLog? = nil) {
        self.code = code
        self.tokenHash = tokenHash
        self.data = data
        self.defaults = defaults
        self.trainer = trainer
        self.playState = playState
        self.error = error
        self.epochsPerSecond = epochsPerSecond
        self.isSlowMotion = isSlowMotion
        self.secondsPerStep = secondsPerStep
        self.generation = generation
        self.metrics = metrics
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.forkedFrom = forkedFrom
        self.edits = edits ?? RunEditLog(base: trainer.configuration)
    }
}

/// A run's real data: a preset, or a person's drawn points.
public enum RunData: Sendable, Equatable {
    /// A built-in distribution.
    case preset(Preset)
    /// Drawn points (row-major x, y), per-point weights (nil: all equal) and jitter σ.
    case points(coordinates: [Float], weights: [Float]?, jitter: Float)
}

// `SettingsProfile` (lab / reference) lives in GANEngine: the engine builds both profiles.

/// One row of a run's metrics history (docs/protocol.md §2.2, `history`); NaN where not available.
public struct MetricsRow: Sendable, Equatable {
    /// The trainer's epoch when measured.
    public var epoch: Int
    /// The losses of the last updates and G's gradient norm.
    public var discriminatorLoss: Float, generatorLoss: Float, generatorGradientNorm: Float
    /// Divergences in bits, and JS's estimator floor.
    public var klRealFake: Float, klFakeReal: Float, js: Float, jsFloor: Float
    /// Modes holding too few fakes (NaN without modes).
    public var modesMissed: Float
    /// The KL divergences' estimator floors in bits (NaN in rows from files written before they were kept).
    public var klRealFakeFloor: Float, klFakeRealFloor: Float

    /// A row from its values.
    public init(epoch: Int, discriminatorLoss: Float, generatorLoss: Float, generatorGradientNorm: Float,
                klRealFake: Float, klFakeReal: Float, js: Float, jsFloor: Float, modesMissed: Float,
                klRealFakeFloor: Float = .nan, klFakeRealFloor: Float = .nan) {
        self.epoch = epoch
        self.discriminatorLoss = discriminatorLoss
        self.generatorLoss = generatorLoss
        self.generatorGradientNorm = generatorGradientNorm
        self.klRealFake = klRealFake
        self.klFakeReal = klFakeReal
        self.js = js
        self.jsFloor = jsFloor
        self.modesMissed = modesMissed
        self.klRealFakeFloor = klRealFakeFloor
        self.klFakeRealFloor = klFakeRealFloor
    }

    /// Bitwise equality (NaN equals NaN).
    public static func == (a: MetricsRow, b: MetricsRow) -> Bool {
        a.epoch == b.epoch && [a.discriminatorLoss, a.generatorLoss, a.generatorGradientNorm, a.klRealFake, a.klFakeReal,
                               a.js, a.jsFloor, a.modesMissed, a.klRealFakeFloor, a.klFakeRealFloor].map(\.bitPattern)
            == [b.discriminatorLoss, b.generatorLoss, b.generatorGradientNorm, b.klRealFake, b.klFakeReal,
                b.js, b.jsFloor, b.modesMissed, b.klRealFakeFloor, b.klFakeRealFloor].map(\.bitPattern)
    }
}

/// A run's public code: six characters from an alphabet without look-alikes (docs/protocol.md, "Words").
public struct RunCode: Sendable, Hashable, CustomStringConvertible {
    /// The 31 characters a code may use: no 0/O, 1/I/L.
    public static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    /// Characters per code.
    public static let length = 6

    /// The code in upper case.
    public let text: String

    /// Parses a code typed by a person (case-insensitive); nil unless 6 characters of the alphabet.
    public init?(_ text: String) {
        let upper = text.uppercased()
        guard upper.count == Self.length, upper.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        self.text = upper
    }

    /// The code as written.
    public var description: String { text }
}
