import Testing
import GANEngine

/// "reference" mode stays exactly what it was: the same seed gives the same weights as the engine
/// before the stabilisers (fe952eb). The fingerprints were recorded on that arithmetic; a change to
/// the reference path's order of operations shows up here.
@Suite struct ReferenceReplayTests {
    /// FNV-1a over the bit patterns of every weight of both networks.
    static func fingerprint(_ trainer: Trainer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in trainer.generator.flattenedParameters + trainer.discriminator.flattenedParameters {
            hash = (hash ^ UInt64(value.bitPattern)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    static let recorded: [Preset: UInt64] = [
        .line: 4356257414612668657, .gaussians: 7885385658429517049, .ring: 2797942305564888213,
        .disjoint: 11156688401043087848, .ringOfGaussians: 1135917616985548671, .gridOfGaussians: 5033910948882478432,
        .moons: 7402047102841800579, .spiral: 2557358373655401301, .checkerboard: 14454585100989314574,
        .interval: 998433775858314550,
    ]

    @Test(arguments: Preset.allCases)
    func referenceSettings_replayTheRecordedWeights(_ preset: Preset) throws {
        let trainer = try Trainer(configuration: GANConfiguration(preset: preset, seed: 3), distribution: preset.makeDistribution())
        try trainer.train(epochs: 40)
        let value = Self.fingerprint(trainer)
        #expect(value == Self.recorded[preset], "\(preset.rawValue): \(value)")
    }
}
