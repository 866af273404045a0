import GANEngine

/// Draws `count` points from `distribution` with a fixed seed, as SIMD pairs.
func drawPoints(_ distribution: any RealDistribution, count: Int, seed: UInt64) -> [SIMD2<Float>] {
    var random = RandomSource(seed: seed)
    let flat = distribution.samples(count: count, using: &random)
    return (0..<count).map { SIMD2(flat[2 * $0], flat[2 * $0 + 1]) }
}

/// Mean and (population) variance of a sequence of values, in Double.
func meanAndVariance<S: Sequence>(_ values: S) -> (mean: Double, variance: Double) where S.Element == Float {
    var n = 0.0, sum = 0.0, sumSquares = 0.0
    for value in values {
        n += 1
        sum += Double(value)
        sumSquares += Double(value) * Double(value)
    }
    let mean = sum / n
    return (mean, sumSquares / n - mean * mean)
}

/// Euclidean length of a 2-D vector.
func euclideanLength(_ v: SIMD2<Float>) -> Float { (v * v).sum().squareRoot() }

/// Index of the mode nearest to `point`, in units of each mode's radius.
func nearestMode(_ point: SIMD2<Float>, _ modes: [DistributionMode]) -> Int {
    var best = 0
    var bestDistance = Float.infinity
    for (index, mode) in modes.enumerated() {
        let distance = euclideanLength(point - mode.center) / mode.radius
        if distance < bestDistance { best = index; bestDistance = distance }
    }
    return best
}
