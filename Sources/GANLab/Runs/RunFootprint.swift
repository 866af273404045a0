import GANEngine

/// About how much memory a run with a configuration holds (weights, optimiser state, the trainer's and the views'
/// work buffers), so a request for a huge network or 100,000 metric samples is refused with a clear message
/// instead of taking the server's memory from everyone (`LabConfiguration.maxRunBytes`, `memoryBudgetBytes`).
/// An estimate from the shapes, within a small factor of what the engine allocates: tested against the defaults.
public enum RunFootprint {
    /// Bytes a run with `c` holds, about.
    public static func bytes(_ c: GANConfiguration, shownRealSamples: Int = 500) -> Int {
        let g = c.generator, d = c.discriminator
        // Floats per row of a workspace: input, per hidden layer dense + activation (+ batch norm), output twice;
        // the same again for the gradients.
        func rowFloats(_ input: Int, _ n: GANConfiguration.Network, _ output: Int) -> Int {
            2 * (input + n.hiddenLayers * (n.batchNorm ? 3 : 2) * n.neurons + 2 * output)
        }
        func parameters(_ input: Int, _ n: GANConfiguration.Network, _ output: Int) -> Int {
            guard n.hiddenLayers > 0 else { return (input + 1) * output }
            return (input + 1) * n.neurons + (n.hiddenLayers - 1) * (n.neurons + 1) * n.neurons + (n.neurons + 1) * output
        }
        let gRow = rowFloats(c.noiseDimension, g, 2), dRow = rowFloats(2, d, 1)
        // Value, gradient and up to two optimiser moments per parameter.
        let weights = 4 * (parameters(c.noiseDimension, g, 2) + parameters(2, d, 1))
        let training = c.batchSize * gRow + 2 * c.batchSize * dRow
        let v = c.views
        let lattice = c.noiseDimension <= 2 ? (v.manifoldCells + 1) * (v.manifoldCells + 1) : 0
        let views = (max(v.metricSampleCount, v.fakeSampleCount) + lattice) * gRow
            + (v.fakeSampleCount + v.arrowGridResolution * v.arrowGridResolution) * dRow
            + (v.decisionResolution * v.decisionResolution + shownRealSamples) * dRow
            + 12 * v.fakeSampleCount + 8 * v.decisionResolution * v.decisionResolution
        let history = 10_000 * 10
        return 4 * (weights + training + views + history) + 256 << 10
    }

    /// "2.4 GB", "35 MB", "900 KB".
    static func text(_ bytes: Int) -> String {
        if bytes >= 1 << 30 { return "\((Double(bytes) / Double(1 << 30) * 10).rounded() / 10) GB" }
        if bytes >= 1 << 20 { return "\(bytes >> 20) MB" }
        return "\(max(1, bytes >> 10)) KB"
    }
}
