import Testing
import GANEngine
#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Replays a fixed list of points cyclically, so a test knows exactly what the meter binned.
private struct FixedPoints: RealDistribution {
    var points: [SIMD2<Float>]
    var modes: [DistributionMode] { [] }
    func sample(count: Int, into buffer: UnsafeMutablePointer<Float>, using random: inout RandomSource) {
        for index in 0..<count {
            let point = points[index % points.count]
            buffer[2 * index] = point.x
            buffer[2 * index + 1] = point.y
        }
    }
}

/// The estimator written the slow, obvious way: a tent-kernel weight for every (point, bin centre) pair,
/// dictionaries of bins and the textbook formulas.
private func naiveDivergence(real: [SIMD2<Float>], fake: [SIMD2<Float>], resolution: Int, smoothing lambda: Double) -> DivergenceEstimate {
    let w = 2 / Double(resolution)
    /// Linear binning along one axis: weight max(0, 1 − |v − centre|/w), with v clamped to the outer centres.
    func weights(_ v: Float) -> [(Int, Double)] {
        let clamped = min(max(Double(v), -1 + w / 2), 1 - w / 2)
        return (0..<resolution).compactMap { j in
            let weight = 1 - abs(clamped - (-1 + (Double(j) + 0.5) * w)) / w
            return weight > 0 ? (j, weight) : nil
        }
    }
    func histogram(_ points: [SIMD2<Float>]) -> [Int: Double] {
        var counts: [Int: Double] = [:]
        for p in points {
            for (row, wy) in weights(p.y) { for (column, wx) in weights(p.x) { counts[row * resolution + column, default: 0] += wx * wy } }
        }
        return counts.mapValues { $0 / Double(points.count) }
    }
    let p = histogram(real), q = histogram(fake)
    let k = resolution * resolution
    var klPQ = 0.0, klQP = 0.0, js = 0.0
    for index in 0..<k {
        let rawP = p[index] ?? 0, rawQ = q[index] ?? 0
        let sp = (1 - lambda) * rawP + lambda / Double(k), sq = (1 - lambda) * rawQ + lambda / Double(k)
        klPQ += sp * log2(sp / sq)
        klQP += sq * log2(sq / sp)
        let m = (rawP + rawQ) / 2
        if rawP > 0 { js += 0.5 * rawP * log2(rawP / m) }
        if rawQ > 0 { js += 0.5 * rawQ * log2(rawQ / m) }
    }
    return DivergenceEstimate(klRealFake: klPQ, klFakeReal: klQP, js: js)
}

@Suite struct DivergenceReferenceTests {
    @Test(arguments: [8, 32])
    func meter_matchesTheNaiveReference(resolution: Int) {
        var random = RandomSource(seed: 91)
        let real = Preset.gaussians.makeDistribution().samples(count: 3_000, using: &random)
        let realPoints = (0..<3_000).map { SIMD2(real[2 * $0], real[2 * $0 + 1]) }
        var meter = DivergenceMeter(distribution: FixedPoints(points: realPoints), resolution: resolution,
                                    realSampleCount: 3_000, fakeSampleCount: 1_000, random: &random)
        // Fakes from a different shape, some off the square.
        var fakes = Preset.ring.makeDistribution().samples(count: 1_000, using: &random)
        for index in stride(from: 0, to: 1_000, by: 50) { fakes[2 * index + 1] = -3 }
        let fakePoints = (0..<1_000).map { SIMD2(fakes[2 * $0], fakes[2 * $0 + 1]) }
        let fast = fakes.withUnsafeBufferPointer { meter.measure(fakes: $0.baseAddress!, count: 1_000) }
        let naive = naiveDivergence(real: realPoints, fake: fakePoints, resolution: resolution, smoothing: meter.smoothing)
        #expect(abs(fast.klRealFake - naive.klRealFake) < 1e-9 * max(1, naive.klRealFake))
        #expect(abs(fast.klFakeReal - naive.klFakeReal) < 1e-9 * max(1, naive.klFakeReal))
        #expect(abs(fast.js - naive.js) < 1e-9)
        #expect(meter.lastFractionOutside == 0.02)
    }
}
