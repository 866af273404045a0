/// Capture and restore: a trainer as a plain `TrainerState` value and back, bit for bit.
///
/// The tensor and scalar lists come from one place (`stateTensors`, `stateScalars`), so what is captured
/// is exactly what is restored and validated. Names are stable across versions:
/// "generator.dense0.weight", "generator.batchnorm0.runningMean", "discriminator.optimizer.m.dense1.bias",
/// scalars "generator.optimizer.steps", "lastDiscriminatorLoss", ...
extension Trainer {
    /// Everything needed to continue exactly here: configuration, epoch, random stream, weights,
    /// optimiser state and step counts, batch-norm running statistics, last losses, the averaged
    /// generator. Learning-rate schedules and instance-noise annealing are functions of the epoch.
    public func capturedState() -> TrainerState {
        var scalars = Dictionary(uniqueKeysWithValues: stateScalars.map { ($0.name, $0.get()) })
        // Only in the middle of a slow-motion epoch, so states saved between epochs stay as they were.
        if updatesTakenInEpoch > 0 { scalars[Self.updatesTakenScalar] = Double(updatesTakenInEpoch) }
        return TrainerState(configuration: configuration, epoch: epoch, random: random.state,
                     scalars: scalars,
                     tensors: stateTensors.map { TrainerState.Tensor(name: $0.name, rows: $0.matrix.rows,
                                                                     columns: $0.matrix.columns, values: $0.matrix.values) })
    }

    /// A trainer that continues `state` exactly: trained M more epochs it gives bit-identical weights to the
    /// captured trainer trained M more (same build and `distribution`). Validates everything first and throws
    /// naming the configuration field, tensor or scalar that is wrong.
    public convenience init(restoring state: TrainerState, distribution: any RealDistribution,
                            backend: GEMMBackend = .automatic) throws(TrainerStateError) {
        do {
            try self.init(configuration: state.configuration, distribution: distribution, backend: backend)
        } catch {
            throw .invalidConfiguration(error)
        }
        guard (0...TrainerState.maximumEpoch).contains(state.epoch) else { throw .invalidEpoch(state.epoch) }
        guard let random = RandomSource(state: state.random) else { throw .invalidRandomState }

        // Tensors: exactly the expected names, each with its shape.
        let expected = stateTensors
        let expectedNames = Set(expected.map(\.name))
        var given: [String: TrainerState.Tensor] = [:]
        for tensor in state.tensors {
            guard expectedNames.contains(tensor.name) else { throw .unexpectedTensor(tensor.name) }
            guard given[tensor.name] == nil else { throw .duplicateTensor(tensor.name) }
            given[tensor.name] = tensor
        }
        for (name, matrix) in expected {
            guard let tensor = given[name] else { throw .missingTensor(name) }
            guard tensor.rows == matrix.rows, tensor.columns == matrix.columns,
                  tensor.values.count == matrix.rows * matrix.columns else {
                throw .wrongShape(name: name, expected: "\(matrix.rows)×\(matrix.columns)",
                                  found: "\(tensor.rows)×\(tensor.columns) with \(tensor.values.count) values")
            }
        }

        // Scalars: exactly the expected names, each in its range; the slow-motion position only when under way. A
        // scalar added after format 1.0 has a default (what a trainer did before it existed), so older states load.
        var givenScalars = state.scalars
        let updatesTaken = givenScalars.removeValue(forKey: Self.updatesTakenScalar)
        if let updatesTaken {
            let total = state.configuration.discriminatorSteps + state.configuration.generatorSteps
            let allowed = ScalarRange(minimum: 1, maximum: Double(max(1, total - 1)))
            guard total > 1, allowed.accepts(updatesTaken) else {
                throw .invalidScalar(name: Self.updatesTakenScalar, value: updatesTaken, allowed: allowed.description)
            }
        }
        let scalars = stateScalars
        for name in givenScalars.keys.sorted() where !scalars.contains(where: { $0.name == name }) {
            throw .unexpectedScalar(name)
        }
        for scalar in scalars {
            guard let value = givenScalars[scalar.name] ?? scalar.defaultValue else { throw .missingScalar(scalar.name) }
            givenScalars[scalar.name] = value
            if let allowed = scalar.allowed, !allowed.accepts(value) {
                throw .invalidScalar(name: scalar.name, value: value, allowed: allowed.description)
            }
        }

        // Everything checked: write.
        for (name, matrix) in expected {
            given[name]!.values.withUnsafeBufferPointer { matrix.data.update(from: $0.baseAddress!, count: matrix.count) }
        }
        for scalar in scalars { scalar.set(givenScalars[scalar.name]!) }
        updatesTakenInEpoch = updatesTaken.map { Int($0) } ?? 0
        epoch = state.epoch
        self.random = random
    }

    /// An independent trainer in exactly this state (a fork: same weights, optimiser state, stream and epoch).
    public func forked() -> Trainer {
        do {
            return try Trainer(restoring: capturedState(), distribution: distribution, backend: backend)
        } catch {
            preconditionFailure("a trainer's own state failed to restore: \(error)")
        }
    }

