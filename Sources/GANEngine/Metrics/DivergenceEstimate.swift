/// KL in both directions and Jensen–Shannon divergence between the real and the fake distribution, in bits,
/// estimated from linearly binned grid histograms (see `DivergenceMeter` and docs/metrics.md).
public struct DivergenceEstimate: Sendable, Equatable {
    /// KL(real ‖ fake), bits: large when the generator misses real mass (mode dropping). Read it as an alarm,
    /// not a measure: where fakes miss real mass its value is set by the smoothing weight λ (3.2× apart across
    /// λ = 1e-4 … 1e-1 on the same fakes: 1.84 … 0.57 bits with one ring8 mode missed, docs/metrics.md); `js` is the headline number.
    public var klRealFake: Double
    /// KL(fake ‖ real), bits: large when the generator puts mass where there is no data.
    public var klFakeReal: Double
    /// Jensen–Shannon divergence, bits, in [0, 1]: 0 for identical histograms, 1 for disjoint ones.
    public var js: Double

    /// Creates an estimate from its three values.
    public init(klRealFake: Double, klFakeReal: Double, js: Double) {
        self.klRealFake = klRealFake
        self.klFakeReal = klFakeReal
        self.js = js
    }

    /// All three divergences zero.
    public static let zero = DivergenceEstimate(klRealFake: 0, klFakeReal: 0, js: 0)
}
