/// Computes a `ViewSnapshot` from a trainer with preallocated buffers: one call per frame.
///
/// Fixed inputs are drawn once from a `RandomSource` seeded with `configuration.seed ^ viewSeedSalt`,
/// never from the trainer's stream, so showing views never changes training: the first
/// `fakeSampleCount` rows of a fixed metric noise set (G of them are the shown fakes, so they
/// move smoothly between frames), the noise lattice, the grids, and the divergence meter's real
/// histogram and floor. Per frame: one G pass (metric noise + lattice), one D pass with input
/// gradients (shown fakes + coarse grid), one D pass (decision field), the histogram, and mode coverage.
public final class ViewComputer {
    /// Salt mixed into the seed for the views' own random stream.
    public static let viewSeedSalt: UInt64 = 0x5649_4557_5345_4544  // "VIEWSEED"

    /// The latest snapshot (also returned by `update`).
    public private(set) var snapshot = ViewSnapshot()

    private var views: GANConfiguration.Views
    private var noise: NoiseDistribution
    private var seed: UInt64
    /// The trainer the meter's real histogram came from (a new trainer may hold other data).
    private weak var trainer: Trainer?
    private weak var generator: MLP?
    private weak var discriminator: MLP?
    /// Rows of G's pass: the metric noise set, then the lattice (1-D or 2-D noise only).
    private var generatorWorkspace: MLPWorkspace!
    /// Shown fakes then coarse-grid centres, with input gradients.
    private var gradientWorkspace: MLPWorkspace!
    /// Decision-field cell centres.
    private var fieldWorkspace: MLPWorkspace!
    private var generatorInput: [Float] = []
    private var gridCentres: [Float] = []
    private var fieldCentres: [Float] = []
    private var latticeRows = 0
    private var meter: DivergenceMeter?
    private var modes: [DistributionMode] = []

    /// Prepares buffers and fixed inputs for `trainer`'s configuration and networks.
    public init(trainer: Trainer) {
        views = trainer.configuration.views
        noise = trainer.configuration.noise
        seed = trainer.configuration.seed
        prepare(trainer, rebuildMeter: true)
    }

    /// Row-major (side², 2) cell centres of a side×side grid over [-1, 1]², top row first.
    public static func gridCentres(side: Int) -> [Float] {
        var centres = [Float](repeating: 0, count: 2 * side * side)
        let step = 2 / Float(side)
        for i in 0..<side {
            for j in 0..<side {
                centres[2 * (i * side + j)] = -1 + (Float(j) + 0.5) * step
                centres[2 * (i * side + j) + 1] = 1 - (Float(i) + 0.5) * step
            }
        }
        return centres
    }

    private func prepare(_ trainer: Trainer, rebuildMeter: Bool) {
        let c = trainer.configuration
        views = c.views
        noise = c.noise
        seed = c.seed
        self.trainer = trainer
        generator = trainer.generator
        discriminator = trainer.discriminator
        var random = RandomSource(seed: c.seed ^ Self.viewSeedSalt)
        let metricCount = max(views.metricSampleCount, views.fakeSampleCount)
        generatorInput = [Float](repeating: 0, count: metricCount * c.noiseDimension)
        generatorInput.withUnsafeMutableBufferPointer { noise.sample(count: metricCount, into: $0.baseAddress!, using: &random) }
        latticeRows = 0
        if c.noiseDimension <= 2 {
            let lattice = ManifoldGeometry.noiseLattice(cells: views.manifoldCells, dimension: c.noiseDimension)
            latticeRows = lattice.count / c.noiseDimension
            generatorInput += lattice
        }
        generatorWorkspace = MLPWorkspace(for: trainer.generator, rowCapacity: metricCount + latticeRows)
        gridCentres = Self.gridCentres(side: views.arrowGridResolution)
        fieldCentres = Self.gridCentres(side: views.decisionResolution)
        let gridPoints = views.arrowGridResolution * views.arrowGridResolution
        gradientWorkspace = MLPWorkspace(for: trainer.discriminator, rowCapacity: views.fakeSampleCount + gridPoints)
        fieldWorkspace = MLPWorkspace(for: trainer.discriminator, rowCapacity: views.decisionResolution * views.decisionResolution)
        fieldWorkspace.input.data.update(from: fieldCentres, count: fieldCentres.count)
        if rebuildMeter || meter == nil || meter!.fakeSampleCount != views.metricSampleCount {
            meter = DivergenceMeter(distribution: trainer.distribution, fakeSampleCount: views.metricSampleCount, random: &random)
        }
        modes = trainer.distribution.modes

        var s = ViewSnapshot()
        s.fakes = [Float](repeating: 0, count: 2 * views.fakeSampleCount)
        s.fakePush = s.fakes
        s.fakeDiscriminatorGradient = s.fakes
        s.decisionResolution = views.decisionResolution
        s.decisionField = [Float](repeating: 0, count: views.decisionResolution * views.decisionResolution)
        s.gridResolution = views.arrowGridResolution
        s.gridPush = [Float](repeating: 0, count: 2 * gridPoints)
        s.gridDiscriminatorGradient = s.gridPush
        if latticeRows > 0 {
            s.manifold = GeneratorManifold(noiseDimension: c.noiseDimension, cells: views.manifoldCells,
                                           points: [Float](repeating: 0, count: 2 * latticeRows), cellDensities: [])
        }
        s.metrics.divergenceFloor = meter!.floor
        snapshot = s
    }

