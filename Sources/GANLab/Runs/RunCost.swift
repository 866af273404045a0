import GANEngine

/// About how much arithmetic (multiply-adds) one network update and one frame of a run take, from the shapes.
///
/// Why: a worker cannot stop inside one update or one frame. The scheduler splits a heavy epoch update by update
/// (`RunMachine`, `.trainUpdates`), but a single update of 6 × 256 neurons at batch 4,096 is ~10 billion
/// multiply-adds, a third of a second of one core, during which that worker serves nobody else; two such runs
/// hold both workers of a small server. So a configuration whose single update or frame is far above a time slice
/// is refused (`LabConfiguration.maxUpdateWork`, `maxFrameWork`) with a message naming the settings, like the
/// memory check beside it (`RunFootprint`). An estimate within a small factor; what matters is the scale.
public enum RunCost {
    /// Multiply-adds of one row through a network from `input` to `output` (its weight count).
    static func perRow(_ input: Int, _ n: GANConfiguration.Network, _ output: Int) -> Int {
        guard n.hiddenLayers > 0 else { return input * output }
        return input * n.neurons + (n.hiddenLayers - 1) * n.neurons * n.neurons + n.neurons * output
    }

    /// Multiply-adds of the costlier of the two updates (D's or G's), about.
    public static func updateWork(_ c: GANConfiguration) -> Int {
        let g = perRow(c.noiseDimension, c.generator, 2), d = perRow(2, c.discriminator, 1), b = c.batchSize
        // D: G makes B fakes (forward); D sees 2B rows forward and backward (parameter and input gradients ≈ 2×);
        // a gradient penalty (R1, R2, WGAN-GP) differentiates D's input gradient again, ≈ 4 more passes over B rows.
        let hasPenalty = c.penalty != .none || c.loss == .wassersteinGP
        let discriminator = b * g + 2 * b * 3 * d + (hasPenalty ? 4 * b * d : 0)
        // G: G forward, D forward and back to its input, G backward.
        let generator = 3 * b * g + 2 * b * d
        return max(discriminator, generator)
    }

    /// Multiply-adds of one frame's views, about: G on the fakes, the metric samples and the manifold lattice; D on
    /// the decision field, the real points, and (forward and back) the fakes' arrows and the vector field.
    public static func frameWork(_ c: GANConfiguration, shownRealSamples: Int = 500) -> Int {
        let g = perRow(c.noiseDimension, c.generator, 2), d = perRow(2, c.discriminator, 1), v = c.views
        let lattice = c.noiseDimension <= 2 ? (v.manifoldCells + 1) * (v.manifoldCells + 1) : 0
        let generatorRows = v.fakeSampleCount + v.metricSampleCount + lattice
        let discriminatorRows = v.decisionResolution * v.decisionResolution + shownRealSamples
            + 2 * (v.fakeSampleCount + v.arrowGridResolution * v.arrowGridResolution)
        return generatorRows * g + discriminatorRows * d
    }

    /// "9.4 billion", "310 million".
    static func text(_ work: Int) -> String {
        if work >= 1_000_000_000 { return "\((Double(work) / 1e8).rounded() / 10) billion" }
        return "\(max(1, work / 1_000_000)) million"
    }
}
