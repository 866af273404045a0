#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Two interleaving half circles ("two moons", as scikit-learn's `make_moons`), scaled into the domain.
///
/// Unit-radius moons: the upper one is (cos t, sin t), the lower one (1 − cos t, 0.5 − sin t), t ~ U[0, π);
/// each is picked with probability ½. The pair spans x ∈ [-1, 2], y ∈ [-0.5, 1]; it is centred on
/// (0.5, 0.25) and multiplied by `scale`, then isotropic Gaussian noise σ is added (truncated to the domain).
public struct MoonsDistribution: RealDistribution, Equatable {
    /// Multiplier from unit-radius moons to our domain.
    public var scale: Float
    /// Standard deviation of the noise on each axis, in domain units.
    public var sigma: Float

    /// Creates the two-moons distribution.
    public init(scale: Float, sigma: Float) {
        precondition(scale > 0 && sigma >= 0, "scale must be positive and sigma non-negative")
        self.scale = scale
        self.sigma = sigma
    }

    /// Moons are curves, not discrete modes.
    public var modes: [DistributionMode] { [] }

    /// The point on the curve (before noise) for moon `upper` at parameter t ∈ [0, π].
    public func curvePoint(upper: Bool, t: Float) -> SIMD2<Float> {
        let unit = upper ? SIMD2(cos(t), sin(t)) : SIMD2(1 - cos(t), 0.5 - sin(t))
        return (unit - SIMD2(0.5, 0.25)) * scale
    }

    /// Picks a moon, a uniform t, then adds truncated Gaussian noise.
    public func sample(count: Int, into buffer: UnsafeMutablePointer<Float>, using random: inout RandomSource) {
        let tables = ZigguratTables.shared
        for index in 0..<count {
            let upper = random.nextUniform() < 0.5
            let t = Float.pi * random.nextUniform()
            let point = random.nextPointInDomain(center: curvePoint(upper: upper, t: t), sigma: SIMD2(repeating: sigma), tables: tables)
            buffer[2 * index] = point.x
            buffer[2 * index + 1] = point.y
        }
    }
}
