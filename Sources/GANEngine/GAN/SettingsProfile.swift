/// Which per-preset settings a run starts from (docs/protocol.md §1, `defaults`): the lab's measured,
/// converging defaults or GAN Lab's exact settings. Moved here from GANLab because the engine builds both.
public enum SettingsProfile: String, Sendable, Equatable, CaseIterable {
    /// The lab's converging defaults (docs/engine.md, "Presets": networks, optimisers, stabilisers per preset).
    case lab
    /// GAN Lab's exact settings (our own for the six presets GAN Lab does not have), every stabiliser off.
    case reference
}
