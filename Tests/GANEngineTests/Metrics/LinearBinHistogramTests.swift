import Testing
import GANEngine

@Suite struct LinearBinHistogramTests {
    private func histogram(_ points: [SIMD2<Float>], resolution: Int = 4) -> LinearBinHistogram {
        var histogram = LinearBinHistogram(resolution: resolution)
        let flat = points.flatMap { [$0.x, $0.y] }
        flat.withUnsafeBufferPointer { histogram.add(points: $0.baseAddress!, count: points.count) }
        return histogram
    }

    @Test func pointAtABinCentre_putsAllItsMassThere() {
        // Resolution 4: centres at ±0.25, ±0.75.
        let h = histogram([SIMD2(-0.75, 0.25)])
        #expect(h.mass(column: 0, row: 2) == 1)
        #expect(h.masses.reduce(0, +) == 1 && h.total == 1)
    }

    @Test func pointBetweenCentres_splitsItsMassBilinearly() {
        // x = 0 is halfway between the centres −0.25 and 0.25; y = −0.625 is a quarter of the way from −0.75 to −0.25.
        let h = histogram([SIMD2(0, -0.625)])
        #expect(abs(h.mass(column: 1, row: 0) - 0.375) < 1e-12)
        #expect(abs(h.mass(column: 2, row: 0) - 0.375) < 1e-12)
        #expect(abs(h.mass(column: 1, row: 1) - 0.125) < 1e-12)
        #expect(abs(h.mass(column: 2, row: 1) - 0.125) < 1e-12)
    }

    @Test func beyondTheOuterCentres_andOutside_goesToTheBorderBins() {
        let h = histogram([SIMD2(-0.9, 0.95), SIMD2(5, 0.25), SIMD2(-.infinity, -7), SIMD2(0.25, .infinity)])
        #expect(h.mass(column: 0, row: 3) == 1)   // inside, beyond the corner centre
        #expect(h.mass(column: 3, row: 2) == 1)   // (5, 0.25) → right border
        #expect(h.mass(column: 0, row: 0) == 1)   // (−∞, −7) → bottom-left
        #expect(h.mass(column: 2, row: 3) == 1)   // (0.25, +∞) → top border
        #expect(h.total == 4 && h.outsideCount == 3 && h.nonFiniteCount == 0)
    }

    @Test func nanPoints_areCountedOutside_butAddNoMass() {
        let h = histogram([SIMD2(.nan, 0), SIMD2(0, .nan), SIMD2(0.25, 0.25)])
        #expect(h.total == 1 && h.masses.reduce(0, +) == 1)
        #expect(h.outsideCount == 2 && h.nonFiniteCount == 2)
    }

    @Test func reset_emptiesEveryBinAndCounter() {
        var h = histogram([SIMD2(0.5, 0.5), SIMD2(3, 3), SIMD2(.nan, 1)])
        h.reset()
        #expect(h == LinearBinHistogram(resolution: 4))
    }

    @Test func masses_areContinuousAcrossBinEdgesAndCentres() {
        // Moving a point by δ moves at most 2(|δx| + |δy|)/w of its mass (w = 0.5 at resolution 4).
        for start: Float in [-1, -0.75, -0.5, -1e-7, 0, 0.25, 0.9999] {
            for delta: Float in [1e-6, 1e-3, 0.1] {
                let a = histogram([SIMD2(start, start)]), b = histogram([SIMD2(start + delta, start - delta)])
                let moved = zip(a.masses, b.masses).reduce(0) { $0 + abs($1.0 - $1.1) }
                let dx = Double(start + delta) - Double(start), dy = Double(start) - Double(start - delta)
                #expect(moved <= 2 * (abs(dx) + abs(dy)) / 0.5 + 1e-9, "start \(start), δ \(delta): \(moved)")
            }
        }
    }

    @Test func manyUniformPoints_fillTheInteriorEvenly() {
        var random = RandomSource(seed: 51)
        let points = (0..<64_000).map { _ in SIMD2(random.nextUniform(in: -1, 1), random.nextUniform(in: -1, 1)) }
        let h = histogram(points, resolution: 8)
        // Every bin holds 1,000 on average (border bins also hold the mass beyond their centres).
        #expect(abs(h.masses.reduce(0, +) - 64_000) < 1e-6)
        for row in 0..<8 { for column in 0..<8 { #expect(abs(h.mass(column: column, row: row) - 1_000) < 160) } }
    }
}
