#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// The generator's input noise: uniform U[-1, 1) or Gaussian N(0, 0.5²) truncated to [-1, 1], 1 to 8 dimensions.
///
/// The reference draws U[0, 1) or tf.js `truncatedNormal(0.5, 0.25)`, cut at ±2σ (reference notes §2.1);
/// mapped to our domain that is U[-1, 1) and N(0, 0.5²) cut at ±1. So the manifold lattice for 1-D or 2-D
/// noise always spans [-1, 1] (or [-1, 1]²).
public struct NoiseDistribution: Sendable, Equatable {
    /// The shape of each coordinate's distribution.
    public enum Kind: String, Sendable, CaseIterable {
        case uniform, gaussian
    }

    /// Allowed noise dimensions (the manifold view needs 1 or 2).
    public static let dimensionRange: ClosedRange<Int> = 1...8
    /// Standard deviation of the Gaussian kind before truncation.
    public static let gaussianSigma: Float = 0.5
    /// Probability mass of N(0, 1) inside ±2σ, erf(√2): the truncated normal's normaliser.
    public static let gaussianMassInside: Double = errorFunctionOf(2.0.squareRoot())

    /// Uniform or Gaussian.
    public var kind: Kind
    /// Number of coordinates per noise vector.
    public var dimension: Int

    /// Creates a noise distribution; `dimension` must be in `dimensionRange` (configuration validates first).
    public init(kind: Kind, dimension: Int) {
        precondition(Self.dimensionRange.contains(dimension), "noise dimension must be in 1...8")
        self.kind = kind
        self.dimension = dimension
    }

    /// Creates a noise distribution from untrusted input, naming the field and range on failure.
    public static func validated(kind: Kind, dimension: Int) throws(DataError) -> NoiseDistribution {
        guard dimensionRange.contains(dimension) else { throw .noiseDimensionOutOfRange(dimension) }
        return NoiseDistribution(kind: kind, dimension: dimension)
    }

    /// Writes `count` noise vectors, row-major (count, dimension). The loops draw from a local copy of
    /// the stream, which stays in registers (the same draws as drawing from `random` directly).
    public func sample(count: Int, into buffer: UnsafeMutablePointer<Float>, using random: inout RandomSource) {
        let total = count * dimension
        var stream = random
        switch kind {
        case .uniform:
            for index in 0..<total { buffer[index] = stream.nextUniform(in: -1, 1) }
        case .gaussian:
            let tables = ZigguratTables.shared
            for index in 0..<total {
                // Truncation by rejection: redraw outside ±2σ (accepts 95.4% of draws).
                var z = stream.nextNormal(using: tables)
                while !(z >= -2 && z <= 2) { z = stream.nextNormal(using: tables) }
                buffer[index] = z * Self.gaussianSigma
            }
        }
        random = stream
    }

    /// Probability density of one coordinate value (the product over dimensions is the joint density).
    public func density(_ value: Float) -> Float {
        guard value >= -1 && value <= 1 else { return 0 }
        switch kind {
        case .uniform:
            return 0.5
        case .gaussian:
            let sigma = Double(Self.gaussianSigma)
            let z = Double(value) / sigma
            return Float(exp(-0.5 * z * z) / (sigma * (2 * Double.pi).squareRoot()) / Self.gaussianMassInside)
        }
    }

    /// Probability that one coordinate falls in [low, high] (the integral of `density`), exact via erf.
    public func probability(from low: Float, to high: Float) -> Double {
        let a = Double(max(low, -1)), b = Double(min(high, 1))
        guard b > a else { return 0 }
        switch kind {
        case .uniform:
            return (b - a) / 2
        case .gaussian:
            let scale = 1 / (Double(Self.gaussianSigma) * 2.0.squareRoot())
            return 0.5 * (erf(b * scale) - erf(a * scale)) / Self.gaussianMassInside
        }
    }
}

/// erf, for the static normaliser (a free function so the initialiser can use it).
private func errorFunctionOf(_ x: Double) -> Double { erf(x) }
