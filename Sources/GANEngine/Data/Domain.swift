/// The fixed coordinate domain of data, fakes and every view: the square [-1, 1]², y up.
///
/// The reference (GAN Lab) works in the unit square [0, 1]² while its tanh generator reaches (-1, 1)², so
/// fakes can leave its view. We map its formulas by x' = 2x − 1, y' = 2y − 1 (every σ and radius doubles),
/// so the default tanh output can never leave the view.
public enum Domain {
    /// The lower bound of each coordinate.
    public static let lowerBound: Float = -1
    /// The upper bound of each coordinate.
    public static let upperBound: Float = 1

    /// Whether `point` lies in the closed square [-1, 1]² (false for NaN).
    @inline(__always)
    public static func contains(_ point: SIMD2<Float>) -> Bool {
        point.x >= lowerBound && point.x <= upperBound && point.y >= lowerBound && point.y <= upperBound
    }

    /// Maps a point of the reference's unit square into our domain: x' = 2x − 1, y' = 2y − 1.
    public static func fromUnitSquare(_ point: SIMD2<Float>) -> SIMD2<Float> {
        point * 2 - 1
    }
}

extension RandomSource {
    /// A Gaussian point N(center, diag(sigma²)) truncated to [-1, 1]² by redrawing the noise.
    ///
    /// Redrawing only the noise (not the component or the position along a curve) keeps mixture weights
    /// exact. After 64 failed draws (only possible for a centre at the very border with a huge σ) the last
    /// draw is clamped, so the loop always ends.
    /// Written on scalars (the same operations, lane by lane, as `center + sigma * normals`): the
    /// SIMD2 form compiled to several times the instructions in the training step's sampling.
    @inline(__always)
    mutating func nextPointInDomain(center: SIMD2<Float>, sigma: SIMD2<Float>,
                                    tables: ZigguratTables = .shared) -> SIMD2<Float> {
        let (cx, cy, sx, sy) = (center.x, center.y, sigma.x, sigma.y)
        if sx == 0 && sy == 0 { return SIMD2(min(max(cx, -1), 1), min(max(cy, -1), 1)) }
        var x = cx, y = cy
        for _ in 0..<64 {
            x = cx + sx * nextNormal(using: tables)
            y = cy + sy * nextNormal(using: tables)
            if x >= Domain.lowerBound && x <= Domain.upperBound && y >= Domain.lowerBound && y <= Domain.upperBound {
                return SIMD2(x, y)
            }
        }
        return SIMD2(min(max(x, -1), 1), min(max(y, -1), 1))
    }
}