    /// Every tensor a state holds, in a stable order: G's parameters and batch-norm statistics, G's optimiser
    /// state, then the same for D, then the averaged generator's (while the average is on).
    ///
    /// A tensor added later must come with a setting whose default leaves it out (as the averaged generator's came
    /// with its setting, off by default), so a state saved before it existed never needs it (docs/run-format.md §1.6).
    var stateTensors: [(name: String, matrix: Matrix)] {
        var result: [(name: String, matrix: Matrix)] = []
        for (prefix, network, optimizer) in [("generator", generator, generatorOptimizer),
                                             ("discriminator", discriminator, discriminatorOptimizer)] {
            for parameter in network.parameters { result.append((prefix + "." + parameter.name, parameter.value)) }
            for layer in network.layers {
                guard let norm = layer as? BatchNorm else { continue }
                let base = norm.scale.name.dropLast(".scale".count)
                result.append((prefix + "." + base + ".runningMean", norm.runningMean))
                result.append((prefix + "." + base + ".runningVariance", norm.runningVariance))
            }
            for (name, matrix) in optimizer.stateTensors { result.append((prefix + ".optimizer." + name, matrix)) }
        }
        if let average = generatorAverage?.network {
            for parameter in average.parameters { result.append(("generator.average." + parameter.name, parameter.value)) }
            for layer in average.layers {
                guard let norm = layer as? BatchNorm else { continue }
                let base = norm.scale.name.dropLast(".scale".count)
                result.append(("generator.average." + base + ".runningMean", norm.runningMean))
                result.append(("generator.average." + base + ".runningVariance", norm.runningVariance))
            }
        }
        return result
    }

    /// The scalar naming how many updates of a slow-motion epoch were taken (present only mid-epoch).
    static let updatesTakenScalar = "epoch.updatesTaken"

    /// The allowed values of a captured scalar.
    struct ScalarRange: CustomStringConvertible {
        /// Whole numbers from `minimum` to `maximum`.
        var minimum: Double, maximum: Double
        func accepts(_ value: Double) -> Bool { value >= minimum && value <= maximum && value == value.rounded() }
        var description: String { "whole numbers \(Int(minimum))...\(Int(maximum))" }
    }

    /// One captured scalar: its name, how to read and write it, its range (nil: any Float, NaN included), and,
    /// for a scalar added after states were first saved, the value a state without it restores to.
    ///
    /// The rule (docs/run-format.md §1.6): a new scalar gets a `defaultValue` that behaves as the trainer did
    /// before the scalar existed, so every state saved by an older build of the same format major still loads and
    /// continues bit for bit. A scalar in the first saved states has none: its absence means damage.
    struct StateScalar {
        var name: String
        var allowed: ScalarRange?
        var get: () -> Double
        var set: (Double) -> Void
        var defaultValue: Double? = nil
    }

    /// Every scalar a state holds.
    var stateScalars: [StateScalar] {
        let steps = ScalarRange(minimum: 0, maximum: 9_007_199_254_740_991)
        let diverged = ["discriminator", "generator"]
        var scalars = [
            StateScalar(name: "generator.optimizer.steps", allowed: steps,
                        get: { Double(self.generatorOptimizer.stepCount) }, set: { self.generatorOptimizer.stepCount = Int($0) }),
            StateScalar(name: "discriminator.optimizer.steps", allowed: steps,
                        get: { Double(self.discriminatorOptimizer.stepCount) }, set: { self.discriminatorOptimizer.stepCount = Int($0) }),
            StateScalar(name: "lastDiscriminatorLoss", allowed: nil,
                        get: { Double(self.lastDiscriminatorLoss) }, set: { self.lastDiscriminatorLoss = Float($0) }),
            // Added after format 1.0's first files; only shown, never read by training, so "not measured yet" (its
            // value before the first update) continues an older state exactly.
            StateScalar(name: "lastDiscriminatorPenalty", allowed: nil,
                        get: { Double(self.lastDiscriminatorPenalty) }, set: { self.lastDiscriminatorPenalty = Float($0) },
                        defaultValue: .nan),
            StateScalar(name: "lastGeneratorLoss", allowed: nil,
                        get: { Double(self.lastGeneratorLoss) }, set: { self.lastGeneratorLoss = Float($0) }),
            StateScalar(name: "lastGeneratorGradientNorm", allowed: nil,
                        get: { Double(self.lastGeneratorGradientNorm) }, set: { self.lastGeneratorGradientNorm = Float($0) }),
            // 0: no non-finite loss seen; 1: the discriminator's; 2: the generator's.
            StateScalar(name: "divergedNetwork", allowed: ScalarRange(minimum: 0, maximum: 2),
                        get: { Double(self.nonFiniteLoss.flatMap { diverged.firstIndex(of: $0) }.map { $0 + 1 } ?? 0) },
                        set: { self.nonFiniteLoss = $0 == 0 ? nil : diverged[Int($0) - 1] }),
        ]
        if let average = generatorAverage {
            scalars.append(StateScalar(name: "generator.average.updates", allowed: steps,
                                       get: { Double(average.updates) }, set: { average.updates = Int($0) }))
        }
        return scalars
    }
}
