import GANEngine

/// D's probability "real" at the shown fakes and at the shown real samples, for the `predictions` layer
/// (docs/protocol.md §3.2, section 10): one inference pass of the discriminator over both sets.
///
/// Until the engine computes these with the other views, it lives here on the engine's public API.
final class PredictionComputer {
    private var workspace: MLPWorkspace?
    private weak var network: MLP?

    /// The probabilities for `fakes` (row-major (F, 2)) and `real` (row-major (N, 2)).
    func compute(trainer: Trainer, fakes: [Float], real: [Float]) -> FrameEncoder.Predictions {
        let d = trainer.discriminator
        let rows = (fakes.count + real.count) / 2
        if workspace == nil || network !== d {
            workspace = MLPWorkspace(for: d, rowCapacity: rows)
            network = d
        }
        let w = workspace!
        w.setRows(rows)
        w.input.data.update(from: fakes, count: fakes.count)
        (w.input.data + fakes.count).update(from: real, count: real.count)
        let scores = d.forward(w, mode: .inference).data  // (F + N, 1)
        let loss = trainer.configuration.loss
        let f = fakes.count / 2
        return FrameEncoder.Predictions(fakes: (0..<f).map { loss.probability(fromScore: scores[$0]) },
                                        real: (f..<rows).map { loss.probability(fromScore: scores[$0]) })
    }
}
