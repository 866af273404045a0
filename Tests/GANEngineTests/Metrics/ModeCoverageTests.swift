import Testing
import GANEngine

@Suite struct ModeCoverageTests {
    private let ring8 = Preset.ringOfGaussians.makeDistribution()

    @Test func collapsedGenerator_onOneModeOfRing8_missesSeven() {
        var random = RandomSource(seed: 71)
        let onlyFirst = GaussianMixture(components: [.init(weight: 1, mean: ring8.modes[0].center, sigma: SIMD2(0.05, 0.05))])
        let coverage = ModeCoverage.measure(fakes: onlyFirst.samples(count: 4_000, using: &random), modes: ring8.modes)
        #expect(coverage.missedModes == 7)
        #expect(coverage.fractions[0] > 0.97)
        #expect(coverage.fractions.dropFirst().allSatisfy { $0 == 0 })
    }

    @Test func perfectGenerator_onRing8_missesNone() {
        var random = RandomSource(seed: 72)
        let coverage = ModeCoverage.measure(fakes: ring8.samples(count: 4_000, using: &random), modes: ring8.modes)
        #expect(coverage.missedModes == 0)
        // Each mode holds 1/8 of the fakes, 98.9 % of them within 3σ.
        #expect(coverage.fractions.allSatisfy { abs($0 - 0.125 * 0.989) < 0.015 })
        #expect(coverage.fractionOffModes < 0.02)
        let total = coverage.fractions.reduce(0, +) + coverage.fractionOffModes
        #expect(abs(total - 1) < 1e-9)
    }

    @Test func fakesBetweenTheModes_areOffModes_andEveryModeIsMissed() {
        let centre = [Float](repeating: 0, count: 2_000)
        let coverage = ModeCoverage.measure(fakes: centre, modes: ring8.modes)
        #expect(coverage.fractionOffModes == 1 && coverage.missedModes == 8)
    }

    @Test func defaultThreshold_isAQuarterOfTheFairShare_andCanBeOverridden() {
        // Mode 0 gets 3 % (< 1/32 = 3.125 %), mode 1 gets 97 %.
        let modes = [DistributionMode(center: SIMD2(-0.5, 0), radius: 0.1), DistributionMode(center: SIMD2(0.5, 0), radius: 0.1)]
        var fakes: [Float] = []
        for index in 0..<100 { fakes += index < 3 ? [-0.5, 0] : [0.5, 0] }
        // Two modes: threshold 0.125; 0.03 is below it.
        #expect(ModeCoverage.measure(fakes: fakes, modes: modes).missedModes == 1)
        #expect(ModeCoverage.measure(fakes: fakes, modes: modes, minimumFraction: 0.02).missedModes == 0)
        #expect(ModeCoverage.defaultShareOfFairShare == 0.25)
    }

    @Test func overlappingModes_countEachFakeOnce_forTheNearestInRadiusUnits() {
        // A wide mode and a narrow one inside it: a fake at the narrow centre belongs to the narrow one.
        let modes = [DistributionMode(center: SIMD2(0, 0), radius: 1), DistributionMode(center: SIMD2(0.2, 0), radius: 0.1)]
        let coverage = ModeCoverage.measure(fakes: [0.2, 0, -0.5, 0, 0.9, 0.9], modes: modes)
        #expect(coverage.fractions == [1.0 / 3, 1.0 / 3])
        #expect(coverage.fractionOffModes == 1.0 / 3)
    }

    @Test func noModes_noFakes_andNaNFakes_areHandled() {
        let none = ModeCoverage.measure(fakes: [0, 0], modes: [])
        #expect(none == ModeCoverage(fractions: [], missedModes: 0, fractionOffModes: 0))
        let empty = ModeCoverage.measure(fakes: [], modes: ring8.modes)
        #expect(empty.missedModes == 8 && empty.fractions.allSatisfy { $0 == 0 })
        let nan = ModeCoverage.measure(fakes: [.nan, .nan, .nan, 0], modes: ring8.modes)
        #expect(nan.fractionOffModes == 1)
    }
}

extension ModeCoverageTests {
    @Test(arguments: [0, 1, 7, 8, 9, 17, 1_003])
    func vectorAndScalarPaths_agreeWithANaiveCount(count: Int) {
        var random = RandomSource(seed: 73)
        let modes = Preset.gridOfGaussians.makeDistribution().modes
        var fakes = Preset.gridOfGaussians.makeDistribution().samples(count: count, using: &random)
        if count > 3 { fakes[5] = .nan }
        let coverage = ModeCoverage.measure(fakes: fakes, modes: modes)
        // Naive: nearest mode in radius units, counted if within its radius.
        var hits = [Int](repeating: 0, count: modes.count)
        var off = 0
        for index in 0..<count {
            let p = SIMD2(fakes[2 * index], fakes[2 * index + 1])
            let ratios = modes.map { euclideanLength(p - $0.center) / $0.radius }
            if let best = ratios.indices.filter({ ratios[$0] <= 1 }).min(by: { ratios[$0] < ratios[$1] }) {
                hits[best] += 1
            } else {
                off += 1
            }
        }
        let scale = count > 0 ? 1 / Double(count) : 0
        #expect(coverage.fractions == hits.map { Double($0) * scale })
        #expect(coverage.fractionOffModes == Double(off) * scale)
    }
}
