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
        // Real: uniform on [-1,1]² (p ≈ 1/K); fake: uniform on the quadrant [0,1]² (a quarter of the bins).
        // With λ = 0.01: q = 3.97/K inside the quadrant and 0.01/K outside, so
        // KL(real‖fake) = ¼ log2(1/3.97) + ¾ log2(1/0.01) = 4.486 bits (the missed mass costs a lot) and
        // KL(fake‖real) = 0.9925 log2(3.97) + 0.0075 log2(0.01) = 1.924 bits (≈ log2 4 = 2 unsmoothed).
        var random = RandomSource(seed: 64)
        var meter = DivergenceMeter(distribution: UniformRectangle(lower: SIMD2(-1, -1), upper: SIMD2(1, 1)), random: &random)
        let quadrant = UniformRectangle(lower: SIMD2(0, 0), upper: SIMD2(1, 1))
        let estimate = measure(&meter, quadrant.samples(count: 4_000, using: &random))
        #expect(abs(estimate.klRealFake - 4.486) < 0.1)
        #expect(abs(estimate.klFakeReal - 1.924) < 0.1)
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
