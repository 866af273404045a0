import Testing
import GANEngine

@Suite struct PresetTests {
    @Test(arguments: Preset.allCases)
    func everySample_isFiniteAndInsideTheDomain(preset: Preset) {
        let points = drawPoints(preset.makeDistribution(), count: 20_000, seed: 11)
        for point in points {
            #expect(point.x.isFinite && point.y.isFinite)
            #expect(point.x >= -1 && point.x <= 1 && point.y >= -1 && point.y <= 1)
        }
        // "Inside about [-0.9, 0.9]²": at least 98 % of the mass (the reference's "gaussians" has a
        // component with σ = 0.4 in y: 1.5 % of its samples lie beyond 0.9).
        let inner = points.filter { abs($0.x) <= 0.9 && abs($0.y) <= 0.9 }.count
        #expect(Double(inner) / Double(points.count) > 0.98)
    }

    @Test(arguments: Preset.allCases)
    func sameSeed_givesSameSamples_differentSeed_doesNot(preset: Preset) {
        let distribution = preset.makeDistribution()
        let a = drawPoints(distribution, count: 500, seed: 3)
        let b = drawPoints(distribution, count: 500, seed: 3)
        let c = drawPoints(distribution, count: 500, seed: 4)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func rawValues_andTitles_areStableAndDistinct() {
        #expect(Preset.allCases.map(\.rawValue) ==
            ["line", "gaussians", "ring", "disjoint", "ring8", "grid25", "moons", "spiral", "checkerboard", "interval"])
        #expect(Set(Preset.allCases.map(\.title)).count == Preset.allCases.count)
        #expect(Preset(rawValue: "ring8") == .ringOfGaussians)
        #expect(Preset.allCases.filter(\.isFromReference) == [.line, .gaussians, .ring, .disjoint])
    }

