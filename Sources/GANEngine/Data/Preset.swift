#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// The built-in real distributions: the reference's four at its exact parameters, plus the standard
/// mode-collapse tests and teaching shapes. All lie inside about [-0.9, 0.9]² of the domain [-1, 1]².
///
/// The reference's formulas (GAN Lab `ganlab_input_providers.ts`, reference notes §2) are in the unit
/// square; they are mapped by x' = 2x − 1, y' = 2y − 1, so every centre moves and every σ and radius doubles.
/// The parameter table is in docs/metrics.md.
public enum Preset: String, CaseIterable, Sendable {
    /// The reference's four ("Simple line", "Mixture of Gaussians", "Ring", "3 disjoint regions"), exact parameters mapped to [-1,1]².
    case line, gaussians, ring, disjoint
    /// Mode-collapse tests (Metz et al. 2016; Dumoulin et al. 2016) and teaching shapes.
    case ringOfGaussians = "ring8", gridOfGaussians = "grid25", moons, spiral, checkerboard, interval

    /// Human title, as shown in the page's picker.
    public var title: String {
        switch self {
        case .line: "Simple line"
        case .gaussians: "Mixture of Gaussians"
        case .ring: "Ring"
        case .disjoint: "3 disjoint regions"
        case .ringOfGaussians: "Ring of 8 Gaussians"
        case .gridOfGaussians: "5×5 grid of Gaussians"
        case .moons: "Two moons"
        case .spiral: "Spiral"
        case .checkerboard: "Checkerboard"
        case .interval: "Interval (1-D numbers)"
        }
    }

    /// Whether the preset reproduces one of the reference's four shapes.
    public var isFromReference: Bool {
        switch self {
        case .line, .gaussians, .ring, .disjoint: true
        default: false
        }
    }

    /// Builds the preset's distribution with its fixed parameters (our domain's coordinates).
    public func makeDistribution() -> any RealDistribution {
        switch self {
        case .line:
            // Unit square: (0.8, 0.6) → (0.05, 0.9), σ 0.01.
            return SegmentDistribution(from: SIMD2(0.6, 0.2), to: SIMD2(-0.9, 0.8), sigma: 0.02)
        case .gaussians:
            // Unit square: ½ N((0.3, 0.7), (0.10, 0.10)) + ½ N((0.7, 0.4), (0.05, 0.20)).
            return GaussianMixture(components: [
                .init(weight: 0.5, mean: SIMD2(-0.4, 0.4), sigma: SIMD2(0.2, 0.2)),
                .init(weight: 0.5, mean: SIMD2(0.4, -0.2), sigma: SIMD2(0.1, 0.4)),
            ])
        case .ring:
            // Unit square: centre (0.5, 0.45), radii 0.30 × 0.25, σ 0.025.
            return EllipseDistribution(center: SIMD2(0, -0.1), radii: SIMD2(0.6, 0.5), sigma: 0.05)
        case .disjoint:
            // Unit square: σ 0.025 at (0.35, 0.75), (0.75, 0.60), (0.45, 0.35), weights .333/.333/.334.
            return GaussianMixture(components: [
                .init(weight: 0.333, mean: SIMD2(-0.3, 0.5), sigma: SIMD2(repeating: 0.05)),
                .init(weight: 0.333, mean: SIMD2(0.5, 0.2), sigma: SIMD2(repeating: 0.05)),
                .init(weight: 0.334, mean: SIMD2(-0.1, -0.3), sigma: SIMD2(repeating: 0.05)),
            ])
        case .ringOfGaussians:
            return GaussianMixture(components: (0..<8).map { k in
                let angle = 2 * Float.pi * Float(k) / 8
                return .init(weight: 1, mean: Self.ringRadius * SIMD2(cos(angle), sin(angle)), sigma: SIMD2(repeating: 0.05))
            })
        case .gridOfGaussians:
            return GaussianMixture(components: (0..<25).map { k in
                let center = SIMD2(Float(k % 5) - 2, Float(k / 5) - 2) * Self.gridSpacing
                return .init(weight: 1, mean: center, sigma: SIMD2(repeating: 0.04))
            })
        case .moons:
            return MoonsDistribution(scale: 0.55, sigma: 0.04)
        case .spiral:
            return SpiralDistribution(innerRadius: 0.1, outerRadius: 0.85, turns: 2, sigma: 0.03)
        case .checkerboard:
            return CheckerboardDistribution(size: 4, cellSide: 0.4)
        case .interval:
            // "Numbers between 10 and 20": v ↦ x = (v − 15) / 8.33, on the x axis with no spread in y.
            return SegmentDistribution(from: SIMD2(-0.6, 0), to: SIMD2(0.6, 0), sigma: 0)
        }
    }

    /// Radius of the ring of 8 Gaussians (adjacent centres 0.54 apart, about 11σ).
    static let ringRadius: Float = 0.7
    /// Spacing of the 5×5 grid (centres at -0.7 … 0.7, about 9σ apart).
    static let gridSpacing: Float = 0.35
}
