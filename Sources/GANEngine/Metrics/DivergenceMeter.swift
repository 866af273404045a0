#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Estimates KL(real ‖ fake), KL(fake ‖ real) and JS between a real distribution and the generator's fakes,
/// in bits, from linearly binned histograms over [-1, 1]² (`LinearBinHistogram`: continuous in the sample
/// positions, at bin edges too), and knows its own noise floor.
///
/// The real histogram is binned once from `realSampleCount` samples (default 20,000); each frame bins
/// `fakeSampleCount` fakes (default 4,000; thousands, not the reference's 150) into a reused histogram.
/// JS needs no smoothing (M = (P + Q)/2 is positive wherever P or Q is), so it is computed from the raw
/// histograms and supports at least two bin widths apart give exactly 1 bit. Continuity: moving every fake
/// by δ changes JS by at most 2·√((|δx| + |δy|)/w), w the bin width (√JS is a metric, Endres & Schindelin
/// 2003; JS ≤ total variation in bits, Lin 1991; linear binning moves at most (|δx| + |δy|)/w of the mass).
///
/// KL caveat: whenever fakes miss real mass, KL(real‖fake) is dominated by the smoothing weight λ (the missed
/// bins' q is λ/K), so its value says "mass is missing" rather than how much: it changes 3.2× across
/// λ = 1e-4 … 1e-1 on the same fakes (1.84 … 0.57 bits with one ring8 mode missed, while JS stays 0.068). Show JS as the headline number and KL as the missed-mass alarm. For the KLs both histograms are smoothed by mixing
/// with the uniform histogram: p_k = (1 − λ)·c_k/N + λ/K with λ = `smoothing` (default 0.01), so every bin is
/// positive and both KLs stay finite (at most log2(K/λ) ≈ 16.6 bits for 32×32); unlike add-α pseudo-counts,
/// both sides get the same relative smoothing whatever their sample sizes, so the floor carries no smoothing
/// bias. The floor is what a perfect generator scores:
/// the mean estimate of `floorTrials` independent real samples of `fakeSampleCount` points against the real
/// histogram. Outside points are clamped to the border bins (see `LinearBinHistogram`) and reported as a fraction.
/// Details and measured values: docs/metrics.md.
public struct DivergenceMeter: Sendable {
    /// Default uniform-mixture weight λ of the KLs, chosen by measurement: KL floors of 0.002–0.07 bits and KL capped
    /// at log2(K/λ) ≈ 16.6 bits (docs/metrics.md). JS uses the raw histograms, so λ does not touch it.
    public static let defaultSmoothing: Double = 0.01
    /// Allowed smoothing weights.
    public static let smoothingRange: ClosedRange<Double> = 1e-6...0.5
    /// Independent perfect-generator samples averaged into `floor`.
    public static let floorTrials = 4

    /// Bins per side of the grid.
    public var resolution: Int { realHistogram.resolution }
    /// Real samples in the reference histogram.
    public let realSampleCount: Int
    /// Fakes per measurement the floor was computed for.
    public let fakeSampleCount: Int
    /// The uniform-mixture weight λ applied to both histograms.
    public let smoothing: Double
    /// The estimate a perfect generator gets: independent real samples of `fakeSampleCount` points.
    public private(set) var floor: DivergenceEstimate = .zero
    /// Fraction of the last measured fakes that lay outside [-1,1]².
    public private(set) var lastFractionOutside: Double = 0
    /// The real samples' histogram.
    public let realHistogram: LinearBinHistogram

    /// Smoothed real probability per bin (for the KLs).
    private let realProbabilities: [Double]
    /// log2 of `realProbabilities`.
    private let realLogProbabilities: [Double]
    /// Raw real probability per bin, c_k / N (for JS).
    private let realRawProbabilities: [Double]
    /// log2 of `realRawProbabilities` (0 where the bin is empty; never used there).
    private let realRawLogProbabilities: [Double]
    /// Reused histogram of the fakes of the current measurement.
    private var fakeHistogram: LinearBinHistogram

