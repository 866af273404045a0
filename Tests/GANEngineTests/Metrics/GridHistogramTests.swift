import Testing
import GANEngine

@Suite struct GridHistogramTests {
    private func histogram(_ points: [SIMD2<Float>], resolution: Int = 4) -> GridHistogram {
        var histogram = GridHistogram(resolution: resolution)
        let flat = points.flatMap { [$0.x, $0.y] }
        flat.withUnsafeBufferPointer { histogram.add(points: $0.baseAddress!, count: points.count) }
        return histogram
    }

    @Test func points_landInTheirBins_rowZeroAtTheBottom() {
        let h = histogram([SIMD2(-1, -1), SIMD2(-0.9, -0.6), SIMD2(0, 0), SIMD2(0.99, 0.51), SIMD2(1, 1)])
        #expect(h.count(column: 0, row: 0) == 2)
        #expect(h.count(column: 2, row: 2) == 1)   // (0, 0) is the lower-left corner of bin (2, 2)
        #expect(h.count(column: 3, row: 3) == 2)   // x = 1 and y = 1 belong to the last bin
        #expect(h.total == 5 && h.outsideCount == 0 && h.counts.reduce(0, +) == 5)
        #expect(h.binIndex(x: -0.4, y: 0.6) == 3 * 4 + 1)
    }

    @Test func outsidePoints_areClampedToTheBorderBin_andCounted() {
        let h = histogram([SIMD2(5, 0.1), SIMD2(-1.01, -7), SIMD2(0.2, .infinity), SIMD2(-.infinity, 0.9), SIMD2(0.1, 0.1)])
        #expect(h.count(column: 3, row: 2) == 1)   // (5, 0.1) → right border
        #expect(h.count(column: 0, row: 0) == 1)   // (-1.01, -7) → bottom-left corner
        #expect(h.count(column: 2, row: 3) == 1)   // (0.2, +∞) → top border
        #expect(h.count(column: 0, row: 3) == 1)   // (−∞, 0.9) → left border
        #expect(h.total == 5 && h.outsideCount == 4 && h.nonFiniteCount == 0)
    }

    @Test func nanPoints_areCountedOutside_butBinnedNowhere() {
        let h = histogram([SIMD2(.nan, 0), SIMD2(0, .nan), SIMD2(0.5, 0.5)])
        #expect(h.total == 1 && h.counts.reduce(0, +) == 1)
        #expect(h.outsideCount == 2 && h.nonFiniteCount == 2)
        #expect(h.binIndex(x: .nan, y: 0) == nil)
    }

    @Test func reset_emptiesEveryBinAndCounter() {
        var h = histogram([SIMD2(0.5, 0.5), SIMD2(3, 3), SIMD2(.nan, 1)])
        h.reset()
        #expect(h.counts.allSatisfy { $0 == 0 })
        #expect(h.total == 0 && h.outsideCount == 0 && h.nonFiniteCount == 0)
        #expect(h == GridHistogram(resolution: 4))
    }

    @Test func manyUniformPoints_fillEveryBinEvenly() {
        var random = RandomSource(seed: 51)
        let points = (0..<64_000).map { _ in SIMD2(random.nextUniform(in: -1, 1), random.nextUniform(in: -1, 1)) }
        let h = histogram(points, resolution: 8)
        #expect(h.binCount == 64)
        // 1,000 expected per bin; 5 binomial standard deviations ≈ 157.
        #expect(h.counts.allSatisfy { abs($0 - 1_000) < 160 })
    }
}
