import GANEngine

/// What a new run starts from (`POST /api/runs`, docs/protocol.md §1 "Create"): data, the settings profile,
/// overrides, seed, speed and whether it plays. Validated as a whole by `makeConfiguration()`.
public struct RunBlueprint: Sendable, Equatable {
    /// A preset or a drawing.
    public var data: RunData
    /// Which per-preset settings to start from.
    public var defaults: SettingsProfile
    /// Setting key → value, applied after the profile's settings.
    public var overrides: [String: SettingValue]
    /// The run's seed.
    public var seed: UInt64
    /// Epochs per second while playing, or max.
    public var speed: RunSpeed
    /// Whether it plays at once.
    public var isPlaying: Bool

    /// The lab's defaults for a new run (`ganlab serve --preset/--seed/--speed/--paused`).
    public init(configuration: LabConfiguration) {
        data = .preset(configuration.defaultPreset)
        defaults = .lab
        overrides = [:]
        seed = configuration.defaultSeed
        speed = configuration.defaultSpeed
        isPlaying = configuration.startsPlaying
    }

    /// The engine configuration: the profile's settings for the data and seed, then the overrides (all or
    /// nothing; an error names the setting and its range).
    public func makeConfiguration() throws(LabProtocolError) -> GANConfiguration {
        var configuration = defaults.configuration(for: data, seed: seed)
        do {
            try configuration.apply(overrides)
        } catch {
            throw LabProtocolError(error)
        }
        return configuration
    }
}
