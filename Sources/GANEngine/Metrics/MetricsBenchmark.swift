#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Timings of the data and metrics side of the engine, for `ganlab bench` and docs/metrics.md.
///
/// Each case runs a fixed workload at the default sizes (4,000 fakes, a 32×32 grid, a 20×20 manifold,
/// 1,000 samples per sampling call) on the calling thread and reports the mean time per call.
public enum MetricsBenchmark {
    /// One timed operation.
    public struct Result: Sendable, Equatable {
        /// Short machine-readable name, e.g. `divergence_measure` or `sample_ring8`.
        public var name: String
        /// Mean wall time per call, microseconds.
        public var microseconds: Double
    }

    /// Runs every case `repetitions` times (after one warm-up call) and returns the mean per call.
    public static func run(repetitions: Int = 200, seed: UInt64 = 1) -> [Result] {
        precondition(repetitions > 0, "repetitions must be positive")
        var random = RandomSource(seed: seed)
        var results: [Result] = []
        func time(_ name: String, _ body: () -> Void) {
            body()
            let start = monotonicSeconds()
            for _ in 0..<repetitions { body() }
            results.append(Result(name: name, microseconds: (monotonicSeconds() - start) / Double(repetitions) * 1e6))
        }

        let fakeCount = 4_000
        let ring = Preset.ringOfGaussians.makeDistribution()
        var meter = DivergenceMeter(distribution: ring, random: &random)
        let fakes = ring.samples(count: fakeCount, using: &random)
        var sink = 0.0
        fakes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            time("divergence_measure") { sink += meter.measure(fakes: base, count: fakeCount).js }
            time("mode_coverage_ring8") {
                sink += ModeCoverage.measure(fakes: base, count: fakeCount, modes: ring.modes).fractionOffModes
            }
            let grid = Preset.gridOfGaussians.makeDistribution().modes
            time("mode_coverage_grid25") {
                sink += ModeCoverage.measure(fakes: base, count: fakeCount, modes: grid).fractionOffModes
            }
        }
        let cells = ManifoldGeometry.defaultCells
        let mapped = ManifoldGeometry.noiseLattice(cells: cells, dimension: 2).map { 0.7 * $0 + 0.05 * $0 * $0 }
        let noise = NoiseDistribution(kind: .gaussian, dimension: 2)
        mapped.withUnsafeBufferPointer { buffer in
            time("manifold_densities") {
                sink += Double(ManifoldGeometry.cellDensities(mapped: buffer.baseAddress!, cells: cells, noise: noise)[0])
            }
        }
        var buffer = [Float](repeating: 0, count: 2 * 1_000)
        buffer.withUnsafeMutableBufferPointer { samples in
            let base = samples.baseAddress!
            for preset in Preset.allCases {
                let distribution = preset.makeDistribution()
                time("sample_\(preset.rawValue)_1000") { distribution.sample(count: 1_000, into: base, using: &random) }
            }
            for kind in NoiseDistribution.Kind.allCases {
                let noise = NoiseDistribution(kind: kind, dimension: 2)
                time("noise_\(kind.rawValue)_2d_1000") { noise.sample(count: 1_000, into: base, using: &random) }
            }
            sink += Double(samples[0])
        }
        let meterRepetitions = max(1, repetitions / 20)
        let start = monotonicSeconds()
        for _ in 0..<meterRepetitions { _ = DivergenceMeter(distribution: ring, random: &random) }
        results.append(Result(name: "divergence_meter_init",
                              microseconds: (monotonicSeconds() - start) / Double(meterRepetitions) * 1e6))
        // Keep the work observable so the optimiser cannot drop it.
        if sink.isNaN { results.append(Result(name: "unreachable", microseconds: sink)) }
        return results
    }

    /// Seconds on a monotonic clock.
    static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
