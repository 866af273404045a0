import GANEngine

/// TEMPORARY, until the engine's `Trainer.capturedState()` / `Trainer(restoring:distribution:)` land (engine
/// phase 1; lab status file, "Requests"): captures the configuration, epoch, stream position and parameters,
/// and restores the parameters only (not the optimiser state, the stream or the epoch), so a fork or a restore
/// is close to the original rather than bit-identical. The call sites switch to the engine's API by name.
extension Trainer {
    /// The trainer as a state value (parameters only; see the type's note).
    func labCapturedState() -> TrainerState {
        var tensors: [TrainerState.Tensor] = []
        for (prefix, network) in [("generator", generator), ("discriminator", discriminator)] {
            for (index, parameter) in network.parameters.enumerated() {
                let m = parameter.value
                tensors.append(TrainerState.Tensor(name: "\(prefix).parameter\(index)", rows: m.rows, columns: m.columns, values: m.values))
            }
        }
        return TrainerState(configuration: configuration, epoch: epoch, random: random.state, scalars: [:], tensors: tensors)
    }

    /// A trainer built from `state.configuration` with `state`'s parameters written in (see the type's note).
    static func labRestoring(_ state: TrainerState, distribution: any RealDistribution) throws(LabProtocolError) -> Trainer {
        let trainer: Trainer
        do {
            trainer = try Trainer(configuration: state.configuration, distribution: distribution)
        } catch {
            throw .badField(field: error.field, message: error.description)
        }
        let byName = Dictionary(state.tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (prefix, network) in [("generator", trainer.generator), ("discriminator", trainer.discriminator)] {
            for (index, parameter) in network.parameters.enumerated() {
                let m = parameter.value
                guard let t = byName["\(prefix).parameter\(index)"], t.values.count == m.count else { continue }
                t.values.withUnsafeBufferPointer { m.data.update(from: $0.baseAddress!, count: m.count) }
            }
        }
        return trainer
    }
}
