import Testing
import GANEngine
#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Uniform points on an axis-aligned rectangle: a distribution with a known histogram.
private struct UniformRectangle: RealDistribution {
    var lower: SIMD2<Float>
    var upper: SIMD2<Float>
    var modes: [DistributionMode] { [] }
    func sample(count: Int, into buffer: UnsafeMutablePointer<Float>, using random: inout RandomSource) {
        for index in 0..<count {
            buffer[2 * index] = random.nextUniform(in: lower.x, upper.x)
            buffer[2 * index + 1] = random.nextUniform(in: lower.y, upper.y)
        }
    }
}

@Suite struct DivergenceMeterTests {
    private func measure(_ meter: inout DivergenceMeter, _ fakes: [Float]) -> DivergenceEstimate {
        fakes.withUnsafeBufferPointer { meter.measure(fakes: $0.baseAddress!, count: fakes.count / 2) }
    }

    @Test func contractDefaults_areThirtyTwoBinsTwentyThousandRealFourThousandFake() {
        var random = RandomSource(seed: 1)
        let meter = DivergenceMeter(distribution: Preset.ring.makeDistribution(), random: &random)
        #expect(meter.resolution == 32 && meter.realSampleCount == 20_000 && meter.fakeSampleCount == 4_000)
        #expect(meter.realHistogram.total == 20_000)
        #expect(meter.smoothing == DivergenceMeter.defaultSmoothing)
    }

    @Test(arguments: Preset.allCases)
    func floor_isSmallForEveryPreset(preset: Preset) {
        var random = RandomSource(seed: 61)
        let floor = DivergenceMeter(distribution: preset.makeDistribution(), random: &random).floor
        #expect(floor.js > 0 && floor.js < 0.05)
        #expect(floor.klRealFake > 0 && floor.klRealFake < 0.3)
        #expect(floor.klFakeReal > 0 && floor.klFakeReal < 0.3)
    }

    @Test(arguments: [Preset.ring, .gaussians, .ringOfGaussians])
    func identicalDistributions_scoreNearTheFloor(preset: Preset) {
        let distribution = preset.makeDistribution()
        var random = RandomSource(seed: 62)
        var meter = DivergenceMeter(distribution: distribution, random: &random)
        let floor = meter.floor
        for _ in 0..<5 {
            let estimate = measure(&meter, distribution.samples(count: 4_000, using: &random))
            #expect(abs(estimate.js - floor.js) < 0.5 * floor.js)
            #expect(abs(estimate.klRealFake - floor.klRealFake) < 0.5 * floor.klRealFake)
            #expect(abs(estimate.klFakeReal - floor.klFakeReal) < 0.5 * floor.klFakeReal)
        }
        #expect(meter.lastFractionOutside == 0)
    }

    @Test func disjointSupports_giveJSOfAboutOneBit() {
        let left = UniformRectangle(lower: SIMD2(-1, -1), upper: SIMD2(-0.25, 1))
        let right = UniformRectangle(lower: SIMD2(0.25, -1), upper: SIMD2(1, 1))
        var random = RandomSource(seed: 63)
        var meter = DivergenceMeter(distribution: left, random: &random)
        let estimate = measure(&meter, right.samples(count: 4_000, using: &random))
        // JS uses the raw histograms: exactly 1 bit. The KLs are smoothed (λ = 0.01) and so finite.
        #expect(abs(estimate.js - 1) < 1e-9)
        #expect(estimate.klRealFake > 5 && estimate.klFakeReal > 5)
        #expect(estimate.klRealFake.isFinite && estimate.klFakeReal.isFinite)
    }

