import Testing
import GANEngine

/// "reference" mode stays exactly what it was: the same seed gives the same weights as the engine
/// before the stabilisers (fe952eb, where these fingerprints were recorded with `GEMM.backend = .small`).
/// A change to the reference path's order of operations shows up here.
///
/// Every product runs on the engine's own kernels (`backend: .small`), whose arithmetic is the compiled
/// Swift code. OpenBLAS picks its kernels per CPU (`BLASCore`), and they round differently, so a
/// fingerprint of BLAS products pins a machine, not the engine (the first recording did, and failed on
/// another CPU for every preset whose networks were wide enough to reach BLAS).
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
        .disjoint: 6734066914655057322, .ringOfGaussians: 13215134028903550229, .gridOfGaussians: 8536468595988655410,
        .moons: 4714105943021489600, .spiral: 13436284561677312672, .checkerboard: 13632678905526397500,
        .interval: 998433775858314550,
    ]

    @Test(arguments: Preset.allCases)
    func referenceSettings_replayTheRecordedWeights(_ preset: Preset) throws {
        // A pinned backend also keeps the fused path (narrow networks, the default where it applies) off: it
        // rounds differently and has its own same-seed replay test (FusedTrainingPathTests).
        let trainer = try Trainer(configuration: GANConfiguration(preset: preset, seed: 3),
                                  distribution: preset.makeDistribution(), backend: .small)
        try trainer.train(epochs: 40)
        let value = Self.fingerprint(trainer)
        #expect(value == Self.recorded[preset], "\(preset.rawValue): \(value)")
    }
}
