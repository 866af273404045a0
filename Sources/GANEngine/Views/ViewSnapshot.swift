/// Everything the browser shows for one frame, computed by one `ViewComputer.update(from:)` call.
///
/// A value (arrays, copy-on-write): hand it to other threads freely. Probabilities ("predictions", the
/// decision field) are D's displayed probability: σ(score), or the clamped score for least squares.
///
/// Coordinates: the square [-1, 1]², y up. Point buffers are row-major (count, 2): x0, y0, x1, y1, ...
/// Grids are row-major with the TOP row first (like image rows): cell (row i, column j) of an
/// R×R grid has centre x = −1 + (j + ½)·2/R, y = 1 − (i + ½)·2/R.
/// Sign convention of the arrows: `*Push` is −∇ₓℓ_G(x), the direction the generator's update moves
/// a fake at x (for every loss, towards higher D); `*DiscriminatorGradient` is +∇ₓD(x), D the displayed
/// probability (GAN Lab's arrows). Fakes are raw generator outputs: with the linear output they may lie
/// outside the square; a view clamps them to the border and `metrics.fractionOutside` counts them.
public struct ViewSnapshot: Sendable {
    /// Epoch of the trainer when computed.
    public var epoch: Int = 0
    /// Shown fakes: G on a fixed noise set, (fakeCount, 2).
    public var fakes: [Float] = []
    /// −∇ₓℓ_G at each shown fake, (fakeCount, 2).
    public var fakePush: [Float] = []
    /// ∇ₓD at each shown fake, (fakeCount, 2).
    public var fakeDiscriminatorGradient: [Float] = []
    /// D's probability "real" at each shown fake, (fakeCount) (docs/protocol.md §3.2, section 10).
    public var fakePredictions: [Float] = []
    /// D's probability "real" at each of `ViewComputer.realPoints`, in their order (empty until they are set).
    public var realPredictions: [Float] = []
    /// Side R of the decision field.
    public var decisionResolution: Int = 0
    /// D's probability "real" at the R×R cell centres, in (0, 1) (least squares: clamped to [0, 1]).
    public var decisionField: [Float] = []
    /// Side of the coarse gradient grid.
    public var gridResolution: Int = 0
    /// −∇ₓℓ_G at the coarse grid's cell centres, (side², 2).
    public var gridPush: [Float] = []
    /// ∇ₓD at the coarse grid's cell centres, (side², 2).
    public var gridDiscriminatorGradient: [Float] = []
    /// The generator manifold, for 1-D and 2-D noise only.
    public var manifold: GeneratorManifold?
    /// The frame's numbers.
    public var metrics = ViewMetrics()

    /// An empty snapshot.
    public init() {}

    /// Number of shown fakes.
    public var fakeCount: Int { fakes.count / 2 }
}

/// G applied to the regular noise lattice: a warped grid (2-D noise) or a curve (1-D noise).
public struct GeneratorManifold: Sendable {
    /// 1 or 2.
    public var noiseDimension: Int
    /// Cells M per side (2-D: (M+1)² points; 1-D: M+1 points along the curve).
    public var cells: Int
    /// Mapped lattice points, row-major (count, 2), lattice row-major as `ManifoldGeometry.noiseLattice`.
    public var points: [Float]
    /// Relative density of each of the M² warped cells (mean 1); empty for 1-D noise.
    public var cellDensities: [Float]
}

/// The per-frame numbers.
public struct ViewMetrics: Sendable {
    /// D loss of the trainer's last discriminator update (NaN before the first).
    public var discriminatorLoss: Float = .nan
    /// G loss of the trainer's last generator update (NaN before the first).
    public var generatorLoss: Float = .nan
    /// L2 norm of G's parameter gradient in the last generator update (shows saturation).
    public var generatorGradientNorm: Float = .nan
    /// KL both ways and JS (bits) between the real distribution and `metricSampleCount` fakes.
    public var divergence = DivergenceEstimate(klRealFake: 0, klFakeReal: 0, js: 0)
    /// The estimator's noise floor: the same estimate between two independent real samples.
    public var divergenceFloor = DivergenceEstimate(klRealFake: 0, klFakeReal: 0, js: 0)
    /// Fraction of the metric fakes outside [-1, 1]².
    public var fractionOutside: Double = 0
    /// Per-mode coverage, for distributions with known modes.
    public var modeCoverage: ModeCoverage?
    /// Empty metrics.
    public init() {}
}