    @Test func kl_isAsymmetric_onAQuadrantAgainstTheSquare() {
        // Real: uniform on [-1,1]² (p = 1/K in every bin, border bins included, under linear binning);
        // fake: uniform on the quadrant [0,1]². Without binning effects, with λ = 0.01, q = 3.97/K inside the
        // quadrant and 0.01/K outside: KL(real‖fake) = 4.486 bits (the missed mass costs a lot) and
        // KL(fake‖real) = 1.924 bits (≈ log2 4 = 2 unsmoothed). Linear binning spreads the quadrant's edge over
        // half a bin each side (per axis the bins at −w/2 and +w/2 hold 1/8 and 7/8 of a full bin's mass):
        // integrated exactly, 4.312 and 1.859 bits.
        var random = RandomSource(seed: 64)
        var meter = DivergenceMeter(distribution: UniformRectangle(lower: SIMD2(-1, -1), upper: SIMD2(1, 1)), random: &random)
        let quadrant = UniformRectangle(lower: SIMD2(0, 0), upper: SIMD2(1, 1))
        let estimate = measure(&meter, quadrant.samples(count: 4_000, using: &random))
        #expect(abs(estimate.klRealFake - 4.312) < 0.1)
        #expect(abs(estimate.klFakeReal - 1.859) < 0.1)
        #expect(estimate.klRealFake > 2 * estimate.klFakeReal)
    }

    @Test func outsideFakes_areReportedAsAFraction_andStillScored() {
        var random = RandomSource(seed: 65)
        var meter = DivergenceMeter(distribution: Preset.disjoint.makeDistribution(), random: &random)
        var fakes = Preset.disjoint.makeDistribution().samples(count: 4_000, using: &random)
        for index in 0..<1_000 { fakes[2 * index] = 3 }   // a quarter pushed off to the right
        let estimate = measure(&meter, fakes)
        #expect(meter.lastFractionOutside == 0.25)
        // Q = ¾P + ¼D with D disjoint from P: JS = ½·log2(8/7) + ½·(¾·log2(6/7) + ¼·1) = 0.138 bits,
        // plus a little sampling noise.
        #expect(estimate.js > 0.13 && estimate.js < 0.16)
    }

    @Test func nanAndEmptyFakes_giveFiniteEstimates() {
        var random = RandomSource(seed: 66)
        var meter = DivergenceMeter(distribution: Preset.ring.makeDistribution(), random: &random)
        let nan = measure(&meter, [Float](repeating: .nan, count: 200))
        #expect(nan.js.isFinite && nan.klRealFake.isFinite && nan.klFakeReal.isFinite)
        #expect(meter.lastFractionOutside == 1)
        let empty = [Float](repeating: 0, count: 2).withUnsafeBufferPointer { meter.measure(fakes: $0.baseAddress!, count: 0) }
        #expect(empty.js.isFinite && empty.klRealFake.isFinite)
        #expect(meter.lastFractionOutside == 0)
    }

    @Test func sameSeed_givesTheSameFloorAndEstimates() {
        func run() -> (DivergenceEstimate, DivergenceEstimate) {
            var random = RandomSource(seed: 67)
            var meter = DivergenceMeter(distribution: Preset.moons.makeDistribution(), random: &random)
            let fakes = Preset.spiral.makeDistribution().samples(count: 4_000, using: &random)
            return (meter.floor, measure(&meter, fakes))
        }
        let (a, b) = (run(), run())
        #expect(a.0 == b.0 && a.1 == b.1)
    }

    @Test func divergence_shrinksAsTheFakesApproachTheReal() {
        // Fakes = the ring shifted right by d: the estimate must fall monotonically as d → 0.
        let ring = Preset.ring.makeDistribution()
        var random = RandomSource(seed: 68)
        var meter = DivergenceMeter(distribution: ring, random: &random)
        let base = ring.samples(count: 4_000, using: &random)
        var previous = Double.infinity
        for shift: Float in [0.4, 0.2, 0.1, 0.05, 0] {
            var fakes = base
            for index in 0..<4_000 { fakes[2 * index] += shift }
            let js = measure(&meter, fakes).js
            #expect(js < previous)
            previous = js
        }
    }
}

