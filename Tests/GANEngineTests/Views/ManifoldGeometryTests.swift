import Testing
import GANEngine

@Suite struct ManifoldGeometryTests {
    private let uniform = NoiseDistribution(kind: .uniform, dimension: 2)
    private let gaussian = NoiseDistribution(kind: .gaussian, dimension: 2)

    /// Applies `map` to every lattice point of a 2-D lattice and returns the densities.
    private func densities(cells: Int, noise: NoiseDistribution, _ map: (SIMD2<Float>) -> SIMD2<Float>) -> [Float] {
        let lattice = ManifoldGeometry.noiseLattice(cells: cells, dimension: 2)
        var mapped = [Float]()
        for k in 0..<(lattice.count / 2) {
            let image = map(SIMD2(lattice[2 * k], lattice[2 * k + 1]))
            mapped += [image.x, image.y]
        }
        return mapped.withUnsafeBufferPointer { ManifoldGeometry.cellDensities(mapped: $0.baseAddress!, cells: cells, noise: noise) }
    }

    @Test func lattice_spansMinusOneToOne_rowMajorWithXFastest() {
        #expect(ManifoldGeometry.noiseLattice(cells: 2, dimension: 1) == [-1, 0, 1])
        #expect(ManifoldGeometry.noiseLattice(cells: 2, dimension: 2) ==
            [-1, -1, 0, -1, 1, -1, -1, 0, 0, 0, 1, 0, -1, 1, 0, 1, 1, 1])
        let three = ManifoldGeometry.noiseLattice(cells: 1, dimension: 3)
        #expect(three == [-1, -1, 0, 1, -1, 0, -1, 1, 0, 1, 1, 0])
        #expect(ManifoldGeometry.noiseLattice(cells: 20, dimension: 2).count == 21 * 21 * 2)
    }

    @Test func identityMap_withUniformNoise_givesUniformDensities() {
        let result = densities(cells: 20, noise: uniform) { $0 }
        #expect(result.count == 400)
        #expect(result.allSatisfy { abs($0 - 1) < 1e-5 })
    }

    @Test func uniformScalingOrShift_keepsDensitiesUniform() {
        let result = densities(cells: 10, noise: uniform) { $0 * 0.3 + SIMD2(0.2, -0.1) }
        #expect(result.allSatisfy { abs($0 - 1) < 1e-4 })
    }

    @Test func halvingOneAxisOnHalfTheCells_doublesTheirDensity() {
        // x' = x for x < 0, x/2 for x ≥ 0: right-hand cells have half the area, so twice the density.
        let result = densities(cells: 10, noise: uniform) { SIMD2($0.x < 0 ? $0.x : $0.x / 2, $0.y) }
        for j in 0..<10 {
            for i in 0..<10 {
                let expected: Float = i < 5 ? 2.0 / 3 : 4.0 / 3   // ratio 2, mean 1
                #expect(abs(result[j * 10 + i] - expected) < 1e-4)
            }
        }
    }

    @Test func gaussianNoise_identityMap_isDensestAtTheCentre_inProportionToTheMass() {
        let cells = 10
        let result = densities(cells: cells, noise: gaussian) { $0 }
        #expect(abs(result.reduce(0, +) / Float(result.count) - 1) < 1e-5)
        let centre = result[5 * cells + 5], corner = result[0]
        #expect(centre > 5 * corner)
        // Equal areas: densities are in the ratio of the cell masses, a product of 1-D masses.
        let one = NoiseDistribution(kind: .gaussian, dimension: 1)
        let centreMass = one.probability(from: 0, to: 0.2), cornerMass = one.probability(from: -1, to: -0.8)
        let expectedRatio = Float((centreMass * centreMass) / (cornerMass * cornerMass))
        #expect(abs(centre / corner - expectedRatio) / expectedRatio < 1e-4)
        // Symmetric noise, symmetric densities.
        #expect(abs(result[0] - result[cells * cells - 1]) < 1e-5)
    }

    @Test func collapsedAndFoldedCells_stayFinite_andCapped() {
        let collapsed = densities(cells: 8, noise: gaussian) { _ in SIMD2(0.3, 0.3) }
        #expect(collapsed.allSatisfy { $0.isFinite })
        #expect(abs(collapsed.reduce(0, +) / 64 - 1) < 1e-4)

        // Fold the lattice: x' = |x| maps the left half onto the right half (still area-preserving per cell,
        // so uniform), and pinch one vertex into its neighbour to make a degenerate cell.
        let folded = densities(cells: 8, noise: uniform) { p in
            p == SIMD2(0.25, 0.25) ? SIMD2(0, 0) : SIMD2(abs(p.x), p.y)
        }
        #expect(folded.allSatisfy { $0.isFinite && $0 >= 0 })
        // No cell can exceed (mass / (1 % of the mean area)) relative to the average: about 100×.
        #expect(folded.max()! <= 101)
    }

    @Test func nonFiniteCorners_giveZeroDensity_notNaN() {
        let result = densities(cells: 4, noise: uniform) { p in p == SIMD2(0, 0) ? SIMD2(.nan, 0) : p }
        #expect(result.allSatisfy { $0.isFinite })
        // (0, 0) is a corner of the four central cells.
        #expect([5, 6, 9, 10].allSatisfy { result[$0] == 0 })
        #expect(result.filter { $0 > 0 }.count == 12)
    }

    @Test func segmentDensities_followLengthAlongTheCurve() {
        let noise = NoiseDistribution(kind: .uniform, dimension: 1)
        // x' = x for x < 0, x/2 for x ≥ 0 along the x axis.
        let lattice = ManifoldGeometry.noiseLattice(cells: 4, dimension: 1)
        let mapped = lattice.flatMap { [$0 < 0 ? $0 : $0 / 2, 0] }
        let result = mapped.withUnsafeBufferPointer { ManifoldGeometry.segmentDensities(mapped: $0.baseAddress!, segments: 4, noise: noise) }
        #expect(result.count == 4)
        #expect(zip(result, [2.0 / 3, 2.0 / 3, 4.0 / 3, 4.0 / 3] as [Float]).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func shoelace_givesTheAreaOfKnownPolygons() {
        #expect(ManifoldGeometry.shoelaceArea([SIMD2(0, 0), SIMD2(2, 0), SIMD2(2, 3), SIMD2(0, 3)]) == 6)
        #expect(ManifoldGeometry.shoelaceArea([SIMD2(0, 0), SIMD2(0, 3), SIMD2(2, 3), SIMD2(2, 0)]) == 6)
        #expect(ManifoldGeometry.shoelaceArea([SIMD2(0, 0), SIMD2(1, 0), SIMD2(0, 1)]) == 0.5)
        #expect(ManifoldGeometry.shoelaceArea([SIMD2(0, 0), SIMD2(.nan, 0), SIMD2(0, 1)]).isNaN)
    }
}

