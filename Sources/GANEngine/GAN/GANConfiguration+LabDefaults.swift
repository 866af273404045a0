extension GANConfiguration {
    /// Replaces the reference settings with the lab's defaults for `preset`: networks, optimisers, loss,
    /// stabilisers and batch chosen by measurement so the preset visibly converges (docs/engine.md,
    /// "Presets that converge"). The seed and the view settings are kept.
    public mutating func applyLabDefaults(for preset: Preset) {
        // Filled in by measurement (scripts/tune-presets.sh); until then the reference settings.
        _ = preset
    }
}
