/// A real distribution that can also draw straight into the fused path's lanes with `LaneRandom`.
///
/// The fused path uses it when the data conforms (`GaussianMixture`); otherwise it draws rows with
/// `sample` and transposes them. The draws differ from `sample`'s (another algorithm on the same
/// stream) but follow the same distribution (LaneSamplingTests).
protocol LaneSampledDistribution: RealDistribution {
    /// Writes `count` samples: sample s's x to `x[s / 8][s % 8]` and y likewise, filling whole groups
    /// of eight (the lanes past `count` get samples too), drawing only through `random`.
    func sampleLanes(count: Int, x: UnsafeMutablePointer<SIMD8<Float>>, y: UnsafeMutablePointer<SIMD8<Float>>,
                     using random: inout RandomSource)
}

extension GaussianMixture: LaneSampledDistribution {
    /// Eight points at a time: a component per lane from one uniform (the count of cumulative weights
    /// ≤ u, as `sample`), its mean and σ by selects, Box–Muller normals, and lanes outside [-1, 1]²
    /// drawn again (up to 64 times, then clamped, as `nextPointInDomain`). Float compares and selects
    /// only: integer lane compares, `clamped` and `any` compile to scalar loops.
    func sampleLanes(count: Int, x: UnsafeMutablePointer<SIMD8<Float>>, y: UnsafeMutablePointer<SIMD8<Float>>,
                     using random: inout RandomSource) {
        var lanes = LaneRandom(seededFrom: &random)
        components.withUnsafeBufferPointer { parts in
            cumulativeWeights.withUnsafeBufferPointer { bounds in
                for g in 0..<((count + 7) / 8) {
                    (x[g], y[g]) = Self.drawPoints(parts, bounds, &lanes)
                }
            }
        }
    }

    /// One group of eight points.
    @inline(__always)
    private static func drawPoints(_ parts: UnsafeBufferPointer<Component>, _ bounds: UnsafeBufferPointer<Float>,
                                   _ lanes: inout LaneRandom) -> (SIMD8<Float>, SIMD8<Float>) {
        let u = lanes.nextUniform()
        var chosen = SIMD8<Float>.zero
        for k in 0..<(bounds.count - 1) { chosen.replace(with: chosen + 1, where: u .>= bounds[k]) }
        var mx = SIMD8<Float>(repeating: parts[0].mean.x), my = SIMD8<Float>(repeating: parts[0].mean.y)
        var sx = SIMD8<Float>(repeating: parts[0].sigma.x), sy = SIMD8<Float>(repeating: parts[0].sigma.y)
        for k in 1..<parts.count {
            let here = chosen .== Float(k), part = parts[k]
            mx.replace(with: part.mean.x, where: here); my.replace(with: part.mean.y, where: here)
            sx.replace(with: part.sigma.x, where: here); sy.replace(with: part.sigma.y, where: here)
        }
        var (nx, ny) = lanes.nextNormals()
        var px = mx + sx * nx, py = my + sy * ny
        for _ in 1..<64 {
            var reach = laneAbsolute(px)
            reach.replace(with: laneAbsolute(py), where: reach .< laneAbsolute(py))
            let outside = reach .> 1
            if SIMD8<Float>.zero.replacing(with: 1, where: outside).laneSum == 0 { return (px, py) }
            (nx, ny) = lanes.nextNormals()
            px.replace(with: mx + sx * nx, where: outside)
            py.replace(with: my + sy * ny, where: outside)
        }
        px.replace(with: 1, where: px .> 1); px.replace(with: -1, where: px .< -1)
        py.replace(with: 1, where: py .> 1); py.replace(with: -1, where: py .< -1)
        return (px, py)
    }
}
