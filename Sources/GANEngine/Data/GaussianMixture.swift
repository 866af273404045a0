/// A mixture of axis-aligned Gaussians, truncated to [-1, 1]² (the noise is redrawn for a point outside).
///
/// Used by the reference's "gaussians" and "disjoint" presets and by the ring of 8 and the 5×5 grid,
/// the standard mode-collapse tests (Metz et al., "Unrolled GANs", 2016; Dumoulin et al., "ALI", 2016).
public struct GaussianMixture: RealDistribution, Equatable {
    /// One mixture component.
    public struct Component: Sendable, Equatable {
        /// Mixing weight (need not be normalised; the mixture divides by the sum).
        public var weight: Float
        /// The component's mean.
        public var mean: SIMD2<Float>
        /// Per-axis standard deviation.
        public var sigma: SIMD2<Float>

        /// Creates a component; weight must be positive and σ non-negative.
        public init(weight: Float, mean: SIMD2<Float>, sigma: SIMD2<Float>) {
            precondition(weight > 0 && weight.isFinite, "component weight must be positive")
            precondition(sigma.x >= 0 && sigma.y >= 0, "component sigma must not be negative")
            self.weight = weight
            self.mean = mean
            self.sigma = sigma
        }
    }

    /// The components, in order.
    public let components: [Component]
    /// Cumulative normalised weights, for picking a component with one uniform draw.
    private let cumulative: [Float]
    /// The cumulative weights for the lane sampler (`sampleLanes`).
    var cumulativeWeights: [Float] { cumulative }
    /// Capture radius of each mode, in multiples of the component's RMS σ.
    public static let modeRadiusInSigmas: Float = 3

    /// Creates a mixture of at least one component.
    public init(components: [Component]) {
        precondition(!components.isEmpty, "a mixture needs at least one component")
        self.components = components
        let total = components.reduce(Float(0)) { $0 + $1.weight }
        var running: Float = 0
        var cumulative = components.map { component -> Float in
            running += component.weight / total
            return running
        }
        cumulative[cumulative.count - 1] = 1
        self.cumulative = cumulative
    }

    /// One mode per component: its mean, radius 3 × RMS σ = 3·√((σx² + σy²)/2).
    public var modes: [DistributionMode] {
        components.map { component in
            let rms = ((component.sigma.x * component.sigma.x + component.sigma.y * component.sigma.y) / 2).squareRoot()
            return DistributionMode(center: component.mean, radius: max(Self.modeRadiusInSigmas * rms, 1e-3))
        }
    }

    /// Picks a component by its weight, then draws its Gaussian truncated to the domain.
    public func sample(count: Int, into buffer: UnsafeMutablePointer<Float>, using random: inout RandomSource) {
        components.withUnsafeBufferPointer { parts in
            cumulative.withUnsafeBufferPointer { bounds in
                Self.draw(count: count, parts: parts, bounds: bounds, into: buffer, random: &random)
            }
        }
    }

    /// The sampling loop on buffer pointers, drawing from a local copy of the stream: with no
    /// closure or array in the loop the generator stays in registers (the same draws either way).
    @inline(__always)
    private static func draw(count: Int, parts: UnsafeBufferPointer<Component>, bounds: UnsafeBufferPointer<Float>,
                             into buffer: UnsafeMutablePointer<Float>, random: inout RandomSource) {
        let tables = ZigguratTables.shared
        var stream = random
        let last = bounds.count - 1
        for index in 0..<count {
            let u = stream.nextUniform()
            // The first component whose cumulative weight exceeds u = the number of bounds ≤ u (they
            // never decrease), counted without branches: a random choice mispredicts half the time.
            var chosen = 0
            for k in 0..<last { chosen &+= u >= bounds[k] ? 1 : 0 }
            let component = parts[chosen]
            let point = stream.nextPointInDomain(center: component.mean, sigma: component.sigma, tables: tables)
            buffer[2 * index] = point.x
            buffer[2 * index + 1] = point.y
        }
        random = stream
    }
}