extension ManifoldGeometryTests {
    @Test func densities_ofARandomWarp_matchTheGeneralShoelacePolygon() {
        // A smooth, non-linear warp; recompute each cell's density from the public polygon formula.
        let cells = 6
        let noise = NoiseDistribution(kind: .gaussian, dimension: 2)
        let warp: (SIMD2<Float>) -> SIMD2<Float> = { p in SIMD2(p.x + 0.3 * p.y * p.y, 0.5 * p.y + 0.2 * p.x * p.y) }
        let result = densities(cells: cells, noise: noise, warp)
        let lattice = ManifoldGeometry.noiseLattice(cells: cells, dimension: 2)
        let mapped = (0..<(lattice.count / 2)).map { warp(SIMD2(lattice[2 * $0], lattice[2 * $0 + 1])) }
        let one = NoiseDistribution(kind: .gaussian, dimension: 1)
        let step: Float = 2 / Float(cells)
        var raw: [Double] = []
        for j in 0..<cells {
            for i in 0..<cells {
                let corners = [mapped[j * 7 + i], mapped[j * 7 + i + 1], mapped[(j + 1) * 7 + i + 1], mapped[(j + 1) * 7 + i]]
                let area = ManifoldGeometry.shoelaceArea(corners.map { SIMD2(Double($0.x), Double($0.y)) })
                let mass = one.probability(from: -1 + Float(i) * step, to: -1 + Float(i + 1) * step)
                    * one.probability(from: -1 + Float(j) * step, to: -1 + Float(j + 1) * step)
                raw.append(mass / area)
            }
        }
        let mean = raw.reduce(0, +) / Double(raw.count)
        for (value, reference) in zip(result, raw) {
            #expect(abs(Double(value) - reference / mean) < 1e-4)
        }
    }
}
