import GANEngine

/// A client's command, typed, with its payload validated (docs/protocol.md §2.3). Wire names live in
/// `CommandDecoder`; what each command does lives in `Run`.
public enum Command: Sendable, Equatable {
    /// Become the run's controller.
    case auth(token: String)
    /// Frames at `fps` with these layers for this connection.
    case subscribe(fps: Int, layers: FrameLayers)
    /// Train at the run's speed.
    case play
    /// Stop at the end of the epoch under way (slow motion: before its next sub-step).
    case pause
    /// Pause, then train `count` epochs or single updates.
    case step(StepKind, count: Int)
    /// New weights from the same seed; settings and data kept.
    case reset
    /// Change settings (all or nothing).
    case configure([String: SettingValue])
    /// New data: a preset (with which settings) or a drawing.
    case data(RunData, defaults: DefaultsChoice)
    /// Rebuild from another seed.
    case seed(UInt64)
    /// Change the training pace.
    case speed(RunSpeed)
    /// Slow motion on or off.
    case slowMotion(isOn: Bool, secondsPerStep: Double)
    /// A new run from this one's current state.
    case fork

    /// Whether only the controller may send it (`auth`, `subscribe` and `fork` are for anyone).
    public var needsControl: Bool {
        switch self {
        case .auth, .subscribe, .fork: return false
        default: return true
        }
    }
}

/// What one `step` advances.
public enum StepKind: Sendable, Equatable {
    /// A whole epoch (k_D D updates, then k_G G updates).
    case epoch
    /// One discriminator update (counts as an epoch).
    case discriminator
    /// One generator update (counts as an epoch).
    case generator
}

/// Which settings a preset brings with it when the data changes.
public enum DefaultsChoice: Sendable, Equatable {
    /// The preset's settings from this profile replace the run's.
    case profile(SettingsProfile)
    /// The run keeps its settings.
    case keep
}
