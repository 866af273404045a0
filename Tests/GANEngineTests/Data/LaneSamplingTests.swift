import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import GANEngine

/// The fused path's lane samplers: their vector log and sine/cosine against the C library, and the
/// distributions they draw against the scalar samplers' (same shapes, other draws).
@Suite struct LaneSamplingTests {
    @Test func vectorLog_isWithinTwoUlpOfLogf() {
        var random = RandomSource(seed: 1)
        var worst: Float = 0
        for _ in 0..<20_000 {
            // (0, 1] as Box–Muller uses it, and a wide range of magnitudes.
            var v = SIMD8<Float>(repeating: 0)
            for lane in 0..<8 { v[lane] = lane < 4 ? 1 - random.nextUniform() : exp2f(random.nextUniform(in: -40, 40)) }
            let y = vectorLog(v)
            for lane in 0..<8 {
                let exact = log(Double(v[lane]))
                worst = max(worst, Float(abs(Double(y[lane]) - exact)) / max(Float(abs(exact)).ulp, Float.leastNormalMagnitude))
            }
        }
        #expect(vectorLog(SIMD8(repeating: 1)) == .zero)
        #expect(worst <= 2, "worst \(worst) ulp")
    }

    @Test func vectorSinCos_matchesTheCLibrary() {
        var worst = 0.0
        for k in 0..<40_000 {
            let t = Float(k) / 40_000
            let (s, c) = vectorSinCosOfTurns(SIMD8(repeating: t))
            let angle = 2 * Double.pi * Double(t)
            worst = max(worst, abs(Double(s[0]) - sin(angle)), abs(Double(c[0]) - cos(angle)))
        }
        #expect(worst < 3e-7, "worst absolute error \(worst)")
    }

    @Test func laneRandom_isSeededFromSixteenDrawsOfTheStream() {
        var a = RandomSource(seed: 3), b = RandomSource(seed: 3)
        var lanes = LaneRandom(seededFrom: &a)
        for _ in 0..<16 { _ = b.next() }
        #expect(a.state == b.state)
        var again = RandomSource(seed: 3)
        var same = LaneRandom(seededFrom: &again)
        for _ in 0..<100 { #expect(lanes.nextBits() == same.nextBits()) }
    }

    @Test func laneUniformsAndNormals_haveTheirMoments() {
        var random = RandomSource(seed: 4)
        var lanes = LaneRandom(seededFrom: &random)
        var uniforms: [Float] = [], normals: [Float] = []
        for _ in 0..<25_000 {
            let u = lanes.nextUniform()
            let (a, b) = lanes.nextNormals()
            for lane in 0..<8 { uniforms.append(u[lane]); normals.append(a[lane]); normals.append(b[lane]) }
        }
        #expect(uniforms.allSatisfy { $0 >= 0 && $0 < 1 })
        let (um, uv) = meanAndVariance(uniforms)
        #expect(abs(um - 0.5) < 0.005 && abs(uv - 1.0 / 12) < 0.002)
        let (nm, nv) = meanAndVariance(normals)
        #expect(abs(nm) < 0.01 && abs(nv - 1) < 0.01, "mean \(nm), variance \(nv)")
        let within1 = Double(normals.filter { abs($0) < 1 }.count) / Double(normals.count)
        let beyond2 = Double(normals.filter { abs($0) > 2 }.count) / Double(normals.count)
        #expect(abs(within1 - 0.682_689) < 0.004 && abs(beyond2 - 0.045_500) < 0.002, "\(within1), \(beyond2)")
    }

    /// Points of `distribution` drawn in lanes (`count` of them, whole groups).
    func lanePoints(_ distribution: GaussianMixture, count: Int, seed: UInt64) -> [SIMD2<Float>] {
        let groups = (count + 7) / 8
        let x = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: groups), y = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: groups)
        defer { x.deallocate(); y.deallocate() }
        var random = RandomSource(seed: seed)
        var points: [SIMD2<Float>] = []
        var drawn = 0
        while drawn < count {  // several batches of 150, as training draws them
            distribution.sampleLanes(count: 150, x: x, y: y, using: &random)
            for s in 0..<150 where drawn < count { points.append(SIMD2(x[s / 8][s % 8], y[s / 8][s % 8])); drawn += 1 }
        }
        return points
    }

    @Test(arguments: [Preset.gaussians, .disjoint, .gridOfGaussians])
    func mixtureInLanes_matchesTheScalarSampler(_ preset: Preset) throws {
        let mixture = try #require(preset.makeDistribution() as? GaussianMixture)
        let lanes = lanePoints(mixture, count: 60_000, seed: 5), scalar = drawPoints(mixture, count: 60_000, seed: 5)
        #expect(lanes.allSatisfy { Domain.contains($0) })
        let modes = mixture.modes
        for k in modes.indices {
            let a = lanes.filter { nearestMode($0, modes) == k }, b = scalar.filter { nearestMode($0, modes) == k }
            // Each component's share of points (binomial σ ≈ 0.002 here) and its spread along both axes.
            #expect(abs(Double(a.count - b.count)) / 60_000 < 0.012, "\(preset) mode \(k): \(a.count) vs \(b.count)")
            for axis in 0..<2 {
                let (ma, va) = meanAndVariance(a.map { $0[axis] }), (mb, vb) = meanAndVariance(b.map { $0[axis] })
                #expect(abs(ma - mb) < 0.01 && abs(va.squareRoot() - vb.squareRoot()) < 0.01,
                        "\(preset) mode \(k) axis \(axis): \(ma) ± \(va.squareRoot()) vs \(mb) ± \(vb.squareRoot())")
            }
        }
    }

    @Test(arguments: NoiseDistribution.Kind.allCases)
    func noiseInLanes_matchesTheScalarSampler(_ kind: NoiseDistribution.Kind) {
        let noise = NoiseDistribution(kind: kind, dimension: 3), count = 150, groups = 19
        let lanes = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 3 * groups)
        defer { lanes.deallocate() }
        var random = RandomSource(seed: 6)
        var values: [Float] = []
        for _ in 0..<400 {
            noise.sampleLanes(count: count, into: lanes, slotStride: groups, using: &random)
            for i in 0..<3 { for s in 0..<count { values.append(lanes[i * groups + s / 8][s % 8]) } }
        }
        #expect(values.allSatisfy { $0 >= -1 && $0 <= 1 })
        var scalar = [Float](repeating: 0, count: values.count)
        scalar.withUnsafeMutableBufferPointer { noise.sample(count: values.count / 3, into: $0.baseAddress!, using: &random) }
        let (m, v) = meanAndVariance(values), (ms, vs) = meanAndVariance(scalar)
        #expect(abs(m - ms) < 0.01 && abs(v - vs) < 0.005, "\(kind): \(m), \(v) vs \(ms), \(vs)")
    }
}
