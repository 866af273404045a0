import Testing
import GANEngine

@Suite struct DomainTests {
    @Test func unitSquare_mapsByTwoXMinusOne() {
        #expect(Domain.fromUnitSquare(SIMD2(0, 0)) == SIMD2(-1, -1))
        #expect(Domain.fromUnitSquare(SIMD2(1, 1)) == SIMD2(1, 1))
        #expect(Domain.fromUnitSquare(SIMD2(0.5, 0.25)) == SIMD2(0, -0.5))
    }

    @Test func contains_isTheClosedSquare_andFalseForNaN() {
        #expect(Domain.contains(SIMD2(-1, 1)) && Domain.contains(SIMD2(0, 0)))
        #expect(!Domain.contains(SIMD2(1.0001, 0)) && !Domain.contains(SIMD2(0, -1.0001)))
        #expect(!Domain.contains(SIMD2(.nan, 0)) && !Domain.contains(SIMD2(0, .infinity)))
    }

    @Test func drawnSet_isMeasurable_withASmallFloor_andNoModes() throws {
        // A person's drawing: a weighted "L" of 400 points.
        let points = (0..<400).map { k -> SIMD2<Float> in
            k < 200 ? SIMD2(-0.5, -0.5 + Float(k) / 200) : SIMD2(-0.5 + Float(k - 200) / 200, -0.5)
        }
        let drawn = try DrawnDistribution(points: points, weights: points.map { $0.y > 0 ? 3 : 1 })
        var random = RandomSource(seed: 101)
        var meter = DivergenceMeter(distribution: drawn, random: &random)
        #expect(meter.floor.js < 0.03 && meter.floor.klRealFake < 0.15)
        // A generator that only learned the vertical stroke misses the horizontal one: KL(real‖fake) ≫ floor.
        let vertical = try DrawnDistribution(points: Array(points[0..<200]), weights: points[0..<200].map { $0.y > 0 ? 3 : 1 })
        let fakes = vertical.samples(count: 4_000, using: &random)
        let estimate = fakes.withUnsafeBufferPointer { meter.measure(fakes: $0.baseAddress!, count: 4_000) }
        #expect(estimate.klRealFake > 10 * meter.floor.klRealFake)
        #expect(drawn.modes.isEmpty)
    }
}