    /// Bins `realSampleCount` real samples once; also measures the estimator's noise floor: the estimate between
    /// two independent real samples of `fakeSampleCount` points each.
    ///
    /// Precisely, the floor is the mean over `floorTrials` independent real samples of `fakeSampleCount`
    /// points measured against this meter's real histogram: what `measure` returns for a perfect generator.
    public init(distribution: any RealDistribution, resolution: Int = 32, realSampleCount: Int = 20_000,
                fakeSampleCount: Int = 4_000, smoothing: Double = DivergenceMeter.defaultSmoothing,
                random: inout RandomSource) {
        precondition(realSampleCount > 0 && fakeSampleCount > 0, "sample counts must be positive")
        precondition(Self.smoothingRange.contains(smoothing), "smoothing must be in 1e-6...0.5")
        self.realSampleCount = realSampleCount
        self.fakeSampleCount = fakeSampleCount
        self.smoothing = smoothing

        var real = LinearBinHistogram(resolution: resolution)
        let realSamples = distribution.samples(count: realSampleCount, using: &random)
        realSamples.withUnsafeBufferPointer { real.add(points: $0.baseAddress!, count: realSampleCount) }
        let (realScale, realFloor) = Self.smoothing(total: real.total, bins: real.binCount, weight: smoothing)
        let probabilities = real.masses.map { $0 * realScale + realFloor }
        self.realHistogram = real
        self.realProbabilities = probabilities
        self.realLogProbabilities = probabilities.map { log2($0) }
        let raw = real.masses.map { $0 / Double(max(real.total, 1)) }
        self.realRawProbabilities = raw
        self.realRawLogProbabilities = raw.map { $0 > 0 ? log2($0) : 0 }
        self.fakeHistogram = LinearBinHistogram(resolution: resolution)

        // The floor: a perfect generator's score, averaged over a few independent draws.
        var sum = DivergenceEstimate.zero
        var perfect = [Float](repeating: 0, count: 2 * fakeSampleCount)
        for _ in 0..<Self.floorTrials {
            perfect.withUnsafeMutableBufferPointer { distribution.sample(count: fakeSampleCount, into: $0.baseAddress!, using: &random) }
            let estimate = perfect.withUnsafeBufferPointer { measure(fakes: $0.baseAddress!, count: fakeSampleCount) }
            sum.klRealFake += estimate.klRealFake
            sum.klFakeReal += estimate.klFakeReal
            sum.js += estimate.js
        }
        let trials = Double(Self.floorTrials)
        floor = DivergenceEstimate(klRealFake: sum.klRealFake / trials, klFakeReal: sum.klFakeReal / trials, js: sum.js / trials)
        lastFractionOutside = 0
    }

    /// Estimates divergence between the real histogram and `count` fake points (row-major (count, 2)). No allocation.
    public mutating func measure(fakes: UnsafePointer<Float>, count: Int) -> DivergenceEstimate {
        fakeHistogram.reset()
        fakeHistogram.add(points: fakes, count: count)
        lastFractionOutside = count > 0 ? Double(fakeHistogram.outsideCount) / Double(count) : 0
        return divergence(fakeHistogram)
    }

    /// The three divergences between the smoothed real histogram and the smoothed `fake` histogram.
    ///
    /// KL(P‖Q) = Σ p log2(p/q) and KL(Q‖P) = Σ q log2(q/p) on the smoothed histograms;
    /// JS = ½ KL(P‖M) + ½ KL(Q‖M), M = (P + Q)/2, on the raw ones, with 0 · log 0 = 0
    /// (Lin, "Divergence measures based on the Shannon entropy", IEEE Trans. Inf. Theory 37(1), 1991).
    /// An empty fake histogram counts as uniform.
    public func divergence(_ fake: LinearBinHistogram) -> DivergenceEstimate {
        precondition(fake.resolution == resolution, "histograms must share a resolution")
        let (scale, emptyQ) = Self.smoothing(total: fake.total, bins: fake.binCount, weight: smoothing)
        var klPQ = 0.0, klQP = 0.0, js = 0.0
        // Bins without fakes share one q: hoist its logarithm.
        let emptyLogQ = log2(emptyQ)
        // Raw fake probabilities for JS; an empty histogram is uniform.
        let rawScale = fake.total > 0 ? 1 / Double(fake.total) : 0
        let rawEmpty = fake.total > 0 ? 0 : 1 / Double(fake.binCount)
        realProbabilities.withUnsafeBufferPointer { p in
            realLogProbabilities.withUnsafeBufferPointer { logP in
                realRawProbabilities.withUnsafeBufferPointer { rawP in
                    realRawLogProbabilities.withUnsafeBufferPointer { rawLogP in
                        fake.masses.withUnsafeBufferPointer { counts in
                            for k in 0..<counts.count {
                                let c = counts[k]
                                // KL on smoothed histograms; bins without fakes share one q.
                                let q = c == 0 ? emptyQ : c * scale + emptyQ
                                let logQ = c == 0 ? emptyLogQ : log2(q)
                                klPQ += p[k] * (logP[k] - logQ)
                                klQP += q * (logQ - logP[k])
                                // JS on raw histograms.
                                let rp = rawP[k], rq = c * rawScale + rawEmpty
                                guard rp > 0 || rq > 0 else { continue }
                                let logM = log2(0.5 * (rp + rq))
                                if rp > 0 { js += rp * (rawLogP[k] - logM) }
                                if rq > 0 { js += rq * (log2(rq) - logM) }
                            }
                        }
                    }
                }
            }
        }
        return DivergenceEstimate(klRealFake: max(klPQ, 0), klFakeReal: max(klQP, 0), js: min(max(0.5 * js, 0), 1))
    }

    /// Smoothing as p_k = c_k · scale + floor: the empirical histogram mixed with the uniform one,
    /// (1 − λ)·c_k/N + λ/K. An empty histogram is uniform.
    static func smoothing(total: Int, bins: Int, weight lambda: Double) -> (scale: Double, floor: Double) {
        guard total > 0 else { return (0, 1 / Double(bins)) }
        return ((1 - lambda) / Double(total), lambda / Double(bins))
    }
}
