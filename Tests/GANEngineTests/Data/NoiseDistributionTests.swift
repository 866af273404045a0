import Testing
import GANEngine

@Suite struct NoiseDistributionTests {
    private func draw(_ noise: NoiseDistribution, vectors: Int, seed: UInt64) -> [Float] {
        var random = RandomSource(seed: seed)
        var buffer = [Float](repeating: .nan, count: vectors * noise.dimension + 1)
        buffer.withUnsafeMutableBufferPointer { noise.sample(count: vectors, into: $0.baseAddress!, using: &random) }
        #expect(buffer.last!.isNaN, "wrote past count × dimension")
        return Array(buffer.dropLast())
    }

    @Test func uniform_coversMinusOneToOne_withUniformMoments() {
        let values = draw(NoiseDistribution(kind: .uniform, dimension: 3), vectors: 50_000, seed: 41)
        #expect(values.allSatisfy { $0 >= -1 && $0 < 1 })
        let moments = meanAndVariance(values)
        #expect(abs(moments.mean) < 0.01)
        #expect(abs(moments.variance - 1.0 / 3) < 0.005)
        #expect(values.min()! < -0.999 && values.max()! > 0.999)
    }

    @Test func gaussian_isTruncatedAtTwoSigma_withTruncatedNormalMoments() {
        let values = draw(NoiseDistribution(kind: .gaussian, dimension: 2), vectors: 100_000, seed: 42)
        #expect(values.allSatisfy { $0 >= -1 && $0 <= 1 })
        let moments = meanAndVariance(values)
        #expect(abs(moments.mean) < 0.005)
        // Var of N(0, σ²) cut at ±2σ: σ²(1 − 2·2φ(2)/(2Φ(2) − 1)) = 0.25 × 0.77374 = 0.19344.
        #expect(abs(moments.variance - 0.19344) < 0.003)
        // Mass within ±σ: 0.68269 / 0.95450 = 0.71523.
        let withinSigma = Double(values.filter { abs($0) <= 0.5 }.count) / Double(values.count)
        #expect(abs(withinSigma - 0.71523) < 0.005)
    }

    @Test func density_integratesToOne_andMatchesKnownValues() {
        for kind in NoiseDistribution.Kind.allCases {
            let noise = NoiseDistribution(kind: kind, dimension: 1)
            // Midpoint rule over [-1, 1].
            let steps = 20_000
            var integral = 0.0
            for k in 0..<steps {
                integral += Double(noise.density(-1 + (Float(k) + 0.5) * 2 / Float(steps))) * 2 / Double(steps)
            }
            #expect(abs(integral - 1) < 1e-4, "\(kind)")
            #expect(abs(noise.probability(from: -1, to: 1) - 1) < 1e-9)
            #expect(abs(noise.probability(from: -5, to: 5) - 1) < 1e-9)
            #expect(noise.density(1.01) == 0 && noise.density(-1.01) == 0 && noise.density(.nan) == 0)
        }
        #expect(NoiseDistribution(kind: .uniform, dimension: 1).density(0.3) == 0.5)
        // 1 / (0.5 √(2π)) / erf(√2) = 0.79788 / 0.95450.
        #expect(abs(NoiseDistribution(kind: .gaussian, dimension: 1).density(0) - 0.83592) < 1e-4)
        #expect(abs(NoiseDistribution(kind: .gaussian, dimension: 1).probability(from: -0.5, to: 0.5) - 0.71523) < 1e-4)
    }

    @Test func dimension_isValidatedWithANamedRange() throws {
        #expect(NoiseDistribution.dimensionRange == 1...8)
        #expect(throws: DataError.noiseDimensionOutOfRange(0)) { try NoiseDistribution.validated(kind: .uniform, dimension: 0) }
        #expect(throws: DataError.noiseDimensionOutOfRange(9)) { try NoiseDistribution.validated(kind: .gaussian, dimension: 9) }
        #expect(try NoiseDistribution.validated(kind: .gaussian, dimension: 8).dimension == 8)
    }

    @Test func sameSeed_replaysTheSameNoise() {
        let noise = NoiseDistribution(kind: .gaussian, dimension: 4)
        #expect(draw(noise, vectors: 200, seed: 1) == draw(noise, vectors: 200, seed: 1))
        #expect(draw(noise, vectors: 200, seed: 1) != draw(noise, vectors: 200, seed: 2))
    }
}
