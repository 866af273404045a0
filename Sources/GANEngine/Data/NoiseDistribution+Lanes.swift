/// Noise drawn straight into the fused path's lanes with `LaneRandom`.
///
/// Same distributions as `sample` (U[-1, 1) per coordinate, or N(0, 0.5²) truncated to [-1, 1] by
/// redrawing), other draws from the same stream (LaneSamplingTests compares the distributions).
extension NoiseDistribution {
    /// Writes `count` noise vectors: coordinate i of vector s to `lanes[i·slotStride + s / 8][s % 8]`,
    /// filling whole groups of eight, drawing only through `random`.
    func sampleLanes(count: Int, into lanes: UnsafeMutablePointer<SIMD8<Float>>, slotStride: Int,
                     using random: inout RandomSource) {
        var generator = LaneRandom(seededFrom: &random)
        let groups = (count + 7) / 8
        for i in 0..<dimension {
            let slot = lanes + i * slotStride
            switch kind {
            case .uniform:
                for g in 0..<groups { slot[g] = generator.nextUniform() * 2 - 1 }
            case .gaussian:
                var g = 0
                while g < groups {
                    let (a, b) = generator.nextNormals()
                    slot[g] = Self.truncated(a, &generator)
                    if g + 1 < groups { slot[g + 1] = Self.truncated(b, &generator) }
                    g += 2
                }
            }
        }
    }

    /// σ·z with every lane outside ±2 (σ·z outside [-1, 1]) drawn again.
    @inline(__always)
    private static func truncated(_ z: SIMD8<Float>, _ generator: inout LaneRandom) -> SIMD8<Float> {
        var z = z
        while true {
            let outside = laneAbsolute(z) .> 2
            if SIMD8<Float>.zero.replacing(with: 1, where: outside).laneSum == 0 { return z * gaussianSigma }
            z.replace(with: generator.nextNormals().0, where: outside)
        }
    }
}
