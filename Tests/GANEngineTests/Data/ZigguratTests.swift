import Testing
import GANEngine
#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

@Suite struct ZigguratTests {
    /// Standard normal CDF.
    private func phi(_ x: Double) -> Double { 0.5 * (1 + erf(x / 2.0.squareRoot())) }

    @Test func nextNormal_matchesTheStandardNormalCDF_includingTheTail() {
        var random = RandomSource(seed: 81)
        let n = 1_000_000
        var values = [Float](repeating: 0, count: n)
        for index in 0..<n { values[index] = random.nextNormal() }
        #expect(values.allSatisfy { $0.isFinite })
        values.sort()
        // Empirical CDF at −4 … 4 (through the tail start r = 3.44) within 5 binomial standard deviations.
        for threshold in stride(from: -4.0, through: 4.0, by: 0.25) {
            let below = Double(countBelow(Float(threshold), in: values)) / Double(n)
            let expected = phi(threshold)
            let tolerance = 5 * (expected * (1 - expected) / Double(n)).squareRoot() + 1e-6
            #expect(abs(below - expected) < tolerance, "P(Z < \(threshold))")
        }
        let moments = meanAndVariance(values)
        #expect(abs(moments.mean) < 0.003 && abs(moments.variance - 1) < 0.005)
        // Values beyond the ziggurat's base come from the tail method: there must be some, on both sides.
        #expect(values.contains { $0 > 3.6 } && values.contains { $0 < -3.6 })
    }

    /// Number of elements of sorted `values` below `threshold` (binary search).
    private func countBelow(_ threshold: Float, in values: [Float]) -> Int {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < threshold { low = middle + 1 } else { high = middle }
        }
        return low
    }

    @Test func nextNormal_isReproducible() {
        var a = RandomSource(seed: 82), b = RandomSource(seed: 82)
        #expect((0..<1_000).allSatisfy { _ in a.nextNormal() == b.nextNormal() })
    }
}
