/// Computes a `ViewSnapshot` from a trainer with preallocated buffers: one call per frame.
///
/// Fixed inputs are drawn once from a `RandomSource` seeded with `configuration.seed ^ viewSeedSalt`,
/// never from the trainer's stream, so showing views never changes training: the first
/// `fakeSampleCount` rows of a fixed metric noise set (G of them are the shown fakes, so they
/// move smoothly between frames), the noise lattice, the grids, and the divergence meter's real
/// histogram and floor. Per frame: one G pass (metric noise + lattice), one D pass with input
/// gradients (shown fakes + coarse grid; its scores are also the fakes' predictions), one D pass
/// (decision field + the real display points), the histogram, and mode coverage.
///
/// Buffers are rebuilt only when the trainer, its `generation` (new networks), its seed or noise, the
/// view settings or `realPoints` change. Writing into the snapshot's arrays allocates nothing as long as
/// the caller has let go of the previous snapshot (otherwise copy-on-write copies them once).
public final class ViewComputer {
    /// Salt mixed into the seed for the views' own random stream.
    public static let viewSeedSalt: UInt64 = 0x5649_4557_5345_4544  // "VIEWSEED"

    /// The latest snapshot (also returned by `update`).
    public private(set) var snapshot = ViewSnapshot()

    /// Real points (row-major (count, 2)) at which each frame reports D's probability in
    /// `ViewSnapshot.realPredictions`: set once, e.g. the lab's 500 display samples. Empty by default.
    public var realPoints: [Float] = [] {
        didSet {
            precondition(realPoints.count % 2 == 0, "real points are (x, y) pairs")
            isPrepared = false
        }
    }

    /// What the buffers were prepared for: a frame with a different key rebuilds them.
    private struct Key: Equatable {
        var views: GANConfiguration.Views
        var noise: NoiseDistribution
        var seed: UInt64
        var generation: Int

        init(_ trainer: Trainer) {
            views = trainer.configuration.views
            noise = trainer.configuration.noise
            seed = trainer.configuration.seed
            generation = trainer.generation
        }
    }

    private var key: Key
    private var views: GANConfiguration.Views { key.views }
    private var noise: NoiseDistribution { key.noise }
    /// The trainer the buffers and the meter's real histogram belong to (weak: the views never keep a run alive,
    /// and a new trainer at a freed one's address is still seen as new).
    private weak var trainer: Trainer?
    private var isPrepared = false
    private var buffers: Buffers
    private var meter: DivergenceMeter
    private var modes: [DistributionMode]

    /// Work buffers and fixed inputs for one trainer's networks and view settings.
    private struct Buffers {
        /// Rows of G's pass: the metric noise set, then the lattice (1-D or 2-D noise only).
        var generatorWorkspace: MLPWorkspace
        /// Shown fakes then coarse-grid centres, with input gradients.
        var gradientWorkspace: MLPWorkspace
        /// Decision-field cell centres, then the real display points (written once).
        var fieldWorkspace: MLPWorkspace
        var generatorInput: [Float]
        var gridCentres: [Float]
        var latticeRows: Int
        var metricCount: Int
    }

    /// Prepares buffers and fixed inputs for `trainer`'s configuration and networks.
    public init(trainer: Trainer) {
        key = Key(trainer)
        self.trainer = trainer
        (buffers, meter, modes, snapshot) = Self.prepared(for: trainer, realPoints: [], keeping: nil)
        isPrepared = true
    }

