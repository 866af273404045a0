import Testing
import GANEngine
#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Prints the numbers quoted in docs/metrics.md. Never asserts; runs only with GANLAB_REPORT=1:
/// `GANLAB_REPORT=1 swift test -c release --filter MetricsReport`.
@Suite(.serialized, .enabled(if: getenv("GANLAB_REPORT") != nil))
struct MetricsReport {
    /// Seconds on a monotonic clock.
    private func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    private func format(_ value: Double) -> String {
        let scaled = (value * 10_000).rounded() / 10_000
        return "\(scaled)"
    }

    @Test func benchmarkTable() {
        for result in MetricsBenchmark.run(repetitions: 500) {
            print("bench \(result.name): \(format(result.microseconds)) µs")
        }
    }

    @Test func floorsPerPreset_atTwoSmoothings() {
        for lambda in [0.01, 0.03] {
            print("smoothing \(lambda)")
            for preset in Preset.allCases {
                var random = RandomSource(seed: 1)
                let meter = DivergenceMeter(distribution: preset.makeDistribution(), smoothing: lambda, random: &random)
                let f = meter.floor
                print("  \(preset.rawValue): KL(r|f) \(format(f.klRealFake))  KL(f|r) \(format(f.klFakeReal))  JS \(format(f.js))")
            }
        }
    }

    @Test func klSmoothingSensitivity_whenAModeIsMissed() {
        // Fakes from the ring of 8 with one component removed: KL(real‖fake) is set by λ, JS barely moves.
        let ring = Preset.ringOfGaussians.makeDistribution()
        let seven = GaussianMixture(components: (1..<8).map { k in
            let angle = 2 * Float.pi * Float(k) / 8
            return .init(weight: 1, mean: 0.7 * SIMD2(cos(angle), sin(angle)), sigma: SIMD2(repeating: 0.05))
        })
        for lambda in [1e-4, 1e-3, 1e-2, 1e-1] {
            var random = RandomSource(seed: 4)
            var meter = DivergenceMeter(distribution: ring, smoothing: lambda, random: &random)
            let fakes = seven.samples(count: 4_000, using: &random)
            let e = fakes.withUnsafeBufferPointer { meter.measure(fakes: $0.baseAddress!, count: 4_000) }
            print("missed mode, λ \(lambda): KL(r|f) \(format(e.klRealFake))  KL(f|r) \(format(e.klFakeReal))  JS \(format(e.js))")
        }
    }

    @Test func intervalOnItsBinEdge() {
        let interval = Preset.interval.makeDistribution()
        var random = RandomSource(seed: 5)
        var meter = DivergenceMeter(distribution: interval, random: &random)
        let base = interval.samples(count: 4_000, using: &random)
        print("interval floor JS \(format(meter.floor.js))")
        for offset: Float in [-0.0625, -0.03125, -1e-3, -1e-7, 0, 1e-7, 1e-3, 0.03125, 0.0625] {
            var fakes = base
            for i in 0..<4_000 { fakes[2 * i + 1] += offset }
            let js = fakes.withUnsafeBufferPointer { meter.measure(fakes: $0.baseAddress!, count: 4_000) }.js
            print("interval y offset \(offset): JS \(format(js))")
        }
        for sigma: Float in [1e-6, 1e-4, 1e-3, 1e-2, 3e-2] {
            var fakes = base
            for i in 0..<4_000 { fakes[2 * i + 1] += sigma * random.nextGaussian() }
            let js = fakes.withUnsafeBufferPointer { meter.measure(fakes: $0.baseAddress!, count: 4_000) }.js
            print("interval y noise σ \(sigma): JS \(format(js))")
        }
    }

    @Test func disjointSupports_atTwoSmoothings() {
        for lambda in [0.01, 0.03] {
            var random = RandomSource(seed: 2)
            let left = GaussianMixture(components: [.init(weight: 1, mean: SIMD2(-0.5, 0), sigma: SIMD2(0.1, 0.1))])
            let right = GaussianMixture(components: [.init(weight: 1, mean: SIMD2(0.5, 0), sigma: SIMD2(0.1, 0.1))])
            var meter = DivergenceMeter(distribution: left, smoothing: lambda, random: &random)
            let fakes = right.samples(count: 4_000, using: &random)
            let estimate = fakes.withUnsafeBufferPointer { meter.measure(fakes: $0.baseAddress!, count: 4_000) }
            print("smoothing \(lambda) disjoint: KL(r|f) \(format(estimate.klRealFake)) KL(f|r) \(format(estimate.klFakeReal)) JS \(format(estimate.js))")
        }
    }

