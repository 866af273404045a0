import Foundation
import GANEngine

/// A run's state as other threads may read it (HTTP handlers, the registry): a value the run's worker
/// publishes after every change, so a `GET` never touches the trainer.
public struct RunStatus: Sendable {
    /// The run's code.
    public var code: RunCode
    /// Paused, playing or failed.
    public var playState: RunRecord.PlayState
    /// Why it failed, while failed.
    public var failure: String?
    /// Slow motion on.
    public var isSlowMotion: Bool
    /// Seconds between slow-motion sub-steps.
    public var secondsPerStep: Double
    /// The trainer's epoch.
    public var epoch: Int
    /// See docs/protocol.md, "Words".
    public var generation: Int
    /// Epochs per second while playing, or max.
    public var speed: RunSpeed
    /// Which per-preset settings the run started from.
    public var defaults: SettingsProfile
    /// Every setting in force.
    public var configuration: GANConfiguration
    /// The real data.
    public var data: RunData
    /// The real samples shown with it (`data.real`), row-major (x, y).
    public var shownReal: [Float]
    /// Connections watching.
    public var viewers: Int
    /// The newest metrics row, if any.
    public var metrics: MetricsRow?
    /// Steps waiting to be trained.
    public var outstandingSteps: Int
    /// When created and last changed.
    public var createdAt: Date, updatedAt: Date
    /// The run this one was forked from.
    public var forkedFrom: RunCode?
    /// The last command, join or leave, on the lab's monotonic clock (`LabClock`): how long the run has been idle.
    public var lastActivity: Double = 0
}
