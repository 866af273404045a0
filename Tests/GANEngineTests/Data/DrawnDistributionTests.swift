import Testing
import GANEngine

@Suite struct DrawnDistributionTests {
    @Test func emptySet_isRejected() {
        #expect(throws: DataError.emptyPointSet) { try DrawnDistribution(points: []) }
    }

    @Test func oversizeSet_isRejected_maximumIsAccepted() throws {
        let maximum = DrawnDistribution.maximumPointCount
        #expect(maximum == 20_000)
        let atMaximum = try DrawnDistribution(points: Array(repeating: SIMD2(0, 0), count: maximum))
        #expect(atMaximum.pointCount == maximum)
        #expect(throws: DataError.tooManyPoints(count: maximum + 1, maximum: maximum)) {
            try DrawnDistribution(points: Array(repeating: SIMD2(0, 0), count: maximum + 1))
        }
    }

    @Test func nonFiniteCoordinates_areRejectedWithTheirIndex() {
        for bad in [Float.nan, .infinity, -.infinity] {
            #expect(throws: DataError.nonFiniteCoordinate(index: 2)) {
                try DrawnDistribution(points: [SIMD2(0, 0), SIMD2(0.5, 0.5), SIMD2(0.1, bad)])
            }
            #expect(throws: DataError.nonFiniteCoordinate(index: 0)) {
                try DrawnDistribution(points: [SIMD2(bad, 0)])
            }
        }
    }

    @Test func pointsOutsideTheDomain_areRejectedWithTheirIndex_borderIsAccepted() throws {
        #expect(throws: DataError.coordinateOutsideDomain(index: 1)) {
            try DrawnDistribution(points: [SIMD2(0, 0), SIMD2(1.0001, 0)])
        }
        #expect(throws: DataError.coordinateOutsideDomain(index: 0)) {
            try DrawnDistribution(points: [SIMD2(0, -1.5)])
        }
        _ = try DrawnDistribution(points: [SIMD2(-1, -1), SIMD2(1, 1)])
    }

    @Test func badWeights_areRejectedWithTheirIndex() {
        let points: [SIMD2<Float>] = [SIMD2(0, 0), SIMD2(0.5, 0.5), SIMD2(-0.5, 0.5)]
        #expect(throws: DataError.weightCountMismatch(weights: 2, points: 3)) {
            try DrawnDistribution(points: points, weights: [1, 1])
        }
        for bad in [Float(-1), .nan, .infinity] {
            #expect(throws: DataError.invalidWeight(index: 1)) {
                try DrawnDistribution(points: points, weights: [1, bad, 1])
            }
        }
        #expect(throws: DataError.allWeightsZero) {
            try DrawnDistribution(points: points, weights: [0, 0, 0])
        }
    }

    @Test func jitterOutsideItsRange_isRejected() throws {
        #expect(DrawnDistribution.jitterRange == 0...0.5)
        for bad in [Float(-0.01), 0.51, .nan, .infinity] {
            #expect(throws: DataError.jitterOutOfRange) { try DrawnDistribution(points: [SIMD2(0, 0)], jitter: bad) }
        }
        _ = try DrawnDistribution(points: [SIMD2(0, 0)], jitter: 0)
        _ = try DrawnDistribution(points: [SIMD2(0, 0)], jitter: 0.5)
    }

    @Test func errorMessages_nameTheFieldAndTheAllowedRange() {
        #expect(DataError.tooManyPoints(count: 20_001, maximum: 20_000).description.contains("1...20000"))
        #expect(DataError.nonFiniteCoordinate(index: 7).description.hasPrefix("points[7]"))
        #expect(DataError.coordinateOutsideDomain(index: 3).description.contains("-1...1"))
        #expect(DataError.invalidWeight(index: 4).description.hasPrefix("weights[4]"))
        #expect(DataError.jitterOutOfRange.description.contains("0.0...0.5"))
        #expect(DataError.noiseDimensionOutOfRange(9).description.contains("1...8"))
        #expect(DataError.weightCountMismatch(weights: 2, points: 3).description.hasPrefix("weights"))
    }

    @Test func weights_areRespectedInFrequency_zeroWeightIsNeverDrawn() throws {
        let points: [SIMD2<Float>] = [SIMD2(-0.5, 0), SIMD2(0, 0), SIMD2(0.5, 0), SIMD2(0.9, 0.9)]
        let drawn = try DrawnDistribution(points: points, weights: [1, 2, 7, 0], jitter: 0)
        let samples = drawPoints(drawn, count: 100_000, seed: 21)
        let counts = points.map { p in samples.filter { $0 == p }.count }
        #expect(counts.reduce(0, +) == samples.count)
        #expect(counts[3] == 0)
        for (count, expected) in zip(counts, [0.1, 0.2, 0.7]) {
            let share = Double(count) / Double(samples.count)
            #expect(abs(share - expected) < 0.005)
        }
    }

    @Test func unweightedPoints_areDrawnEquallyOften() throws {
        let points: [SIMD2<Float>] = (0..<5).map { SIMD2(Float($0) * 0.1, 0) }
        let drawn = try DrawnDistribution(points: points, jitter: 0)
        let samples = drawPoints(drawn, count: 50_000, seed: 22)
        for p in points {
            let share = Double(samples.filter { $0 == p }.count) / 50_000
            #expect(abs(share - 0.2) < 0.01)
        }
    }

    @Test func jitter_hasTheRequestedSpread_andStaysInTheDomain() throws {
        let drawn = try DrawnDistribution(points: [SIMD2(0.2, -0.3)], jitter: 0.1)
        let samples = drawPoints(drawn, count: 40_000, seed: 23)
        let x = meanAndVariance(samples.map(\.x)), y = meanAndVariance(samples.map(\.y))
        #expect(abs(x.mean - 0.2) < 0.003 && abs(y.mean + 0.3) < 0.003)
        #expect(abs(x.variance.squareRoot() - 0.1) < 0.003 && abs(y.variance.squareRoot() - 0.1) < 0.003)

        let corner = try DrawnDistribution(points: [SIMD2(1, 1)], jitter: 0.5)
        let cornerSamples = drawPoints(corner, count: 10_000, seed: 24)
        #expect(cornerSamples.allSatisfy { $0.x >= -1 && $0.x <= 1 && $0.y >= -1 && $0.y <= 1 })
        #expect(drawn.modes.isEmpty)
    }

    @Test func sameSeed_replaysTheSameSamples() throws {
        let drawn = try DrawnDistribution(points: [SIMD2(0, 0), SIMD2(0.5, 0.5)], weights: [1, 3])
        #expect(drawPoints(drawn, count: 300, seed: 5) == drawPoints(drawn, count: 300, seed: 5))
    }
}
