/// One discrete mode of a mixture (a component's centre and a capture radius), used to measure mode coverage.
public struct DistributionMode: Sendable, Equatable {
    /// The component's centre in [-1, 1]².
    public var center: SIMD2<Float>
    /// A sample within `radius` of `center` counts as covering this mode (about 3σ of the component).
    public var radius: Float

    /// Creates a mode; `radius` must be positive.
    public init(center: SIMD2<Float>, radius: Float) {
        precondition(radius > 0, "mode radius must be positive")
        self.center = center
        self.radius = radius
    }
}