    /// Buffers, meter, modes and an empty snapshot for `trainer`; `meter` is kept when given (same data,
    /// seed and metric sample count), else a new one is binned from the view stream.
    private static func prepared(for trainer: Trainer, realPoints: [Float], keeping meter: DivergenceMeter?)
        -> (Buffers, DivergenceMeter, [DistributionMode], ViewSnapshot) {
        let c = trainer.configuration
        var random = RandomSource(seed: c.seed ^ viewSeedSalt)
        let buffers = makeBuffers(trainer, realPoints: realPoints, random: &random)
        let meter = meter ?? DivergenceMeter(distribution: trainer.distribution, fakeSampleCount: c.views.metricSampleCount, random: &random)
        let snapshot = emptySnapshot(trainer, buffers: buffers, realCount: realPoints.count / 2, floor: meter.floor)
        return (buffers, meter, trainer.distribution.modes, snapshot)
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

    /// Rows of the metric noise set: the first `fakeSampleCount` of them are the shown fakes.
    private static func metricNoiseCount(_ c: GANConfiguration) -> Int {
        max(c.views.metricSampleCount, c.views.fakeSampleCount)
    }

    /// The metric noise set (rows × noise dimension), the first thing drawn from the view stream.
    private static func metricNoise(_ c: GANConfiguration, using random: inout RandomSource) -> [Float] {
        let count = metricNoiseCount(c)
        var noise = [Float](repeating: 0, count: count * c.noiseDimension)
        noise.withUnsafeMutableBufferPointer { c.noise.sample(count: count, into: $0.baseAddress!, using: &random) }
        return noise
    }

    /// The first two coordinates of the noise behind each shown fake, in the order of the fakes, so a page
    /// can draw the noise thumbnail with the same points: the same numbers the views draw for `c`.
    public static func shownNoise(for c: GANConfiguration) -> [Float] {
        var random = RandomSource(seed: c.seed ^ viewSeedSalt)
        let noise = metricNoise(c, using: &random), d = c.noiseDimension
        var shown: [Float] = []
        shown.reserveCapacity(min(2, d) * c.views.fakeSampleCount)
        for i in 0..<c.views.fakeSampleCount {
            for j in 0..<min(2, d) { shown.append(noise[i * d + j]) }
        }
        return shown
    }

    /// Buffers for `trainer`'s networks and view settings; fixed inputs drawn from `random` (the view stream).
    private static func makeBuffers(_ trainer: Trainer, realPoints: [Float], random: inout RandomSource) -> Buffers {
        let c = trainer.configuration, views = c.views
        let metricCount = metricNoiseCount(c)
        var generatorInput = metricNoise(c, using: &random)
        var latticeRows = 0
        if c.noiseDimension <= 2 {
            let lattice = ManifoldGeometry.noiseLattice(cells: views.manifoldCells, dimension: c.noiseDimension)
            latticeRows = lattice.count / c.noiseDimension
            generatorInput += lattice
        }
        let gridPoints = views.arrowGridResolution * views.arrowGridResolution
        let cells = views.decisionResolution * views.decisionResolution
        let field = MLPWorkspace(for: trainer.discriminator, rowCapacity: cells + realPoints.count / 2, isForwardOnly: true)
        let fieldInput = gridCentres(side: views.decisionResolution) + realPoints
        field.input.data.update(from: fieldInput, count: fieldInput.count)
        return Buffers(generatorWorkspace: MLPWorkspace(for: trainer.generator, rowCapacity: metricCount + latticeRows,
                                                                 isForwardOnly: true),
                       gradientWorkspace: MLPWorkspace(for: trainer.discriminator, rowCapacity: views.fakeSampleCount + gridPoints),
                       fieldWorkspace: field, generatorInput: generatorInput,
                       gridCentres: gridCentres(side: views.arrowGridResolution), latticeRows: latticeRows, metricCount: metricCount)
    }

    /// A snapshot with every array at its final size, so frames only overwrite.
    private static func emptySnapshot(_ trainer: Trainer, buffers: Buffers, realCount: Int, floor: DivergenceEstimate) -> ViewSnapshot {
        let views = trainer.configuration.views
        var s = ViewSnapshot()
        s.fakes = [Float](repeating: 0, count: 2 * views.fakeSampleCount)
        s.fakePush = s.fakes
        s.fakeDiscriminatorGradient = s.fakes
        s.fakePredictions = [Float](repeating: 0, count: views.fakeSampleCount)
        s.realPredictions = [Float](repeating: 0, count: realCount)
        s.decisionResolution = views.decisionResolution
        s.decisionField = [Float](repeating: 0, count: views.decisionResolution * views.decisionResolution)
        s.gridResolution = views.arrowGridResolution
        s.gridPush = [Float](repeating: 0, count: 2 * views.arrowGridResolution * views.arrowGridResolution)
        s.gridDiscriminatorGradient = s.gridPush
        if buffers.latticeRows > 0 {
            s.manifold = GeneratorManifold(noiseDimension: trainer.configuration.noiseDimension, cells: views.manifoldCells,
                                           points: [Float](repeating: 0, count: 2 * buffers.latticeRows), cellDensities: [])
        }
        s.metrics.divergenceFloor = floor
        return s
    }

    /// Rebuilds what `trainer` changed since the last frame; the meter (its real histogram and floor) only
    /// when the data, seed or metric sample count changed.
    private func prepare(_ trainer: Trainer) {
        let new = Key(trainer)
        let keepsMeter = self.trainer === trainer && new.seed == key.seed && new.views.metricSampleCount == key.views.metricSampleCount
        key = new
        self.trainer = trainer
        (buffers, meter, modes, snapshot) = Self.prepared(for: trainer, realPoints: realPoints, keeping: keepsMeter ? meter : nil)
        isPrepared = true
    }

    /// Recomputes every view quantity from the trainer's current weights and returns the snapshot.
    @discardableResult
    public func update(from trainer: Trainer) -> ViewSnapshot {
        let c = trainer.configuration
        if !isPrepared || self.trainer !== trainer || Key(trainer) != key { prepare(trainer) }
        // Work on a local copy moved out of `snapshot` (still uniquely referenced, so no copy) so
        // several of its arrays can be written at once without overlapping accesses to `self`.
        var s = snapshot
        snapshot = ViewSnapshot()
        defer { snapshot = s }
        let loss = c.loss
        let b = buffers
        s.epoch = trainer.epoch

        // G pass: (metricCount + latticeRows, noise) -> points.
        let gw = b.generatorWorkspace
        gw.setRows(b.metricCount + b.latticeRows)
        gw.input.data.update(from: b.generatorInput, count: b.generatorInput.count)
        let points = trainer.shownGenerator.forward(gw, mode: .inference).data
        let fakeCount = views.fakeSampleCount
        s.fakes.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: points, count: 2 * fakeCount) }
        if b.latticeRows > 0 {
            let mapped = points + 2 * b.metricCount
            s.manifold!.points.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: mapped, count: 2 * b.latticeRows) }
            s.manifold!.cellDensities = noise.dimension == 2
                ? ManifoldGeometry.cellDensities(mapped: mapped, cells: views.manifoldCells, noise: noise)
                : ManifoldGeometry.segmentDensities(mapped: mapped, segments: views.manifoldCells, noise: noise)
        }

        // Metrics on the first metricSampleCount fakes.
        s.metrics.divergence = meter.measure(fakes: points, count: views.metricSampleCount)
        s.metrics.divergenceFloor = meter.floor
        s.metrics.fractionOutside = meter.lastFractionOutside
        s.metrics.modeCoverage = modes.isEmpty ? nil
            : ModeCoverage.measure(fakes: points, count: views.metricSampleCount, modes: modes)
        s.metrics.discriminatorLoss = trainer.lastDiscriminatorLoss
        s.metrics.generatorLoss = trainer.lastGeneratorLoss
        s.metrics.generatorGradientNorm = trainer.lastGeneratorGradientNorm
        s.metrics.discriminatorPenalty = trainer.lastDiscriminatorPenalty

        // D pass with input gradients: shown fakes, then the coarse grid. dL/ds = 1 gives ∇ₓs per row.
        let gridPoints = b.gridCentres.count / 2
        let dw = b.gradientWorkspace
        dw.setRows(fakeCount + gridPoints)
        dw.input.data.update(from: points, count: 2 * fakeCount)
        (dw.input.data + 2 * fakeCount).update(from: b.gridCentres, count: b.gridCentres.count)
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
        s.fakePredictions.withUnsafeMutableBufferPointer { out in
            for i in 0..<fakeCount { out[i] = loss.probability(fromScore: scores[i]) }
        }

        // Decision field, then the real display points: D's probability (inputs were written once).
        let fw = b.fieldWorkspace
        let cells = views.decisionResolution * views.decisionResolution
        let realCount = s.realPredictions.count
        fw.setRows(cells + realCount)
        let field = trainer.discriminator.forward(fw, mode: .inference).data
        s.decisionField.withUnsafeMutableBufferPointer { out in
            for i in 0..<cells { out[i] = loss.probability(fromScore: field[i]) }
        }
        s.realPredictions.withUnsafeMutableBufferPointer { out in
            for i in 0..<realCount { out[i] = loss.probability(fromScore: field[cells + i]) }
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
