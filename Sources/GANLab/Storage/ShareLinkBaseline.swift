import GANEngine

/// The settings a share link (format 1) is written against: the engine's defaults when format 1 was written.
/// Frozen on purpose (docs/run-format.md §4): a link names only the settings that differ from this table, so a
/// later change of an engine default must not change what an old link means. Never edit it; a new share
/// version gets a new table.
enum ShareLinkBaseline {
    private static func number(_ x: Float) -> SettingValue { .number(Double(x)) }

    /// Format 1's baseline, key → value.
    static let version1: [String: SettingValue] = {
        var table: [String: SettingValue] = [
            "generatorOutput": .choice("tanh"), "noise.kind": .choice("gaussian"), "noise.dimension": .integer(2),
            "loss": .choice("non-saturating"), "labelSmoothing": .boolean(false), "smoothedRealLabel": number(0.9),
            "weightClip": number(0.01), "discriminatorSteps": .integer(2), "generatorSteps": .integer(1),
            "batchSize": .integer(150), "seed": .integer(1),
            "views.fakeSampleCount": .integer(500), "views.decisionResolution": .integer(64),
            "views.arrowGridResolution": .integer(16), "views.manifoldCells": .integer(20), "views.metricSampleCount": .integer(4000),
            "generator.batchNorm": .boolean(false),
        ]
        for (network, rate) in [("generator", Float(0.03)), ("discriminator", Float(0.1))] {
            table[network + ".hiddenLayers"] = .integer(2)
            table[network + ".neurons"] = .integer(8)
            table[network + ".activation"] = .choice("relu")
            table[network + ".leakySlope"] = number(0.2)
            table[network + ".initialization"] = .choice("gan-lab")
            table[network + ".optimizer"] = .choice("sgd")
            table[network + ".learningRate"] = number(rate)
            table[network + ".momentum"] = number(0.9)
            table[network + ".beta1"] = number(0.9)
            table[network + ".beta2"] = number(0.999)
            table[network + ".rmsDecay"] = number(0.9)
            table[network + ".epsilon"] = number(1e-8)
        }
        return table
    }()

    /// The baseline as a configuration of this build (keys this build no longer has are skipped; settings added
    /// since keep the engine default, which by the settings table's rule behaves as before they existed).
    static var configuration: GANConfiguration {
        var c = GANConfiguration()
        try? c.apply(version1.filter { GANConfiguration.settingsByKey[$0.key] != nil })
        return c
    }
}
