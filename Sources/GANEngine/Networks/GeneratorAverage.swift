/// An exponential moving average of a network's weights (Yazıcı et al., 2019, "The Unusual Effectiveness of
/// Averaging in GAN Training"): θ̄ ← β_t·θ̄ + (1 − β_t)·θ after every generator update.
///
/// GAN training often circles the equilibrium instead of reaching it; the average of the iterates sits near
/// its centre, so the averaged generator's samples are steadier and closer to the data than the raw ones.
/// β_t = min(β, (1 + t)/(10 + t)) after t updates, the warm-up TensorFlow's `ExponentialMovingAverage` uses
/// with `num_updates`, so early iterates are not dragged back to the random initialisation. Batch-norm running
/// statistics are copied, not averaged (they describe the raw network's activations).
public final class GeneratorAverage {
    /// The averaged network (same layout as the source), what the views can show.
    public let network: MLP
    /// Averaging updates so far (t).
    public internal(set) var updates: Int

    /// An average that starts at `source`'s current weights. The copy's initial weights are drawn from a
    /// throwaway stream and overwritten, so the run's own stream is not touched.
    init(copying source: MLP, rebuild: (inout RandomSource) -> MLP) {
        var scratch = RandomSource(seed: 0)
        network = rebuild(&scratch)
        updates = 0
        for (target, parameter) in zip(network.parameters, source.parameters) {
            target.value.data.update(from: parameter.value.data, count: parameter.value.count)
        }
        copyStatistics(from: source)
    }

    /// The decay used at the next update.
    func decay(_ beta: Float) -> Float { min(beta, Float(1 + updates) / Float(10 + updates)) }

    /// θ̄ ← β_t·θ̄ + (1 − β_t)·θ for every parameter; copies the batch-norm statistics.
    func update(from source: MLP, beta: Float) {
        let b = decay(beta), a = 1 - b
        for (target, parameter) in zip(network.parameters, source.parameters) {
            let t = target.value.data, s = parameter.value.data
            for i in 0..<parameter.value.count { t[i] = b * t[i] + a * s[i] }
        }
        copyStatistics(from: source)
        updates += 1
    }

    private func copyStatistics(from source: MLP) {
        for (target, layer) in zip(network.layers, source.layers) {
            guard let norm = layer as? BatchNorm, let copy = target as? BatchNorm else { continue }
            copy.runningMean.copy(from: norm.runningMean)
            copy.runningVariance.copy(from: norm.runningVariance)
        }
    }
}
