#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Points on an axis-aligned ellipse at a uniform angle, plus isotropic Gaussian noise: the reference's "ring".
public struct EllipseDistribution: RealDistribution, Equatable {
    /// The ellipse's centre.
    public var center: SIMD2<Float>
    /// Semi-axes along x and y.
    public var radii: SIMD2<Float>
    /// Standard deviation of the noise on each axis.
    public var sigma: Float

    /// Creates an ellipse distribution; σ must be non-negative.
    public init(center: SIMD2<Float>, radii: SIMD2<Float>, sigma: Float) {
        precondition(sigma >= 0, "sigma must not be negative")
        self.center = center
        self.radii = radii
        self.sigma = sigma
    }

    /// A ring has no discrete modes.
    public var modes: [DistributionMode] { [] }

    /// θ = 2πr, x = cx + a·cos θ + σε₁, y = cy + b·sin θ + σε₂ (reference notes §2).
    public func sample(count: Int, into buffer: UnsafeMutablePointer<Float>, using random: inout RandomSource) {
        let tables = ZigguratTables.shared
        for index in 0..<count {
            let theta = 2 * Float.pi * random.nextUniform()
            let onCurve = center + radii * SIMD2(cos(theta), sin(theta))
            let point = random.nextPointInDomain(center: onCurve, sigma: SIMD2(repeating: sigma), tables: tables)
            buffer[2 * index] = point.x
            buffer[2 * index + 1] = point.y
        }
    }
}
