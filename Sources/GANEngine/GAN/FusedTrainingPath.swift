/// The trainer's fast path for narrow networks: both networks run with the batch across SIMD lanes
/// (`FusedMLP`), and a whole update (G forward, D forward, loss, backward, parameter gradients) is
/// a handful of loops over the batch with no per-layer call and no allocation.
///
/// Chosen automatically (`make` returns nil otherwise) for dense + activation networks without batch
/// norm whose hidden layers are at most `widestLayer` wide and no stabiliser that changes the gradient math
/// (no R1/R2 penalty, WGAN-GP or instance noise), with any other loss (the loss terms are the general path's
/// own `GANLoss` functions, called on the lanes' contiguous scores). Learning-rate schedules and the
/// generator average act after the gradients, in `Trainer`'s optimiser step, so they run here too. Its batches come
/// from the run's stream like the general path's, but drawn eight lanes at a time (`LaneRandom`:
/// noise, and data that is a `LaneSampledDistribution`), so they are other samples of the same
/// distributions; the same seed replays the same run. With `drawsInLanes` off it draws exactly the
/// general path's batches, and then the two differ only by float rounding (FusedTrainingPathTests).
/// The optimiser step, weight clipping and divergence checks stay in `Trainer`, shared by both paths.
final class FusedTrainingPath {
    /// The widest hidden layer the fused path takes; wider networks are faster through `GEMM`
    /// (measured: docs/engine.md, "Speed").
    static let widestLayer = 32

    /// The generator in lanes: noise (dimension) → point (2).
    let generator: FusedMLP
    /// The discriminator in lanes: point (2) → score (1); real samples in the first half of its groups.
    let discriminator: FusedMLP
    /// The real data, and the same value as a lane sampler when it is one.
    let data: any RealDistribution
    private let laneData: (any LaneSampledDistribution)?
    /// Draw batches eight lanes at a time (default); false draws them as the general path does, the
    /// same numbers in the same order (tests compare the two paths on identical batches).
    var drawsInLanes = true
    /// Samples the staging buffers hold.
    private var batchCapacity = 0
    /// Noise as drawn, row-major (batch, noise dimension).
    private var noiseRows = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    /// Real points as drawn, row-major (batch, 2).
    private var realRows = UnsafeMutablePointer<Float>.allocate(capacity: 1)

    /// True when `configuration`'s networks and settings can train on the fused path: its gradients are the
    /// plain loss's (`gradientsAreUnregularised`); schedules and the average are applied by `Trainer` after them.
    static func applies(to configuration: GANConfiguration) -> Bool {
        configuration.gradientsAreUnregularised && !configuration.generator.batchNorm
            && configuration.generator.neurons <= widestLayer && configuration.discriminator.neurons <= widestLayer
    }

    /// The fused path over the trainer's own networks, or nil when the general path must run.
    static func make(generator: MLP, discriminator: MLP, configuration: GANConfiguration,
                     data: any RealDistribution) -> FusedTrainingPath? {
        guard applies(to: configuration) else { return nil }
        return FusedTrainingPath(generator: generator, discriminator: discriminator, data: data, batch: configuration.batchSize)
    }

    /// Lanes for both networks with room for `batch` samples; nil if either network has batch norm.
    init?(generator g: MLP, discriminator d: MLP, data: any RealDistribution, batch: Int) {
        let groups = FusedMLP.groups(for: batch)
        guard let fusedG = FusedMLP(network: g, groupCapacity: groups),
              let fusedD = FusedMLP(network: d, groupCapacity: 2 * groups) else { return nil }
        generator = fusedG
        discriminator = fusedD
        self.data = data
        laneData = data as? any LaneSampledDistribution
        reserve(batch: batch)
    }

    deinit {
        noiseRows.deallocate()
        realRows.deallocate()
    }

    /// Grows every buffer to hold `batch` samples (only when the batch size grows).
    private func reserve(batch: Int) {
        guard batch > batchCapacity else { return }
        noiseRows.deallocate()
        realRows.deallocate()
        noiseRows = .allocate(capacity: batch * generator.inputWidth)
        realRows = .allocate(capacity: batch * 2)
        batchCapacity = batch
        let groups = FusedMLP.groups(for: batch)
        generator.reserve(groups: groups)
        discriminator.reserve(groups: 2 * groups)
    }

    // MARK: Updates on fresh batches

    /// D's gradients for one update: draws B noise vectors, then B real points (the general path's
    /// order), writes D's parameter gradients and returns D's loss.
    func discriminatorGradients(batch: Int, noise: NoiseDistribution, random: inout RandomSource,
                                loss: GANLoss, realTarget: Float) -> Float {
        reserve(batch: batch)
        drawNoise(batch, noise, &random)
        let d = discriminator
        if drawsInLanes, let laneData {
            laneData.sampleLanes(count: batch, x: d.lanes(d.values, slot: 0), y: d.lanes(d.values, slot: 1), using: &random)
        } else {
            data.sample(count: batch, into: realRows, using: &random)
            d.setInput(rows: realRows, count: batch, firstGroup: 0)
        }
        return discriminatorGradientsOnInputs(batch: batch, loss: loss, realTarget: realTarget)
    }

