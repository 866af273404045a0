#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// One arm of an Archimedean spiral, points spread uniformly by arc length, plus Gaussian noise.
///
/// The arm is r(t) = innerRadius + (outerRadius − innerRadius)·t, θ(t) = 2π·turns·t for t ∈ [0, 1]. Arc length
/// grows like ∫ r dθ, so t is drawn by inverting its (quadratic) cumulative length, which spreads points
/// evenly along the arm instead of crowding the centre.
public struct SpiralDistribution: RealDistribution, Equatable {
    /// Radius at the inner end.
    public var innerRadius: Float
    /// Radius at the outer end.
    public var outerRadius: Float
    /// Number of full turns.
    public var turns: Float
    /// Standard deviation of the noise on each axis.
    public var sigma: Float

    /// Creates a spiral arm; radii must satisfy 0 ≤ inner < outer.
    public init(innerRadius: Float, outerRadius: Float, turns: Float, sigma: Float) {
        precondition(innerRadius >= 0 && outerRadius > innerRadius && turns > 0 && sigma >= 0, "bad spiral parameters")
        self.innerRadius = innerRadius
        self.outerRadius = outerRadius
        self.turns = turns
        self.sigma = sigma
    }

    /// A spiral has no discrete modes.
    public var modes: [DistributionMode] { [] }

    /// The parameter t ∈ [0, 1] that cuts off the fraction `u` of the arm's length.
    ///
    /// Length up to t is proportional to a·t + b·t²/2 (a = inner radius, b = outer − inner), so
    /// t = (−a + √(a² + b·u·(2a + b))) / b.
    public func parameter(forLengthFraction u: Float) -> Float {
        let a = innerRadius, b = outerRadius - innerRadius
        return (-a + (a * a + b * u * (2 * a + b)).squareRoot()) / b
    }

    /// The point on the arm (before noise) at parameter t.
    public func curvePoint(t: Float) -> SIMD2<Float> {
        let radius = innerRadius + (outerRadius - innerRadius) * t
        let theta = 2 * Float.pi * turns * t
        return radius * SIMD2(cos(theta), sin(theta))
    }

    /// Draws a uniform arc-length position, then truncated Gaussian noise.
    public func sample(count: Int, into buffer: UnsafeMutablePointer<Float>, using random: inout RandomSource) {
        let tables = ZigguratTables.shared
        for index in 0..<count {
            let t = parameter(forLengthFraction: random.nextUniform())
            let point = random.nextPointInDomain(center: curvePoint(t: t), sigma: SIMD2(repeating: sigma), tables: tables)
            buffer[2 * index] = point.x
            buffer[2 * index + 1] = point.y
        }
    }
}