    @Test func timeOfOneMeasureCall() {
        var random = RandomSource(seed: 3)
        var meter = DivergenceMeter(distribution: Preset.ring.makeDistribution(), random: &random)
        let fakes = Preset.ring.makeDistribution().samples(count: 4_000, using: &random)
        var sink = 0.0
        let repetitions = 2_000
        let start = now()
        for _ in 0..<repetitions {
            sink += fakes.withUnsafeBufferPointer { meter.measure(fakes: $0.baseAddress!, count: 4_000) }.js
        }
        let perCall = (now() - start) / Double(repetitions)
        print("measure(4000 fakes, 32×32): \(format(perCall * 1e6)) µs per call (sink \(sink > 0))")
        let coverageStart = now()
        let modes = Preset.ringOfGaussians.makeDistribution().modes
        for _ in 0..<repetitions {
            sink += ModeCoverage.measure(fakes: fakes, modes: modes).fractionOffModes
        }
        print("ModeCoverage.measure(4000 fakes, 8 modes): \(format((now() - coverageStart) / Double(repetitions) * 1e6)) µs per call")
        let gridModes = Preset.gridOfGaussians.makeDistribution().modes
        let gridStart = now()
        for _ in 0..<repetitions {
            sink += ModeCoverage.measure(fakes: fakes, modes: gridModes).fractionOffModes
        }
        print("ModeCoverage.measure(4000 fakes, 25 modes): \(format((now() - gridStart) / Double(repetitions) * 1e6)) µs per call")
        let initStart = now()
        for _ in 0..<20 { _ = DivergenceMeter(distribution: Preset.ring.makeDistribution(), random: &random) }
        print("DivergenceMeter.init (20,000 real + 4 × 4,000 floor): \(format((now() - initStart) / 20 * 1e3)) ms")
    }

    @Test func floorVersusSampleSizeAndResolution() {
        for preset in [Preset.ring, .gaussians, .gridOfGaussians] {
            for resolution in [16, 32, 64] {
                for fakes in [1_000, 4_000, 16_000] {
                    var random = RandomSource(seed: 4)
                    let f = DivergenceMeter(distribution: preset.makeDistribution(), resolution: resolution,
                                            fakeSampleCount: fakes, random: &random).floor
                    print("floor \(preset.rawValue) R=\(resolution) fakes=\(fakes): KL(r|f) \(format(f.klRealFake)) KL(f|r) \(format(f.klFakeReal)) JS \(format(f.js))")
                }
            }
        }
    }

    @Test func samplingSpeedPerPreset() {
        var buffer = [Float](repeating: 0, count: 2 * 10_000)
        for preset in Preset.allCases {
            let distribution = preset.makeDistribution()
            var random = RandomSource(seed: 5)
            let start = now()
            for _ in 0..<20 {
                buffer.withUnsafeMutableBufferPointer { distribution.sample(count: 10_000, into: $0.baseAddress!, using: &random) }
            }
            print("sample \(preset.rawValue): \(format((now() - start) / 200_000 * 1e9)) ns per point")
        }
        let drawn = try! DrawnDistribution(points: (0..<20_000).map { SIMD2(Float($0 % 200) / 100 - 1, Float($0 / 200) / 100 - 1) },
                                           weights: (0..<20_000).map { Float($0 % 7) + 1 })
        var random = RandomSource(seed: 6)
        let start = now()
        for _ in 0..<20 {
            buffer.withUnsafeMutableBufferPointer { drawn.sample(count: 10_000, into: $0.baseAddress!, using: &random) }
        }
        print("sample drawn (20,000 weighted points, jitter 0.04): \(format((now() - start) / 200_000 * 1e9)) ns per point")
        for kind in NoiseDistribution.Kind.allCases {
            let noise = NoiseDistribution(kind: kind, dimension: 2)
            let noiseStart = now()
            for _ in 0..<20 {
                buffer.withUnsafeMutableBufferPointer { noise.sample(count: 10_000, into: $0.baseAddress!, using: &random) }
            }
            print("noise \(kind) 2-D: \(format((now() - noiseStart) / 200_000 * 1e9)) ns per vector")
        }
    }

    @Test func timeOfManifoldDensities() {
        let lattice = ManifoldGeometry.noiseLattice(cells: 20, dimension: 2)
        let mapped = lattice.map { $0 * 0.7 + 0.01 * $0 * $0 }
        let noise = NoiseDistribution(kind: .gaussian, dimension: 2)
        var sink: Float = 0
        let start = now()
        for _ in 0..<2_000 {
            sink += mapped.withUnsafeBufferPointer { ManifoldGeometry.cellDensities(mapped: $0.baseAddress!, cells: 20, noise: noise) }[0]
        }
        print("cellDensities(20×20 cells, Gaussian): \(format((now() - start) / 2_000 * 1e6)) µs per call (sink \(sink > 0))")
    }

    @Test func randomSourcePrimitives() {
        var random = RandomSource(seed: 7)
        var sink: Float = 0
        var start = now()
        for _ in 0..<2_000_000 { sink += random.nextGaussian() }
        print("RandomSource.nextGaussian: \(format((now() - start) / 2_000_000 * 1e9)) ns")
        start = now()
        for _ in 0..<2_000_000 { sink += random.nextNormal() }
        print("RandomSource.nextNormal (ziggurat): \(format((now() - start) / 2_000_000 * 1e9)) ns")
        start = now()
        for _ in 0..<2_000_000 { sink += random.nextUniform() }
        print("RandomSource.nextUniform: \(format((now() - start) / 2_000_000 * 1e9)) ns (sink \(sink != 0))")
    }
}