    /// G's gradients for one update: draws B noise vectors, writes G's parameter gradients and
    /// returns G's loss (D's parameters and gradients are untouched).
    func generatorGradients(batch: Int, noise: NoiseDistribution, random: inout RandomSource, loss: GANLoss) -> Float {
        reserve(batch: batch)
        drawNoise(batch, noise, &random)
        return generatorGradientsOnInputs(batch: batch, loss: loss)
    }

    /// B noise vectors into G's input lanes.
    private func drawNoise(_ batch: Int, _ noise: NoiseDistribution, _ random: inout RandomSource) {
        let g = generator
        if drawsInLanes {
            noise.sampleLanes(count: batch, into: g.lanes(g.values, slot: 0), slotStride: g.groupCapacity, using: &random)
        } else {
            noise.sample(count: batch, into: noiseRows, using: &random)
            g.setInput(rows: noiseRows, count: batch, firstGroup: 0)
        }
    }

    // MARK: Updates on given batches

    /// D update on given rows: noise (B, dim) → G → fakes; D on B real (B, 2) and B fakes; the loss's
    /// dL/ds; backward through D; dW, db of every D layer. Returns D's loss.
    func discriminatorGradients(noise: UnsafePointer<Float>, real: UnsafePointer<Float>, batch: Int,
                                loss: GANLoss, realTarget: Float) -> Float {
        reserve(batch: batch)
        generator.setInput(rows: noise, count: batch, firstGroup: 0)
        discriminator.setInput(rows: real, count: batch, firstGroup: 0)
        return discriminatorGradientsOnInputs(batch: batch, loss: loss, realTarget: realTarget)
    }

    /// The D update once G's input lanes hold the noise and D's the real points.
    private func discriminatorGradientsOnInputs(batch: Int, loss: GANLoss, realTarget: Float) -> Float {
        let groups = FusedMLP.groups(for: batch), g = generator, d = discriminator
        g.forward(groupCount: groups)
        copyFakes(groups: groups, intoGroup: groups)
        d.forward(groupCount: 2 * groups)
        let lanes = groups * FusedMLP.laneCount
        let value = withScores(lanes: 2 * lanes) { scores, gradient in
            // Unused lanes get dL/ds = 0, so they add nothing to any gradient.
            (gradient + batch).update(repeating: 0, count: lanes - batch)
            (gradient + lanes + batch).update(repeating: 0, count: lanes - batch)
            return loss.discriminatorLoss(real: scores, realCount: batch, fake: scores + lanes, fakeCount: batch,
                                          realTarget: realTarget, realGradient: gradient, fakeGradient: gradient + lanes)
        }
        d.backward(groupCount: 2 * groups, computesInputGradient: false)
        d.writeParameterGradients(groupCount: 2 * groups)
        return value
    }

    /// G update on given noise (B, dim): G → fakes → D; the loss's dL/ds; backward through D to its
    /// input, then through G; dW, db of every G layer. Returns G's loss.
    func generatorGradients(noise: UnsafePointer<Float>, batch: Int, loss: GANLoss) -> Float {
        reserve(batch: batch)
        generator.setInput(rows: noise, count: batch, firstGroup: 0)
        return generatorGradientsOnInputs(batch: batch, loss: loss)
    }

    /// The G update once G's input lanes hold the noise.
    private func generatorGradientsOnInputs(batch: Int, loss: GANLoss) -> Float {
        let groups = FusedMLP.groups(for: batch), g = generator, d = discriminator
        g.forward(groupCount: groups)
        copyFakes(groups: groups, intoGroup: 0)
        d.forward(groupCount: groups)
        let lanes = groups * FusedMLP.laneCount
        let value = withScores(lanes: lanes) { scores, gradient in
            (gradient + batch).update(repeating: 0, count: lanes - batch)
            return loss.laneGeneratorLoss(fake: scores, count: batch, gradient: gradient)
        }
        d.backward(groupCount: groups, computesInputGradient: true)
        // dL/d(fake point) from D's input slots is dL/dy at G's output.
        for i in 0..<2 {
            g.lanes(g.gradients, slot: g.outputSlot + i).update(from: d.lanes(d.gradients, slot: i), count: groups)
        }
        g.backward(groupCount: groups, computesInputGradient: false)
        g.writeParameterGradients(groupCount: groups)
        return value
    }

    /// G's output (the fakes) of groups 0 ..< `groups` into D's input slots from group `first` on.
    private func copyFakes(groups: Int, intoGroup first: Int) {
        let g = generator, d = discriminator
        for i in 0..<2 {
            (d.lanes(d.values, slot: i) + first).update(from: g.lanes(g.values, slot: g.outputSlot + i), count: groups)
        }
    }

    /// D's scores and their gradient slot as contiguous floats in sample order (D has one output).
    private func withScores(lanes: Int, _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Float) -> Float {
        let d = discriminator
        return d.lanes(d.values, slot: d.outputSlot).withMemoryRebound(to: Float.self, capacity: lanes) { scores in
            d.lanes(d.gradients, slot: d.outputSlot).withMemoryRebound(to: Float.self, capacity: lanes) { gradient in
                body(scores, gradient)
            }
        }
    }
}
