/// Points spread uniformly along a straight segment, plus isotropic Gaussian noise (truncated to the domain).
///
/// The reference's "line" preset (σ = 0.02 in our domain) and the 1-D-like "interval" (σ = 0).
public struct SegmentDistribution: RealDistribution, Equatable {
    /// The point at r = 0.
    public var start: SIMD2<Float>
    /// The point at r = 1.
    public var end: SIMD2<Float>
    /// Standard deviation of the noise on each axis.
    public var sigma: Float

    /// Creates a segment distribution; σ must be non-negative.
    public init(from start: SIMD2<Float>, to end: SIMD2<Float>, sigma: Float) {
        precondition(sigma >= 0, "sigma must not be negative")
        self.start = start
        self.end = end
        self.sigma = sigma
    }

    /// A segment has no discrete modes.
    public var modes: [DistributionMode] { [] }

    /// x = start + r·(end − start) + σε, r ~ U[0, 1), as the reference draws its line.
    public func sample(count: Int, into buffer: UnsafeMutablePointer<Float>, using random: inout RandomSource) {
        let direction = end - start
        let tables = ZigguratTables.shared
        for index in 0..<count {
            let r = random.nextUniform()
            let point = random.nextPointInDomain(center: start + r * direction, sigma: SIMD2(repeating: sigma), tables: tables)
            buffer[2 * index] = point.x
            buffer[2 * index + 1] = point.y
        }
    }
}