/// The estimate is continuous in the sample positions, at bin edges included (issue 9: `interval` on the
/// row edge y = 0 used to jump from 0.001 to 1 bit for a move of −1e-7).
@Suite struct DivergenceContinuityTests {
    private func measure(_ meter: inout DivergenceMeter, _ fakes: [Float]) -> DivergenceEstimate {
        fakes.withUnsafeBufferPointer { meter.measure(fakes: $0.baseAddress!, count: fakes.count / 2) }
    }

    /// The stated bound: |ΔJS| ≤ 2·√((|δx| + |δy|)/w) (DivergenceMeter's doc comment).
    static func bound(_ dx: Float, _ dy: Float, binWidth: Double) -> Double {
        2 * ((Double(abs(dx)) + Double(abs(dy))) / binWidth).squareRoot()
    }

    @Test(arguments: [Float(-1e-7), 0, 1e-7, -1e-6, 1e-4])
    func interval_withPerfectX_scoresAtTheFloor_onEitherSideOfTheEdge(offset: Float) {
        let interval = Preset.interval.makeDistribution()
        var random = RandomSource(seed: 71)
        var meter = DivergenceMeter(distribution: interval, random: &random)
        var fakes = interval.samples(count: 4_000, using: &random)
        for i in 0..<4_000 { fakes[2 * i + 1] += offset }
        let js = measure(&meter, fakes).js
        #expect(js < 2 * meter.floor.js + 1e-3, "offset \(offset): JS \(js), floor \(meter.floor.js)")
    }

    @Test(arguments: [Float(1e-6), 1e-4, 1e-3])
    func interval_withSmallGaussianYNoise_scoresNearTheFloor(sigma: Float) {
        let interval = Preset.interval.makeDistribution()
        var random = RandomSource(seed: 72)
        var meter = DivergenceMeter(distribution: interval, random: &random)
        var fakes = interval.samples(count: 4_000, using: &random)
        for i in 0..<4_000 { fakes[2 * i + 1] += sigma * random.nextGaussian() }
        let js = measure(&meter, fakes).js
        #expect(js < 2 * meter.floor.js + 1e-3, "σ \(sigma): JS \(js), floor \(meter.floor.js)")
    }

    @Test(arguments: [Preset.interval, .ring, .gaussians, .checkerboard])
    func movingEveryFake_changesJSWithinTheBound(preset: Preset) {
        let distribution = preset.makeDistribution()
        var random = RandomSource(seed: 73)
        var meter = DivergenceMeter(distribution: distribution, random: &random)
        let w = 2 / Double(meter.resolution)
        // Fakes from another preset, half of them snapped exactly onto bin edges.
        var base = Preset.spiral.makeDistribution().samples(count: 4_000, using: &random)
        for i in stride(from: 0, to: base.count, by: 4) { base[i] = Float((Double(base[i]) / w).rounded() * w) }
        let js0 = measure(&meter, base).js
        for (dx, dy): (Float, Float) in [(1e-7, 0), (0, -1e-7), (1e-5, 1e-5), (-1e-3, 2e-3), (1e-2, -1e-2), (0.03, 0.03)] {
            var moved = base
            for i in 0..<4_000 { moved[2 * i] += dx; moved[2 * i + 1] += dy }
            let change = abs(measure(&meter, moved).js - js0)
            #expect(change <= Self.bound(dx, dy, binWidth: w), "\(preset) δ (\(dx), \(dy)): ΔJS \(change)")
        }
    }

    @Test func tinyMoves_changeJSByTinyAmounts() {
        // In practice far inside the bound: linear in δ (here 1e-6 of a bin width changes JS by < 1e-5).
        let ring = Preset.ring.makeDistribution()
        var random = RandomSource(seed: 74)
        var meter = DivergenceMeter(distribution: ring, random: &random)
        let fakes = Preset.moons.makeDistribution().samples(count: 4_000, using: &random)
        var moved = fakes
        for i in 0..<moved.count { moved[i] += 6e-8 }
        #expect(abs(measure(&meter, fakes).js - measure(&meter, moved).js) < 1e-5)
    }
}