    /// Recomputes every view quantity from the trainer's current weights and returns the snapshot.
    /// Reallocates only when the view settings, noise, seed or networks changed since the last call.
    @discardableResult
    public func update(from trainer: Trainer) -> ViewSnapshot {
        let c = trainer.configuration
        if c.views != views || c.noise != noise || c.seed != seed || self.trainer !== trainer
            || generator !== trainer.generator || discriminator !== trainer.discriminator {
            let sameMeter = self.trainer === trainer && c.seed == seed && c.views.metricSampleCount == views.metricSampleCount
            prepare(trainer, rebuildMeter: !sameMeter)
        }
        // Work on a local copy moved out of `snapshot` (still uniquely referenced, so no copy) so
        // several of its arrays can be written at once without overlapping accesses to `self`.
        var s = snapshot
        snapshot = ViewSnapshot()
        defer { snapshot = s }
        let loss = c.loss
        s.epoch = trainer.epoch

        // G pass: (metricCount + latticeRows, noise) -> points.
        let metricCount = max(views.metricSampleCount, views.fakeSampleCount)
        let gw = generatorWorkspace!
        gw.setRows(metricCount + latticeRows)
        gw.input.data.update(from: generatorInput, count: generatorInput.count)
        let points = trainer.generator.forward(gw, mode: .inference).data
        let fakeCount = views.fakeSampleCount
        s.fakes.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: points, count: 2 * fakeCount) }
        if latticeRows > 0 {
            let mapped = points + 2 * metricCount
            s.manifold!.points.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: mapped, count: 2 * latticeRows) }
            s.manifold!.cellDensities = noise.dimension == 2
                ? ManifoldGeometry.cellDensities(mapped: mapped, cells: views.manifoldCells, noise: noise)
                : ManifoldGeometry.segmentDensities(mapped: mapped, segments: views.manifoldCells, noise: noise)
        }

        // Metrics on the first metricSampleCount fakes.
        s.metrics.divergence = meter!.measure(fakes: points, count: views.metricSampleCount)
        s.metrics.divergenceFloor = meter!.floor
        s.metrics.fractionOutside = meter!.lastFractionOutside
        s.metrics.modeCoverage = modes.isEmpty ? nil
            : ModeCoverage.measure(fakes: points, count: views.metricSampleCount, modes: modes)
        s.metrics.discriminatorLoss = trainer.lastDiscriminatorLoss
        s.metrics.generatorLoss = trainer.lastGeneratorLoss
        s.metrics.generatorGradientNorm = trainer.lastGeneratorGradientNorm

        // D pass with input gradients: shown fakes, then the coarse grid. dL/ds = 1 gives ∇ₓs per row.
        let gridPoints = gridCentres.count / 2
        let dw = gradientWorkspace!
        dw.setRows(fakeCount + gridPoints)
        dw.input.data.update(from: points, count: 2 * fakeCount)
        (dw.input.data + 2 * fakeCount).update(from: gridCentres, count: gridCentres.count)
        let scores = trainer.discriminator.forward(dw, mode: .inference).data
        dw.outputGradient.fill(1)
        trainer.discriminator.backward(dw, computesParameterGradients: false, computesInputGradient: true)
        let gradients = dw.inputGradient.data
        s.fakePush.withUnsafeMutableBufferPointer { push in
            s.fakeDiscriminatorGradient.withUnsafeMutableBufferPointer { dD in
                Self.arrows(scores: scores, gradients: gradients, count: fakeCount, loss: loss, push: push.baseAddress!, dD: dD.baseAddress!)
            }
        }
        s.gridPush.withUnsafeMutableBufferPointer { push in
            s.gridDiscriminatorGradient.withUnsafeMutableBufferPointer { dD in
                Self.arrows(scores: scores + fakeCount, gradients: gradients + 2 * fakeCount, count: gridPoints, loss: loss,
                            push: push.baseAddress!, dD: dD.baseAddress!)
            }
        }

        // Decision field: D's probability at the R×R cell centres (inputs were written once).
        let fw = fieldWorkspace!
        let cells = views.decisionResolution * views.decisionResolution
        fw.setRows(cells)
        let field = trainer.discriminator.forward(fw, mode: .inference).data
        s.decisionField.withUnsafeMutableBufferPointer { out in
            for i in 0..<cells { out[i] = loss.probability(fromScore: field[i]) }
        }
        return s
    }

    /// push = −(dℓ_G/ds)·∇ₓs and ∇ₓD = (dD/ds)·∇ₓs for `count` rows.
    private static func arrows(scores: UnsafePointer<Float>, gradients: UnsafePointer<Float>, count: Int, loss: GANLoss,
                               push: UnsafeMutablePointer<Float>, dD: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let s = scores[i]
            let toward = -loss.generatorLossDerivative(fromScore: s)
            let slope = loss.probabilityDerivative(fromScore: s)
            push[2 * i] = toward * gradients[2 * i]
            push[2 * i + 1] = toward * gradients[2 * i + 1]
            dD[2 * i] = slope * gradients[2 * i]
            dD[2 * i + 1] = slope * gradients[2 * i + 1]
        }
    }
}