    @Test func modeCounts_matchTheMixtures() {
        let counts = Preset.allCases.map { ($0, $0.makeDistribution().modes.count) }
        let expected: [Preset: Int] = [.gaussians: 2, .disjoint: 3, .ringOfGaussians: 8, .gridOfGaussians: 25, .checkerboard: 8]
        for (preset, count) in counts { #expect(count == expected[preset, default: 0], "\(preset)") }
    }

    @Test func referencePresets_useTheReferenceParametersMappedByTwoXMinusOne() throws {
        let unit = Domain.fromUnitSquare
        func same(_ a: [SIMD2<Float>], _ b: [SIMD2<Float>]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { euclideanLength($0 - $1) < 1e-6 }
        }
        let line = try #require(Preset.line.makeDistribution() as? SegmentDistribution)
        #expect(same([line.start, line.end], [unit(SIMD2(0.8, 0.6)), unit(SIMD2(0.05, 0.9))]) && line.sigma == 2 * 0.01)

        let gaussians = try #require(Preset.gaussians.makeDistribution() as? GaussianMixture)
        #expect(gaussians.components.map(\.weight) == [0.5, 0.5])
        #expect(same(gaussians.components.map(\.mean), [unit(SIMD2(0.3, 0.7)), unit(SIMD2(0.7, 0.4))]))
        #expect(same(gaussians.components.map(\.sigma), [2 * SIMD2(0.10, 0.10), 2 * SIMD2(0.05, 0.20)]))

        let ring = try #require(Preset.ring.makeDistribution() as? EllipseDistribution)
        #expect(same([ring.center, ring.radii], [unit(SIMD2(0.5, 0.45)), 2 * SIMD2(0.30, 0.25)]) && ring.sigma == 2 * 0.025)

        let disjoint = try #require(Preset.disjoint.makeDistribution() as? GaussianMixture)
        #expect(disjoint.components.map(\.weight) == [0.333, 0.333, 0.334])
        #expect(same(disjoint.components.map(\.mean), [unit(SIMD2(0.35, 0.75)), unit(SIMD2(0.75, 0.60)), unit(SIMD2(0.45, 0.35))]))
        #expect(disjoint.components.allSatisfy { $0.sigma == SIMD2(repeating: 2 * 0.025) })
    }

    @Test func line_isUniformAlongTheSegmentWithSigmaNoise() {
        let points = drawPoints(Preset.line.makeDistribution(), count: 40_000, seed: 5)
        let start = SIMD2<Float>(0.6, 0.2), end = SIMD2<Float>(-0.9, 0.8)
        let direction = end - start, span = euclideanLength(direction)
        let unitDirection = direction / span, normal = SIMD2(-unitDirection.y, unitDirection.x)
        // Position along the segment is U[0, 1): mean ½, variance 1/12; the normal offset has σ = 0.02.
        let along = meanAndVariance(points.map { (($0 - start) * unitDirection).sum() / span })
        let across = meanAndVariance(points.map { (($0 - start) * normal).sum() })
        #expect(abs(along.mean - 0.5) < 0.01)
        #expect(abs(along.variance - 1.0 / 12) < 0.003)
        #expect(abs(across.mean) < 0.001)
        #expect(abs(across.variance.squareRoot() - 0.02) < 0.001)
    }

    @Test func gaussians_componentsHaveTheirMeansSpreadsAndHalfTheMass() {
        let distribution = Preset.gaussians.makeDistribution()
        let points = drawPoints(distribution, count: 40_000, seed: 6)
        // The components overlap a little, so split by the line x = 0 (component means at x = ∓0.4,
        // x-spreads 0.2 and 0.1): about 2.3 % of the first lies right of it.
        let left = points.filter { $0.x < 0 }, right = points.filter { $0.x >= 0 }
        let leftShare = Double(left.count) / Double(points.count), expectedLeft: Double = 0.5 * (1 - 0.0228)
        #expect(abs(leftShare - expectedLeft) < 0.01)
        // Right of x = 0: the second component plus the first's tail (mean about 0.07): 0.393 overall.
        let rightX = meanAndVariance(right.map(\.x))
        #expect(abs(rightX.mean - 0.393) < 0.01)
        let leftY = meanAndVariance(left.map(\.y))
        #expect(abs(leftY.mean - 0.4) < 0.01)
        #expect(abs(leftY.variance.squareRoot() - 0.2) < 0.01)
    }

    @Test func ring_liesOnTheEllipseWithRadialSpreadSigma() {
        let points = drawPoints(Preset.ring.makeDistribution(), count: 40_000, seed: 7)
        let center = SIMD2<Float>(0, -0.1)
        #expect(abs(meanAndVariance(points.map(\.x)).mean - 0) < 0.01)
        #expect(abs(meanAndVariance(points.map(\.y)).mean + 0.1) < 0.01)
        // E[((x−cx)/a)² + ((y−cy)/b)²] = 1 + σ²/a² + σ²/b².
        let normalised = meanAndVariance(points.map { p -> Float in
            let q = (p - center) / SIMD2(0.6, 0.5)
            return (q * q).sum()
        })
        let expectedNormalised: Double = 1 + 0.0025 / 0.36 + 0.0025 / 0.25
        #expect(abs(normalised.mean - expectedNormalised) < 0.01)
        // Uniform angle: a quarter of the points in each quadrant around the centre.
        let quadrant = points.filter { $0.x > center.x && $0.y > center.y }.count
        let quadrantShare = Double(quadrant) / Double(points.count)
        #expect(abs(quadrantShare - 0.25) < 0.01)
    }

    @Test(arguments: [Preset.disjoint, .ringOfGaussians, .gridOfGaussians])
    func isotropicMixtures_putEqualMassNearEachModeWithTheirSigma(preset: Preset) throws {
        let distribution = try #require(preset.makeDistribution() as? GaussianMixture)
        let modes = distribution.modes
        let points = drawPoints(distribution, count: 50_000, seed: 8)
        var members = [[SIMD2<Float>]](repeating: [], count: modes.count)
        for point in points { members[nearestMode(point, modes)].append(point) }
        for (index, component) in distribution.components.enumerated() {
            let share = Double(members[index].count) / Double(points.count)
            let expected = Double(component.weight) / Double(distribution.components.reduce(0) { $0 + $1.weight })
            #expect(abs(share - expected) < 0.012, "mode \(index)")
            let x = meanAndVariance(members[index].map(\.x))
            #expect(abs(x.mean - Double(component.mean.x)) < 0.01)
            #expect(abs(x.variance.squareRoot() - Double(component.sigma.x)) < 0.01)
        }
        // A 3σ disc holds 1 − e^{−4.5} ≈ 98.9 % of an isotropic Gaussian.
        let inside = points.filter { p in modes.contains { euclideanLength(p - $0.center) <= $0.radius } }.count
        #expect(Double(inside) / Double(points.count) > 0.98)
    }

    @Test func moons_hugTheirCurves() throws {
        let moons = try #require(Preset.moons.makeDistribution() as? MoonsDistribution)
        let points = drawPoints(moons, count: 4_000, seed: 9)
        // Distance to the nearest curve point (curves sampled finely) is noise-sized.
        let curve = (0...400).flatMap { k -> [SIMD2<Float>] in
            let t = Float.pi * Float(k) / 400
            return [moons.curvePoint(upper: true, t: t), moons.curvePoint(upper: false, t: t)]
        }
        let distances = points.map { p in curve.map { euclideanLength(p - $0) }.min()! }
        #expect(distances.allSatisfy { $0 < 6 * moons.sigma })
        #expect(abs(meanAndVariance(points.map(\.x)).mean) < 0.02)
        #expect(abs(meanAndVariance(points.map(\.y)).mean) < 0.02)
    }

    @Test func spiral_spreadsPointsEvenlyByArcLength() throws {
        let spiral = try #require(Preset.spiral.makeDistribution() as? SpiralDistribution)
        #expect(spiral.parameter(forLengthFraction: 0) == 0)
        #expect(abs(spiral.parameter(forLengthFraction: 1) - 1) < 1e-6)
        let points = drawPoints(spiral, count: 40_000, seed: 10)
        // Length fraction up to t = ½ is (a/2 + b/8) / (a + b/2) with a = 0.1, b = 0.75.
        let a = 0.1, b = 0.75
        let expected = (a / 2 + b / 8) / (a + b / 2)
        let midRadius = Float(a + b / 2)
        let inner = points.filter { euclideanLength($0) < midRadius }.count
        let innerShare = Double(inner) / Double(points.count)
        #expect(abs(innerShare - expected) < 0.02)
    }

    @Test func checkerboard_fillsOnlyTheDarkSquaresEvenly() throws {
        let board = try #require(Preset.checkerboard.makeDistribution() as? CheckerboardDistribution)
        let points = drawPoints(board, count: 40_000, seed: 12)
        var counts = [Int](repeating: 0, count: 16)
        for p in points {
            let column = Int((p.x + 0.8) / 0.4), row = Int((p.y + 0.8) / 0.4)
            #expect((0..<4).contains(column) && (0..<4).contains(row))
            #expect((column + row) % 2 == 0, "point \(p) in a light square")
            counts[min(max(row, 0), 3) * 4 + min(max(column, 0), 3)] += 1
        }
        for square in board.darkSquares {
            let share = Double(counts[square.row * 4 + square.column]) / Double(points.count)
            #expect(abs(share - 0.125) < 0.01)
        }
    }

    @Test func interval_isUniformOnTheXAxis() {
        let points = drawPoints(Preset.interval.makeDistribution(), count: 40_000, seed: 13)
        #expect(points.allSatisfy { $0.y == 0 && $0.x >= -0.6 && $0.x <= 0.6 })
        let x = meanAndVariance(points.map(\.x))
        #expect(abs(x.mean) < 0.01)
        let expectedVariance: Double = 1.2 * 1.2 / 12
        #expect(abs(x.variance - expectedVariance) < 0.003)
    }
}
